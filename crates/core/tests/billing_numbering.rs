//! Issued invoices: sequential numbers per agency, never reused, one live invoice per period.

mod billing_fixture;

use agencydesk_core::billing::{
    self, AuditOptions, BillingError, InvoiceRequest, InvoiceStatus, Period,
};
use agencydesk_core::store::Store;
use billing_fixture::*;
use chrono::NaiveDate;

fn request(client: &str, month: &str) -> InvoiceRequest {
    InvoiceRequest::new(
        client,
        Period::parse_month(month).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
    )
}

fn issue(
    store: &Store,
    client: &str,
    month: &str,
    allow_unsettled: bool,
) -> Result<String, BillingError> {
    store.write(|tx| {
        let issued = billing::issue_invoice(
            tx,
            &request(client, month),
            &AuditOptions::at(now()),
            allow_unsettled,
        )?;
        Ok(issued
            .invoice
            .number
            .expect("an issued invoice has a number"))
    })
}

#[test]
fn numbers_are_sequential_across_clients() {
    let fx = fixture();
    let numbers: Vec<String> = [ACME, BOLT, COVE]
        .iter()
        .map(|c| issue(&fx.store, c, "2026-10", false).unwrap())
        .collect();
    assert_eq!(numbers, vec!["INV-000001", "INV-000002", "INV-000003"]);
}

#[test]
fn an_issued_invoice_is_stored_exactly_as_previewed() {
    let fx = fixture();
    let preview = fx
        .store
        .read(|c| billing::preview_invoice(c, &request(COVE, "2026-10"), &AuditOptions::at(now())))
        .unwrap();
    let number = issue(&fx.store, COVE, "2026-10", false).unwrap();
    let stored = fx
        .store
        .read(|c| billing::load_invoice(c, &number))
        .unwrap();
    let mut expected = preview.invoice;
    expected.number = Some(number.clone());
    assert_eq!(stored, expected);
    let list = fx
        .store
        .read(|c| billing::list_invoices(c, Some(COVE)))
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].number.as_str(), list[0].total.as_str()),
        (number.as_str(), "119.11")
    );
    assert_eq!(list[0].status, InvoiceStatus::Issued);
}

#[test]
fn a_period_is_invoiced_once_until_voided_and_numbers_are_never_reused() {
    let fx = fixture();
    let first = issue(&fx.store, BOLT, "2026-10", false).unwrap();
    match issue(&fx.store, BOLT, "2026-10", false) {
        Err(BillingError::AlreadyIssued { number, .. }) => assert_eq!(number, first),
        other => panic!("{other:?}"),
    }
    fx.store.read(|c| billing::void_invoice(c, &first)).unwrap();
    let second = issue(&fx.store, BOLT, "2026-10", false).unwrap();
    assert_eq!(
        (first.as_str(), second.as_str()),
        ("INV-000001", "INV-000002")
    );
    // Even with every invoice row gone, the counter does not go back.
    fx.store
        .read(|c| {
            c.execute("DELETE FROM invoices", [])
                .map_err(agencydesk_core::store::StoreError::from)
        })
        .unwrap();
    assert_eq!(
        issue(&fx.store, ACME, "2026-10", false).unwrap(),
        "INV-000003"
    );
    let statuses: Vec<InvoiceStatus> = fx
        .store
        .read(|c| billing::list_invoices(c, None))
        .unwrap()
        .into_iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(statuses, vec![InvoiceStatus::Issued]);
    assert!(matches!(
        fx.store.read(|c| billing::void_invoice(c, "INV-999999")),
        Err(BillingError::InvoiceNotFound { .. })
    ));
}

#[test]
fn unsettled_calls_block_issuing_unless_allowed() {
    let fx = fixture();
    match issue(&fx.store, ACME, "2026-11", false) {
        Err(BillingError::UnsettledCalls { count }) => assert_eq!(count, 2),
        other => panic!("{other:?}"),
    }
    // The refusal consumed no number.
    assert_eq!(
        issue(&fx.store, ACME, "2026-11", true).unwrap(),
        "INV-000001"
    );
}

#[test]
fn a_rolled_back_issue_hands_out_no_number() {
    let fx = fixture();
    let failed: Result<(), BillingError> = fx.store.write(|tx| {
        billing::issue_invoice(
            tx,
            &request(ACME, "2026-10"),
            &AuditOptions::at(now()),
            false,
        )?;
        // Something later in the same transaction fails: nothing of the issue may remain.
        Err(BillingError::InvalidRequest(
            "simulated failure after numbering".into(),
        ))
    });
    assert!(failed.is_err());
    assert!(fx
        .store
        .read(|c| billing::list_invoices(c, None))
        .unwrap()
        .is_empty());
    assert_eq!(
        issue(&fx.store, ACME, "2026-10", false).unwrap(),
        "INV-000001"
    );
}

#[test]
fn numbering_survives_reopening_the_database_file() {
    let fx = fixture();
    issue(&fx.store, ACME, "2026-10", false).unwrap();
    let path = fx.store.path().unwrap().to_path_buf();
    drop(fx.store);
    let reopened = Store::open(&path).unwrap();
    assert_eq!(
        issue(&reopened, BOLT, "2026-10", false).unwrap(),
        "INV-000002"
    );
}
