//! The registry's paths: a contributor withdraws a pending contribution and its bond, a curator
//! removes an accepted contribution (which then earns nothing more), and the owner closes the
//! datanet (a later contribution is refused and moves nothing).

use anyhow::{bail, ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, ContributionStatus, NewContribution,
    NewDatanet, ReviewDecision,
};
use openledger_common::msg::reward_pool::{self as pool, Allocation};

use super::{i, u, Paths};

/// The paths' datanet bond.
const BOND: u128 = 100;
/// What the deployer distributes to the datanet after the removal.
const REWARD: u128 = 1_000;

impl Paths<'_> {
    fn contribution(&self, datanet_id: u64, key: &str) -> NewContribution {
        NewContribution {
            datanet_id,
            data_hash: self.data_hash(&format!("{datanet_id}-{key}")),
            uri: format!("ipfs://paths-{}/{key}.jsonl", self.tag),
            size_bytes: 1 << 10,
            license_note: None,
        }
    }

    /// `key` contributes to `datanet_id` with the bond; the contribution's id.
    fn contribute(&self, datanet_id: u64, key: &str) -> Result<u64> {
        let hook = registry::ReceiveMsg::Contribute(self.contribution(datanet_id, key));
        let res = self
            .b
            .send_ctx(key, &self.c.registry, BOND, &hook, "contribute with a bond")?;
        res.attr_u64("contribution_id")
    }

    fn status(&self, contribution_id: u64) -> Result<ContributionStatus> {
        let c: registry::ContributionResponse = self.b.query_ctx(
            &self.c.registry,
            &registry::QueryMsg::Contribution { contribution_id },
            "contribution",
        )?;
        Ok(c.status)
    }

    /// `withdraw_contribution`, `remove_contribution` and `close_datanet` on a datanet of
    /// their own.
    pub(super) fn registry_paths(&mut self) -> Result<()> {
        let res = self.b.exec_ctx(
            "curator1",
            &self.c.registry,
            &registry::ExecuteMsg::CreateDatanet(NewDatanet {
                name: format!("paths-{}", self.tag),
                description: "the registry paths the story does not take".into(),
                metadata_uri: format!("ipfs://paths-{}", self.tag),
                curators: vec![],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::new(BOND),
                attribution_mode: AttributionMode::Weight,
            }),
            "create the paths' datanet",
        )?;
        let d = res.attr_u64("datanet_id")?;
        for key in ["contributor1", "contributor2", "contributor3"] {
            self.fund(key, BOND)?;
        }
        self.withdraw_contribution(d)?;
        self.remove_contribution(d)?;
        self.close_datanet(d)
    }

    fn withdraw_contribution(&mut self, d: u64) -> Result<()> {
        let w = self.watch(&["contributor1", "registry"])?;
        let id = self.contribute(d, "contributor1")?;
        self.b.exec_ctx(
            "contributor1",
            &self.c.registry,
            &registry::ExecuteMsg::WithdrawContribution {
                contribution_id: id,
            },
            "withdraw a pending contribution",
        )?;
        let status = self.status(id)?;
        ensure!(
            status == ContributionStatus::Withdrawn,
            "contribution {id} is {status:?} after its withdrawal"
        );
        self.b.exec_ctx(
            "contributor1",
            &self.c.registry,
            &registry::ExecuteMsg::WithdrawBonds {},
            "withdraw the returned bond",
        )?;
        self.expect(
            &w,
            &[],
            format!("contributor1 contributes #{id} to datanet {d} with a bond of {BOND}, withdraws it while pending (withdraw_contribution) and takes the bond back"),
        )
    }

    fn remove_contribution(&mut self, d: u64) -> Result<()> {
        let ids = [
            self.contribute(d, "contributor2")?,
            self.contribute(d, "contributor3")?,
        ];
        let decisions = ids
            .iter()
            .map(|&contribution_id| ReviewDecision::Accept {
                contribution_id,
                weight: 100,
            })
            .collect();
        let review = registry::ExecuteMsg::ReviewContributions {
            datanet_id: d,
            decisions,
        };
        self.b
            .exec_ctx("curator1", &self.c.registry, &review, "accept both")?;
        for key in ["contributor2", "contributor3"] {
            let msg = registry::ExecuteMsg::WithdrawBonds {};
            self.b
                .exec_ctx(key, &self.c.registry, &msg, "withdraw the returned bond")?;
        }
        let remove = registry::ExecuteMsg::RemoveContribution {
            contribution_id: ids[0],
            reason: "the licence of the source was withdrawn".into(),
        };
        self.b.exec_ctx(
            "curator1",
            &self.c.registry,
            &remove,
            "remove a contribution",
        )?;
        let status = self.status(ids[0])?;
        ensure!(
            status == ContributionStatus::Removed,
            "contribution {} is {status:?} after its removal",
            ids[0]
        );
        // The version published after the removal holds contributor3 only; a fee for it
        // reaches nobody else.
        let publish = registry::ExecuteMsg::PublishVersion { datanet_id: d };
        self.b
            .exec_ctx("curator1", &self.c.registry, &publish, "publish a version")?;
        let w = self.watch(&["deployer", "contributor2", "contributor3", "pool"])?;
        let allocations = vec![Allocation::Datanet {
            id: d,
            amount: Uint128::new(REWARD),
            version: None,
        }];
        let hook = pool::ReceiveMsg::Distribute { allocations };
        self.b
            .send_ctx("deployer", &self.c.pool, REWARD, &hook, "distribute")?;
        let claim = pool::ExecuteMsg::Claim {
            datanet_ids: Some(vec![d]),
        };
        self.b
            .exec_ctx("contributor3", &self.c.pool, &claim, "claim")?;
        // The removed contribution earns nothing more.
        let pending: pool::PendingRewardsResponse = self.b.query_ctx(
            &self.c.pool,
            &pool::QueryMsg::PendingRewards {
                address: self.who("contributor2")?,
                datanet_ids: Some(vec![d]),
                start_after: None,
                limit: None,
            },
            "pending rewards",
        )?;
        ensure!(
            pending.total.is_zero(),
            "the removed contributor2 has {} pending in datanet {d}",
            pending.total
        );
        self.expect(
            &w,
            &[("deployer", -i(REWARD)), ("contributor3", i(REWARD))],
            format!("curator1 removes contributor2's accepted #{} (remove_contribution) and publishes a version; the {} the deployer then distributes to datanet {d}'s latest version all goes to contributor3", ids[0], u(REWARD)),
        )
    }

    fn close_datanet(&mut self, d: u64) -> Result<()> {
        let w = self.watch(&["contributor1", "registry"])?;
        let close = registry::ExecuteMsg::CloseDatanet { datanet_id: d };
        self.b
            .exec_ctx("curator1", &self.c.registry, &close, "close the datanet")?;
        self.fund("contributor1", BOND)?;
        let hook = registry::ReceiveMsg::Contribute(self.contribution(d, "late"));
        match self.b.send("contributor1", &self.c.registry, BOND, &hook) {
            Err(e) if format!("{e:#}").contains("is closed") => {}
            Err(e) => bail!("a contribution to the closed datanet {d} failed otherwise: {e:#}"),
            Ok(_) => bail!("the closed datanet {d} took a contribution"),
        }
        self.expect(
            &w,
            &[("contributor1", i(BOND))],
            format!("curator1 closes datanet {d} (close_datanet); a later contribution is refused and moves nothing (contributor1 keeps the {BOND} it was given)"),
        )
    }
}
