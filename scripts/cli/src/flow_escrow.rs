//! The escrow flow: an agent takes a client's two-milestone task; the first milestone, which
//! used two paid model inferences, is approved and settles through model licensing to the
//! pool; the second is disputed and ruled 60 / 40. Every balance is checked. Written against
//! the story's [`Backend`]: it runs on the chain and on cw-multi-test.

use std::path::Path;

use anyhow::{ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::bps::Bps;
use openledger_common::msg::agent_escrow::{self as escrow, NewMilestone, NewTask};
use openledger_common::msg::model_licensing::{InferencePayment, Receipt};
use openledger_economics::{settle, Outcome, Settlement};
use sha2::{Digest, Sha256};

use crate::chain::{Chain, TxResult};
use crate::flow_model::model_on_new_datanet_on;
use crate::flows::solvent;
use crate::receipt::HostKey;
use crate::story::backend::chain::{tx_result, ChainBackend};
use crate::story::backend::{Backend, Executed};

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

const CLIENT: &str = "client";
const AGENT: &str = "agent";
/// The model's inference fee.
const FEE: u128 = 1_000;
/// The task's milestones.
const MILESTONES: [u128; 2] = [10_000, 5_000];
/// The arbiter's ruling on milestone 1: the agent's share, in bps.
const RULING: Bps = 6_000;

/// The parties whose balances each step checks: client, agent, pool, models, escrow.
struct Parties<'b> {
    b: &'b dyn Backend,
    addrs: [String; 5],
}

impl Parties<'_> {
    fn balances(&self) -> Result<[i128; 5]> {
        let got = self.b.balances(&self.addrs)?;
        Ok(std::array::from_fn(|i| got[i] as i128))
    }

    /// Runs `f` and checks it moved exactly `expected` (client, agent, pool, models, escrow).
    fn moved<T>(
        &self,
        what: &str,
        expected: [i128; 5],
        f: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let before = self.balances()?;
        let out = f()?;
        let after = self.balances()?;
        let got: [i128; 5] = std::array::from_fn(|i| after[i] - before[i]);
        ensure!(
            got == expected,
            "{what} moved {got:?}; expected {expected:?} (client, agent, pool, models, escrow)"
        );
        Ok(out)
    }
}

/// `openledger flow-escrow`: the escrow flow on the chain of the manifest.
pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    measure(chain, repo).map(|_| ())
}

/// Runs the flow on the chain and returns the `create_task`, the `submit_milestone` (two model
/// fees, paid at delivery) and the `approve_milestone` transactions.
pub fn measure(chain: &Chain, repo: &Path) -> Result<(TxResult, TxResult, TxResult)> {
    let (create, submit, approve) = run_on(&ChainBackend::connect(chain, repo)?)?;
    Ok((tx_result(&create), tx_result(&submit), tx_result(&approve)))
}

/// The agent registers once with a bond; on later runs it updates its model list.
fn agent_offers(b: &dyn Backend, model_id: u64, min_bond: u128) -> Result<()> {
    let escrow_addr = b.contracts().escrow.clone();
    let agent_addr = b.address(AGENT)?;
    let registered: Result<escrow::AgentResponse> = b.query(
        &escrow_addr,
        &escrow::QueryMsg::Agent {
            address: agent_addr.clone(),
        },
    );
    if registered.is_ok() {
        let update = escrow::ExecuteMsg::UpdateAgent {
            name: None,
            metadata_uri: None,
            models: Some(vec![model_id]),
            capabilities: None,
        };
        b.exec(AGENT, &escrow_addr, &update)?;
        return Ok(());
    }
    let bond = min_bond.max(1_000);
    b.transfer("deployer", &agent_addr, bond)?;
    let register = escrow::ReceiveMsg::RegisterAgent {
        name: "chain agent".into(),
        metadata_uri: "ipfs://agent".into(),
        models: vec![model_id],
        capabilities: None,
    };
    let res = b.send(AGENT, &escrow_addr, bond, &register)?;
    step(format!(
        "{AGENT} registered with a bond of {bond} (gas {})",
        res.gas_used
    ));
    Ok(())
}

/// The escrow flow on `b`: returns the `create_task`, `submit_milestone` and
/// `approve_milestone` results.
pub fn run_on(b: &dyn Backend) -> Result<(Executed, Executed, Executed)> {
    let c = b.contracts().clone();
    let host = HostKey::derived("host");
    let (datanet_id, model_id) =
        model_on_new_datanet_on(b, &host, FEE, ("curator1", "contributor1", "model_owner"))?;
    let config: escrow::ConfigResponse = b.query(&c.escrow, &escrow::QueryMsg::Config {})?;
    let deposit: u128 = MILESTONES.iter().sum();
    b.transfer("deployer", &b.address(CLIENT)?, deposit)?;
    agent_offers(b, model_id, config.min_agent_bond.u128())?;
    let p = Parties {
        b,
        addrs: [
            b.address(CLIENT)?,
            b.address(AGENT)?,
            c.pool.clone(),
            c.models.clone(),
            c.escrow.clone(),
        ],
    };
    let start = p.balances()?;
    let create = open_task(b)?;
    let task_id = create.attr_u64("task_id")?;
    step(format!(
        "{CLIENT} created task {task_id} with {deposit} in two milestones (gas {})",
        create.gas_used
    ));
    b.exec(
        AGENT,
        &c.escrow,
        &escrow::ExecuteMsg::AcceptTask { task_id },
    )?;
    let fee_bps = config.protocol_fee_bps;
    let (submit, approve) = milestone0(&p, task_id, (datanet_id, model_id), &host, fee_bps)?;
    milestone1(&p, task_id, fee_bps)?;

    let task: escrow::TaskResponse = b.query(&c.escrow, &escrow::QueryMsg::Task { task_id })?;
    ensure!(
        task.task.status == escrow::TaskStatus::Completed,
        "task {task_id} ended {:?}",
        task.task.status
    );
    let end = p.balances()?;
    ensure!(
        end[4] == start[4],
        "the escrow kept {} of the task",
        end[4] - start[4]
    );
    solvent(b)?;
    step(format!(
        "task {task_id} completed; net: client {}, agent +{}, pool +{}, models +{}; approve with two model fees {} gas",
        end[0] - start[0], end[1] - start[1], end[2] - start[2], end[3] - start[3], approve.gas_used
    ));
    Ok((create, submit, approve))
}

/// The client's task: two milestones, no arbiter of its own (the escrow's default rules).
fn open_task(b: &dyn Backend) -> Result<Executed> {
    let now = b.block_time()?;
    let milestone = |amount: u128, description: &str| NewMilestone {
        amount: Uint128::new(amount),
        description: description.into(),
    };
    let task = NewTask {
        agent: b.address(AGENT)?,
        spec_hash: hex::encode(Sha256::digest(format!("spec-{now}"))),
        spec_uri: "ipfs://spec".into(),
        milestones: vec![
            milestone(MILESTONES[0], "draft report"),
            milestone(MILESTONES[1], "final report"),
        ],
        accept_window: 3_600,
        delivery_deadline: now + 86_400,
        review_window: 3_600,
        arbiter: None,
        // The two inferences milestone 0 pays for.
        max_model_fees: Uint128::new(2 * FEE),
        min_bond_reserved: None,
        evaluation_window: None,
        evaluator: None,
        max_evaluation_fee: None,
        max_arbitration_fee: None,
    };
    let hook = escrow::ReceiveMsg::CreateTask(task);
    b.send(
        CLIENT,
        &b.contracts().escrow,
        MILESTONES.iter().sum(),
        &hook,
    )
}

/// Milestone 0 used two inferences: one with the lineage weights, one with a receipt the
/// model's host signed for payer = the escrow. Submitted with its fees, then approved.
fn milestone0(
    p: &Parties,
    task_id: u64,
    (datanet_id, model_id): (u64, u64),
    host: &HostKey,
    fee_bps: Bps,
) -> Result<(Executed, Executed)> {
    let (b, c) = (p.b, p.b.contracts().clone());
    let attribution = vec![AttributionShare {
        datanet_id,
        weight_bps: 10_000,
    }];
    let signed_id = format!("task{task_id}-m0-b");
    let receipt = Receipt {
        chain_id: b.chain_id(),
        contract: c.models.clone(),
        model_id,
        inference_id: signed_id.clone(),
        payer: c.escrow.clone(),
        fee: Uint128::new(FEE),
        attribution: attribution.clone(),
        io: None,
    };
    let inferences = vec![
        InferencePayment {
            model_id,
            inference_id: format!("task{task_id}-m0-a"),
            attribution: None,
            receipt_signature: None,
            io: None,
        },
        InferencePayment {
            model_id,
            inference_id: signed_id,
            attribution: Some(attribution),
            receipt_signature: Some(host.sign(&receipt)?),
            io: None,
        },
    ];
    let submit = escrow::ExecuteMsg::SubmitMilestone {
        task_id,
        milestone: 0,
        result_hash: hex::encode(Sha256::digest(b"draft")),
        result_uri: "ipfs://draft".into(),
        inferences,
        input_hash: None,
    };
    // The model fees are paid at delivery: 2 × 1 000 (800 each to the pool, 200 each kept for
    // the model owner) leave the escrow with the submission.
    let expected = [0, 0, 1_600, 400, -2_000];
    let submitted = p.moved("submit", expected, || b.exec(AGENT, &c.escrow, &submit))?;
    step(format!(
        "milestone 0 delivered with 2 inferences: model fees paid at delivery, pool +1600, models +400 (gas {})",
        submitted.gas_used
    ));
    // 10 000 less the 2 000 of model fees already paid: protocol fee (rounded up) to the pool,
    // the rest to the agent.
    let settled = settle(MILESTONES[0], 2 * FEE, fee_bps, Outcome::Full)?;
    let (expected, protocol) = (settlement_moves(&settled), settled.protocol_fee);
    let approve = escrow::ExecuteMsg::ApproveMilestone {
        task_id,
        milestone: 0,
    };
    let approved = p.moved("approve", expected, || b.exec(CLIENT, &c.escrow, &approve))?;
    step(format!(
        "milestone 0 approved: agent +{}, pool +{protocol} (gas {})",
        expected[1], approved.gas_used
    ));
    Ok((submitted, approved))
}

/// What a settlement moves, in the order the flow watches (client, agent, pool, models,
/// escrow): the escrow pays out every part of it.
fn settlement_moves(s: &Settlement) -> [i128; 5] {
    let [client, agent, pool] = [s.client, s.agent, s.protocol_fee].map(|n| n as i128);
    [client, agent, pool, 0, -(client + agent + pool)]
}

/// Milestone 1 is disputed and ruled 60 % for the agent by the escrow's default arbiter.
fn milestone1(p: &Parties, task_id: u64, fee_bps: Bps) -> Result<()> {
    let (b, escrow_addr) = (p.b, p.b.contracts().escrow.clone());
    let submit = escrow::ExecuteMsg::SubmitMilestone {
        task_id,
        milestone: 1,
        result_hash: hex::encode(Sha256::digest(b"final")),
        result_uri: "ipfs://final".into(),
        inferences: vec![],
        input_hash: None,
    };
    b.exec(AGENT, &escrow_addr, &submit)?;
    let dispute = escrow::ExecuteMsg::DisputeMilestone {
        task_id,
        milestone: 1,
        reason: "sections missing".into(),
    };
    b.exec(CLIENT, &escrow_addr, &dispute)?;
    let settled = settle(MILESTONES[1], 0, fee_bps, Outcome::Ruling(RULING))?;
    let expected = settlement_moves(&settled);
    let resolve = escrow::ExecuteMsg::Resolve {
        task_id,
        milestone: 1,
        agent_share_bps: RULING,
    };
    let res = p.moved("resolve", expected, || {
        b.exec("arbiter", &escrow_addr, &resolve)
    })?;
    step(format!(
        "milestone 1 disputed and ruled 60 %: agent +{}, client +{} back (gas {})",
        expected[1], expected[0], res.gas_used
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::story::backend::mock::MockBackend;

    #[test]
    fn the_escrow_flow_holds_on_the_mock_backend() {
        let b = MockBackend::deploy().unwrap();
        super::run_on(&b).unwrap();
        super::run_on(&b).unwrap();
    }
}
