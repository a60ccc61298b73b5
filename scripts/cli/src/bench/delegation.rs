//! Delegation and evaluation, measured: a client's one-milestone task for a coordinator, which
//! delegates a sub-task to a specialist out of its milestone, naming an evaluator (measured:
//! `delegate_task`); the specialist delivers with one model fee paid at delivery and the
//! evaluator approves, which settles the sub-task milestone (measured: `evaluate_milestone`,
//! with every balance it moves checked); then the coordinator delivers and the client
//! approves. Written against the story's [`Backend`]: it runs on the chain and on
//! cw-multi-test.

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{self as escrow, NewMilestone, NewTask, TaskStatus};
use openledger_common::msg::model_licensing::InferencePayment;
use sha2::{Digest, Sha256};

use super::{step, Bench, Recorder};
use crate::flow_model::model_on_new_datanet_on;
use crate::receipt::HostKey;
use crate::story::agents::{
    agent_calls, agent_plan, evaluator_calls, evaluator_plan, full_settlement, AgentProfile,
    EvaluatorProfile,
};
use crate::story::backend::chain::{tx_result, ChainBackend};
use crate::story::backend::{Backend, Executed};

const CLIENT: &str = "client";
const COORDINATOR: &str = "coordinator";
const SPECIALIST: &str = "researcher";
const EVALUATOR: &str = "evaluator";
/// The model's inference fee.
const FEE: u128 = 1_000;
/// The root task's milestone and the sub-task's.
const ROOT: u128 = 10_000;
const SUB: u128 = 4_000;
/// The evaluator's fee per verdict.
const EVALUATION_FEE: u128 = 200;

fn hash(seed: &str) -> String {
    hex::encode(Sha256::digest(seed.as_bytes()))
}

impl Bench<'_> {
    /// `delegate_task` and the evaluator's approval of a sub-task milestone whose delivery
    /// paid one model fee, with their targets.
    pub(super) fn delegation_steps(&self, rec: &mut Recorder) -> Result<()> {
        let b = ChainBackend::connect(self.chain, &self.repo)?;
        let (delegate, evaluate) = run_on(&b)?;
        rec.record(
            "delegate_task (1-milestone sub-task, evaluator named)",
            &tx_result(&delegate),
            1,
            Some(2.5),
            "nothing leaves the escrow: the parent milestone's budget funds the sub-task; the evaluator's bond is reserved for it",
        );
        rec.record(
            "evaluate_milestone: settling a sub-task milestone with one model fee",
            &tx_result(&evaluate),
            1,
            Some(4.0),
            "the evaluator's approval: its fee, the protocol fee to the pool and the agent paid; the model fee was paid at delivery",
        );
        Ok(())
    }
}

/// The deployer gives `key` `amount` of OPEN (nothing when 0).
fn fund(b: &dyn Backend, key: &str, amount: u128) -> Result<()> {
    if amount > 0 {
        b.transfer("deployer", &b.address(key)?, amount)
            .with_context(|| format!("deployer: fund {key} with {amount}"))?;
    }
    Ok(())
}

/// The coordinator, the specialist (declaring `model_id`) and the evaluator are registered
/// with the free bond their records require, funded by the deployer.
fn actors_ready(b: &dyn Backend, model_id: u64, min_bond: u128) -> Result<()> {
    for key in [COORDINATOR, SPECIALIST, EVALUATOR] {
        b.ensure_actor(key)?;
    }
    let agent = |models: Vec<u64>, capability: &str| AgentProfile {
        name: format!("bench-{capability}"),
        metadata_uri: String::new(),
        models,
        capabilities: vec![capability.to_string()],
    };
    let evaluator = EvaluatorProfile {
        name: "bench-evaluator".into(),
        metadata_uri: String::new(),
        capabilities: vec!["research".into()],
        fee: EVALUATION_FEE,
    };
    let mut calls = vec![];
    // The coordinator's reservation (its free bond × slash_bps) covers what it delegates.
    let cfg: escrow::ConfigResponse =
        b.query(&b.contracts().escrow, &escrow::QueryMsg::Config {})?;
    let floor = (SUB * 10_000).div_ceil(u128::from(cfg.slash_bps.max(1)));
    for (key, profile, floor) in [
        (COORDINATOR, agent(vec![], "coordination"), floor),
        (SPECIALIST, agent(vec![model_id], "research"), 0),
    ] {
        let plan = agent_plan(b, key, &b.address(key)?, (min_bond, floor))?;
        fund(b, key, plan.bonded())?;
        calls.extend(agent_calls(b, key, plan, &profile)?);
    }
    let target = min_bond.checked_add(SUB).context("bond overflow")?;
    let plan = evaluator_plan(b, EVALUATOR, &b.address(EVALUATOR)?, target)?;
    fund(b, EVALUATOR, plan.bonded())?;
    calls.extend(evaluator_calls(b, EVALUATOR, plan, &evaluator)?);
    for (who, contract, msg) in calls {
        b.execute_json(&who, &contract, msg)
            .with_context(|| format!("{who}: register or update"))?;
    }
    Ok(())
}

/// One task of one milestone of `amount` for `agent`.
fn task(b: &dyn Backend, agent: &str, amount: u128, evaluated: bool) -> Result<NewTask> {
    let now = b.block_time()?;
    Ok(NewTask {
        agent: b.address(agent)?,
        spec_hash: hash(&format!("bench-{agent}-{now}")),
        spec_uri: "ipfs://bench-delegation".into(),
        milestones: vec![NewMilestone {
            amount: Uint128::new(amount),
            description: format!("work of {agent}"),
        }],
        accept_window: 600,
        // A sub-task must end by its parent's deadline.
        delivery_deadline: now + if evaluated { 3_600 } else { 7_200 },
        review_window: 3_600,
        arbiter: None,
        max_model_fees: Uint128::new(if evaluated { FEE } else { 0 }),
        min_bond_reserved: None,
        evaluator: evaluated.then(|| b.address(EVALUATOR)).transpose()?,
        evaluation_window: evaluated.then_some(3_600),
        max_evaluation_fee: None,
        max_arbitration_fee: None,
    })
}

/// Delivers milestone 0 of `task_id` as `agent` with `inferences`; returns the result hash.
fn deliver(
    b: &dyn Backend,
    agent: &str,
    task_id: u64,
    inferences: Vec<InferencePayment>,
) -> Result<String> {
    let result_hash = hash(&format!("bench-result-{task_id}"));
    let submit = escrow::ExecuteMsg::SubmitMilestone {
        task_id,
        milestone: 0,
        result_hash: result_hash.clone(),
        result_uri: "ipfs://bench-result".into(),
        inferences,
        input_hash: Some(hash(&format!("bench-input-{task_id}"))),
    };
    b.exec(agent, &b.contracts().escrow, &submit)
        .with_context(|| format!("{agent}: deliver task {task_id}"))?;
    Ok(result_hash)
}

/// The flow on `b`: returns the `delegate_task` and the evaluator's approval.
pub fn run_on(b: &dyn Backend) -> Result<(Executed, Executed)> {
    let c = b.contracts().clone();
    let host = HostKey::derived("host");
    let (_, model_id) =
        model_on_new_datanet_on(b, &host, FEE, ("curator1", "contributor1", "model_owner"))?;
    let cfg: escrow::ConfigResponse = b.query(&c.escrow, &escrow::QueryMsg::Config {})?;
    actors_ready(b, model_id, cfg.min_agent_bond.u128().max(1))?;
    b.transfer("deployer", &b.address(CLIENT)?, ROOT)?;
    let hook = escrow::ReceiveMsg::CreateTask(task(b, COORDINATOR, ROOT, false)?);
    let root = b
        .send(CLIENT, &c.escrow, ROOT, &hook)?
        .attr_u64("task_id")?;
    let accept = |who: &str, task_id| {
        b.exec(who, &c.escrow, &escrow::ExecuteMsg::AcceptTask { task_id })
            .with_context(|| format!("{who}: accept task {task_id}"))
    };
    accept(COORDINATOR, root)?;
    let delegate = escrow::ExecuteMsg::DelegateTask {
        task_id: root,
        milestone: 0,
        task: task(b, SPECIALIST, SUB, true)?,
    };
    let delegated = b.exec(COORDINATOR, &c.escrow, &delegate)?;
    let sub = delegated.attr_u64("task_id")?;
    step(format!(
        "{COORDINATOR} delegates task {sub} ({SUB}) out of task {root}'s milestone (gas {})",
        delegated.gas_used
    ));
    accept(SPECIALIST, sub)?;
    let inference = InferencePayment {
        model_id,
        inference_id: format!("bench-sub-{sub}"),
        attribution: None,
        receipt_signature: None,
        io: None,
    };
    let result_hash = deliver(b, SPECIALIST, sub, vec![inference])?;
    let evaluated = evaluate(b, sub, result_hash, cfg.protocol_fee_bps)?;
    deliver(b, COORDINATOR, root, vec![])?;
    let approve = escrow::ExecuteMsg::ApproveMilestone {
        task_id: root,
        milestone: 0,
    };
    b.exec(CLIENT, &c.escrow, &approve)?;
    for id in [root, sub] {
        let t: escrow::TaskResponse =
            b.query(&c.escrow, &escrow::QueryMsg::Task { task_id: id })?;
        ensure!(
            t.task.status == TaskStatus::Completed,
            "task {id} ended {:?}",
            t.task.status
        );
    }
    Ok((delegated, evaluated))
}

/// The evaluator approves sub-task `sub`'s delivery: it is paid its fee, the pool the protocol
/// fee and the specialist the rest, exactly.
fn evaluate(b: &dyn Backend, sub: u64, result_hash: String, bps: u16) -> Result<Executed> {
    let c = b.contracts();
    let watched = [
        b.address(SPECIALIST)?,
        b.address(EVALUATOR)?,
        c.pool.clone(),
        c.escrow.clone(),
    ];
    let before = b.balances(&watched)?;
    let verdict = escrow::ExecuteMsg::EvaluateMilestone {
        task_id: sub,
        milestone: 0,
        result_hash,
        approve: true,
        reason_hash: hash(&format!("bench-verdict-{sub}")),
    };
    let res = b.exec(EVALUATOR, &c.escrow, &verdict)?;
    let after = b.balances(&watched)?;
    let (protocol, agent) = full_settlement(SUB, (FEE, 0, EVALUATION_FEE), bps)?;
    let expected = [agent, EVALUATION_FEE, protocol].map(|n| n as i128);
    let paid: i128 = expected.iter().sum();
    let got: Vec<i128> = (0..4)
        .map(|i| after[i] as i128 - before[i] as i128)
        .collect();
    ensure!(
        got[..3] == expected && got[3] == -paid,
        "the approval moved {got:?} (specialist, evaluator, pool, escrow); expected {expected:?} and -{paid} out of the escrow"
    );
    step(format!(
        "{EVALUATOR} approves task {sub}: {SPECIALIST} +{agent}, {EVALUATOR} +{EVALUATION_FEE}, pool +{protocol} (gas {})",
        res.gas_used
    ));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use crate::story::backend::mock::MockBackend;

    #[test]
    fn the_delegation_flow_holds_on_the_mock_backend() {
        let b = MockBackend::deploy().unwrap();
        super::run_on(&b).unwrap();
        super::run_on(&b).unwrap();
    }
}
