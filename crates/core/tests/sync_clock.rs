//! This machine's clock 10 minutes off Vapi's, either way: the sync's watermark follows Vapi's
//! clock (its `Date` header), so a call updated after a sync is read by the next one.

mod sync_support;

use vapi_sim::Faults;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_updated_call_is_missed_with_ten_minutes_of_skew_either_way() {
    for skew in [-600, 600] {
        let w = sync_support::world(2, 5, 20).await;
        w.handle.set_faults(Faults {
            clock_skew_secs: skew,
            ..Faults::default()
        });
        let options = sync_support::options(1000);
        let org = w.org_ids()[0].clone();
        let fresh = w.handle.add_calls(&org, 30, None);

        let (report, _) = w.sync(&options).await;
        assert!(report.all_done(), "skew {skew}: {report:#?}");
        w.assert_all_equal();

        // Costs settle after the sync: updatedAt moves to Vapi's now, which with Vapi behind
        // us (skew -600) is ten minutes before this machine's.
        assert!(w.handle.settle_pending_costs() >= fresh.len());
        let (report, _) = w.sync(&options).await;
        assert!(report.all_done(), "skew {skew}: {report:#?}");
        w.assert_all_equal();
    }
}
