//! The fixed dataset behind the billing and chart tests, in a real SQLite file.
//!
//! Every amount below was chosen so a rule or a rounding edge shows; the expected figures in the
//! tests are worked out by hand from these rows (see the comments there).
#![allow(dead_code)] // each test crate uses a different part of the fixture

use agencydesk_core::billing::{self, IncludedMinutes, MinuteRounding, PricingPlan, TaxRule};
use agencydesk_core::store::assistants::{self, AssistantRow};
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use rust_decimal_macros::dec;
use tempfile::TempDir;

pub const ACME: &str = "org-acme";
pub const BOLT: &str = "org-bolt";
pub const COVE: &str = "org-cove";
pub const EVIL: &str = "org-evil";
pub const DORMANT: &str = "org-dormant";
pub const NO_PLAN: &str = "org-noplan";
pub const AGENCY: &str = "org-agency";

/// A client name built to break naive CSV writers and spreadsheets.
pub const EVIL_NAME: &str =
    "=HYPERLINK(\"http://x.test\",\"pay\"), \"Quoted\" Co\nLine two — Zoë 🚀";

/// Hostile assistant names (each becomes the start of a line description).
pub const EVIL_ASSISTANTS: [(&str, &str); 7] = [
    ("ast-evil-1", "=cmd|' /C calc'!A0"),
    ("ast-evil-2", "+SUM(1,2)"),
    ("ast-evil-3", "@import"),
    ("ast-evil-4", "-10"),
    ("ast-evil-5", "\tTabbed"),
    ("ast-evil-6", "Quote \"me\", please\nsecond line"),
    ("ast-evil-7", "客服 Zoë, \"ünïcödé\""),
];

/// "Now" for the audit: mid-November, so October is settled and November is not.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-15T12:00:00.000Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub struct Fixture {
    pub dir: TempDir,
    pub store: Store,
}

/// A call row; unset fields are NULL.
#[derive(Default, Clone)]
pub struct Call {
    pub id: &'static str,
    pub org: &'static str,
    pub assistant: Option<&'static str>,
    pub call_type: Option<&'static str>,
    pub status: Option<&'static str>,
    pub created_at: &'static str,
    pub updated_at: Option<&'static str>,
    pub started_at: Option<&'static str>,
    pub ended_at: Option<&'static str>,
    pub duration_seconds: Option<f64>,
    pub minutes: Option<f64>,
    pub cost_micros: Option<i64>,
    /// transport, stt, llm, tts, vapi, chat
    pub components: Option<[i64; 6]>,
}

/// A stored time text as the milliseconds `calls` keeps.
pub fn ms(text: &str) -> i64 {
    agencydesk_core::store::time::parse(text)
        .map(agencydesk_core::store::time::to_ms)
        .unwrap_or_else(|| panic!("{text:?} is not a time"))
}

pub fn insert_call(store: &Store, c: &Call) {
    let comps = c.components.map(|a| a.map(Some)).unwrap_or([None; 6]);
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO calls (id, org_id, assistant_id, type, status,
                     ended_reason, created_ms, updated_ms, started_ms, ended_ms, duration_seconds,
                     cost_micros, transport_micros, stt_micros, llm_micros, tts_micros,
                     vapi_micros, chat_micros, minutes, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                     ?14, ?15, ?16, ?17, ?18, X'7B7D')",
                rusqlite::params![
                    c.id,
                    c.org,
                    c.assistant,
                    c.call_type,
                    c.status,
                    ms(c.created_at),
                    ms(c.updated_at.unwrap_or(c.created_at)),
                    c.started_at.map(ms),
                    c.ended_at.map(ms),
                    c.duration_seconds,
                    c.cost_micros,
                    comps[0],
                    comps[1],
                    comps[2],
                    comps[3],
                    comps[4],
                    comps[5],
                    c.minutes,
                ],
            )
            .map_err(StoreError::from)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

/// An ended, settled call from `start` to `end`, with `duration_seconds` derived from them as
/// the sync does.
pub fn ended(
    id: &'static str,
    org: &'static str,
    assistant: Option<&'static str>,
    start: &'static str,
    end: &'static str,
    cost_micros: i64,
) -> Call {
    Call {
        id,
        org,
        assistant,
        call_type: Some("inboundPhoneCall"),
        status: Some("ended"),
        created_at: start,
        updated_at: Some(end),
        started_at: Some(start),
        ended_at: Some(end),
        duration_seconds: Some(millis_between(start, end) as f64 / 1000.0),
        cost_micros: Some(cost_micros),
        ..Call::default()
    }
}

fn millis_between(start: &str, end: &str) -> i64 {
    let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
    (t(end) - t(start)).num_milliseconds()
}

fn org(id: &str, name: &str, kind: OrgKind) -> ClientOrgRow {
    ClientOrgRow {
        id: id.to_owned(),
        name: name.to_owned(),
        base_url: "http://127.0.0.1:9".to_owned(),
        key_fingerprint: None,
        kind,
        status: OrgStatus::PendingKey,
        linked_at: None,
        updated_at: "2026-10-01T00:00:00.000Z".to_owned(),
    }
}

fn assistant(id: &str, org_id: &str, name: &str) -> AssistantRow {
    AssistantRow {
        id: id.to_owned(),
        org_id: org_id.to_owned(),
        name: Some(name.to_owned()),
        created_at: "2026-09-01T00:00:00.000Z".to_owned(),
        updated_at: "2026-09-01T00:00:00.000Z".to_owned(),
        raw: "{}".to_owned(),
    }
}

/// The plans of the fixture's clients.
pub fn acme_plan() -> PricingPlan {
    PricingPlan {
        markup_percent: Some(dec!(25)),
        tax: Some(TaxRule {
            code: "TAX".into(),
            rate_percent: dec!(8.25),
        }),
        ..PricingPlan::default()
    }
}

pub fn bolt_plan() -> PricingPlan {
    PricingPlan {
        markup_percent: None,
        per_minute_rate: Some(dec!(0.125)),
        minute_rounding: MinuteRounding::UpTo60Seconds,
        monthly_fee: Some(dec!(49.00)),
        payment_terms_days: 15,
        ..PricingPlan::default()
    }
}

pub fn cove_plan() -> PricingPlan {
    PricingPlan {
        currency: "EUR".into(),
        usd_exchange_rate: Some(dec!(0.92)),
        markup_percent: None,
        minute_rounding: MinuteRounding::UpTo6Seconds,
        monthly_fee: Some(dec!(99)),
        included_minutes: Some(IncludedMinutes {
            minutes: 10,
            overage_rate: dec!(0.12),
        }),
        tax: Some(TaxRule {
            code: "20% (VAT on Income)".into(),
            rate_percent: dec!(20),
        }),
        ..PricingPlan::default()
    }
}

pub fn evil_plan() -> PricingPlan {
    PricingPlan {
        markup_percent: Some(dec!(0)),
        ..PricingPlan::default()
    }
}

pub fn dormant_plan() -> PricingPlan {
    PricingPlan {
        markup_percent: None,
        monthly_fee: Some(dec!(25)),
        ..PricingPlan::default()
    }
}

/// Builds the whole dataset in `<tempdir>/agencydesk.sqlite`.
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join(Store::FILE_NAME)).unwrap();
    store
        .write(|tx| {
            clients::upsert(tx, &org(AGENCY, "Our Agency", OrgKind::Agency))?;
            clients::upsert(tx, &org(ACME, "Acme Dental", OrgKind::Client))?;
            clients::upsert(tx, &org(BOLT, "Bolt Plumbing", OrgKind::Client))?;
            clients::upsert(tx, &org(COVE, "Cove Realty", OrgKind::Client))?;
            clients::upsert(tx, &org(EVIL, EVIL_NAME, OrgKind::Client))?;
            clients::upsert(tx, &org(DORMANT, "Dormant LLC", OrgKind::Client))?;
            clients::upsert(tx, &org(NO_PLAN, "No Plan Inc", OrgKind::Client))?;
            assistants::replace_for_org(
                tx,
                ACME,
                &[
                    assistant("ast-acme-1", ACME, "Front Desk"),
                    assistant("ast-acme-2", ACME, "After Hours"),
                ],
            )?;
            assistants::replace_for_org(
                tx,
                BOLT,
                &[
                    assistant("ast-bolt-1", BOLT, "Dispatcher"),
                    assistant("ast-bolt-2", BOLT, "Quotes"),
                ],
            )?;
            assistants::replace_for_org(tx, COVE, &[assistant("ast-cove-1", COVE, "Leasing")])?;
            let evil: Vec<AssistantRow> = EVIL_ASSISTANTS
                .iter()
                .map(|(id, name)| assistant(id, EVIL, name))
                .collect();
            assistants::replace_for_org(tx, EVIL, &evil)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
        .read(|conn| {
            billing::save_plan(conn, ACME, &acme_plan())?;
            billing::save_plan(conn, BOLT, &bolt_plan())?;
            billing::save_plan(conn, COVE, &cove_plan())?;
            billing::save_plan(conn, EVIL, &evil_plan())?;
            billing::save_plan(conn, DORMANT, &dormant_plan())?;
            Ok::<_, billing::BillingError>(())
        })
        .unwrap();
    for call in calls() {
        insert_call(&store, &call);
    }
    Fixture { dir, store }
}

fn calls() -> Vec<Call> {
    let mut calls = vec![
        // Acme, October. Front Desk: 0.500000 + 0.304000 = 0.804 USD; x1.25 = 1.005 -> 1.01.
        Call {
            components: Some([100_000, 50_000, 200_000, 100_000, 50_000, 0]),
            ..ended(
                "acme-1",
                ACME,
                Some("ast-acme-1"),
                "2026-10-01T09:00:00.000Z",
                "2026-10-01T09:02:00.000Z",
                500_000,
            )
        },
        Call {
            components: Some([60_000, 40_000, 120_000, 60_000, 24_000, 0]),
            minutes: Some(1.0),
            ..ended(
                "acme-2",
                ACME,
                Some("ast-acme-1"),
                "2026-10-02T10:00:00.000Z",
                "2026-10-02T10:01:00.000Z",
                304_000,
            )
        },
        // Ended with a cost of 0: flagged "no cost".
        ended(
            "acme-3",
            ACME,
            Some("ast-acme-1"),
            "2026-10-03T10:00:00.000Z",
            "2026-10-03T10:00:30.000Z",
            0,
        ),
        // After Hours: 1.600000 USD x1.25 = 2.00; tax 8.25 % = 0.165 -> 0.17.
        // Vapi billed 3 minutes for a 60 s call: flagged "duration mismatch".
        Call {
            components: Some([300_000, 200_000, 600_000, 300_000, 200_000, 0]),
            minutes: Some(3.0),
            ..ended(
                "acme-4",
                ACME,
                Some("ast-acme-2"),
                "2026-10-31T23:59:00.000Z",
                "2026-10-31T23:59:59.999Z",
                1_600_000,
            )
        },
        // No assistant (transient): 0.123456 x1.25 = 0.15432 -> 0.15; tax 0.012375 -> 0.01.
        Call {
            call_type: Some("webCall"),
            ..ended(
                "acme-5",
                ACME,
                None,
                "2026-10-15T12:00:00.000Z",
                "2026-10-15T12:00:10.000Z",
                123_456,
            )
        },
        // Outside October on both sides, to the millisecond.
        ended(
            "acme-sep",
            ACME,
            Some("ast-acme-1"),
            "2026-09-30T23:59:59.999Z",
            "2026-10-01T00:01:00.000Z",
            9_000_000,
        ),
        ended(
            "acme-nov-1",
            ACME,
            Some("ast-acme-1"),
            "2026-11-01T00:00:00.000Z",
            "2026-11-01T00:01:00.000Z",
            200_000,
        ),
        // November, unsettled: still in progress, and ended ten minutes before "now".
        Call {
            id: "acme-nov-2",
            org: ACME,
            assistant: Some("ast-acme-2"),
            call_type: Some("inboundPhoneCall"),
            status: Some("in-progress"),
            created_at: "2026-11-15T11:58:00.000Z",
            started_at: Some("2026-11-15T11:58:01.000Z"),
            ..Call::default()
        },
        ended(
            "acme-nov-3",
            ACME,
            Some("ast-acme-2"),
            "2026-11-15T11:45:00.000Z",
            "2026-11-15T11:50:00.000Z",
            700_000,
        ),
        // Bolt, per minute at 0.125 rounded up to the minute. Dispatcher: 61 s -> 2 min,
        // 59.5 s -> 1 min, 0 s -> 0: 3 min x 0.125 = 0.375 -> 0.38.
        ended(
            "bolt-1",
            BOLT,
            Some("ast-bolt-1"),
            "2026-10-05T08:00:00.000Z",
            "2026-10-05T08:01:01.000Z",
            250_000,
        ),
        // Timestamps but no stored duration (written before the sync kept one): the duration
        // comes from the timestamps.
        Call {
            duration_seconds: None,
            ..ended(
                "bolt-2",
                BOLT,
                Some("ast-bolt-1"),
                "2026-10-05T09:00:00.000Z",
                "2026-10-05T09:00:59.500Z",
                240_000,
            )
        },
        ended(
            "bolt-3",
            BOLT,
            Some("ast-bolt-1"),
            "2026-10-06T09:00:00.000Z",
            "2026-10-06T09:00:00.000Z",
            10_000,
        ),
        // Quotes: a duration but no timestamps, 30.2 s -> 1 min -> 0.125 -> 0.13.
        Call {
            id: "bolt-4",
            org: BOLT,
            assistant: Some("ast-bolt-2"),
            call_type: Some("outboundPhoneCall"),
            status: Some("ended"),
            created_at: "2026-10-07T15:00:00.000Z",
            duration_seconds: Some(30.2),
            cost_micros: Some(150_000),
            ..Call::default()
        },
        // Cove: 421 s -> 426 s and 300.5 s -> 306 s in 6 s steps: 732 s = 12.2 min;
        // 10 included, 2.2 x 0.12 = 0.264 -> 0.26 EUR.
        ended(
            "cove-1",
            COVE,
            Some("ast-cove-1"),
            "2026-10-10T10:00:00.000Z",
            "2026-10-10T10:07:01.000Z",
            1_000_000,
        ),
        ended(
            "cove-2",
            COVE,
            Some("ast-cove-1"),
            "2026-10-20T10:00:00.000Z",
            "2026-10-20T10:05:00.500Z",
            750_000,
        ),
        // A client without a plan still has calls (charts must say they are left out).
        ended(
            "noplan-1",
            NO_PLAN,
            None,
            "2026-10-12T10:00:00.000Z",
            "2026-10-12T10:03:00.000Z",
            330_000,
        ),
        // The agency's own org: never part of "all clients".
        ended(
            "agency-1",
            AGENCY,
            None,
            "2026-10-12T11:00:00.000Z",
            "2026-10-12T11:03:00.000Z",
            5_000_000,
        ),
    ];
    // Evil: one call per hostile assistant, 0.10 USD each at pass-through (markup 0).
    let evil_ids = [
        "evil-1", "evil-2", "evil-3", "evil-4", "evil-5", "evil-6", "evil-7",
    ];
    for (i, (ast, _)) in EVIL_ASSISTANTS.iter().enumerate() {
        calls.push(ended(
            evil_ids[i],
            EVIL,
            Some(ast),
            "2026-10-09T10:00:00.000Z",
            "2026-10-09T10:01:00.000Z",
            100_000,
        ));
    }
    calls
}
