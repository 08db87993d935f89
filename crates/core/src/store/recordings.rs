//! `call_recordings`: which cached calls have their recording archived on this computer (and
//! where, with its checksum), and which Vapi said have none.

use rusqlite::Connection;

use super::StoreError;

/// A cached ended call the archive considers, with what is known of its recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingCandidate {
    pub call_id: String,
    pub org_id: String,
    pub created_at: String,
    pub archived: Option<ArchivedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedFile {
    /// Relative to the archive folder, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The ended calls of `org_id` created at or after `since` (oldest first: they age out first)
/// that Vapi did not already say have no recording.
pub fn candidates(
    conn: &Connection,
    org_id: &str,
    since_ms: Option<i64>,
) -> Result<Vec<RecordingCandidate>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.created_ms, r.path, r.bytes, r.sha256
         FROM calls c LEFT JOIN call_recordings r ON r.call_id = c.id
         WHERE c.org_id = ?1 AND c.status = 'ended' AND c.created_ms >= ?2
           AND (r.state IS NULL OR r.state = 'archived')
         ORDER BY c.created_ms, c.id",
    )?;
    let rows = stmt.query_map((org_id, since_ms.unwrap_or(i64::MIN)), |row| {
        let path: Option<String> = row.get(2)?;
        let bytes: Option<i64> = row.get(3)?;
        let sha256: Option<String> = row.get(4)?;
        Ok(RecordingCandidate {
            call_id: row.get(0)?,
            org_id: org_id.to_owned(),
            created_at: super::time::format_ms(row.get(1)?),
            archived: match (path, bytes, sha256) {
                (Some(path), Some(bytes), Some(sha256)) => Some(ArchivedFile {
                    path,
                    bytes: u64::try_from(bytes).unwrap_or(0),
                    sha256,
                }),
                _ => None,
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn record_archived(
    conn: &Connection,
    call_id: &str,
    org_id: &str,
    file: &ArchivedFile,
    now: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO call_recordings (call_id, org_id, state, path, bytes, sha256, recorded_at)
         VALUES (?1, ?2, 'archived', ?3, ?4, ?5, ?6)
         ON CONFLICT (call_id) DO UPDATE SET state = 'archived', path = excluded.path,
             bytes = excluded.bytes, sha256 = excluded.sha256, recorded_at = excluded.recorded_at",
        (
            call_id,
            org_id,
            &file.path,
            i64::try_from(file.bytes).unwrap_or(i64::MAX),
            &file.sha256,
            now,
        ),
    )?;
    Ok(())
}

pub fn record_none(
    conn: &Connection,
    call_id: &str,
    org_id: &str,
    now: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO call_recordings (call_id, org_id, state, recorded_at)
         VALUES (?1, ?2, 'none', ?3)
         ON CONFLICT (call_id) DO UPDATE SET state = 'none', path = NULL, bytes = NULL,
             sha256 = NULL, recorded_at = excluded.recorded_at",
        (call_id, org_id, now),
    )?;
    Ok(())
}

/// The archived file of one call, if any.
pub fn archived_file(conn: &Connection, call_id: &str) -> Result<Option<ArchivedFile>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT path, bytes, sha256 FROM call_recordings WHERE call_id = ?1 AND state = 'archived'",
    )?;
    let mut rows = stmt.query_map([call_id], |row| {
        Ok(ArchivedFile {
            path: row.get(0)?,
            bytes: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
            sha256: row.get(2)?,
        })
    })?;
    Ok(rows.next().transpose()?)
}

/// Every archived file, as recorded (the files a move of the archive carries).
pub fn archived_files(conn: &Connection) -> Result<Vec<ArchivedFile>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT path, bytes, sha256 FROM call_recordings WHERE state = 'archived' ORDER BY path",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(ArchivedFile {
            path: row.get(0)?,
            bytes: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
            sha256: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
