//! Claims in a datanet of 1 024 published versions against a claim in a datanet of one
//! version, with the same weight and the same fee. In the bench pool (its registry is the
//! deployer's key): datanet 3 has one version, where the claimant and one other position hold
//! weight 10 each, and a fee of 2 000 for it; datanet 4 has 1 024 versions: the early claimant
//! holds weight 10 from version 1 (one open range, no Fenwick read in a claim), the late one
//! weight 10 from version 700 (an open range whose claim reads P(699): 7 Fenwick nodes), and
//! a fee of 2 000 for version 700, which both hold. Each claims 1 000 in both datanets.
//! The versions are published in multi-message transactions (set-up only).

use anyhow::{ensure, Result};
use openledger_common::msg::reward_pool::{
    self as pool, DatanetPoolResponse, RangesResponse, WeightUpdate,
};
use openledger_economics::VersionedRewards;

use super::claims::{ensure_paid, synthetic_address, WEIGHT};
use super::{batch, step, Bench, Recorder};
use crate::chain::TxResult;

/// Versions of the many-version datanet.
const VERSIONS: u32 = 1_024;
/// The first version the late claimant holds.
const LATE: u32 = 700;
/// The fee each datanet receives.
const FEE: u128 = 2_000;
/// The one-version datanet of the bench pool.
const ONE_VERSION: u64 = 3;
/// The many-version datanet of the bench pool.
const MANY_VERSIONS: u64 = 4;
/// The claimant holding from version 1 (and the claimant of the one-version datanet).
const EARLY_KEY: &str = "contributor4";
/// The claimant holding from version `LATE`.
const LATE_KEY: &str = "contributor3";

/// What the claimants are owed by the reference model: (the one-version datanet's claimant,
/// the early and the late claimant of the many-version datanet).
fn expected_claims() -> Result<(u128, u128, u128)> {
    let (early, late, other) = ("early".to_string(), "late".to_string(), "other".to_string());
    let mut one: VersionedRewards = VersionedRewards::default();
    one.set_weight(early.clone(), WEIGHT);
    one.set_weight(other, WEIGHT);
    one.publish()?;
    one.distribute(Some(1), FEE)?;
    let mut many: VersionedRewards = VersionedRewards::default();
    many.set_weight(early.clone(), WEIGHT);
    for _ in 1..LATE {
        many.publish()?;
    }
    many.set_weight(late.clone(), WEIGHT);
    for _ in LATE..=VERSIONS {
        many.publish()?;
    }
    ensure!(many.versions.len() == VERSIONS as usize, "model versions");
    many.distribute(Some(LATE), FEE)?;
    Ok((
        one.claimable(&early)?,
        many.claimable(&early)?,
        many.claimable(&late)?,
    ))
}

/// `PublishVersion` of datanet `datanet_id`.
fn publish(datanet_id: u64, version: u32, total_weight: u128) -> pool::ExecuteMsg {
    pool::ExecuteMsg::PublishVersion {
        datanet_id,
        version,
        total_weight: total_weight as u64,
    }
}

impl Bench<'_> {
    /// Datanet `MANY_VERSIONS`: the early claimant from version 1, the late one from `LATE`,
    /// `VERSIONS` versions. Checks the pool's version count and each claimant's one open range.
    fn many_versions(&self, bench_pool: &str) -> Result<()> {
        let chain = self.chain;
        let early = chain.key_address(EARLY_KEY)?;
        let late = chain.key_address(LATE_KEY)?;
        self.bench_datanet(bench_pool, MANY_VERSIONS, std::slice::from_ref(&early))?;
        let first = chain.execute(
            bench_pool,
            &publish(MANY_VERSIONS, 1, WEIGHT),
            "deployer",
            None,
        )?;
        let mut msgs: Vec<pool::ExecuteMsg> = (2..LATE)
            .map(|v| publish(MANY_VERSIONS, v, WEIGHT))
            .collect();
        msgs.push(pool::ExecuteMsg::UpdateWeights {
            datanet_id: MANY_VERSIONS,
            updates: vec![WeightUpdate {
                address: late.clone(),
                weight: WEIGHT as u64,
            }],
        });
        msgs.extend((LATE..=VERSIONS).map(|v| publish(MANY_VERSIONS, v, 2 * WEIGHT)));
        let per_tx = batch::messages_per_tx(first.gas_used);
        let txs = self.execute_many(bench_pool, &msgs, "deployer", per_tx)?;
        step(format!(
            "published {VERSIONS} versions of bench datanet {MANY_VERSIONS} ({} gas for the first alone; then {} messages in {} transactions)",
            first.gas_used,
            msgs.len(),
            txs.len()
        ));
        let info: DatanetPoolResponse = chain.query(
            bench_pool,
            &pool::QueryMsg::DatanetPool {
                datanet_id: MANY_VERSIONS,
            },
        )?;
        ensure!(
            info.versions == VERSIONS && info.total_weight == 2 * WEIGHT as u64,
            "bench datanet {MANY_VERSIONS}: {} versions, total weight {}",
            info.versions,
            info.total_weight
        );
        for (address, from) in [(&early, 1), (&late, LATE)] {
            let r: RangesResponse = chain.query(
                bench_pool,
                &pool::QueryMsg::Ranges {
                    datanet_id: MANY_VERSIONS,
                    address: address.clone(),
                    start_after: None,
                    limit: None,
                },
            )?;
            let ranges: Vec<(u32, Option<u32>)> = r
                .ranges
                .iter()
                .map(|x| (x.from_version, x.to_version))
                .collect();
            ensure!(
                ranges == vec![(from, None)],
                "{address} holds ranges {ranges:?}, expected one open from version {from}"
            );
        }
        Ok(())
    }

    /// Claims with 1 024 versions (range from version 1 and from version 700) and with 1
    /// version, and their ratios.
    pub(super) fn claims_by_version_count(
        &self,
        rec: &mut Recorder,
        (bench_pool, label): (&str, &str),
    ) -> Result<()> {
        let (want_one, want_early, want_late) = expected_claims()?;
        let chain = self.chain;
        let early = chain.key_address(EARLY_KEY)?;
        let prefix = early.split('1').next().unwrap_or("inj").to_string();
        let other = synthetic_address(&prefix, &format!("{label}-{ONE_VERSION}-other"))?;
        self.bench_datanet(bench_pool, ONE_VERSION, &[early, other])?;
        chain.execute(
            bench_pool,
            &publish(ONE_VERSION, 1, 2 * WEIGHT),
            "deployer",
            None,
        )?;
        let fee_one = self.bench_fee(bench_pool, ONE_VERSION, 1, FEE)?;
        let one = self.bench_claim(bench_pool, ONE_VERSION, EARLY_KEY)?;
        ensure_paid(&one, want_one, "claim with one version")?;
        self.many_versions(bench_pool)?;
        let fee_many = self.bench_fee(bench_pool, MANY_VERSIONS, LATE, FEE)?;
        let from_first = self.bench_claim(bench_pool, MANY_VERSIONS, EARLY_KEY)?;
        ensure_paid(&from_first, want_early, "claim from version 1 of 1 024")?;
        let from_late = self.bench_claim(bench_pool, MANY_VERSIONS, LATE_KEY)?;
        ensure_paid(&from_late, want_late, "claim from version 700 of 1 024")?;
        self.record_version_claims(rec, (&fee_one, &fee_many), (&one, &from_first, &from_late));
        Ok(())
    }

    fn record_version_claims(
        &self,
        rec: &mut Recorder,
        (fee_one, fee_many): (&TxResult, &TxResult),
        (one, from_first, from_late): (&TxResult, &TxResult, &TxResult),
    ) {
        rec.record(
            "distribute for version 1 of 1",
            fee_one,
            1,
            None,
            "bench pool; one Fenwick node written",
        );
        rec.record(
            "distribute for version 700 of 1 024",
            fee_many,
            1,
            None,
            "bench pool; Fenwick nodes 700, 704, 768 and 1 024 written",
        );
        rec.record(
            "claim, 1 version",
            one,
            1,
            Some(1.6),
            "bench pool; weight 10 of 20, a fee of 2 000: pays 1 000",
        );
        rec.record(
            "claim, 1 024 versions, range from version 1",
            from_first,
            1,
            Some(1.6),
            "bench pool; weight 10 of 20 in version 700, a fee of 2 000 for it: pays 1 000; an open range from version 1 reads no Fenwick node",
        );
        rec.record(
            "claim, 1 024 versions, range from version 700",
            from_late,
            1,
            Some(1.6),
            "bench pool; the same fee: pays 1 000; reads P(699), 7 Fenwick nodes",
        );
        rec.ratio(
            "claim 1 024 versions (range from v1) ÷ claim 1 version",
            from_first,
            one,
            Some(1.15),
            "ratio of the two claims, not to the transfer",
        );
        rec.ratio(
            "claim 1 024 versions (range from v700) ÷ claim 1 version",
            from_late,
            one,
            Some(1.15),
            "ratio of the two claims, not to the transfer",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_claimant_is_owed_half_of_the_fee() {
        assert_eq!(expected_claims().unwrap(), (1_000, 1_000, 1_000));
    }

    #[test]
    fn the_many_version_set_up_publishes_every_version_in_order() {
        let versions: Vec<u32> = (2..LATE).chain(LATE..=VERSIONS).collect();
        assert_eq!(versions.len() as u32 + 1, VERSIONS);
        assert_eq!(
            publish(4, 700, 20),
            pool::ExecuteMsg::PublishVersion {
                datanet_id: 4,
                version: 700,
                total_weight: 20,
            }
        );
    }
}
