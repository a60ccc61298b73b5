//! The escrow flow on a real chain: an agent takes a client's two-milestone task; the first
//! milestone, which used two paid model inferences, is approved and settles through model
//! licensing to the pool; the second is disputed and ruled 60 / 40. Every balance is checked.

use std::path::Path;

use anyhow::{ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::agent_escrow::{self as escrow, NewMilestone, NewTask};
use openledger_common::msg::model_licensing::{InferencePayment, Receipt};
use sha2::{Digest, Sha256};

use crate::chain::{Chain, TxResult};
use crate::flow_model::model_on_new_datanet;
use crate::flows::{attr_u64, Suite};
use crate::manifest::Manifest;
use crate::receipt::HostKey;

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

/// Balances of the parties, in a fixed order: client, agent, pool, models, escrow.
fn balances(s: &Suite, who: &[&str; 5]) -> Result<[i128; 5]> {
    let mut out = [0i128; 5];
    for (i, a) in who.iter().enumerate() {
        out[i] = s.balance(a)? as i128;
    }
    Ok(out)
}

fn delta(before: &[i128; 5], after: &[i128; 5]) -> [i128; 5] {
    std::array::from_fn(|i| after[i] - before[i])
}

pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    measure(chain, repo).map(|_| ())
}

/// Runs the flow and returns the `create_task`, the `submit_milestone` (two model fees, paid at
/// delivery) and the `approve_milestone` transactions.
pub fn measure(chain: &Chain, repo: &Path) -> Result<(TxResult, TxResult, TxResult)> {
    let s = Suite::load(chain, repo)?;
    let manifest = Manifest::of_chain(repo, chain)?;
    let models_addr = manifest.address("model_licensing")?;
    let escrow_addr = manifest.address("agent_escrow")?;
    let host = HostKey::derived("host");
    let fee = 1_000u128;
    let (datanet_id, model_id) = model_on_new_datanet(
        chain,
        &s,
        &models_addr,
        &host,
        fee,
        ("curator1", "contributor1", "model_owner"),
    )?;
    let config: escrow::ConfigResponse = chain.query(&escrow_addr, &escrow::QueryMsg::Config {})?;

    let (client, agent) = ("client", "agent");
    let client_addr = chain.key_address(client)?;
    let agent_addr = chain.key_address(agent)?;
    s.transfer("deployer", &client_addr, 15_000)?;

    // The agent registers once with a bond; on later runs it updates its model list.
    let registered: Result<escrow::AgentResponse> = chain.query(
        &escrow_addr,
        &escrow::QueryMsg::Agent {
            address: agent_addr.clone(),
        },
    );
    if registered.is_ok() {
        chain.execute(
            &escrow_addr,
            &escrow::ExecuteMsg::UpdateAgent {
                name: None,
                metadata_uri: None,
                models: Some(vec![model_id]),
            },
            agent,
            None,
        )?;
    } else {
        let bond = config.min_agent_bond.u128().max(1_000);
        s.transfer("deployer", &agent_addr, bond)?;
        let res = s.send(
            agent,
            &escrow_addr,
            bond,
            &escrow::ReceiveMsg::RegisterAgent {
                name: "chain agent".into(),
                metadata_uri: "ipfs://agent".into(),
                models: vec![model_id],
            },
        )?;
        step(format!(
            "{agent} registered with a bond of {bond} (gas {})",
            res.gas_used
        ));
    }

    let parties = [
        client_addr.as_str(),
        agent_addr.as_str(),
        s.pool.as_str(),
        models_addr.as_str(),
        escrow_addr.as_str(),
    ];
    let start = balances(&s, &parties)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let res = s.send(
        client,
        &escrow_addr,
        15_000,
        &escrow::ReceiveMsg::CreateTask(NewTask {
            agent: agent_addr.clone(),
            spec_hash: hex::encode(Sha256::digest(format!("spec-{now}"))),
            spec_uri: "ipfs://spec".into(),
            milestones: vec![
                NewMilestone {
                    amount: Uint128::new(10_000),
                    description: "draft report".into(),
                },
                NewMilestone {
                    amount: Uint128::new(5_000),
                    description: "final report".into(),
                },
            ],
            accept_window: 3_600,
            delivery_deadline: now + 86_400,
            review_window: 3_600,
            arbiter: None,
            // The two inferences milestone 0 pays for.
            max_model_fees: Uint128::new(2 * fee),
            min_bond_reserved: None,
        }),
    )?;
    let create_task = res.clone();
    let task_id = attr_u64(&res, "task_id")?;
    step(format!(
        "{client} created task {task_id} with 15000 in two milestones (gas {})",
        res.gas_used
    ));
    chain.execute(
        &escrow_addr,
        &escrow::ExecuteMsg::AcceptTask { task_id },
        agent,
        None,
    )?;

    // Milestone 0 used two inferences: one with the lineage weights, one with a receipt the
    // model's host signed for payer = the escrow.
    let attribution = vec![AttributionShare {
        datanet_id,
        weight_bps: 10_000,
    }];
    let signed_id = format!("task{task_id}-m0-b");
    let receipt = Receipt {
        chain_id: chain.cfg.chain_id.clone(),
        contract: models_addr.clone(),
        model_id,
        inference_id: signed_id.clone(),
        payer: escrow_addr.clone(),
        fee: Uint128::new(fee),
        attribution: attribution.clone(),
    };
    let inferences = vec![
        InferencePayment {
            model_id,
            inference_id: format!("task{task_id}-m0-a"),
            attribution: None,
            receipt_signature: None,
        },
        InferencePayment {
            model_id,
            inference_id: signed_id,
            attribution: Some(attribution),
            receipt_signature: Some(host.sign(&receipt)?),
        },
    ];
    let hash = |x: &str| hex::encode(Sha256::digest(x.as_bytes()));
    let before = balances(&s, &parties)?;
    let submit = chain.execute(
        &escrow_addr,
        &escrow::ExecuteMsg::SubmitMilestone {
            task_id,
            milestone: 0,
            result_hash: hash("draft"),
            result_uri: "ipfs://draft".into(),
            inferences,
        },
        agent,
        None,
    )?;
    // The model fees are paid at delivery: 2 × 1 000 (800 each to the pool, 200 each kept for
    // the model owner) leave the escrow with the submission.
    let expected = [0, 0, 1_600, 400, -2_000];
    let got = delta(&before, &balances(&s, &parties)?);
    ensure!(
        got == expected,
        "submit moved {got:?}; expected {expected:?} (client, agent, pool, models, escrow)"
    );
    step(format!(
        "milestone 0 delivered with 2 inferences: model fees paid at delivery, pool +1600, models +400 (gas {})",
        submit.gas_used
    ));
    let before = balances(&s, &parties)?;
    let approve = chain.execute(
        &escrow_addr,
        &escrow::ExecuteMsg::ApproveMilestone {
            task_id,
            milestone: 0,
        },
        client,
        None,
    )?;
    let approve_gas = approve.gas_used;
    // 10 000 less the 2 000 of model fees already paid: protocol fee (rounded up) to the pool,
    // the rest to the agent.
    let protocol = (10_000 * config.protocol_fee_bps as i128 + 9_999) / 10_000;
    let expected = [0, 10_000 - 2_000 - protocol, protocol, 0, -8_000];
    let got = delta(&before, &balances(&s, &parties)?);
    ensure!(
        got == expected,
        "approve moved {got:?}; expected {expected:?} (client, agent, pool, models, escrow)"
    );
    step(format!(
        "milestone 0 approved: agent +{}, pool +{} (gas {approve_gas})",
        expected[1], expected[2]
    ));

    // Milestone 1 is disputed and ruled 60 % for the agent.
    chain.execute(
        &escrow_addr,
        &escrow::ExecuteMsg::SubmitMilestone {
            task_id,
            milestone: 1,
            result_hash: hash("final"),
            result_uri: "ipfs://final".into(),
            inferences: vec![],
        },
        agent,
        None,
    )?;
    chain.execute(
        &escrow_addr,
        &escrow::ExecuteMsg::DisputeMilestone {
            task_id,
            milestone: 1,
            reason: "sections missing".into(),
        },
        client,
        None,
    )?;
    let before = balances(&s, &parties)?;
    let res = chain.execute(
        &escrow_addr,
        &escrow::ExecuteMsg::Resolve {
            task_id,
            milestone: 1,
            agent_share_bps: 6_000,
        },
        "arbiter",
        None,
    )?;
    let protocol = (3_000 * config.protocol_fee_bps as i128 + 9_999) / 10_000;
    let expected = [2_000, 3_000 - protocol, protocol, 0, -5_000];
    let got = delta(&before, &balances(&s, &parties)?);
    ensure!(
        got == expected,
        "resolve moved {got:?}; expected {expected:?} (client, agent, pool, models, escrow)"
    );
    step(format!(
        "milestone 1 disputed and ruled 60 %: agent +{}, client +2000 back (gas {})",
        expected[1], res.gas_used
    ));

    let task: escrow::TaskResponse =
        chain.query(&escrow_addr, &escrow::QueryMsg::Task { task_id })?;
    ensure!(
        task.task.status == escrow::TaskStatus::Completed,
        "task {task_id} ended {:?}",
        task.task.status
    );
    let end = balances(&s, &parties)?;
    ensure!(
        end[4] == start[4],
        "the escrow kept {} of the task",
        end[4] - start[4]
    );
    let solvency: serde_json::Value = chain.query(&escrow_addr, &escrow::QueryMsg::Solvency {})?;
    ensure!(solvency["solvent"] == true, "escrow insolvent: {solvency}");
    s.assert_solvent()?;
    step(format!(
        "task {task_id} completed; net: client {}, agent +{}, pool +{}, models +{}; approve with two model fees {approve_gas} gas",
        end[0] - start[0], end[1] - start[1], end[2] - start[2], end[3] - start[3]
    ));
    Ok((create_task, submit, approve))
}
