//! Flows run on a real chain by the test command, each asserting exact balances.

use std::path::Path;

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg};
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::reward_pool::{self as pool, Allocation};
use sha2::{Digest, Sha256};

use crate::chain::{Chain, TxResult};
use crate::manifest::Manifest;

pub struct Suite<'a> {
    pub chain: &'a Chain,
    pub token: String,
    pub registry: String,
    pub pool: String,
    /// Model licensing, once deployed.
    pub models: Option<String>,
}

impl<'a> Suite<'a> {
    pub fn load(chain: &'a Chain, repo: &Path) -> Result<Self> {
        let m = Manifest::of_chain(repo, chain)?;
        Ok(Suite {
            chain,
            token: m.address("open_token")?,
            registry: m.address("datanet_registry")?,
            pool: m.address("reward_pool")?,
            models: m.address("model_licensing").ok(),
        })
    }

    pub fn balance(&self, addr: &str) -> Result<u128> {
        let r: BalanceResponse = self.chain.query(
            &self.token,
            &Cw20QueryMsg::Balance {
                address: addr.to_string(),
            },
        )?;
        Ok(r.balance.u128())
    }

    /// A cw20 `send` of OPEN from key `from` to `contract` with `hook`.
    pub fn send<T: serde::Serialize>(
        &self,
        from: &str,
        contract: &str,
        amount: u128,
        hook: &T,
    ) -> Result<TxResult> {
        self.chain.execute(
            &self.token,
            &Cw20ExecuteMsg::Send {
                contract: contract.to_string(),
                amount: Uint128::new(amount),
                msg: cosmwasm_std::to_json_binary(hook)?,
            },
            from,
            None,
        )
    }

    pub fn transfer(&self, from: &str, to: &str, amount: u128) -> Result<TxResult> {
        self.chain.execute(
            &self.token,
            &Cw20ExecuteMsg::Transfer {
                recipient: to.to_string(),
                amount: Uint128::new(amount),
            },
            from,
            None,
        )
    }

    /// Every contract of the suite holds at least what it owes. Only the verdict is read, so
    /// the check works with any version of the solvency responses.
    pub fn assert_solvent(&self) -> Result<()> {
        let mut contracts = vec![("reward pool", &self.pool), ("registry", &self.registry)];
        if let Some(models) = &self.models {
            contracts.push(("model licensing", models));
        }
        for (name, addr) in contracts {
            let s: serde_json::Value = self.chain.query(addr, &registry::QueryMsg::Solvency {})?;
            ensure!(s["solvent"] == true, "{name} insolvent: {s}");
        }
        Ok(())
    }
}

pub(crate) fn attr_u64(res: &TxResult, key: &str) -> Result<u64> {
    res.attr("wasm", key)
        .with_context(|| format!("transaction {} has no wasm.{key} event", res.hash))?
        .parse()
        .with_context(|| format!("wasm.{key} is not a number"))
}

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

/// Create a datanet, contribute with a bond, accept, distribute OPEN, claim, and check that the
/// contributor ends with exactly what it should.
pub fn datanet(chain: &Chain, repo: &Path) -> Result<()> {
    let s = Suite::load(chain, repo)?;
    let (deployer, owner, contributor) = ("deployer", "curator1", "contributor2");
    let contributor_addr = chain.key_address(contributor)?;
    let (bond, reward) = (250u128, 5_000u128);

    s.transfer(deployer, &contributor_addr, bond)?;
    let start = s.balance(&contributor_addr)?;

    let res = chain.execute(
        &s.registry,
        &registry::ExecuteMsg::CreateDatanet(NewDatanet {
            name: "chain-flow".into(),
            description: "datanet of the chain round trip".into(),
            metadata_uri: "ipfs://chain-flow".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::new(bond),
            attribution_mode: AttributionMode::Weight,
        }),
        owner,
        None,
    )?;
    let datanet_id = attr_u64(&res, "datanet_id")?;
    step(format!(
        "{owner} created datanet {datanet_id} (gas {})",
        res.gas_used
    ));

    // A fresh hash each run: hashes are unique per datanet, and each run has its own datanet,
    // but the data of a run should not look like a replay of another.
    let seed = format!("{}-{}", datanet_id, res.hash);
    let data_hash = hex::encode(Sha256::digest(seed.as_bytes()));
    let contribution = NewContribution {
        datanet_id,
        data_hash: data_hash.clone(),
        uri: "ipfs://chain-flow/sample".into(),
        size_bytes: 4_096,
        license_note: None,
    };

    // The contributor first commits to sha256(data_hash ‖ address); a copier who then sees the
    // hash and contributes it plainly is displaced by the reveal, and gets its bond back.
    let copier = "contributor3";
    let copier_addr = chain.key_address(copier)?;
    s.transfer(deployer, &copier_addr, bond)?;
    let copier_start = s.balance(&copier_addr)?;
    let res = chain.execute(
        &s.registry,
        &registry::ExecuteMsg::CommitContribution {
            datanet_id,
            commitment: registry::contribution_commitment(&data_hash, &contributor_addr),
        },
        contributor,
        None,
    )?;
    step(format!(
        "{contributor} committed to its data hash (gas {})",
        res.gas_used
    ));
    let res = s.send(
        copier,
        &s.registry,
        bond,
        &registry::ReceiveMsg::Contribute(contribution.clone()),
    )?;
    let copy_id = attr_u64(&res, "contribution_id")?;
    let res = s.send(
        contributor,
        &s.registry,
        bond,
        &registry::ReceiveMsg::RevealContribution(contribution),
    )?;
    let contribution_id = attr_u64(&res, "contribution_id")?;
    ensure!(
        attr_u64(&res, "displaced_id")? == copy_id,
        "the reveal did not displace the copy #{copy_id}"
    );
    step(format!(
        "{copier} copied the hash (#{copy_id}); {contributor} revealed it: #{contribution_id} with a bond of {bond}, the copy displaced (gas {})",
        res.gas_used
    ));
    ensure!(
        s.balance(&contributor_addr)? == start - bond,
        "bond not taken"
    );
    let copy: registry::ContributionResponse = chain.query(
        &s.registry,
        &registry::QueryMsg::Contribution {
            contribution_id: copy_id,
        },
    )?;
    ensure!(
        copy.status == registry::ContributionStatus::Displaced,
        "the copy #{copy_id} is {:?}",
        copy.status
    );
    chain.execute(
        &s.registry,
        &registry::ExecuteMsg::WithdrawBonds {},
        copier,
        None,
    )?;
    ensure!(
        s.balance(&copier_addr)? == copier_start,
        "the displaced copier did not get its bond back"
    );
    step(format!("{copier} withdrew its bond back ({bond})"));

    let res = chain.execute(
        &s.registry,
        &registry::ExecuteMsg::ReviewContributions {
            datanet_id,
            decisions: vec![ReviewDecision::Accept {
                contribution_id,
                weight: 100,
            }],
        },
        owner,
        None,
    )?;
    step(format!(
        "{owner} accepted #{contribution_id} with weight 100 (gas {})",
        res.gas_used
    ));

    let res = s.send(
        deployer,
        &s.pool,
        reward,
        &pool::ReceiveMsg::Distribute {
            allocations: vec![Allocation::Datanet {
                id: datanet_id,
                amount: Uint128::new(reward),
            }],
        },
    )?;
    step(format!(
        "{deployer} distributed {reward} OPEN units to datanet {datanet_id} (gas {})",
        res.gas_used
    ));
    s.assert_solvent()?;

    let res = chain.execute(
        &s.pool,
        &pool::ExecuteMsg::Claim {
            datanet_ids: Some(vec![datanet_id]),
        },
        contributor,
        None,
    )?;
    step(format!("{contributor} claimed (gas {})", res.gas_used));
    let res = chain.execute(
        &s.registry,
        &registry::ExecuteMsg::WithdrawBonds {},
        contributor,
        None,
    )?;
    step(format!(
        "{contributor} withdrew the returned bond (gas {})",
        res.gas_used
    ));

    let end = s.balance(&contributor_addr)?;
    ensure!(
        end == start + reward,
        "{contributor} holds {end} OPEN units; expected {} (start {start} + reward {reward}, bond returned)",
        start + reward
    );
    s.assert_solvent()?;
    step(format!("{contributor}: {start} -> {end} OPEN units (+{reward}): as expected; both contracts solvent"));
    Ok(())
}
