//! Settlement of a milestone (approval, finalization, ruling): the split of what it holds into
//! model fees, protocol fee, agent and client, the payments, and the bookkeeping of the task,
//! the agent and the totals.

use cosmwasm_std::{to_json_binary, Addr, DepsMut, Response, SubMsg, Uint128};
use openledger_common::bps::{apply_bps, apply_bps_ceil, Bps, BPS_DENOMINATOR};
use openledger_common::handles::{ModelLicensingHandle, RewardPoolHandle, TokenHandle};
use openledger_common::msg::agent_escrow::{
    MilestoneStatus, ModelFeeStatus, TaskId, TaskStatus, MAX_INFERENCES,
};
use openledger_common::Checked;

use super::lifecycle::{close_task, return_funds};
use crate::error::ContractError;
use crate::state::{
    Agent, Config, Milestone, ModelFeePayload, Task, Totals, AGENTS, CONFIG, MILESTONES,
    REPLY_MODEL_FEE, TASKS, TOTALS,
};

/// How a milestone is settled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Approved by the client: the whole amount is settled for the agent.
    Approved,
    /// Approved by the task's evaluator: the whole amount is settled for the agent.
    Evaluated,
    /// Finalized after the review window: the whole amount is settled for the agent.
    Finalized,
    /// Ruled by the arbiter: this share (bps) is settled for the agent, the rest is returned.
    Resolved(Bps),
}

impl Outcome {
    /// The milestone's status after it, and the `action` of its event.
    fn status_and_action(self) -> (MilestoneStatus, &'static str) {
        match self {
            Outcome::Approved => (MilestoneStatus::Approved, "approve_milestone"),
            Outcome::Evaluated => (MilestoneStatus::Approved, "evaluate_milestone"),
            Outcome::Finalized => (MilestoneStatus::Finalized, "finalize"),
            Outcome::Resolved(_) => (MilestoneStatus::Resolved, "resolve"),
        }
    }

    /// Whether the whole amount is settled for the agent (approval, finalization).
    fn is_full(self) -> bool {
        matches!(
            self,
            Outcome::Approved | Outcome::Evaluated | Outcome::Finalized
        )
    }
}

/// What settling an amount for the agent pays.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settlement {
    /// What the settled amount covers that the milestone already spent or spends now: model
    /// fees (paid at submission, or now for a milestone submitted under 0.2.0), the net amount
    /// moved to sub-tasks, and the evaluator's and arbiter's fees.
    pub model_fees: Uint128,
    /// The protocol fee: `protocol_fee_bps` of the settled amount, rounded up.
    pub protocol_fee: Uint128,
    /// The rest, for the agent.
    pub agent: Uint128,
}

/// Splits `base` (the amount settled for the agent) into costs (`model_fees`: everything the
/// milestone spent), protocol fee (rounded up, in the protocol's favour, on `base` less what
/// sub-tasks received, which pay their own) and agent. `base` must cover the costs and its
/// protocol fee (`AgentShareBelowCosts`), except for a `full` settlement (approval,
/// evaluation, finalization), whose protocol fee is capped by what the costs leave so that it
/// can always be paid: the cap binds only on a milestone submitted under 0.2.0, checked then
/// against a fee rounded down.
pub fn settlement(
    protocol_fee_bps: Bps,
    (model_fees, delegated): (Uint128, Uint128),
    base: Uint128,
    full: bool,
) -> Result<Settlement, ContractError> {
    let mut protocol_fee = apply_bps_ceil(base.saturating_sub(delegated), protocol_fee_bps)?;
    if full {
        protocol_fee = protocol_fee.min(base.saturating_sub(model_fees));
    }
    let agent = base
        .checked_sub(model_fees)
        .and_then(|rest| rest.checked_sub(protocol_fee))
        .map_err(|_| ContractError::AgentShareBelowCosts {
            agent_share: base,
            model_fees,
            protocol_fee,
        })?;
    Ok(Settlement {
        model_fees,
        protocol_fee,
        agent,
    })
}

/// What a settlement pays, and the messages that pay it, in order.
struct Payout {
    /// The payments.
    msgs: Vec<SubMsg>,
    /// The model fees this transaction pays (0.2.0 submissions only).
    fees_sent: Uint128,
    /// The split of the amount settled for the agent.
    paid: Settlement,
    /// What of the held amount goes back to the client.
    client_part: Uint128,
    /// What is slashed from the agent's bond to the client.
    slash: Uint128,
}

/// A ruling of 0 slashes the bond reserved for this task (all that remains of it); a task
/// accepted under 0.2.0 reserved nothing and is slashed as then, but never beyond the bond no
/// other task relies on.
fn slash_for(outcome: Outcome, task: &Task, agent: &Agent) -> Result<Uint128, ContractError> {
    Ok(match outcome {
        Outcome::Resolved(0) => match task.ext.bond_reserved {
            Some(reserved) => reserved,
            None => apply_bps(agent.bond, task.slash_bps)?.min(agent.free_bond()?),
        },
        _ => Uint128::zero(),
    })
}

/// Sends the model fees a 0.2.0 submission recorded (to the model licensing that quoted
/// them), each replied to on error, and marks them paid. Returns the messages and their sum.
fn send_recorded_fees(
    token: &Addr,
    models: &Addr,
    (task_id, index): (TaskId, u32),
    ms: &mut Milestone,
) -> Result<(Vec<SubMsg>, Uint128), ContractError> {
    let models = ModelLicensingHandle(models.clone());
    let mut msgs = Vec::with_capacity(ms.inferences.len());
    let mut sent = Uint128::zero();
    for (item, inference) in ms.inferences.iter_mut().enumerate() {
        inference.status = ModelFeeStatus::Paid;
        let payload = ModelFeePayload {
            task_id,
            milestone: index,
            item: item as u32,
            amount: inference.fee,
        };
        let send = models.pay_inference(token, inference.fee, inference.payment.clone())?;
        msgs.push(
            SubMsg::reply_on_error(send, REPLY_MODEL_FEE).with_payload(to_json_binary(&payload)?),
        );
        sent = sent.checked_add(inference.fee)?;
    }
    Ok((msgs, sent))
}

/// Computes what settling milestone `index` (holding `held`) pays and builds the payments:
/// the 0.2.0 model fees, the protocol fee (to the reward pool's treasury), the agent's
/// remainder, and the client's part (plus the slash of a ruling of 0).
fn payout(
    config: &Config,
    (task_id, task): (TaskId, &Task),
    (index, ms): (u32, &mut Milestone),
    agent: &Agent,
    outcome: Outcome,
) -> Result<Payout, ContractError> {
    let fees_due = ms.fees_due_at_settlement();
    let held = ms.held()?;
    // Everything the settled amount must cover: what the milestone spent, plus the model fees
    // of a 0.2.0 submission, paid now.
    let costs = if fees_due {
        ms.spent()?.checked_add(ms.model_fees)?
    } else {
        ms.spent()?
    };
    let base = match outcome {
        Outcome::Resolved(share) => apply_bps(ms.amount, share)?,
        _ => ms.amount,
    };
    let nothing_for_agent = match outcome {
        Outcome::Resolved(0) => true,
        // 0.2.0 rule for its own submissions: a split that rounds to 0 waives the fees too.
        Outcome::Resolved(_) => fees_due && base.is_zero(),
        _ => false,
    };
    let slash = slash_for(outcome, task, agent)?;

    let mut msgs: Vec<SubMsg> = Vec::with_capacity(MAX_INFERENCES + 3);
    let mut fees_sent = Uint128::zero();
    let paid = if nothing_for_agent {
        ms.waive_recorded_fees();
        Settlement::default()
    } else {
        let paid = settlement(
            task.protocol_fee_bps,
            (costs, ms.delegated),
            base,
            outcome.is_full(),
        )?;
        if let (true, Some(models)) = (fees_due, ms.models_contract.clone()) {
            let (sends, sent) = send_recorded_fees(&config.token, &models, (task_id, index), ms)?;
            msgs.extend(sends);
            fees_sent = sent;
        }
        if !paid.protocol_fee.is_zero() {
            let pool = RewardPoolHandle(config.reward_pool.clone());
            msgs.push(SubMsg::new(
                pool.to_treasury(&config.token, paid.protocol_fee)?,
            ));
        }
        if !paid.agent.is_zero() {
            let token = TokenHandle(config.token.clone());
            msgs.push(SubMsg::new(token.transfer(&task.agent, paid.agent)?));
        }
        paid
    };
    // Whatever of the held amount is not paid out above goes back to the client: nothing on
    // an approval, `A − B` on a split, `A − F` on a ruling of 0 (`A` for a 0.2.0 submission).
    let client_part = held
        .checked_sub(fees_sent)?
        .checked_sub(paid.protocol_fee)?
        .checked_sub(paid.agent)?;
    // A root task's client gets its part and the slash in one transfer; a sub-task's part goes
    // back into its parent milestone (`settle_milestone`), the slash to its client.
    let to_client = if task.ext.parent.is_some() {
        slash
    } else {
        client_part.checked_add(slash)?
    };
    if !to_client.is_zero() {
        let token = TokenHandle(config.token.clone());
        msgs.push(SubMsg::new(token.transfer(&task.client, to_client)?));
    }
    Ok(Payout {
        msgs,
        fees_sent,
        paid,
        client_part,
        slash,
    })
}

/// Books a settlement that paid `p` out of `held` on the task, the agent and the totals, and
/// advances the task to its next milestone.
fn book(
    task: &mut Task,
    agent: &mut Agent,
    totals: &mut Totals,
    (held, p): (Uint128, &Payout),
    outcome: Outcome,
) -> Result<(), ContractError> {
    task.escrowed = task.escrowed.checked_sub(held)?;
    task.model_fees_paid = task.model_fees_paid.checked_add(p.fees_sent)?;
    task.protocol_fees = task.protocol_fees.checked_add(p.paid.protocol_fee)?;
    task.paid_to_agent = task.paid_to_agent.checked_add(p.paid.agent)?;
    task.refunded = task.refunded.checked_add(p.client_part)?;
    task.slashed = task.slashed.checked_add(p.slash)?;
    if let Some(reserved) = task.ext.bond_reserved {
        task.ext.bond_reserved = Some(reserved.checked_sub(p.slash)?);
        agent.reserved = agent.reserved.checked_sub(p.slash)?;
    }
    totals.escrowed = totals.escrowed.checked_sub(held)?;
    totals.bonds = totals.bonds.checked_sub(p.slash)?;
    agent.bond = agent.bond.checked_sub(p.slash)?;
    agent.stats.earned = agent.stats.earned.checked_add(p.paid.agent)?;
    if p.paid != Settlement::default() {
        let settled = p
            .paid
            .model_fees
            .checked_add(p.paid.protocol_fee)?
            .checked_add(p.paid.agent)?;
        agent.stats.volume = agent.stats.volume.checked_add(settled)?;
    }
    agent.stats.slashed = agent.stats.slashed.checked_add(p.slash)?;
    match outcome {
        Outcome::Approved | Outcome::Evaluated | Outcome::Finalized => {
            agent.stats.milestones_settled.increment()?
        }
        Outcome::Resolved(0) => agent.stats.lost.increment()?,
        Outcome::Resolved(BPS_DENOMINATOR) => agent.stats.won.increment()?,
        Outcome::Resolved(_) => agent.stats.split.increment()?,
    };
    task.current_milestone = task.current_milestone.add_checked(1)?;
    Ok(())
}

/// Settles a live milestone: computes the payments, closes the milestone, advances (and maybe
/// completes) the task, updates the agent and the totals, saves everything, and only then
/// returns the payments, in order: the protocol fee (to the reward pool's treasury), the
/// agent's remainder, and for a ruling the client's part (plus the slash of a ruling of 0).
///
/// The model fees were paid at submission: a milestone `A` with fees `F` holds `A − F`.
/// Approval and finalization settle `A`: protocol fee `P(A)`, agent `A − F − P(A)`. A ruling
/// of `s` bps settles `B = A × s` (rounded down; the odd unit stays with the client): if
/// `s > 0`, `B` must cover `F + P(B)` and the agent gets `B − F − P(B)`, the client `A − B`;
/// `s = 0` returns `A − F` to the client with the bond reserved for the task.
///
/// A milestone submitted under 0.2.0 (fees recorded, not paid) settles as then: its fees are
/// sent first, each replied to on error (a refused fee goes back to the client), and are
/// waived when nothing is settled for the agent.
pub fn settle_milestone(
    deps: DepsMut,
    t: u64,
    (task_id, mut task): (TaskId, Task),
    (index, mut ms): (u32, Milestone),
    outcome: Outcome,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut agent = Agent::load(deps.storage, &task.agent)?;
    let mut totals = TOTALS.load(deps.storage)?;
    // What the escrow still holds for this milestone; all of it leaves now.
    let held = ms.held()?;
    let p = payout(&config, (task_id, &task), (index, &mut ms), &agent, outcome)?;

    let (status, action) = outcome.status_and_action();
    ms.status = status;
    ms.closed_at = Some(t);
    if let Outcome::Resolved(share) = outcome {
        ms.agent_share_bps = Some(share);
    }
    MILESTONES.save(deps.storage, (task_id, index), &ms)?;
    book(&mut task, &mut agent, &mut totals, (held, &p), outcome)?;
    let mut released = None;
    if task.current_milestone == task.milestone_count {
        let status = (TaskStatus::Completed, None);
        released = Some(close_task(deps.storage, &mut task, &mut agent, status, t)?);
        agent.stats.completed.increment()?;
        if task.paid_to_agent >= config.min_agent_bond {
            agent.stats.proven.increment()?;
        }
    }
    let mut msgs = p.msgs;
    if task.ext.parent.is_some() {
        let back = return_funds(
            deps.storage,
            &config.token,
            &task,
            &mut totals,
            p.client_part,
        )?;
        msgs.extend(back.map(SubMsg::new));
    }
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    TOTALS.save(deps.storage, &totals)?;

    let mut res = Response::new()
        .add_submessages(msgs)
        .add_attribute("action", action)
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", index.to_string())
        .add_attribute("amount", ms.amount)
        .add_attribute("model_fees", p.fees_sent)
        .add_attribute("protocol_fee", p.paid.protocol_fee)
        .add_attribute("agent_payout", p.paid.agent);
    if let Outcome::Resolved(share) = outcome {
        res = res
            .add_attribute("agent_share_bps", share.to_string())
            .add_attribute("client_refund", p.client_part)
            .add_attribute("slashed", p.slash);
    }
    if let Some(released) = released {
        res = res.add_attribute("bond_released", released);
    }
    Ok(res.add_attribute("task_status", task.status.as_str()))
}
