//! Steps 24–29: everyone collects. Contributors claim their weight-mode rewards and withdraw
//! their returned bonds, stakers claim, the model owner withdraws its earnings, the curator
//! claims its share of datanet A's income and the host its share of the fees it served, and
//! the pool's owner moves the story's treasury intake to the treasury account.

use anyhow::{bail, ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::datanet_registry as registry;
use openledger_common::msg::model_licensing as models;
use openledger_common::msg::reward_pool as pool;

use openledger_economics::REWARD_SCALE;

use super::ledger::DatanetModel;
use super::plan::units;
use super::{gas_each, Story, A_CONTRIBUTORS, BOND, CONCURRENCY_HINT, STAKERS};

impl Story<'_> {
    /// 24–29: everyone collects.
    pub(super) fn collect(&mut self) -> Result<()> {
        self.claim_weight()?;
        self.withdraw_bonds()?;
        self.claim_staking()?;
        self.withdraw_earnings()?;
        self.curator_and_host()?;
        self.withdraw_treasury()
    }

    /// 28: curator2 claims its curators' share of datanet A's income in the pool; the host
    /// withdraws the hosts' part of the inferences it served (signed receipts) from model
    /// licensing.
    pub(super) fn curator_and_host(&mut self) -> Result<()> {
        let a = self.a;
        let pool_addr = self.c.pool.clone();
        let models_addr = self.ledger.models.clone();
        let curator = self.addr("curator2")?;
        let expected = self
            .ledger
            .curator_pending
            .remove(&curator)
            .unwrap_or_default();
        let pending: pool::PendingRewardsResponse = self.query(
            &pool_addr,
            &pool::QueryMsg::PendingRewards {
                address: curator.clone(),
                datanet_ids: Some(vec![a]),
                start_after: None,
                limit: None,
            },
            "curator2's pending rewards",
        )?;
        ensure!(
            pending.curator_total.u128() == expected && pending.total.is_zero(),
            "the pool owes curator2 {} as curator of datanet {a} (and {} as contributor); the ledger expects {expected} and nothing{CONCURRENCY_HINT}",
            pending.curator_total,
            pending.total
        );
        let mut curator_gas = None;
        if expected > 0 {
            let res = self.exec(
                &pool_addr,
                &pool::ExecuteMsg::Claim {
                    datanet_ids: Some(vec![a]),
                },
                "curator2",
                "claim the curators' share",
            )?;
            self.ledger.mv(
                &pool_addr,
                &curator,
                expected,
                "curators' shares paid",
                &format!("curators' share of datanet {a}"),
            )?;
            curator_gas = Some(self.gas("claim (curator, 1 datanet)", &res));
        }
        let host = self.addr("host")?;
        let hosting = self.ledger.host_earnings.remove(&host).unwrap_or_default();
        let credited: Uint128 = self.query(
            &models_addr,
            &models::QueryMsg::Earnings {
                address: host.clone(),
            },
            "the host's earnings",
        )?;
        ensure!(
            credited.u128() == hosting,
            "model licensing credits the host {credited}; the ledger expects {hosting}{CONCURRENCY_HINT}"
        );
        let mut host_gas = None;
        if hosting > 0 {
            let res = self.exec(
                &models_addr,
                &models::ExecuteMsg::WithdrawEarnings {},
                "host",
                "withdraw the hosts' part",
            )?;
            self.ledger.mv(
                &models_addr,
                &host,
                hosting,
                "hosts' parts paid",
                &format!("hosting, model {}", self.model),
            )?;
            host_gas = Some(self.gas("withdraw_earnings (host)", &res));
        }
        let gas = |g: Option<u64>| g.map_or("nothing to pay".to_string(), |g| format!("gas {g}"));
        self.done(format!(
            "curator2 claims its curators' share of datanet {a}'s income: +{} ({}); the host withdraws its part of the inferences it served with signed receipts: +{} ({})",
            units(expected),
            gas(curator_gas),
            units(hosting),
            gas(host_gas)
        ))
    }

    /// 24: contributor1..4 claim their weight-mode rewards.
    pub(super) fn claim_weight(&mut self) -> Result<()> {
        let a = self.a;
        let pool_addr = self.c.pool.clone();
        // Weight-mode rewards: each version's fees over that version's weights, summed; asserted
        // first against the pool's own view, then by the claims.
        let mut expected = vec![];
        for key in A_CONTRIBUTORS {
            let addr = self.addr(key)?;
            let amount = match self.ledger.datanets.get(&a) {
                Some(DatanetModel::Weight(versions)) => versions.claimable(&addr)?,
                _ => bail!("datanet {a} is not a weight datanet in the ledger"),
            };
            let pending: pool::PendingRewardsResponse = self.query(
                &pool_addr,
                &pool::QueryMsg::PendingRewards {
                    address: addr.clone(),
                    datanet_ids: Some(vec![a]),
                    start_after: None,
                    limit: None,
                },
                "pending rewards",
            )?;
            ensure!(
                pending.total.u128() == amount,
                "the pool reports {} claimable for {key} in datanet {a}; the ledger expects {amount}{CONCURRENCY_HINT}",
                pending.total
            );
            expected.push((key, addr, amount));
        }
        let msg = pool::ExecuteMsg::Claim {
            datanet_ids: Some(vec![a]),
        };
        let calls = expected
            .iter()
            .map(|(key, _, _)| self.call(key, &self.c.pool, &msg))
            .collect::<Result<Vec<_>>>()?;
        let results = self.all(calls, "claim weight-mode rewards")?;
        let mut paid = vec![];
        for (key, addr, amount) in &expected {
            self.ledger.mv(
                &pool_addr,
                addr,
                *amount,
                "contributor rewards",
                &format!("rewards, datanet {a} (by version)"),
            )?;
            if let Some(DatanetModel::Weight(versions)) = self.ledger.datanets.get_mut(&a) {
                versions.claim(addr)?;
            }
            paid.push(format!("{key} +{}", units(*amount)));
        }
        let credited = match self.ledger.datanets.get(&a) {
            Some(DatanetModel::Weight(versions)) => versions.credited()?,
            _ => 0,
        };
        let (gas, least) = gas_each(&results);
        self.gas
            .push(("claim (weight mode, 1 datanet)".into(), least));
        self.done(format!(
            "contributor1..4 claim their shares of the {} datanet {a}'s versions were credited, each by the versions it is in: {} (gas {gas})",
            units(credited),
            paid.join(", ")
        ))
    }

    /// 25: contributor1..4 withdraw the bonds their accepted contributions returned.
    pub(super) fn withdraw_bonds(&mut self) -> Result<()> {
        let a = self.a;
        let registry_addr = self.c.registry.clone();
        let keys: Vec<&str> = A_CONTRIBUTORS.to_vec();
        let calls = keys
            .iter()
            .map(|key| self.call(key, &registry_addr, &registry::ExecuteMsg::WithdrawBonds {}))
            .collect::<Result<Vec<_>>>()?;
        let results = self.all(calls, "withdraw returned bonds")?;
        for key in &keys {
            let addr = self.addr(key)?;
            self.ledger.mv(
                &registry_addr,
                &addr,
                BOND,
                "bonds returned",
                &format!("bond returned, datanet {a}"),
            )?;
        }
        let (gas, least) = gas_each(&results);
        self.gas.push(("withdraw_bonds".into(), least));
        self.done(format!(
            "contributor1..4 withdraw the bonds their accepted contributions returned, {BOND} each; contributor4's first, rejected one stays with the treasury (gas {gas})"
        ))
    }

    /// 26: staker1 and staker2 claim their staking rewards.
    pub(super) fn claim_staking(&mut self) -> Result<()> {
        let pool_addr = self.c.pool.clone();
        // Staking rewards: Σ stakers' allocations × stake / total stake, whole by the plan.
        let mut expected = vec![];
        for (key, _) in STAKERS {
            let addr = self.addr(key)?;
            let scaled = self.ledger.staking.earned_scaled(&addr)?;
            ensure!(
                scaled % REWARD_SCALE == 0,
                "{key}'s staking reward is not a whole number of units"
            );
            let amount = scaled / REWARD_SCALE;
            let st: pool::StakerResponse = self.query(
                &pool_addr,
                &pool::QueryMsg::Staker {
                    address: addr.clone(),
                },
                "staker",
            )?;
            ensure!(
                st.claimable_rewards.u128() == amount,
                "the pool reports {} staking rewards claimable for {key}; the ledger expects {amount}{CONCURRENCY_HINT}",
                st.claimable_rewards
            );
            expected.push((key, addr, amount));
        }
        let calls = expected
            .iter()
            .map(|(key, _, _)| {
                self.call(key, &pool_addr, &pool::ExecuteMsg::ClaimStakingRewards {})
            })
            .collect::<Result<Vec<_>>>()?;
        let results = self.all(calls, "claim staking rewards")?;
        let mut paid = vec![];
        for (key, addr, amount) in &expected {
            self.ledger.mv(
                &pool_addr,
                addr,
                *amount,
                "staking rewards",
                "staking rewards",
            )?;
            paid.push(format!("{key} +{}", units(*amount)));
        }
        let (gas, least) = gas_each(&results);
        self.gas.push(("claim_staking_rewards".into(), least));
        self.done(format!(
            "staker1 and staker2 claim their staking rewards on the {} the stakers received: {} (gas {gas})",
            units(self.ledger.staking.credited),
            paid.join(", ")
        ))
    }

    /// 27: model_owner withdraws its earnings and claims its royalties in the pool.
    pub(super) fn withdraw_earnings(&mut self) -> Result<()> {
        let owner = self.addr("model_owner")?;
        let models_addr = self.ledger.models.clone();
        let earnings = self.ledger.earnings;
        let credited: Uint128 = self.query(
            &models_addr,
            &models::QueryMsg::Earnings {
                address: owner.clone(),
            },
            "earnings",
        )?;
        ensure!(
            credited.u128() == earnings,
            "model licensing credits model_owner {credited}; the ledger expects {earnings}{CONCURRENCY_HINT}"
        );
        let res = self.exec(
            &models_addr,
            &models::ExecuteMsg::WithdrawEarnings {},
            "model_owner",
            "withdraw earnings",
        )?;
        self.ledger.mv(
            &models_addr,
            &owner,
            earnings,
            "owner earnings paid",
            &format!("model earnings, model {}", self.model),
        )?;
        self.ledger.earnings = 0;
        let gas = self.gas("withdraw_earnings", &res);
        // The royalties model 1's derived model paid: account credits in the pool.
        let pool_addr = self.c.pool.clone();
        let royalties = self.ledger.pool_credits.remove(&owner).unwrap_or_default();
        let pending: pool::PendingRewardsResponse = self.query(
            &pool_addr,
            &pool::QueryMsg::PendingRewards {
                address: owner.clone(),
                datanet_ids: Some(vec![]),
                start_after: None,
                limit: None,
            },
            "pending credits",
        )?;
        ensure!(
            pending.credits.u128() == royalties,
            "the pool credits model_owner {}; the ledger expects {royalties} in royalties{CONCURRENCY_HINT}",
            pending.credits
        );
        self.exec(
            &pool_addr,
            &pool::ExecuteMsg::Claim {
                datanet_ids: Some(vec![]),
            },
            "model_owner",
            "claim royalties",
        )?;
        self.ledger.mv(
            &pool_addr,
            &owner,
            royalties,
            "royalties paid",
            &format!("royalties of model {}", self.model),
        )?;
        self.done(format!(
            "model_owner withdraws the owner's shares credited in model licensing: +{} (gas {gas}), and claims the royalties its derived model paid it in the pool: +{}",
            units(earnings),
            units(royalties)
        ))
    }

    /// 29: the pool owner moves the story's treasury intake to the treasury account.
    pub(super) fn withdraw_treasury(&mut self) -> Result<()> {
        let pool_addr = self.c.pool.clone();
        let intake = self.ledger.intake_total();
        let treasury = self.addr("treasury")?;
        let res = self.exec(
            &pool_addr,
            &pool::ExecuteMsg::WithdrawTreasury {
                amount: Uint128::new(intake),
                recipient: Some(treasury.clone()),
            },
            "deployer",
            "withdraw the story's treasury intake",
        )?;
        self.ledger.mv(
            &pool_addr,
            &treasury,
            intake,
            "treasury withdrawn",
            "the story's treasury intake, withdrawn by the pool owner",
        )?;
        self.ledger.treasury_withdrawn += intake;
        let gas = self.gas("withdraw_treasury", &res);
        self.done(format!(
            "deployer, the pool's owner, moves the story's treasury intake ({}) to the treasury account (gas {gas})",
            units(intake)
        ))
    }
}
