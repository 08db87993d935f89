//! The deterministic world generator: an agency's own org plus N client
//! orgs, each with keys, assistants, phone numbers and call history.

mod calls;

pub use calls::{runtime_calls, BURST_SIZE, UNSETTLED_WINDOW_MS};

use std::sync::Arc;

use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::config::SimConfig;
use crate::content::businesses::{business_name, domain, AGENCY};
use crate::content::personas::persona;
use crate::ids::uuid_from;
use crate::time::Millis;
use crate::world::assistant::Assistant;
use crate::world::org::Org;
use crate::world::token::{Restrictions, Tag, Token};
use crate::world::World;

pub const DAY_MS: Millis = 86_400_000;
pub const HOUR_MS: Millis = 3_600_000;

/// The seeded world and which org is the agency's own.
pub struct Seeded {
    pub world: World,
    pub agency_id: Uuid,
    pub account: u32,
}

struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    fn id(&mut self) -> Uuid {
        uuid_from(&mut self.rng)
    }

    fn token(
        &mut self,
        org_id: Uuid,
        tag: Tag,
        name: &str,
        restrictions: Option<Restrictions>,
        at: Millis,
    ) -> Token {
        Token {
            id: self.id(),
            org_id,
            tag,
            name: Some(name.to_owned()),
            value: self.id().to_string(),
            restrictions,
            created_ms: at,
            updated_ms: at,
        }
    }
}

/// A realistic assistant configuration for a persona.
pub fn assistant_fields(persona_index: u8, business: &str) -> Map<String, Value> {
    let p = persona(persona_index);
    let fields = json!({
        "name": p.name,
        "firstMessage": p.first_message.replace("{biz}", business),
        "model": {
            "provider": "openai",
            "model": "gpt-4o",
            "temperature": 0.4,
            "messages": [{"role": "system", "content": p.system_prompt.replace("{biz}", business)}]
        },
        "voice": {"provider": "11labs", "voiceId": "burt"},
        "transcriber": {"provider": "deepgram", "model": "nova-2", "language": "en"},
        "endCallPhrases": ["goodbye", "have a great day"],
        "maxDurationSeconds": 900,
    });
    match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn origins(domain: &str) -> Vec<String> {
    vec![format!("https://{domain}"), format!("https://www.{domain}")]
}

pub fn generate(cfg: &SimConfig, anchor: Millis) -> Seeded {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(cfg.seed),
    };
    let mut world = World::new(cfg.seed);
    world.retention_days = cfg.retention_days;
    let account = world.new_account();
    let history_start = anchor - Millis::from(cfg.days) * DAY_MS;

    // The agency's own org: its key creates client orgs and sees them all.
    let agency_id = g.id();
    let agency_created = history_start - 120 * DAY_MS;
    let mut agency = empty_org(agency_id, account, AGENCY, agency_created);
    agency.tokens.push(g.token(
        agency_id,
        Tag::Private,
        "Agency admin key",
        None,
        agency_created,
    ));
    let demo = Assistant {
        id: g.id(),
        org_id: agency_id,
        created_ms: agency_created + HOUR_MS,
        updated_ms: agency_created + HOUR_MS,
        fields: assistant_fields(0, AGENCY),
        persona: 0,
    };
    agency.assistants.push(demo);
    world.add_org(agency);

    for i in 0..cfg.orgs {
        let org = client_org(&mut g, i, account, history_start, cfg, anchor);
        world.add_org(org);
    }
    Seeded {
        world,
        agency_id,
        account,
    }
}

fn empty_org(id: Uuid, account: u32, name: &str, created: Millis) -> Org {
    Org {
        id,
        account,
        name: Some(name.to_owned()),
        created_ms: created,
        updated_ms: created,
        settings: Map::new(),
        business: Arc::from(name),
        tokens: Vec::new(),
        assistants: Vec::new(),
        phone_numbers: Vec::new(),
        calls: Vec::new(),
    }
}

fn client_org(
    g: &mut Gen,
    i: usize,
    account: u32,
    history_start: Millis,
    cfg: &SimConfig,
    anchor: Millis,
) -> Org {
    let name = business_name(i);
    let dom = domain(&name);
    let id = g.id();
    let created = history_start - g.rng.random_range(10..90) * DAY_MS;
    let mut org = empty_org(id, account, &name, created);
    let billing = [50, 100, 250, 500][g.rng.random_range(0..4)];
    org.settings
        .insert("billingLimit".into(), Value::from(billing));

    org.tokens
        .push(g.token(id, Tag::Private, "Default private key", None, created));
    if i % 5 == 3 {
        let t = g.token(id, Tag::Private, "CI deploy key", None, created + DAY_MS);
        org.tokens.push(t);
    }

    for _ in 0..g.rng.random_range(1..=2) {
        let p = g.id();
        org.phone_numbers.push(p);
    }

    // 1-4 assistants with distinct scripts (not the generic one).
    let mut personas: Vec<u8> = (0..6).collect();
    personas.shuffle(&mut g.rng);
    let n = g.rng.random_range(1..=4);
    for (k, p) in personas.into_iter().take(n).enumerate() {
        let at = created + HOUR_MS * (k as Millis + 1);
        org.assistants.push(Assistant {
            id: g.id(),
            org_id: id,
            created_ms: at,
            updated_ms: at + g.rng.random_range(0..30) * DAY_MS,
            fields: assistant_fields(p, &name),
            persona: p,
        });
    }
    let inbound: Vec<String> = org
        .assistants
        .iter()
        .filter(|a| !persona(a.persona).outbound)
        .map(|a| a.id.to_string())
        .collect();
    let first = org.assistants.first().map(|a| a.id.to_string());
    let widget_ids: Vec<String> = inbound.first().cloned().or(first).into_iter().collect();

    let key_at = created + 2 * DAY_MS;
    let widget = Restrictions {
        enabled: Some(true),
        allowed_origins: Some(origins(&dom)),
        allowed_assistant_ids: Some(widget_ids),
        allow_transient_assistant: Some(false),
    };
    org.tokens
        .push(g.token(id, Tag::Public, "Website widget", Some(widget), key_at));
    if inbound.len() > 1 && g.rng.random_bool(0.5) {
        let booking = Restrictions {
            enabled: Some(true),
            allowed_origins: Some(vec![format!("https://book.{dom}")]),
            allowed_assistant_ids: Some(inbound[1..].to_vec()),
            allow_transient_assistant: Some(false),
        };
        org.tokens.push(g.token(
            id,
            Tag::Public,
            "Booking page widget",
            Some(booking),
            key_at + DAY_MS,
        ));
    }
    // Deliberately unsafe keys, so audits have findings.
    if i % 3 == 1 {
        org.tokens.push(g.token(
            id,
            Tag::Public,
            "Legacy widget (unrestricted)",
            None,
            key_at - DAY_MS,
        ));
    }
    if i % 4 == 2 {
        let disabled = Restrictions {
            enabled: Some(false),
            allowed_origins: Some(vec![format!("https://old.{dom}")]),
            allowed_assistant_ids: None,
            allow_transient_assistant: None,
        };
        org.tokens.push(g.token(
            id,
            Tag::Public,
            "Old landing page (disabled)",
            Some(disabled),
            key_at - 2 * DAY_MS,
        ));
    }

    let call_seed = g.rng.next_u64();
    org.calls = calls::generate(&org, call_seed, i, cfg, anchor);
    org
}
