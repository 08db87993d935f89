//! A client's pricing plan as the plan editor reads and saves it, and the demo's sample plans.

use std::sync::Arc;

use crate::agency::Agency;
use crate::billing::plan::PricingPlan;
use crate::billing::plan_edits::{blank_form, PlanEdits};
use crate::billing::plan_form::{PlanForm, PlanState};
use crate::billing::plan_store::{load_plan, save_plan};
use crate::billing::sample_plans::seed_sample_plans;
use crate::billing::BillingError;
use crate::blocking::blocking;
use crate::error::CoreError;

impl Agency {
    /// The client's plan for the editor; a suggested start (`saved: false`) when there is none.
    pub async fn pricing_plan(&self, client_id: &str) -> Result<PlanState, CoreError> {
        let store = Arc::clone(self.store());
        let client_id = client_id.to_owned();
        blocking(move || {
            let stored = store.read(|c| load_plan(c, &client_id))?;
            let saved = stored.is_some();
            let plan = match stored {
                Some(plan) => plan,
                // A new plan starts with the agency's usual payment terms.
                None => PricingPlan {
                    payment_terms_days: Agency::default_payment_terms(&store)?,
                    ..PricingPlan::default()
                },
            };
            Ok(PlanState {
                saved,
                form: PlanForm::from_plan(&plan),
            })
        })
        .await
    }

    /// Validates and stores the plan from the editor; a refused plan changes nothing and names
    /// every problem.
    pub async fn save_pricing_plan(
        &self,
        client_id: &str,
        form: PlanForm,
    ) -> Result<PlanState, CoreError> {
        let plan = form.parse().map_err(BillingError::InvalidPlan)?;
        let store = Arc::clone(self.store());
        let client_id = client_id.to_owned();
        blocking(move || {
            store.write(|tx| save_plan(tx, &client_id, &plan))?;
            Ok(PlanState {
                form: PlanForm::from_plan(&plan),
                saved: true,
            })
        })
        .await
    }

    /// Applies `edits` to the client's saved plan (or to an empty plan when none is saved) and
    /// stores the result after the editor's own checks; a refused plan changes nothing and names
    /// every problem.
    pub async fn edit_pricing_plan(
        &self,
        client_id: &str,
        edits: PlanEdits,
    ) -> Result<PlanState, CoreError> {
        let store = Arc::clone(self.store());
        let client_id = client_id.to_owned();
        blocking(move || {
            let plan = store.write(|tx| {
                let start = load_plan(tx, &client_id)?
                    .map(|p| PlanForm::from_plan(&p))
                    .unwrap_or_else(blank_form);
                let plan = edits
                    .apply(start)
                    .parse()
                    .map_err(BillingError::InvalidPlan)?;
                save_plan(tx, &client_id, &plan)?;
                Ok::<_, BillingError>(plan)
            })?;
            Ok(PlanState {
                form: PlanForm::from_plan(&plan),
                saved: true,
            })
        })
        .await
    }

    /// Gives every client org without a plan one of the sample plans, one per pricing style.
    /// Only the demo calls this, once, when it starts: real agencies never get a plan they did
    /// not save. Returns how many plans were saved.
    pub async fn seed_sample_plans(&self) -> Result<usize, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || Ok(store.write(|tx| seed_sample_plans(tx))?)).await
    }
}
