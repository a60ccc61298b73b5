//! Before the story: connect, settle what earlier runs left, read the rules and take the start
//! snapshot; and the pool settings the story shortens and restores.

use std::collections::BTreeMap;

use anyhow::{bail, ensure, Context, Result};
use cosmwasm_std::Uint128;
use cw20::{Cw20QueryMsg, TokenInfoResponse};
use openledger_common::msg::agent_escrow as escrow;
use openledger_common::msg::datanet_registry as registry;
use openledger_common::msg::model_licensing as models;
use openledger_common::msg::reward_pool as pool;
use openledger_economics::Accumulator;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::account::amount_field;
use super::agents;
use super::backend::Backend;
use super::ledger::Ledger;
use super::plan::{stake_plan, units};
use super::{AgentPlan, Story, ACTORS, STAKERS, WORKFLOW_ACTORS};
use crate::receipt::HostKey;

/// The staking reward period during the story: stakers' allocations reach the stakes in place
/// within a second, so the ledger's reward-per-stake arithmetic is exact (the stake is constant
/// while fees arrive; the pool releases each allocation whole once its second has passed).
const STORY_STAKING_PERIOD: u64 = 1;

/// The rules the story reads from the contracts before it starts.
pub(super) struct Rules {
    /// Model licensing's fee split.
    pub(super) fee_split: openledger_common::fee::FeeSplit,
    /// The pool's curators' share of datanet allocations.
    pub(super) curators_bps: u16,
    /// The escrow's protocol fee.
    pub(super) protocol_fee_bps: u16,
    /// The registry's datanet creation fee.
    pub(super) creation_fee: u128,
    /// What the agent needs before it can take the task.
    pub(super) agent_plan: AgentPlan,
    /// Whether the attestor is approved, and what its bond lacks.
    pub(super) attestor_approved: bool,
    /// What the attestor's bond lacks of the pool's attestor bond.
    pub(super) attestor_missing: u128,
    /// The pool's total stake during the payments, and the stakers' new stakes.
    pub(super) staking_total: u128,
    /// What each staker stakes in the story.
    pub(super) new_stakes: [u128; 2],
}

impl<'a> Story<'a> {
    /// Connects to the suite, settles what earlier runs left, reads the rules and takes the
    /// start snapshot.
    pub(super) fn prepare(b: &'a dyn Backend) -> Result<Self> {
        let c = b.contracts().clone();
        // The workflow's actors may be new to the chain's keyring: they are added and given gas.
        for key in WORKFLOW_ACTORS {
            if b.ensure_actor(key)? {
                eprintln!("[story] {key} added to the keyring");
            }
        }
        let keys = ACTORS
            .iter()
            .chain(WORKFLOW_ACTORS.iter())
            .map(|k| Ok((*k, b.address(k)?)))
            .collect::<Result<BTreeMap<_, _>>>()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        let tag = hex::encode(&Sha256::digest(format!("{nanos}-{}", std::process::id()))[..4]);
        eprintln!(
            "[story] the OpenLedger coordination story on {}, run {tag}",
            b.describe()
        );

        let period_to_restore = flush_staking_stream(b)?;
        settle_leftovers(b, &keys)?;
        let rules = read_rules(b, &keys)?;
        let ledger = snapshot(b, &keys, rules.fee_split.clone(), rules.curators_bps)?;
        let supply: TokenInfoResponse = b
            .query(&c.token, &Cw20QueryMsg::TokenInfo {})
            .context("query OPEN's token info")?;
        Ok(Story {
            b,
            c,
            keys,
            ledger,
            step: 0,
            gas: vec![],
            tag,
            window_to_restore: None,
            period_to_restore,
            host: HostKey::derived("host"),
            rules,
            supply_start: supply.total_supply.u128(),
            ids_a: BTreeMap::new(),
            a: 0,
            b_id: 0,
            model: 0,
            task: 0,
        })
    }

    /// Sets the pool's challenge window (as its owner).
    pub(super) fn set_window(&self, window: u64) -> Result<()> {
        self.exec(
            &self.c.pool,
            &pool::ExecuteMsg::UpdateAttributionConfig {
                challenge_window: Some(window),
                attestor_bond: None,
                challenge_bond: None,
            },
            "deployer",
            "set the challenge window",
        )?;
        Ok(())
    }

    /// Restores the pool's challenge window and staking reward period if the story shortened
    /// them.
    pub(super) fn restore_window(&mut self) -> Result<()> {
        if let Some(w) = self.window_to_restore.take() {
            self.set_window(w)
                .with_context(|| format!("restore the challenge window to {w} s"))?;
            eprintln!("[story] challenge window restored to {w} s");
        }
        if let Some(p) = self.period_to_restore.take() {
            set_staking_period(self.b, p)
                .with_context(|| format!("restore the staking reward period to {p} s"))?;
            eprintln!("[story] staking reward period restored to {p} s");
        }
        Ok(())
    }
}

/// The story's tasks leave their arbiter to the escrow's default (a named arbiter must be a
/// bonded evaluator): it must be the story's `arbiter`, and unpaid (not an evaluator with a
/// fee, which a ruling would pay out of the milestone).
fn check_default_arbiter(
    b: &dyn Backend,
    cfg: &escrow::ConfigResponse,
    arbiter: &str,
) -> Result<()> {
    ensure!(
        cfg.default_arbiter.as_str() == arbiter,
        "the escrow's default arbiter is {}, not the story's arbiter {arbiter}: deploy the suite with the key `arbiter` as its default arbiter",
        cfg.default_arbiter
    );
    let paid = match b.query::<_, escrow::EvaluatorResponse>(
        &b.contracts().escrow,
        &escrow::QueryMsg::Evaluator {
            address: arbiter.to_string(),
        },
    ) {
        Ok(e) => e.status == escrow::AgentStatus::Active && !e.fee.is_zero(),
        Err(_) => false,
    };
    ensure!(
        !paid,
        "the escrow's default arbiter {arbiter} is a registered evaluator with a fee: the story's ruling would pay it; set its fee to 0 first"
    );
    Ok(())
}

/// The rules: the fee split, the escrow's fee and bond, the registry's creation fee, the
/// attestor's state, and the stake plan over what the pool already holds.
fn read_rules(b: &dyn Backend, keys: &BTreeMap<&'static str, String>) -> Result<Rules> {
    let c = b.contracts();
    let licensing: models::ConfigResponse = b.query(&c.models, &models::QueryMsg::Config {})?;
    let escrow_cfg: escrow::ConfigResponse = b.query(&c.escrow, &escrow::QueryMsg::Config {})?;
    check_default_arbiter(b, &escrow_cfg, &keys["arbiter"])?;
    let registry_cfg: registry::ConfigResponse =
        b.query(&c.registry, &registry::QueryMsg::Config {})?;
    let pool_cfg: pool::ConfigResponse = b.query(&c.pool, &pool::QueryMsg::Config {})?;
    let staking: pool::StakingPoolResponse = b.query(&c.pool, &pool::QueryMsg::StakingPool {})?;
    let mut held = [0u128; 2];
    for (i, (k, _)) in STAKERS.iter().enumerate() {
        let st: pool::StakerResponse = b.query(
            &c.pool,
            &pool::QueryMsg::Staker {
                address: keys[k].clone(),
            },
        )?;
        held[i] = st.staked.u128();
    }
    let others = staking.total_staked.u128() - held[0] - held[1];
    let (staking_total, new_stakes) = stake_plan(others, held, [STAKERS[0].1, STAKERS[1].1])?;
    let min_bond = escrow_cfg.min_agent_bond.u128().max(1);
    let agent_plan = agents::agent_plan(b, "agent", &keys["agent"], (min_bond, 0))?;
    let attestor: pool::AttestorResponse = b.query(
        &c.pool,
        &pool::QueryMsg::Attestor {
            address: keys["attestor"].clone(),
        },
    )?;
    let attestor_missing = pool_cfg
        .attestor_bond
        .u128()
        .saturating_sub(attestor.bond.u128());
    eprintln!(
        "[story] rules read from the chain: fee split {}/{}/{}/{}/{} bps (datanets/owner/hosts/stakers/treasury), curators {} bps of datanet income, escrow protocol fee {} bps, minimum agent bond {}, attestor bond {}, datanet creation fee {}; other accounts stake {others}",
        licensing.fee_split.datanets_bps,
        licensing.fee_split.model_owner_bps,
        licensing.fee_split.hosts_bps,
        licensing.fee_split.stakers_bps,
        licensing.fee_split.treasury_bps,
        pool_cfg.curators_bps,
        escrow_cfg.protocol_fee_bps,
        units(min_bond),
        units(pool_cfg.attestor_bond.u128()),
        units(registry_cfg.creation_fee.u128()),
    );
    Ok(Rules {
        fee_split: licensing.fee_split,
        curators_bps: pool_cfg.curators_bps,
        protocol_fee_bps: escrow_cfg.protocol_fee_bps,
        creation_fee: registry_cfg.creation_fee.u128(),
        agent_plan,
        attestor_approved: attestor.approved,
        attestor_missing,
        staking_total,
        new_stakes,
    })
}

/// The start snapshot: every actor's and contract's balance and the pool's treasury.
fn snapshot(
    b: &dyn Backend,
    keys: &BTreeMap<&'static str, String>,
    fee_split: openledger_common::fee::FeeSplit,
    curators_bps: u16,
) -> Result<Ledger> {
    let c = b.contracts();
    let mut names: BTreeMap<String, String> = keys
        .iter()
        .map(|(k, a)| (a.clone(), k.to_string()))
        .collect();
    for (n, a) in [
        ("datanet registry", &c.registry),
        ("reward pool", &c.pool),
        ("model licensing", &c.models),
        ("agent escrow", &c.escrow),
    ] {
        names.insert(a.clone(), n.to_string());
    }
    let addrs: Vec<String> = names.keys().cloned().collect();
    let balances = b.balances(&addrs)?;
    let start: BTreeMap<String, u128> = addrs.into_iter().zip(balances).collect();
    let solvency: Value = b.query(&c.pool, &pool::QueryMsg::Solvency {})?;
    let treasury_start = amount_field(&solvency["liabilities"]["treasury"])
        .context("the pool's solvency has no liabilities.treasury")?;
    Ok(Ledger {
        names,
        expected: start.clone(),
        start,
        lines: BTreeMap::new(),
        treasury_start,
        intake: vec![],
        treasury_withdrawn: 0,
        datanets: BTreeMap::new(),
        staking: Accumulator::default(),
        earnings: 0,
        host_earnings: BTreeMap::new(),
        pool_credits: BTreeMap::new(),
        fee_split,
        curators_bps,
        curators: BTreeMap::new(),
        curator_pending: BTreeMap::new(),
        registry: c.registry.clone(),
        pool: c.pool.clone(),
        models: c.models.clone(),
        escrow: c.escrow.clone(),
    })
}

/// Sets the pool's staking reward period (as its owner).
fn set_staking_period(b: &dyn Backend, period: u64) -> Result<()> {
    b.exec(
        "deployer",
        &b.contracts().pool,
        &pool::ExecuteMsg::UpdateConfig {
            registry: None,
            unbonding_period: None,
            staking_reward_period: Some(period),
            curators_bps: None,
        },
    )?;
    Ok(())
}

/// Before the story: the deployer (the pool's owner on a local chain) lowers the staking reward
/// period to `STORY_STAKING_PERIOD`, which also brings the end of a stream other tools left
/// running (a week by default) to within a second; the story waits until it has been released,
/// so that what the stakers collect first is all that earlier runs left them. Returns the
/// period to restore at the end.
fn flush_staking_stream(b: &dyn Backend) -> Result<Option<u64>> {
    let pool_addr = &b.contracts().pool;
    let cfg: pool::ConfigResponse = b.query(pool_addr, &pool::QueryMsg::Config {})?;
    let restore = if cfg.staking_reward_period > STORY_STAKING_PERIOD {
        set_staking_period(b, STORY_STAKING_PERIOD)
            .context("lower the staking reward period for the story")?;
        eprintln!(
            "[story] deployer lowers the staking reward period to {STORY_STAKING_PERIOD} s (from {} s) for the story",
            cfg.staking_reward_period
        );
        Some(cfg.staking_reward_period)
    } else {
        None
    };
    for _ in 0..30 {
        let staking: pool::StakingPoolResponse =
            b.query(pool_addr, &pool::QueryMsg::StakingPool {})?;
        if staking.streaming.is_zero() {
            return Ok(restore);
        }
        b.advance(1)?;
    }
    bail!("the stakers' reward stream still holds rewards 30 s after the period was lowered")
}

/// `key` executes `msg` on `contract` when `owed` is not zero; notes it in `settled`.
fn collect_if(
    b: &dyn Backend,
    owed: Uint128,
    key: &str,
    contract: &str,
    msg: &impl serde::Serialize,
    what: &str,
    settled: &mut Vec<String>,
) -> Result<()> {
    if !owed.is_zero() {
        b.exec(key, contract, msg)
            .with_context(|| format!("{key}: {what}"))?;
        settled.push(format!("{key} {}", what.replace("{}", &owed.to_string())));
    }
    Ok(())
}

/// curator2 claims what it earned as a curator of earlier runs' datanets (and any account
/// credits), page by page over the datanets it holds positions in.
fn settle_curator(b: &dyn Backend, curator: &str, settled: &mut Vec<String>) -> Result<()> {
    let c = b.contracts();
    let mut start_after = None;
    let mut owed: Vec<(u64, Uint128)> = vec![];
    let mut credits;
    loop {
        let page: pool::PendingRewardsResponse = b.query(
            &c.pool,
            &pool::QueryMsg::PendingRewards {
                address: curator.to_string(),
                datanet_ids: None,
                start_after,
                limit: Some(30),
            },
        )?;
        credits = page.credits;
        owed.extend(
            page.rewards
                .iter()
                .filter(|r| !(r.curator.is_zero() && r.amount.is_zero()))
                .map(|r| {
                    (
                        r.datanet_id,
                        r.curator.checked_add(r.amount).unwrap_or(r.curator),
                    )
                }),
        );
        match page.rewards.last() {
            Some(last) if page.rewards.len() == 30 => start_after = Some(last.datanet_id),
            _ => break,
        }
    }
    if owed.is_empty() && !credits.is_zero() {
        let msg = pool::ExecuteMsg::Claim {
            datanet_ids: Some(vec![]),
        };
        let what = "claimed {} in earlier credits";
        return collect_if(b, credits, "curator2", &c.pool, &msg, what, settled);
    }
    for chunk in owed.chunks(30) {
        let total = chunk
            .iter()
            .try_fold(Uint128::zero(), |acc, (_, a)| acc.checked_add(*a))?;
        let msg = pool::ExecuteMsg::Claim {
            datanet_ids: Some(chunk.iter().map(|(id, _)| *id).collect()),
        };
        let what = "claimed {} in earlier curators' shares";
        collect_if(b, total, "curator2", &c.pool, &msg, what, settled)?;
    }
    Ok(())
}

/// Before the story: every participant collects what earlier runs (or other tools) left it in
/// the pull-based balances the story pays out of, so each later payout is exactly the story's.
fn settle_leftovers(b: &dyn Backend, keys: &BTreeMap<&'static str, String>) -> Result<()> {
    let c = b.contracts();
    let mut settled = vec![];
    for key in [
        "contributor1",
        "contributor2",
        "contributor3",
        "contributor4",
    ] {
        let owed: Uint128 = b.query(
            &c.registry,
            &registry::QueryMsg::WithdrawableBonds {
                address: keys[key].clone(),
            },
        )?;
        let msg = registry::ExecuteMsg::WithdrawBonds {};
        let what = "withdrew {} in earlier bonds";
        collect_if(b, owed, key, &c.registry, &msg, what, &mut settled)?;
    }
    for (key, _) in STAKERS {
        let st: pool::StakerResponse = b.query(
            &c.pool,
            &pool::QueryMsg::Staker {
                address: keys[key].clone(),
            },
        )?;
        let msg = pool::ExecuteMsg::ClaimStakingRewards {};
        let what = "claimed {} in earlier staking rewards";
        collect_if(
            b,
            st.claimable_rewards,
            key,
            &c.pool,
            &msg,
            what,
            &mut settled,
        )?;
    }
    let earned: Uint128 = b.query(
        &c.models,
        &models::QueryMsg::Earnings {
            address: keys["model_owner"].clone(),
        },
    )?;
    let msg = models::ExecuteMsg::WithdrawEarnings {};
    let what = "withdrew {} in earlier earnings";
    collect_if(
        b,
        earned,
        "model_owner",
        &c.models,
        &msg,
        what,
        &mut settled,
    )?;
    // Royalties of derived models: credited to model_owner in the pool.
    let pending: pool::PendingRewardsResponse = b.query(
        &c.pool,
        &pool::QueryMsg::PendingRewards {
            address: keys["model_owner"].clone(),
            datanet_ids: Some(vec![]),
            start_after: None,
            limit: None,
        },
    )?;
    let msg = pool::ExecuteMsg::Claim {
        datanet_ids: Some(vec![]),
    };
    let what = "claimed {} in earlier royalties";
    collect_if(
        b,
        pending.credits,
        "model_owner",
        &c.pool,
        &msg,
        what,
        &mut settled,
    )?;
    // The hosts' parts of inferences the host served.
    let earned: Uint128 = b.query(
        &c.models,
        &models::QueryMsg::Earnings {
            address: keys["host"].clone(),
        },
    )?;
    let msg = models::ExecuteMsg::WithdrawEarnings {};
    let what = "withdrew {} in earlier hosting earnings";
    collect_if(b, earned, "host", &c.models, &msg, what, &mut settled)?;
    settle_curator(b, &keys["curator2"], &mut settled)?;
    if settled.is_empty() {
        eprintln!("[story] before the story: nothing left over from earlier runs");
    } else {
        eprintln!(
            "[story] before the story, collecting what earlier runs left: {}",
            settled.join("; ")
        );
    }
    Ok(())
}
