//! What an agent or an evaluator needs before it takes or oversees a task: registration with a
//! bond, a top-up to the free bond its record requires, or only a profile update; and the
//! messages that do it; and what the escrow pays when it settles a milestone in full. Shared by
//! the story, its paths and the benchmark.

use anyhow::{bail, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::bps::{Bps, BPS_DENOMINATOR};
use openledger_common::msg::agent_escrow::{self as escrow, AgentStatus};

use super::backend::{Backend, Call};

/// What an agent (or an evaluator) needs before it can take (or oversee) a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AgentPlan {
    /// Not registered, or its bond withdrawn: registers with this bond.
    Register {
        /// The bond it sends.
        bond: u128,
    },
    /// Registered, and its free bond lacks this much.
    TopUp {
        /// The top-up it sends.
        amount: u128,
    },
    /// Registered with enough free bond: only its profile is updated.
    Update,
}

impl AgentPlan {
    /// What the plan sends to the escrow (a bond or a top-up).
    pub(crate) fn bonded(self) -> u128 {
        match self {
            AgentPlan::Register { bond } => bond,
            AgentPlan::TopUp { amount } => amount,
            AgentPlan::Update => 0,
        }
    }
}

/// An agent's profile, as it registers or updates it.
pub(crate) struct AgentProfile {
    /// Display name.
    pub(crate) name: String,
    /// Metadata URI.
    pub(crate) metadata_uri: String,
    /// The models its work uses.
    pub(crate) models: Vec<u64>,
    /// Its capability tags.
    pub(crate) capabilities: Vec<String>,
}

/// An evaluator's profile, as it registers or updates it.
pub(crate) struct EvaluatorProfile {
    /// Display name.
    pub(crate) name: String,
    /// Metadata URI.
    pub(crate) metadata_uri: String,
    /// Its capability tags.
    pub(crate) capabilities: Vec<String>,
    /// Its fee per verdict.
    pub(crate) fee: u128,
}

/// `minimum × multiplier_bps / 10 000`, rounded up: the free bond an agent must hold to accept
/// a task whose minimum bond is `minimum` (as the escrow computes it at acceptance).
pub(crate) fn scaled_bond(minimum: u128, multiplier_bps: u32) -> Result<u128> {
    minimum
        .checked_mul(u128::from(multiplier_bps))
        .map(|n| n.div_ceil(u128::from(BPS_DENOMINATOR)))
        .context("required bond overflow")
}

/// The free bond `address` must hold to accept a task whose minimum bond is `minimum`: the
/// minimum scaled by the multiplier its record earned (fewer for completed tasks, more for
/// losses).
pub(crate) fn required_free_bond(b: &dyn Backend, address: &str, minimum: u128) -> Result<u128> {
    let rep: escrow::ReputationResponse = b.query_ctx(
        &b.contracts().escrow,
        &escrow::QueryMsg::Reputation {
            address: address.to_string(),
        },
        "reputation",
    )?;
    let multiplier = rep
        .agent
        .map_or(u32::from(BPS_DENOMINATOR), |a| a.bond_multiplier_bps);
    scaled_bond(minimum, multiplier)
}

/// Whether `e` is the escrow's answer for an address it does not know in that role.
fn not_registered(e: &anyhow::Error, role: &str) -> bool {
    format!("{e:#}").contains(&format!("not a registered {role}"))
}

/// What the agent `address` (named `key`) needs to accept a task whose minimum bond is
/// `minimum` (the escrow's configured minimum), holding at least `floor` free (a coordinator's
/// reservation must cover what it delegates).
pub(crate) fn agent_plan(
    b: &dyn Backend,
    key: &str,
    address: &str,
    (minimum, floor): (u128, u128),
) -> Result<AgentPlan> {
    let found: Option<escrow::AgentResponse> = match b.query(
        &b.contracts().escrow,
        &escrow::QueryMsg::Agent {
            address: address.to_string(),
        },
    ) {
        Ok(a) => Some(a),
        Err(e) if not_registered(&e, "agent") => None,
        Err(e) => return Err(e.context(format!("query the agent {key}"))),
    };
    let required = required_free_bond(b, address, minimum)?.max(floor);
    Ok(match found {
        None => AgentPlan::Register {
            bond: required.max(minimum),
        },
        Some(a) if a.status == AgentStatus::Withdrawn => AgentPlan::Register {
            bond: required.max(minimum),
        },
        Some(a) if matches!(a.status, AgentStatus::Unbonding { .. }) => {
            bail!("{key} is unbonding from the escrow and cannot take the story's tasks")
        }
        Some(a) if a.free.u128() < required => AgentPlan::TopUp {
            amount: required - a.free.u128(),
        },
        Some(_) => AgentPlan::Update,
    })
}

/// What the evaluator `address` (named `key`) needs to hold `target` of free bond.
pub(crate) fn evaluator_plan(
    b: &dyn Backend,
    key: &str,
    address: &str,
    target: u128,
) -> Result<AgentPlan> {
    let found: Option<escrow::EvaluatorResponse> = match b.query(
        &b.contracts().escrow,
        &escrow::QueryMsg::Evaluator {
            address: address.to_string(),
        },
    ) {
        Ok(e) => Some(e),
        Err(e) if not_registered(&e, "evaluator") => None,
        Err(e) => return Err(e.context(format!("query the evaluator {key}"))),
    };
    Ok(match found {
        None => AgentPlan::Register { bond: target },
        Some(e) if e.status == AgentStatus::Withdrawn => AgentPlan::Register { bond: target },
        Some(e) if matches!(e.status, AgentStatus::Unbonding { .. }) => {
            bail!("{key} is unbonding its evaluator bond and cannot oversee the story's tasks")
        }
        Some(e) if e.free.u128() < target => AgentPlan::TopUp {
            amount: target - e.free.u128(),
        },
        Some(_) => AgentPlan::Update,
    })
}

/// The messages that carry out `plan` for the agent `key`, in order: a registration with its
/// bond; or a top-up and a profile update; or a profile update.
pub(crate) fn agent_calls(
    b: &dyn Backend,
    key: &str,
    plan: AgentPlan,
    profile: &AgentProfile,
) -> Result<Vec<Call>> {
    let escrow_addr = b.contracts().escrow.clone();
    let update = escrow::ExecuteMsg::UpdateAgent {
        name: Some(profile.name.clone()),
        metadata_uri: Some(profile.metadata_uri.clone()),
        models: Some(profile.models.clone()),
        capabilities: Some(profile.capabilities.clone()),
    };
    let update: Call = (
        key.into(),
        escrow_addr.clone(),
        serde_json::to_value(update)?,
    );
    Ok(match plan {
        AgentPlan::Register { bond } => {
            let register = escrow::ReceiveMsg::RegisterAgent {
                name: profile.name.clone(),
                metadata_uri: profile.metadata_uri.clone(),
                models: profile.models.clone(),
                capabilities: Some(profile.capabilities.clone()),
            };
            vec![b.send_call(key, &escrow_addr, bond, &register)?]
        }
        AgentPlan::TopUp { amount } => {
            let top_up = escrow::ReceiveMsg::TopUpBond {};
            vec![b.send_call(key, &escrow_addr, amount, &top_up)?, update]
        }
        AgentPlan::Update => vec![update],
    })
}

/// The messages that carry out `plan` for the evaluator `key`, in order (as [`agent_calls`]).
pub(crate) fn evaluator_calls(
    b: &dyn Backend,
    key: &str,
    plan: AgentPlan,
    profile: &EvaluatorProfile,
) -> Result<Vec<Call>> {
    let escrow_addr = b.contracts().escrow.clone();
    let update = escrow::ExecuteMsg::UpdateEvaluator {
        name: Some(profile.name.clone()),
        metadata_uri: Some(profile.metadata_uri.clone()),
        capabilities: Some(profile.capabilities.clone()),
        fee: Some(Uint128::new(profile.fee)),
    };
    let update: Call = (
        key.into(),
        escrow_addr.clone(),
        serde_json::to_value(update)?,
    );
    Ok(match plan {
        AgentPlan::Register { bond } => {
            let register = escrow::ReceiveMsg::RegisterEvaluator {
                name: profile.name.clone(),
                metadata_uri: profile.metadata_uri.clone(),
                capabilities: profile.capabilities.clone(),
                fee: Uint128::new(profile.fee),
            };
            vec![b.send_call(key, &escrow_addr, bond, &register)?]
        }
        AgentPlan::TopUp { amount } => {
            let top_up = escrow::ReceiveMsg::TopUpEvaluatorBond {};
            vec![b.send_call(key, &escrow_addr, amount, &top_up)?, update]
        }
        AgentPlan::Update => vec![update],
    })
}

/// What the escrow pays when it settles a milestone of `amount` in full (an approval by the
/// client or the evaluator): the milestone already spent `model_fees` (paid at delivery),
/// `delegated` (net, to its sub-tasks) and `overseers` (the evaluator's and arbiter's fees it
/// paid); the protocol fee is `⌈(amount − delegated) × bps⌉` (sub-tasks pay their own), capped
/// at what the milestone still holds; the agent gets the rest. Returns (protocol fee, agent).
pub(crate) fn full_settlement(
    amount: u128,
    (model_fees, delegated, overseers): (u128, u128, u128),
    bps: Bps,
) -> Result<(u128, u128)> {
    let spent = model_fees
        .checked_add(delegated)
        .and_then(|s| s.checked_add(overseers))
        .context("costs overflow")?;
    let held = amount
        .checked_sub(spent)
        .context("the milestone spent more than its amount")?;
    let base = amount
        .checked_sub(delegated)
        .context("delegated too much")?;
    let fee = base
        .checked_mul(u128::from(bps))
        .context("protocol fee overflow")?
        .div_ceil(u128::from(BPS_DENOMINATOR))
        .min(held);
    let agent = held
        .checked_sub(fee)
        .context("protocol fee above the held amount")?;
    Ok((fee, agent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_settlement_charges_the_protocol_fee_on_what_was_not_delegated() {
        // A sub-task milestone: 4 000, a model fee of 1 000 and an evaluation fee of 200 paid;
        // 5 % of 4 000 = 200; the specialist gets 2 600.
        assert_eq!(
            full_settlement(4_000, (1_000, 0, 200), 500).unwrap(),
            (200, 2_600)
        );
        // The root milestone: 20 000 of which 8 200 stayed delegated: 5 % of 11 800 = 590.
        assert_eq!(
            full_settlement(20_000, (0, 8_200, 0), 500).unwrap(),
            (590, 11_210)
        );
        // Rounded up; capped at what the milestone holds.
        assert_eq!(full_settlement(101, (0, 0, 0), 500).unwrap(), (6, 95));
        assert_eq!(full_settlement(100, (97, 0, 0), 1_000).unwrap(), (3, 0));
        assert!(full_settlement(100, (60, 30, 20), 500).is_err());
    }

    #[test]
    fn the_required_bond_scales_with_the_record_and_rounds_up() {
        assert_eq!(scaled_bond(1_000, 10_000).unwrap(), 1_000);
        // One completed task and one loss: 10 000 − 250 + 2 500.
        assert_eq!(scaled_bond(1_000, 12_250).unwrap(), 1_225);
        assert_eq!(scaled_bond(3, 12_250).unwrap(), 4);
        assert_eq!(scaled_bond(1_000, 5_000).unwrap(), 500);
        assert_eq!(AgentPlan::TopUp { amount: 7 }.bonded(), 7);
        assert_eq!(AgentPlan::Update.bonded(), 0);
    }
}
