//! Flows run by the test command, each asserting exact balances. Each is written against the
//! story's [`Backend`], so it runs on the real chain (`openledger flow-*`) and on cw-multi-test
//! (`cargo test`) from the same code.

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
use crate::story::backend::chain::ChainBackend;
use crate::story::backend::Backend;

/// The suite's addresses on a chain, for the tools that drive the chain directly.
pub struct Suite<'a> {
    /// The chain the suite runs on.
    pub chain: &'a Chain,
    /// The OPEN cw20 token.
    pub token: String,
    /// The datanet registry.
    pub registry: String,
    /// The reward pool.
    pub pool: String,
    /// Model licensing, once deployed.
    pub models: Option<String>,
}

impl<'a> Suite<'a> {
    /// The suite of the manifest of `chain` in `repo`.
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

    /// The OPEN balance of `addr`.
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

    /// Transfers `amount` OPEN from the key `from` to `to`.
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

/// The `wasm` attribute `key` of a transaction as a number.
pub(crate) fn attr_u64(res: &TxResult, key: &str) -> Result<u64> {
    res.attr("wasm", key)
        .with_context(|| format!("transaction {} has no wasm.{key} event", res.hash))?
        .parse()
        .with_context(|| format!("wasm.{key} is not a number"))
}

/// Every contract of the suite on `b` holds at least what it owes (only the verdict is read).
pub(crate) fn solvent(b: &dyn Backend) -> Result<()> {
    let c = b.contracts();
    for (name, addr) in [
        ("reward pool", &c.pool),
        ("registry", &c.registry),
        ("model licensing", &c.models),
        ("agent escrow", &c.escrow),
    ] {
        let s: serde_json::Value = b.query(addr, &registry::QueryMsg::Solvency {})?;
        ensure!(s["solvent"] == true, "{name} insolvent: {s}");
    }
    Ok(())
}

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

/// The OPEN balance of `key`.
fn balance_of(b: &dyn Backend, key: &str) -> Result<u128> {
    b.fast_balance_of(&b.address(key)?)
}

/// `openledger flow-datanet`: the datanet flow on the chain of the manifest.
pub fn datanet(chain: &Chain, repo: &Path) -> Result<()> {
    datanet_on(&ChainBackend::connect(chain, repo)?)
}

const DEPLOYER: &str = "deployer";
const OWNER: &str = "curator1";
const CONTRIBUTOR: &str = "contributor2";
const COPIER: &str = "contributor3";
const BOND: u128 = 250;
const REWARD: u128 = 5_000;

/// Create a datanet, contribute with a bond (committed first, so a copier of the hash is
/// displaced), accept, distribute OPEN, claim, and check that the contributor ends with
/// exactly what it should.
pub fn datanet_on(b: &dyn Backend) -> Result<()> {
    let c = b.contracts().clone();
    b.transfer(DEPLOYER, &b.address(CONTRIBUTOR)?, BOND)?;
    let start = balance_of(b, CONTRIBUTOR)?;

    let res = b.exec(
        OWNER,
        &c.registry,
        &registry::ExecuteMsg::CreateDatanet(NewDatanet {
            name: "chain-flow".into(),
            description: "datanet of the chain round trip".into(),
            metadata_uri: "ipfs://chain-flow".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::new(BOND),
            attribution_mode: AttributionMode::Weight,
        }),
    )?;
    let datanet_id = res.attr_u64("datanet_id")?;
    step(format!(
        "{OWNER} created datanet {datanet_id} (gas {})",
        res.gas_used
    ));
    // A fresh hash each run: hashes are unique per datanet, and each run has its own datanet,
    // but the data of a run should not look like a replay of another.
    let seed = format!("{}-{}-{}", datanet_id, res.hash, b.block_time()?);
    let contribution = NewContribution {
        datanet_id,
        data_hash: hex::encode(Sha256::digest(seed.as_bytes())),
        uri: "ipfs://chain-flow/sample".into(),
        size_bytes: 4_096,
        license_note: None,
    };
    let contribution_id = commit_and_reveal(b, contribution)?;
    ensure!(
        balance_of(b, CONTRIBUTOR)? == start - BOND,
        "bond not taken"
    );
    reward_and_claim(b, datanet_id, contribution_id, start)
}

/// The contributor first commits to sha256(data_hash ‖ address); a copier who then sees the
/// hash and contributes it plainly is displaced by the reveal, and gets its bond back. Returns
/// the revealed contribution's id.
fn commit_and_reveal(b: &dyn Backend, contribution: NewContribution) -> Result<u64> {
    let c = b.contracts().clone();
    let (datanet_id, contributor_addr) = (contribution.datanet_id, b.address(CONTRIBUTOR)?);
    b.transfer(DEPLOYER, &b.address(COPIER)?, BOND)?;
    let copier_start = balance_of(b, COPIER)?;
    let commitment = registry::contribution_commitment(&contribution.data_hash, &contributor_addr);
    let res = b.exec(
        CONTRIBUTOR,
        &c.registry,
        &registry::ExecuteMsg::CommitContribution {
            datanet_id,
            commitment,
        },
    )?;
    step(format!(
        "{CONTRIBUTOR} committed to its data hash (gas {})",
        res.gas_used
    ));
    let copy = registry::ReceiveMsg::Contribute(contribution.clone());
    let copy_id = b
        .send(COPIER, &c.registry, BOND, &copy)?
        .attr_u64("contribution_id")?;
    let reveal = registry::ReceiveMsg::RevealContribution(contribution);
    let res = b.send(CONTRIBUTOR, &c.registry, BOND, &reveal)?;
    let contribution_id = res.attr_u64("contribution_id")?;
    ensure!(
        res.attr_u64("displaced_id")? == copy_id,
        "the reveal did not displace the copy #{copy_id}"
    );
    step(format!(
        "{COPIER} copied the hash (#{copy_id}); {CONTRIBUTOR} revealed it: #{contribution_id} with a bond of {BOND}, the copy displaced (gas {})",
        res.gas_used
    ));
    let copy: registry::ContributionResponse = b.query(
        &c.registry,
        &registry::QueryMsg::Contribution {
            contribution_id: copy_id,
        },
    )?;
    ensure!(
        copy.status == registry::ContributionStatus::Displaced,
        "the copy #{copy_id} is {:?}",
        copy.status
    );
    b.exec(COPIER, &c.registry, &registry::ExecuteMsg::WithdrawBonds {})?;
    ensure!(
        balance_of(b, COPIER)? == copier_start,
        "the displaced copier did not get its bond back"
    );
    step(format!("{COPIER} withdrew its bond back ({BOND})"));
    Ok(contribution_id)
}

/// The owner accepts the contribution and publishes a version, the deployer distributes
/// `REWARD` to the datanet (its latest version), the contributor claims and withdraws its bond:
/// it ends with `start + REWARD`.
fn reward_and_claim(
    b: &dyn Backend,
    datanet_id: u64,
    contribution_id: u64,
    start: u128,
) -> Result<()> {
    let c = b.contracts().clone();
    let res = b.exec(
        OWNER,
        &c.registry,
        &registry::ExecuteMsg::ReviewContributions {
            datanet_id,
            decisions: vec![ReviewDecision::Accept {
                contribution_id,
                weight: 100,
            }],
        },
    )?;
    step(format!(
        "{OWNER} accepted #{contribution_id} with weight 100 (gas {})",
        res.gas_used
    ));
    let res = b.exec(
        OWNER,
        &c.registry,
        &registry::ExecuteMsg::PublishVersion { datanet_id },
    )?;
    step(format!(
        "{OWNER} published the datanet's next version, which holds the contribution (gas {})",
        res.gas_used
    ));
    let distribute = pool::ReceiveMsg::Distribute {
        allocations: vec![Allocation::Datanet {
            id: datanet_id,
            amount: Uint128::new(REWARD),
            version: None,
        }],
    };
    let res = b.send(DEPLOYER, &c.pool, REWARD, &distribute)?;
    step(format!(
        "{DEPLOYER} distributed {REWARD} OPEN units to datanet {datanet_id} (gas {})",
        res.gas_used
    ));
    solvent(b)?;
    let claim = pool::ExecuteMsg::Claim {
        datanet_ids: Some(vec![datanet_id]),
    };
    let res = b.exec(CONTRIBUTOR, &c.pool, &claim)?;
    step(format!("{CONTRIBUTOR} claimed (gas {})", res.gas_used));
    let res = b.exec(
        CONTRIBUTOR,
        &c.registry,
        &registry::ExecuteMsg::WithdrawBonds {},
    )?;
    step(format!(
        "{CONTRIBUTOR} withdrew the returned bond (gas {})",
        res.gas_used
    ));
    let end = balance_of(b, CONTRIBUTOR)?;
    ensure!(
        end == start + REWARD,
        "{CONTRIBUTOR} holds {end} OPEN units; expected {} (start {start} + reward {REWARD}, bond returned)",
        start + REWARD
    );
    solvent(b)?;
    step(format!("{CONTRIBUTOR}: {start} -> {end} OPEN units (+{REWARD}): as expected; every contract solvent"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::story::backend::mock::MockBackend;

    #[test]
    fn the_datanet_flow_holds_on_the_mock_backend() {
        let b = MockBackend::deploy().unwrap();
        super::datanet_on(&b).unwrap();
        super::datanet_on(&b).unwrap();
    }
}
