//! Full-text search benchmark (run by benches/search.sh; issue 10: median search time over 1M
//! cached calls, target under 100 ms, and the index size). Prints figures; never judges them.
//!
//! ```text
//! search_bench DATA_DIR                 an agency's data folder whose search index is built
//! search_bench --synthetic N DIR        the synthetic cache of about N realistic calls in DIR
//!                                       (support/million.rs), built there unless already there
//! ```

#[path = "support/million.rs"]
mod million;
#[path = "support/search.rs"]
mod search;

use std::path::PathBuf;

use agencydesk_core::calls;
use agencydesk_core::store::{Store, StoreError};
use million::BenchResult;

const RUNS: usize = 7;
const TARGET_MS: f64 = 100.0;

fn main() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [flag, n, dir] if flag == "--synthetic" => million::cache(&PathBuf::from(dir), n.parse()?)?,
        [dir] => PathBuf::from(dir).join(Store::FILE_NAME),
        _ => {
            return Err("usage: search_bench DATA_DIR | search_bench --synthetic CALLS DIR".into())
        }
    };
    let store = Store::open(&path)?;
    let (calls, indexed, file_bytes, index_bytes): (i64, i64, i64, i64) = store.read(|c| {
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok::<_, StoreError>(c.query_row(
            "SELECT (SELECT COUNT(*) FROM calls), (SELECT COUNT(*) FROM call_search),
                    (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size),
                    (SELECT SUM(pgsize) FROM dbstat
                     WHERE name LIKE 'calls_fts%' OR name LIKE 'call_search%'
                        OR name LIKE 'sqlite_autoindex_call_search%')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?)
    })?;
    println!(
        "cache: {calls} calls ({indexed} indexed), {:.0} MB, {:.0} bytes per call; search index \
         {:.0} MB, {:.0} bytes per call",
        file_bytes as f64 / 1e6,
        file_bytes as f64 / calls.max(1) as f64,
        index_bytes as f64 / 1e6,
        index_bytes as f64 / calls.max(1) as f64
    );
    // The words come from the newest call of the client with the most calls.
    let (org, one): (String, String) = store.read(|c| {
        Ok::<_, StoreError>(c.query_row(
            "SELECT org_id, (SELECT id FROM calls i WHERE i.org_id = o.org_id
                             ORDER BY created_ms DESC LIMIT 1)
             FROM (SELECT org_id FROM calls GROUP BY org_id ORDER BY COUNT(*) DESC LIMIT 1) o",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    })?;
    let json = store.read(|c| calls::call_json(c, &org, &one))?;
    let (_, median) = search::timed(&store, json.as_ref(), &org, RUNS)?;
    println!(
        "search over {calls} calls: median {median:.1} ms of the kinds' medians of {RUNS} (first \
         page of 50, snippets included; target under {TARGET_MS:.0} ms){}",
        if median < TARGET_MS {
            ""
        } else {
            "   over target"
        }
    );
    Ok(())
}
