//! The store on a bad day, with real files and real processes: a damaged database, a
//! read-only data folder, a full disk, another process holding SQLite's write lock or one of the
//! data folder's locks; backups, restoring one, migrations under the instance lock, rebuilding
//! the call cache. Each failure gives a clear error, leaves nothing half-written, and the next
//! run recovers.
//!
//! "Another process" is this test binary run again as the ignored test `hold`, which takes what
//! `AGENCYDESK_TEST_HOLD` names, prints `held`, and keeps it until its standard input closes.

mod billing_fixture;
mod sync_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use agencydesk_core::agency::Agency;
use agencydesk_core::billing::issue::issue_or_reuse;
use agencydesk_core::billing::period::Period;
use agencydesk_core::error::{Code, CoreError};
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::store::backup::{self, BackupKind};
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::lock::{DataLock, LockMode, LockName};
use agencydesk_core::store::migrate::{self, MIGRATIONS};
use agencydesk_core::store::restore::restore;
use agencydesk_core::store::{integrity, time, Store, StoreError};
use agencydesk_core::sync::SyncOutcome;
use rusqlite::Connection;

const HOLD_ENV: &str = "AGENCYDESK_TEST_HOLD";
const HOLD_DIR_ENV: &str = "AGENCYDESK_TEST_HOLD_DIR";

/// Something another process holds until this is dropped.
struct Held {
    child: Child,
}

impl Held {
    fn start(what: &str, dir: &Path) -> Self {
        Self::start_with(Command::new(std::env::current_exe().unwrap()), what, dir)
    }

    /// `command` runs this test binary (perhaps through a wrapper such as `unshare`).
    fn start_with(mut command: Command, what: &str, dir: &Path) -> Self {
        let mut child = command
            .args([
                "hold",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(HOLD_ENV, what)
            .env(HOLD_DIR_ENV, dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut seen = String::new();
        let mut lines = BufReader::new(stdout).lines();
        while let Some(line) = lines.next() {
            let line = line.unwrap();
            if line.trim_end().ends_with("held") {
                // Read the rest, so the helper never writes into a closed pipe.
                std::thread::spawn(move || lines.for_each(drop));
                return Self { child };
            }
            seen.push_str(&line);
            seen.push('\n');
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the helper process never held {what}:\n{seen}");
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The helper process (see the module docs); does nothing unless started by [`Held`].
#[test]
#[ignore = "run by the other tests as their second process"]
fn hold() {
    let Some(what) = std::env::var_os(HOLD_ENV) else {
        return;
    };
    let what = what.to_string_lossy().into_owned();
    let dir = PathBuf::from(std::env::var_os(HOLD_DIR_ENV).unwrap());
    let _held: Box<dyn std::any::Any> = match what.as_str() {
        // SQLite's write lock, as another program writing the database would hold it.
        "write" => {
            let conn = Connection::open(dir.join(Store::FILE_NAME)).unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            Box::new(conn)
        }
        // The instance lock alone, as an older agencydesk running would hold it.
        "instance" => Box::new(
            DataLock::try_acquire(&dir, &LockName::Instance, LockMode::Shared, None).unwrap(),
        ),
        // An open agency (the app running).
        "store" => Box::new(Store::open(&dir.join(Store::FILE_NAME)).unwrap()),
        sync if sync.starts_with("sync:") => {
            let name = LockName::Sync {
                org_id: sync["sync:".len()..].to_owned(),
            };
            Box::new(DataLock::try_acquire(&dir, &name, LockMode::Exclusive, None).unwrap())
        }
        "invoices" => Box::new(
            DataLock::try_acquire(&dir, &LockName::Invoices, LockMode::Exclusive, None).unwrap(),
        ),
        // Opens the store and writes, reporting the outcome instead of holding anything.
        "try-write" => {
            let outcome = Store::open(&dir.join(Store::FILE_NAME))
                .and_then(|store| store.write(|tx| clients::upsert(tx, &org("o-ro"))));
            match outcome {
                Ok(()) => println!("outcome: ok"),
                Err(e) => println!("outcome: error: {e}"),
            }
            Box::new(())
        }
        other => panic!("nothing to hold called {other}"),
    };
    println!("held");
    std::io::stdout().flush().unwrap();
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
}

fn org(id: &str) -> ClientOrgRow {
    ClientOrgRow {
        id: id.into(),
        name: format!("Org {id}"),
        base_url: "https://api.vapi.ai".into(),
        key_fingerprint: None,
        kind: OrgKind::Client,
        status: OrgStatus::Linked,
        linked_at: Some(time::now()),
        updated_at: time::now(),
    }
}

fn org_ids(store: &Store) -> Vec<String> {
    store
        .read(clients::list)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// A data folder with a database holding the org `o1` and one manual backup of it.
fn folder_with_backup() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(Store::FILE_NAME);
    let store = Store::open(&db).unwrap();
    store.write(|tx| clients::upsert(tx, &org("o1"))).unwrap();
    let made = store.create_backup(BackupKind::Manual).unwrap();
    drop(store);
    (dir, db, made.id)
}

#[test]
fn a_damaged_database_is_moved_aside_never_replaced_and_the_error_names_the_backup() {
    let (dir, db, backup_id) = folder_with_backup();
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].fill(b'x');
    std::fs::write(&db, &bytes).unwrap();

    let err = Store::open(&db).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(message.contains(&backup_id), "{message}");
    assert!(
        message.contains("agencydesk backup restore --latest"),
        "{message}"
    );
    // Moved aside untouched; nothing took its place.
    let aside = integrity::damaged_copies(&db);
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read(&aside[0]).unwrap(), bytes);
    assert!(
        message.contains(&aside[0].display().to_string()),
        "{message}"
    );
    assert!(!db.exists());

    // The next run does not start over with an empty database either.
    let again = Store::open(&db).unwrap_err();
    assert!(
        matches!(again, StoreError::Damaged { problem: None, .. }),
        "{again:?}"
    );
    assert!(!db.exists());

    // Restoring the backup recovers; the damaged copy stays for the owner.
    let report = restore(
        dir.path(),
        &dir.path().join("backups").join(&backup_id),
        Default::default(),
    )
    .unwrap();
    assert_eq!(report.restored_from, backup_id);
    assert_eq!(org_ids(&Store::open(&db).unwrap()), ["o1"]);
    assert!(aside[0].exists());
}

#[test]
fn quick_check_finds_damage_inside_the_file() {
    let (_dir, db, _) = folder_with_backup();
    {
        let store = Store::open(&db).unwrap();
        store
            .write(|tx| {
                for i in 0..400 {
                    clients::upsert(tx, &org(&format!("org-{i:04}-{}", "x".repeat(40))))?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
            .read(|c| {
                Ok::<_, StoreError>(c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?)
            })
            .unwrap();
    }
    // Every page but the first (the header and the schema) scribbled over.
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096;
    assert!(
        bytes.len() > 4 * page,
        "the database is too small to damage"
    );
    bytes[page..].fill(0xA5);
    std::fs::write(&db, &bytes).unwrap();

    let err = Store::open(&db).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Damaged {
                problem: Some(_),
                moved_to: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!db.exists());
}

#[test]
fn restore_checks_the_file_and_keeps_the_current_database() {
    let (dir, db, backup_id) = folder_with_backup();
    let store = Store::open(&db).unwrap();
    store.write(|tx| clients::upsert(tx, &org("o2"))).unwrap();
    drop(store);

    // Not a database: refused, nothing changed.
    let text = dir.path().join("notes.sqlite");
    std::fs::write(&text, "not a database at all, just some text ".repeat(200)).unwrap();
    let err = restore(dir.path(), &text, Default::default()).unwrap_err();
    assert!(matches!(err, StoreError::NotABackup { .. }), "{err:?}");
    assert!(err.to_string().contains("Nothing was changed"), "{err}");
    // A SQLite database that is not agencydesk's: refused too.
    let foreign = dir.path().join("foreign.sqlite");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    assert!(matches!(
        restore(dir.path(), &foreign, Default::default()),
        Err(StoreError::NotABackup { .. })
    ));
    assert_eq!(org_ids(&Store::open(&db).unwrap()), ["o1", "o2"]);

    // Restored; the database it replaced is a backup that restores in turn.
    let source = dir.path().join("backups").join(&backup_id);
    let report = restore(dir.path(), &source, Default::default()).unwrap();
    assert_eq!(org_ids(&Store::open(&db).unwrap()), ["o1"]);
    let previous = report.previous_backup.unwrap();
    assert_eq!(previous.kind, BackupKind::BeforeRestore);
    let back = dir.path().join("backups").join(&previous.id);
    restore(dir.path(), &back, Default::default()).unwrap();
    assert_eq!(org_ids(&Store::open(&db).unwrap()), ["o1", "o2"]);
}

#[test]
fn restore_and_migrations_wait_for_no_other_instance() {
    let (dir, db, backup_id) = folder_with_backup();
    let store = Store::open(&db).unwrap();
    store.write(|tx| clients::upsert(tx, &org("o2"))).unwrap();
    drop(store);
    let source = dir.path().join("backups").join(&backup_id);
    {
        let _app = Held::start("store", dir.path());
        let err = restore(dir.path(), &source, Default::default()).unwrap_err();
        assert!(
            matches!(err, StoreError::Lock(_)) && err.to_string().contains("another process"),
            "{err}"
        );
        assert_eq!(
            org_ids(&Store::open(&db).unwrap()),
            ["o1", "o2"],
            "nothing restored"
        );
    }
    restore(dir.path(), &source, Default::default()).unwrap();
    assert_eq!(org_ids(&Store::open(&db).unwrap()), ["o1"]);
}

#[test]
fn an_existing_database_is_backed_up_before_migrating_and_never_under_another_instance() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(Store::FILE_NAME);
    let older = &MIGRATIONS[..3];
    {
        let mut conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        migrate::run(&mut conn, older).unwrap();
    }
    {
        let _app = Held::start("instance", dir.path());
        let err = Store::open(&db).unwrap_err();
        assert!(matches!(err, StoreError::MigrationBlocked), "{err:?}");
        assert_eq!(
            migrate::status(&Connection::open(&db).unwrap()).unwrap().0,
            3
        );
        assert!(backup::list(&dir.path().join("backups"))
            .unwrap()
            .is_empty());
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.read(migrate::status).unwrap(), (MIGRATIONS.len(), 0));
    let backups = store.list_backups().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].kind, BackupKind::PreMigration);
    let saved = Connection::open(dir.path().join("backups").join(&backups[0].id)).unwrap();
    assert_eq!(
        migrate::status(&saved).unwrap().0,
        3,
        "the backup is the old schema"
    );
    // A new database needs no backup, and an up-to-date one none either.
    drop(store);
    let fresh = tempfile::tempdir().unwrap();
    let store = Store::open(&fresh.path().join(Store::FILE_NAME)).unwrap();
    drop(store);
    let store = Store::open(&fresh.path().join(Store::FILE_NAME)).unwrap();
    assert!(store.list_backups().unwrap().is_empty());
}

#[test]
fn one_daily_backup_a_day_and_the_last_seven_kept() {
    let (dir, db, manual) = folder_with_backup();
    let store = Store::open(&db).unwrap();
    let backups = dir.path().join("backups");
    let start = billing_fixture::now();
    store
        .read(|c| {
            for day in 0..10 {
                let at = start + chrono::Duration::days(day);
                assert!(backup::ensure_daily(c, &backups, at)?.is_some());
                let later = at + chrono::Duration::hours(3);
                assert!(backup::ensure_daily(c, &backups, later)?.is_none());
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let list = store.list_backups().unwrap();
    let daily: Vec<_> = list
        .iter()
        .filter(|b| b.kind == BackupKind::Daily)
        .collect();
    assert_eq!(daily.len(), backup::DAILY_KEPT);
    let newest = time::format(start + chrono::Duration::days(9));
    assert_eq!(daily[0].created_at, newest, "newest first");
    assert!(
        list.iter().any(|b| b.id == manual),
        "a manual backup is kept"
    );
    // Every backup opens on its own (no -wal beside it) and passes verification.
    for b in &list {
        backup::verify(&backups.join(&b.id)).unwrap();
        assert!(!backups.join(format!("{}-wal", b.id)).exists());
    }
}

#[cfg(unix)]
#[test]
fn the_data_folder_database_and_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db, backup_id) = folder_with_backup();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let _store = Store::open(&db).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(dir.path()), 0o700);
    assert_eq!(mode(&db), 0o600);
    for companion in ["-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{companion}", db.display()));
        assert_eq!(mode(&path), 0o600, "{companion}");
    }
    assert_eq!(mode(&dir.path().join("backups")), 0o700);
    assert_eq!(mode(&dir.path().join("backups").join(backup_id)), 0o600);
    assert_eq!(mode(&dir.path().join("agencydesk.lock")), 0o600);
}

#[test]
fn a_writer_holding_the_database_past_the_busy_timeout_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(Store::FILE_NAME);
    let store = Store::open(&db).unwrap();
    {
        let _writer = Held::start("write", dir.path());
        let err = store
            .write(|tx| clients::upsert(tx, &org("o1")))
            .unwrap_err();
        assert!(matches!(err, StoreError::Busy(_)), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("held by another program"), "{message}");
        assert!(
            message.contains("Nothing of this change was saved"),
            "{message}"
        );
    }
    assert!(org_ids(&store).is_empty(), "nothing half-written");
    store.write(|tx| clients::upsert(tx, &org("o1"))).unwrap();
    assert_eq!(org_ids(&store), ["o1"]);
}

/// Runs the helper inside a read-only view of `dir`: a read-only bind mount in a mount
/// namespace of its own when root (root ignores permission bits), else permission bits.
fn try_write_read_only(dir: &Path) -> String {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let exe = std::env::current_exe().unwrap();
    let mut command = if is_root {
        let mut c = Command::new("unshare");
        c.args(["-m", "sh", "-c"])
            .arg("mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" \"$0\" && shift && exec \"$@\"")
            .arg(dir)
            .arg("--")
            .arg(&exe);
        c
    } else {
        set_read_only(dir, true);
        Command::new(&exe)
    };
    let out = command
        .args([
            "hold",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(HOLD_ENV, "try-write")
        .env(HOLD_DIR_ENV, dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    if !is_root {
        set_read_only(dir, false);
    }
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    stdout
        .lines()
        .find_map(|l| l.split_once("outcome: ").map(|(_, rest)| rest.to_owned()))
        .unwrap_or_else(|| {
            panic!(
                "the helper reported nothing:\n{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
}

#[cfg(unix)]
fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    let (dir_mode, file_mode) = if read_only {
        (0o500, 0o400)
    } else {
        (0o700, 0o600)
    };
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(file_mode))
                .unwrap();
        }
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_read_only_data_folder_gives_a_clear_error_and_the_next_run_recovers() {
    let (dir, db, _) = folder_with_backup();
    let before = std::fs::read(&db).unwrap();
    let outcome = try_write_read_only(dir.path());
    assert!(outcome.starts_with("error: "), "{outcome}");
    assert!(outcome.contains("can be written to"), "{outcome}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing written");
    // Writable again: the next run works.
    let store = Store::open(&db).unwrap();
    store.write(|tx| clients::upsert(tx, &org("o2"))).unwrap();
    assert_eq!(org_ids(&store), ["o1", "o2"]);
}

/// Calls per day in the rollup equal the calls stored: no page was half-written.
fn assert_rollup_consistent(store: &Store) {
    let (rows, rolled): (i64, i64) = store
        .read(|c| {
            Ok::<_, StoreError>((
                c.query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))?,
                c.query_row("SELECT COALESCE(SUM(calls), 0) FROM calls_daily", [], |r| {
                    r.get(0)
                })?,
            ))
        })
        .unwrap();
    assert_eq!(rows, rolled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_the_sync_cleanly_and_the_next_sync_recovers() {
    let w = sync_support::world(2, 30, 40).await;
    // A database that may grow by a few pages only, as on a disk with almost no room left.
    w.store
        .read(|c| {
            let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            c.pragma_update(None, "max_page_count", pages + 4)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let (report, _) = w.sync(&sync_support::options(100)).await;
    assert!(!report.all_done(), "{report:#?}");
    let failed: Vec<_> = report.failed().collect();
    assert!(!failed.is_empty());
    for org in failed {
        let message = &org.error.as_ref().unwrap().message;
        assert!(
            message.contains("disk holding agencydesk's data is full"),
            "{message}"
        );
    }
    assert_rollup_consistent(&w.store);

    // Room again (a new connection has no page limit): the next sync completes exactly.
    let reopened = Arc::new(Store::open(&w.dir.path().join(Store::FILE_NAME)).unwrap());
    let (report, _) = w
        .sync_store(
            &reopened,
            &sync_support::options(100),
            Default::default(),
            |_, _| {},
        )
        .await;
    assert!(report.all_done(), "{report:#?}");
    for org in w.org_ids() {
        w.assert_store_equals_sim(&reopened, &org);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_another_process_syncs_is_refused_and_not_synced_twice() {
    let w = sync_support::world(2, 20, 20).await;
    let busy = w.manifest.orgs[0].clone();
    {
        let _other = Held::start(&format!("sync:{}", busy.id), w.dir.path());
        let (report, _) = w.sync(&sync_support::options(100)).await;
        let summary = report.orgs.iter().find(|o| o.org_id == busy.id).unwrap();
        assert_eq!(summary.outcome, SyncOutcome::Failed);
        let error = summary.error.as_ref().unwrap();
        assert_eq!(error.code, Code::Conflict);
        assert!(
            error.message.contains(&format!("is syncing {}", busy.name)),
            "{}",
            error.message
        );
        assert_eq!(summary.pages, 0, "nothing fetched for the busy org");
        assert!(sync_support::cached_in(&w.store, &busy.id).is_empty());
        // Its sync state is the other process's business: no error recorded over it.
        let recorded: Option<String> = w
            .store
            .read(|c| {
                Ok::<_, StoreError>(
                    agencydesk_core::store::sync_state::get(c, &busy.id)?
                        .and_then(|s| s.last_error),
                )
            })
            .unwrap();
        assert_eq!(recorded, None);
        let other = &w.manifest.orgs[1].id;
        w.assert_store_equals_sim(&w.store, other);
    }
    let (report, _) = w.sync(&sync_support::options(100)).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_store_equals_sim(&w.store, &busy.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_the_call_cache_keeps_plans_invoices_and_numbering() {
    let fixture = billing_fixture::fixture();
    let store = Arc::new(fixture.store);
    let october = Period::month(2026, 10).unwrap();
    let first = issue_or_reuse(
        &store,
        billing_fixture::ACME,
        october,
        false,
        true,
        billing_fixture::now(),
    )
    .unwrap();
    let counts = |store: &Store| -> [i64; 6] {
        store
            .read(|c| {
                let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0));
                Ok::<_, StoreError>([
                    n("SELECT COUNT(*) FROM calls")?,
                    n("SELECT COUNT(*) FROM calls_daily")?,
                    n("SELECT COUNT(*) FROM pricing_plans")?,
                    n("SELECT COUNT(*) FROM invoices")?,
                    n("SELECT last_number FROM invoice_counter")?,
                    n("SELECT COUNT(*) FROM client_orgs")?,
                ])
            })
            .unwrap()
    };
    let before = counts(&store);
    assert!(before[0] > 0 && before[2] > 0 && before[3] == 1);

    let agency = Agency::with_store(Arc::clone(&store), Arc::new(EphemeralKeychain::new()));
    let done = agency.rebuild_call_cache().await.unwrap();
    assert_eq!(done.calls_removed, u64::try_from(before[0]).unwrap());
    let after = counts(&store);
    assert_eq!(after[..2], [0, 0], "calls and their rollup are gone");
    assert_eq!(
        after[2..],
        before[2..],
        "plans, invoices, numbering and orgs stay"
    );

    // The issued invoice reads back as issued; the next number follows it.
    let again = issue_or_reuse(
        &store,
        billing_fixture::ACME,
        october,
        false,
        true,
        billing_fixture::now(),
    )
    .unwrap();
    assert!(again.reused);
    assert_eq!(again.invoice.number, first.invoice.number);
    let next = issue_or_reuse(
        &store,
        billing_fixture::BOLT,
        october,
        false,
        true,
        billing_fixture::now(),
    )
    .unwrap();
    assert_eq!(next.invoice.number.as_deref(), Some("INV-000002"));

    // Refused while another process syncs an org.
    let _other = Held::start(
        &format!("sync:{}", billing_fixture::ACME),
        fixture.dir.path(),
    );
    let err = agency.rebuild_call_cache().await.unwrap_err();
    assert!(
        matches!(err, CoreError::Store(StoreError::Lock(_))),
        "{err:?}"
    );
    assert_eq!(err.code(), Code::Conflict);
}

#[test]
fn invoices_are_numbered_one_issuer_at_a_time() {
    let fixture = billing_fixture::fixture();
    let october = Period::month(2026, 10).unwrap();
    let issue = || {
        issue_or_reuse(
            &fixture.store,
            billing_fixture::ACME,
            october,
            false,
            true,
            billing_fixture::now(),
        )
    };
    {
        let _other = Held::start("invoices", fixture.dir.path());
        let err = issue().unwrap_err();
        assert!(err.to_string().contains("issuing an invoice"), "{err}");
        let issued: i64 = fixture
            .store
            .read(|c| {
                Ok::<_, StoreError>(c.query_row("SELECT COUNT(*) FROM invoices", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(issued, 0, "no number drawn while another process issues");
    }
    let issued = issue().unwrap();
    assert_eq!(issued.invoice.number.as_deref(), Some("INV-000001"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_taken_while_a_sync_writes_are_each_one_consistent_state() {
    let w = sync_support::world(3, 40, 40).await;
    let store = Arc::clone(&w.store);
    let backups = w.dir.path().join("backups");
    let options = sync_support::options(100);
    let sync = w.sync(&options);
    let taking = tokio::task::spawn_blocking(move || {
        let mut made = Vec::new();
        // Until the sync has stored everything (the last backups see the whole cache).
        for _ in 0..8 {
            made.push(store.create_backup(BackupKind::Manual).unwrap());
        }
        made
    });
    let ((report, _), made) = tokio::join!(sync, taking);
    assert!(report.all_done(), "{report:#?}");
    for b in made.unwrap() {
        let path = backups.join(&b.id);
        backup::verify(&path).unwrap();
        let copy =
            Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let (rows, rolled): (i64, i64) = copy
            .query_row(
                "SELECT (SELECT COUNT(*) FROM calls), (SELECT COALESCE(SUM(calls), 0) FROM calls_daily)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(rows, rolled, "{}", b.id);
    }
}
