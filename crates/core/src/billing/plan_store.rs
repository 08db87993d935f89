//! Pricing plans in SQLite (`pricing_plans`, one JSON plan per client org).

use rusqlite::{Connection, OptionalExtension};

use super::error::BillingError;
use super::plan::PricingPlan;
use crate::store::{clients, time};

/// Saves (or replaces) the plan of a client after validating it.
pub fn save_plan(conn: &Connection, org_id: &str, plan: &PricingPlan) -> Result<(), BillingError> {
    plan.validate()?;
    match clients::get(conn, org_id)? {
        None => {
            return Err(BillingError::ClientNotFound {
                client_id: org_id.to_owned(),
            })
        }
        Some(org) if org.kind == clients::OrgKind::Agency => {
            return Err(BillingError::InvalidRequest(
                "the agency's own org is not a client: it has no pricing plan".into(),
            ))
        }
        Some(_) => {}
    }
    let json = serde_json::to_string(plan).map_err(|e| BillingError::StoredPlanUnreadable {
        client_id: org_id.to_owned(),
        reason: e.to_string(),
    })?;
    conn.execute(
        "INSERT INTO pricing_plans (org_id, plan, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (org_id) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at",
        (org_id, json, time::now()),
    )?;
    Ok(())
}

/// The client's plan, `None` if none was saved. A stored plan that no longer validates (edited by
/// hand, or written under older rules) is an error rather than silently billed.
pub fn load_plan(conn: &Connection, org_id: &str) -> Result<Option<PricingPlan>, BillingError> {
    let json: Option<String> = conn
        .query_row(
            "SELECT plan FROM pricing_plans WHERE org_id = ?1",
            [org_id],
            |row| row.get(0),
        )
        .optional()?;
    let Some(json) = json else {
        return Ok(None);
    };
    let unreadable = |reason: String| BillingError::StoredPlanUnreadable {
        client_id: org_id.to_owned(),
        reason,
    };
    let plan: PricingPlan = serde_json::from_str(&json).map_err(|e| unreadable(e.to_string()))?;
    plan.validate().map_err(|e| unreadable(e.to_string()))?;
    Ok(Some(plan))
}

/// The client's plan, or [`BillingError::NoPlan`].
pub fn require_plan(conn: &Connection, org_id: &str) -> Result<PricingPlan, BillingError> {
    load_plan(conn, org_id)?.ok_or_else(|| BillingError::NoPlan {
        client_id: org_id.to_owned(),
    })
}

/// Removes the client's plan; true if there was one.
pub fn delete_plan(conn: &Connection, org_id: &str) -> Result<bool, BillingError> {
    Ok(conn.execute("DELETE FROM pricing_plans WHERE org_id = ?1", [org_id])? > 0)
}
