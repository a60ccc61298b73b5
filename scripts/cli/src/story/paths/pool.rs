//! The pool's paths (a challenged root voided with the attestor's slash; an unstake withdrawn
//! after the unbonding period) and model licensing's licensed inference.

use anyhow::{ensure, Context, Result};
use cosmwasm_std::{HexBinary, Uint128};
use openledger_common::merkle::Entry;
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewDatanet,
};
use openledger_common::msg::model_licensing as models;
use openledger_common::msg::reward_pool::{self as pool, Allocation};
use openledger_economics::bps_floor;

use super::{i, u, Paths};
use crate::flow_influence::Tree;
use crate::story::account::amount_field;

/// The challenge window while the challenged root is pending, in seconds: long enough for the
/// challenge to land inside it on a real chain.
const CHALLENGE_WINDOW: u64 = 10;
/// What the influence datanet of the challenge receives (and its one leaf claims).
const RECEIVED: u128 = 1_000;
/// What staker1 unstakes and withdraws.
const UNSTAKED: u128 = 200;

impl Paths<'_> {
    /// The pool's treasury (a liability of its solvency).
    fn treasury(&self) -> Result<u128> {
        let v: serde_json::Value =
            self.b
                .query_ctx(&self.c.pool, &pool::QueryMsg::Solvency {}, "pool solvency")?;
        amount_field(&v["liabilities"]["treasury"])
            .context("the pool's solvency has no liabilities.treasury")
    }

    fn attestor_bond(&self) -> Result<u128> {
        let a: pool::AttestorResponse = self.b.query_ctx(
            &self.c.pool,
            &pool::QueryMsg::Attestor {
                address: self.who("attestor")?,
            },
            "attestor",
        )?;
        ensure!(
            a.approved,
            "the attestor is not approved (tell the story first)"
        );
        Ok(a.bond.u128())
    }

    fn set_pool(&self, msg: &pool::ExecuteMsg, what: &str) -> Result<()> {
        self.b.exec_ctx("deployer", &self.c.pool, msg, what)?;
        Ok(())
    }

    fn window_msg(window: u64) -> pool::ExecuteMsg {
        pool::ExecuteMsg::UpdateAttributionConfig {
            challenge_window: Some(window),
            attestor_bond: None,
            challenge_bond: None,
        }
    }

    /// `record_licensed_inference`: client records an inference its licence of the story's
    /// model covers; its quota counts it and no OPEN moves.
    pub(super) fn record_licensed_inference(&mut self, model_id: u64) -> Result<()> {
        let licensee = self.who("client")?;
        let licence = || -> Result<models::LicenseResponse> {
            self.b.query_ctx(
                &self.c.models,
                &models::QueryMsg::License {
                    model_id,
                    licensee: licensee.clone(),
                },
                "licence",
            )
        };
        let used = licence()?.inferences_used;
        let w = self.watch(&["client", "models", "pool"])?;
        let inference_id = format!("paths-{}-licensed", self.tag);
        let msg = models::ExecuteMsg::RecordLicensedInference {
            model_id,
            inference_id: inference_id.clone(),
        };
        self.b.exec_ctx(
            "client",
            &self.c.models,
            &msg,
            "record a licensed inference",
        )?;
        let record: models::InferenceResponse = self.b.query_ctx(
            &self.c.models,
            &models::QueryMsg::Inference {
                model_id,
                payer: licensee.clone(),
                inference_id,
            },
            "inference",
        )?;
        let now_used = licence()?.inferences_used;
        ensure!(
            record.licensed && record.fee.is_zero() && now_used == used + 1,
            "the licensed inference was recorded as {record:?}; the licence counts {now_used} (was {used})"
        );
        self.expect(
            &w,
            &[],
            format!("client records an inference of model {model_id} under its licence (record_licensed_inference): inference {now_used} of the quota, no fee"),
        )
    }

    /// `challenge_root`, voided: the attestor's reserved stake is slashed, the challenger gets
    /// its bond back with its reward, the rest of the slash goes to the treasury.
    pub(super) fn challenge_void_and_slash(&mut self) -> Result<()> {
        let cfg: pool::ConfigResponse =
            self.b
                .query_ctx(&self.c.pool, &pool::QueryMsg::Config {}, "pool config")?;
        self.set_pool(
            &Self::window_msg(CHALLENGE_WINDOW),
            "set the challenge window",
        )?;
        let outcome = self.challenge(&cfg);
        let restored = self.set_pool(
            &Self::window_msg(cfg.challenge_window),
            "restore the challenge window",
        );
        outcome?;
        restored
    }

    fn challenge(&mut self, cfg: &pool::ConfigResponse) -> Result<()> {
        let create = registry::ExecuteMsg::CreateDatanet(NewDatanet {
            name: format!("paths-influence-{}", self.tag),
            description: "an influence datanet whose first root is challenged".into(),
            metadata_uri: format!("ipfs://paths-{}/influence", self.tag),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Influence,
        });
        let res = self
            .b
            .exec_ctx("curator2", &self.c.registry, &create, "create")?;
        let d = res.attr_u64("datanet_id")?;
        let allocations = vec![Allocation::Datanet {
            id: d,
            amount: Uint128::new(RECEIVED),
            version: None,
        }];
        let hook = pool::ReceiveMsg::Distribute { allocations };
        self.b
            .send_ctx("deployer", &self.c.pool, RECEIVED, &hook, "distribute")?;
        let bond = cfg.challenge_bond.u128();
        self.fund("contributor4", bond)?;
        let entries = vec![Entry {
            address: self.who("contributor1")?,
            cumulative_amount: RECEIVED,
        }];
        let tree = Tree::new(d, entries)?;
        let (attestor_before, treasury_before) = (self.attestor_bond()?, self.treasury()?);
        let w = self.watch(&["contributor4", "attestor", "pool"])?;
        let post = pool::ExecuteMsg::PostAttributionRoot {
            datanet_id: d,
            epoch: 1,
            root: HexBinary::from(tree.tree.root().as_slice()),
            cumulative_total: Uint128::new(tree.total),
            version: None,
        };
        self.b
            .exec_ctx("attestor", &self.c.pool, &post, "post a root")?;
        let hook = pool::ReceiveMsg::ChallengeRoot {
            datanet_id: d,
            epoch: 1,
        };
        self.b
            .send_ctx("contributor4", &self.c.pool, bond, &hook, "challenge")?;
        self.b.advance(CHALLENGE_WINDOW + 1)?;
        let resolve = pool::ExecuteMsg::ResolveChallenge {
            datanet_id: d,
            epoch: 1,
            void: true,
        };
        self.set_pool(&resolve, "void the root")?;
        let withdraw = pool::ExecuteMsg::WithdrawChallenge { datanet_id: d };
        self.b
            .exec_ctx("contributor4", &self.c.pool, &withdraw, "withdraw")?;
        let slash = attestor_before - self.attestor_bond()?;
        let reward = bps_floor(slash, cfg.challenger_reward_bps)?;
        let to_treasury = self.treasury()? - treasury_before;
        ensure!(
            slash == cfg.attestor_bond.u128() && to_treasury == slash - reward,
            "the void slashed {slash} of the attestor's bond (its root reserved {}) and sent {to_treasury} to the treasury; expected {} of it",
            cfg.attestor_bond,
            slash - reward
        );
        self.expect(
            &w,
            &[("contributor4", i(reward)), ("pool", -i(reward))],
            format!("attestor posts datanet {d}'s root; contributor4 challenges it with a bond of {} (challenge_root); the owner voids it after the window: the attestor's {} stake slashed, {} to the treasury, the challenger's bond back with a reward of {}", u(bond), u(slash), u(slash - reward), u(reward)),
        )?;
        // The attestor bonds again what it lost, so later roots and flows find it as it was.
        self.fund("attestor", slash)?;
        let rebond = pool::ReceiveMsg::BondAttestor {};
        self.b
            .send_ctx("attestor", &self.c.pool, slash, &rebond, "bond again")?;
        let bond = self.attestor_bond()?;
        ensure!(
            bond == attestor_before,
            "the attestor's bond is {bond} after bonding again; it was {attestor_before}"
        );
        Ok(())
    }

    /// `unstake` and `withdraw_unbonded`, with the pool's unbonding period set to 0 for the
    /// path and restored after it.
    pub(super) fn withdraw_unbonded(&mut self) -> Result<()> {
        let cfg: pool::ConfigResponse =
            self.b
                .query_ctx(&self.c.pool, &pool::QueryMsg::Config {}, "pool config")?;
        let period = |p: u64| pool::ExecuteMsg::UpdateConfig {
            registry: None,
            unbonding_period: Some(p),
            staking_reward_period: None,
            curators_bps: None,
        };
        self.set_pool(&period(0), "set the unbonding period to 0")?;
        let outcome = self.unstake_and_withdraw();
        let restored = self.set_pool(
            &period(cfg.unbonding_period),
            "restore the unbonding period",
        );
        outcome?;
        restored
    }

    fn unstake_and_withdraw(&mut self) -> Result<()> {
        let w = self.watch(&["staker1", "pool"])?;
        let unstake = pool::ExecuteMsg::Unstake {
            amount: Uint128::new(UNSTAKED),
        };
        self.b
            .exec_ctx("staker1", &self.c.pool, &unstake, "unstake")?;
        let withdraw = pool::ExecuteMsg::WithdrawUnbonded {};
        self.b
            .exec_ctx("staker1", &self.c.pool, &withdraw, "withdraw unbonded")?;
        self.expect(
            &w,
            &[("staker1", i(UNSTAKED)), ("pool", -i(UNSTAKED))],
            format!("staker1 unstakes {UNSTAKED} (unstake) and, the unbonding period passed (0 s for the path), withdraws it (withdraw_unbonded)"),
        )
    }
}
