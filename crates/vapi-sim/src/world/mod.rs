//! The simulated Vapi state: accounts' orgs with their keys, assistants,
//! phone numbers and calls, and the indexes that make lookups cheap.

pub mod assistant;
pub mod call;
pub mod org;
pub mod subscription;
pub mod token;

use std::collections::HashMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::ids::uuid_from;
use crate::time::Millis;
use assistant::Assistant;
use call::CallRecord;
use org::Org;
use token::Token;

pub struct World {
    pub orgs: Vec<Org>,
    /// Key value -> (org id, token id).
    keys: HashMap<String, (Uuid, Uuid)>,
    /// Call id -> (org id, createdAt), to find a call by binary search.
    call_index: HashMap<Uuid, (Uuid, Millis)>,
    /// Ids and keys made at run time come from here, so a replayed sequence
    /// of requests yields the same ids.
    pub rng: ChaCha8Rng,
    next_account: u32,
    /// The accounts' `callRetentionDays` (`None` = calls are kept).
    pub retention_days: Option<u32>,
}

impl World {
    pub fn new(seed: u64) -> Self {
        Self {
            orgs: Vec::new(),
            keys: HashMap::new(),
            call_index: HashMap::new(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_0fa1_11d5),
            next_account: 1,
            retention_days: None,
        }
    }

    pub fn new_id(&mut self) -> Uuid {
        uuid_from(&mut self.rng)
    }

    /// Vapi keys are UUID strings.
    pub fn new_key_value(&mut self) -> String {
        self.new_id().to_string()
    }

    pub fn new_account(&mut self) -> u32 {
        let a = self.next_account;
        self.next_account += 1;
        a
    }

    pub fn org(&self, id: Uuid) -> Option<&Org> {
        self.orgs.iter().find(|o| o.id == id)
    }

    pub fn org_mut(&mut self, id: Uuid) -> Option<&mut Org> {
        self.orgs.iter_mut().find(|o| o.id == id)
    }

    pub fn org_by_str(&self, id: &str) -> Option<&Org> {
        Uuid::try_parse(id).ok().and_then(|id| self.org(id))
    }

    pub fn account_orgs(&self, account: u32) -> impl Iterator<Item = &Org> {
        self.orgs.iter().filter(move |o| o.account == account)
    }

    /// Adds an org with everything it holds, indexing its keys and calls.
    pub fn add_org(&mut self, mut org: Org) {
        for t in &org.tokens {
            self.keys.insert(t.value.clone(), (org.id, t.id));
        }
        org.calls.sort_unstable_by_key(CallRecord::key);
        for c in &org.calls {
            self.call_index.insert(c.id, (org.id, c.created_ms));
        }
        self.orgs.push(org);
    }

    pub fn remove_org(&mut self, id: Uuid) -> Option<Org> {
        let pos = self.orgs.iter().position(|o| o.id == id)?;
        let org = self.orgs.remove(pos);
        for t in &org.tokens {
            self.keys.remove(&t.value);
        }
        for c in &org.calls {
            self.call_index.remove(&c.id);
        }
        Some(org)
    }

    pub fn add_token(&mut self, token: Token) -> bool {
        let Some(org) = self.orgs.iter_mut().find(|o| o.id == token.org_id) else {
            return false;
        };
        self.keys
            .insert(token.value.clone(), (token.org_id, token.id));
        org.tokens.push(token);
        true
    }

    pub fn remove_token(&mut self, org_id: Uuid, token_id: Uuid) -> Option<Token> {
        let org = self.org_mut(org_id)?;
        let pos = org.tokens.iter().position(|t| t.id == token_id)?;
        let token = org.tokens.remove(pos);
        self.keys.remove(&token.value);
        Some(token)
    }

    /// The org and token a key value belongs to.
    pub fn lookup_key(&self, value: &str) -> Option<(&Org, &Token)> {
        let (org_id, token_id) = self.keys.get(value)?;
        let org = self.org(*org_id)?;
        let token = org.token(*token_id)?;
        Some((org, token))
    }

    pub fn add_assistant(&mut self, assistant: Assistant) -> bool {
        match self.org_mut(assistant.org_id) {
            Some(org) => {
                org.assistants.push(assistant);
                true
            }
            None => false,
        }
    }

    /// Inserts calls keeping the org's list sorted by `(createdAt, id)`.
    pub fn insert_calls(&mut self, org_id: Uuid, calls: Vec<CallRecord>) -> bool {
        let Some(org) = self.orgs.iter_mut().find(|o| o.id == org_id) else {
            return false;
        };
        let appends_in_order = calls.windows(2).all(|w| w[0].key() <= w[1].key())
            && match (org.calls.last(), calls.first()) {
                (Some(last), Some(first)) => last.key() <= first.key(),
                _ => true,
            };
        for c in &calls {
            self.call_index.insert(c.id, (org_id, c.created_ms));
        }
        org.calls.extend(calls);
        if !appends_in_order {
            org.calls.sort_unstable_by_key(CallRecord::key);
        }
        true
    }

    fn call_position(&self, org_id: Uuid, id: Uuid) -> Option<(usize, usize)> {
        let (owner, created) = self.call_index.get(&id)?;
        if *owner != org_id {
            return None;
        }
        let org_pos = self.orgs.iter().position(|o| o.id == org_id)?;
        let calls = &self.orgs[org_pos].calls;
        let pos = calls
            .binary_search_by_key(&(*created, id), CallRecord::key)
            .ok()?;
        Some((org_pos, pos))
    }

    /// Calls created before this instant are past retention: Vapi no longer lists or serves them.
    pub fn retention_cutoff(&self, now_ms: Millis) -> Option<Millis> {
        self.retention_days
            .map(|d| now_ms.saturating_sub(Millis::from(d).saturating_mul(86_400_000)))
    }

    /// [`Self::find_call`] unless the call is past retention.
    pub fn find_kept_call(
        &self,
        org_id: Uuid,
        id: Uuid,
        now_ms: Millis,
    ) -> Option<(&Org, &CallRecord)> {
        let cutoff = self.retention_cutoff(now_ms);
        self.find_call(org_id, id)
            .filter(|(_, c)| cutoff.is_none_or(|t| c.created_ms >= t))
    }

    pub fn find_call(&self, org_id: Uuid, id: Uuid) -> Option<(&Org, &CallRecord)> {
        let (o, c) = self.call_position(org_id, id)?;
        let org = &self.orgs[o];
        Some((org, &org.calls[c]))
    }

    pub fn remove_call(&mut self, org_id: Uuid, id: Uuid) -> Option<CallRecord> {
        let (o, c) = self.call_position(org_id, id)?;
        self.call_index.remove(&id);
        Some(self.orgs[o].calls.remove(c))
    }

    pub fn total_calls(&self) -> usize {
        self.orgs.iter().map(|o| o.calls.len()).sum()
    }
}
