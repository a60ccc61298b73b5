//! Claims in datanets of 10 and of 1 000 contributors. The positions are made by a pool
//! instance of this run whose registry is the deployer's key, so 1 000 contributors cost 20
//! `update_weights` transactions instead of 1 000 signed contributions; the claim runs the
//! same code as in the suite's pool. Fees reach the contributors of a published version only,
//! so each datanet publishes its version 1 (as its registry would) before its fee.

use std::collections::BTreeMap;

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::reward_pool::{self as pool, Allocation, WeightUpdate};
use openledger_economics::Accumulator;
use sha2::{Digest, Sha256};

use super::{step, Bench, Recorder};
use crate::chain::TxResult;

/// Each position's weight in the bench pool.
pub(super) const WEIGHT: u128 = 10;
/// What each position is distributed.
const PER_POSITION: u128 = 1_000;

/// The bench pool: its address and the label its synthetic addresses derive from.
pub(super) type BenchPool = (String, String);

/// A valid address with the chain's prefix that nobody holds a key for: a position in the
/// pool, not a signer.
pub(super) fn synthetic_address(prefix: &str, seed: &str) -> Result<String> {
    let hrp = bech32::Hrp::parse(prefix).context("address prefix")?;
    let data = &Sha256::digest(seed.as_bytes())[..20];
    Ok(bech32::encode::<bech32::Bech32>(hrp, data)?)
}

/// What the first of `size` equal positions can claim after `PER_POSITION · size` is
/// distributed over them, by the pool's accumulator.
fn expected_claim(size: usize) -> Result<u128> {
    let weights: BTreeMap<usize, u128> = (0..size).map(|i| (i, WEIGHT)).collect();
    let mut acc = Accumulator::with_weights(weights)?;
    acc.distribute(PER_POSITION * size as u128)?;
    Ok(acc.earned(&0)?)
}

/// Asserts that the claim `res` paid exactly `expected`.
pub(super) fn ensure_paid(res: &TxResult, expected: u128, what: &str) -> Result<()> {
    let expected = expected.to_string();
    ensure!(
        res.attr("wasm", "amount").as_deref() == Some(expected.as_str()),
        "{what} paid {:?}, expected {expected}",
        res.attr("wasm", "amount")
    );
    Ok(())
}

impl Bench<'_> {
    /// A reward pool of this run whose registry is the deployer's key; its address and label.
    pub(super) fn bench_pool(&self) -> Result<BenchPool> {
        let chain = self.chain;
        let code_id = self
            .manifest
            .codes
            .get("reward_pool")
            .and_then(|c| c.code_id)
            .context("reward_pool code is not in the manifest")?;
        let deployer_addr = chain.key_address("deployer")?;
        let label = format!(
            "openledger-bench-pool-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_secs()
        );
        let hash = chain.broadcast_instantiate(
            code_id,
            &pool::InstantiateMsg {
                owner: None,
                token: self.suite.token.clone(),
                registry: Some(deployer_addr.clone()),
                unbonding_period: 0,
                curators_bps: None,
            },
            &label,
            &deployer_addr,
            "deployer",
        )?;
        let res = chain.wait_tx(&hash)?;
        let bench_pool = res
            .attr("instantiate", "_contract_address")
            .context("no contract address")?;
        step(format!("bench pool {bench_pool}"));
        Ok((bench_pool, label))
    }

    /// Registers weight-mode datanet `datanet_id` in the bench pool and gives every address
    /// of `addresses` weight `WEIGHT` (`MAX_WEIGHT_UPDATES` per transaction).
    pub(super) fn bench_datanet(
        &self,
        bench_pool: &str,
        datanet_id: u64,
        addresses: &[String],
    ) -> Result<()> {
        let chain = self.chain;
        chain.execute(
            bench_pool,
            &pool::ExecuteMsg::RegisterDatanet {
                datanet_id,
                mode: pool::AttributionMode::Weight,
            },
            "deployer",
            None,
        )?;
        for batch in addresses.chunks(pool::MAX_WEIGHT_UPDATES) {
            chain.execute(
                bench_pool,
                &pool::ExecuteMsg::UpdateWeights {
                    datanet_id,
                    updates: batch
                        .iter()
                        .map(|a| WeightUpdate {
                            address: a.clone(),
                            weight: WEIGHT as u64,
                        })
                        .collect(),
                },
                "deployer",
                None,
            )?;
        }
        Ok(())
    }

    /// A fee of `amount` for version `version` of the bench pool's datanet `datanet_id`.
    pub(super) fn bench_fee(
        &self,
        bench_pool: &str,
        datanet_id: u64,
        version: u32,
        amount: u128,
    ) -> Result<TxResult> {
        self.suite.send(
            "deployer",
            bench_pool,
            amount,
            &pool::ReceiveMsg::Distribute {
                allocations: vec![Allocation::Datanet {
                    id: datanet_id,
                    amount: Uint128::new(amount),
                    version: Some(version),
                }],
            },
        )
    }

    /// `claimant`'s claim in the bench pool's datanet `datanet_id`.
    pub(super) fn bench_claim(
        &self,
        bench_pool: &str,
        datanet_id: u64,
        claimant: &str,
    ) -> Result<TxResult> {
        self.chain.execute(
            bench_pool,
            &pool::ExecuteMsg::Claim {
                datanet_ids: Some(vec![datanet_id]),
            },
            claimant,
            None,
        )
    }

    /// Datanet `datanet_id` of the bench pool with `size` positions (the claimant's first),
    /// its version 1, a fee for it and the claimant's claim.
    fn claim_in_datanet(
        &self,
        (bench_pool, label): (&str, &str),
        datanet_id: u64,
        size: usize,
    ) -> Result<TxResult> {
        let chain = self.chain;
        let claimant = "contributor4";
        let claimant_addr = chain.key_address(claimant)?;
        let prefix = claimant_addr.split('1').next().unwrap_or("inj").to_string();
        let mut addresses = vec![claimant_addr.clone()];
        for i in 1..size {
            addresses.push(synthetic_address(
                &prefix,
                &format!("{label}-{datanet_id}-{i}"),
            )?);
        }
        self.bench_datanet(bench_pool, datanet_id, &addresses)?;
        chain.execute(
            bench_pool,
            &pool::ExecuteMsg::PublishVersion {
                datanet_id,
                version: 1,
                total_weight: (WEIGHT * size as u128) as u64,
            },
            "deployer",
            None,
        )?;
        self.bench_fee(bench_pool, datanet_id, 1, PER_POSITION * size as u128)?;
        let res = self.bench_claim(bench_pool, datanet_id, claimant)?;
        ensure_paid(
            &res,
            expected_claim(size)?,
            &format!("claim in a datanet of {size}"),
        )?;
        step(format!(
            "{size} contributors in datanet {datanet_id} of the bench pool {bench_pool}"
        ));
        Ok(res)
    }

    /// Claims in datanets of 10 and of 1 000 contributors (bench pool datanets 1 and 2), and
    /// their ratio.
    pub(super) fn claims_by_datanet_size(
        &self,
        rec: &mut Recorder,
        (bench_pool, label): (&str, &str),
    ) -> Result<()> {
        let small = self.claim_in_datanet((bench_pool, label), 1, 10)?;
        let large = self.claim_in_datanet((bench_pool, label), 2, 1_000)?;
        rec.record(
            "claim in a datanet of 10 contributors",
            &small,
            1,
            Some(1.6),
            "bench pool; one version",
        );
        rec.record(
            "claim in a datanet of 1 000 contributors",
            &large,
            1,
            Some(1.6),
            "bench pool; one version",
        );
        rec.ratio(
            "claim 1 000 ÷ claim 10 contributors",
            &large,
            &small,
            Some(1.02),
            "ratio of the two claims, not to the transfer",
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_position_can_claim_its_thousand() {
        assert_eq!(expected_claim(10).unwrap(), 1_000);
        assert_eq!(expected_claim(1_000).unwrap(), 1_000);
    }

    #[test]
    fn synthetic_addresses_carry_the_prefix() {
        let a = synthetic_address("inj", "seed").unwrap();
        assert!(a.starts_with("inj1"), "{a}");
        assert_ne!(a, synthetic_address("inj", "other").unwrap());
    }
}
