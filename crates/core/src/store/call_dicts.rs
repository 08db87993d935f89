//! Rows of `call_dicts`: the zstd dictionaries that stored calls were compressed with, by the
//! dictionary id their frames carry.

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::{time, StoreError};

/// A dictionary, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallDict {
    pub id: u32,
    pub org_id: String,
    pub samples: u32,
    pub dict: Vec<u8>,
}

/// Stores a dictionary (in the transaction of the first rows compressed with it). Storing the
/// same dictionary again is a no-op; a different dictionary under an id already taken is
/// refused, so a row can never be read with the wrong one.
pub fn insert(tx: &Transaction<'_>, d: &CallDict) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO call_dicts (id, org_id, trained_at, samples, dict) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO NOTHING",
    )?
    .execute((d.id, &d.org_id, time::now(), d.samples, &d.dict))?;
    let same: bool = tx
        .prepare_cached("SELECT dict = ?2 FROM call_dicts WHERE id = ?1")?
        .query_row((d.id, &d.dict), |r| r.get(0))?;
    if same {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            what: format!("two different call dictionaries share the id {}", d.id),
        })
    }
}

/// The dictionary with this id, if stored.
pub fn get(conn: &Connection, id: u32) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT dict FROM call_dicts WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The org's newest dictionary: the one new rows of the org are compressed with.
pub fn latest(conn: &Connection, org_id: &str) -> Result<Option<CallDict>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT id, org_id, samples, dict FROM call_dicts WHERE org_id = ?1
             ORDER BY trained_at DESC, id DESC LIMIT 1",
        )?
        .query_row([org_id], |r| {
            Ok(CallDict {
                id: r.get(0)?,
                org_id: r.get(1)?,
                samples: r.get(2)?,
                dict: r.get(3)?,
            })
        })
        .optional()?)
}
