//! The measured steps: the anchor transfer, a bonded weight-mode datanet with 51
//! contributions, its version 1, a fee for it and a claim, staking, a model paid per
//! inference and by licence, and the escrow and influence flows.

use anyhow::{ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::model_licensing::{
    self as models, InferencePayment, LicenseTier, LineageEntry, NewModel, Receipt,
};
use openledger_common::msg::reward_pool::{self as pool, Allocation};
use openledger_economics::VersionedRewards;

use super::{hash_of, step, Bench, Recorder};
use crate::chain::TxResult;
use crate::flows::attr_u64;
use crate::load::signed_payment;
use crate::receipt::HostKey;

/// The contributors of the benchmark's datanet.
const CONTRIBUTORS: [&str; 4] = [
    "contributor1",
    "contributor2",
    "contributor3",
    "contributor4",
];
/// The datanet's contribution bond.
const BOND: u128 = 100;
/// The model's inference fee.
const FEE: u128 = 1_000;
/// Contributions accepted per contributor: the first contributor's measured one and 11 more,
/// 13 for each of the others.
const ACCEPTED: [u128; 4] = [12, 13, 13, 13];
/// The weight of each accepted contribution.
const CONTRIBUTION_WEIGHT: u128 = 100;
/// The datanet's share of the measured distribution.
const DATANET_FEE: u128 = 20_000;

/// What the second contributor claims after `DATANET_FEE` reaches version 1 of the datanet,
/// by the reference model.
fn expected_registry_claim() -> Result<u128> {
    let mut d: VersionedRewards = VersionedRewards::default();
    for (who, n) in CONTRIBUTORS.iter().zip(ACCEPTED) {
        d.set_weight(who.to_string(), n * CONTRIBUTION_WEIGHT);
    }
    d.publish()?;
    d.distribute(Some(1), DATANET_FEE)?;
    Ok(d.claimable(&CONTRIBUTORS[1].to_string())?)
}

impl Bench<'_> {
    /// The anchor (a plain OPEN transfer), then every signer's first transaction.
    pub(super) fn anchor_and_warm_up(&self, rec: &mut Recorder) -> Result<()> {
        let (chain, s) = (self.chain, &self.suite);
        let deployer = "deployer";
        let c1 = chain.key_address("contributor1")?;
        let transfer = s.transfer(deployer, &c1, 10_000)?;
        rec.transfer_gas = transfer.gas_used;
        rec.record(
            "OPEN transfer (anchor)",
            &transfer,
            1,
            None,
            "cw20 transfer",
        );
        for c in &CONTRIBUTORS[1..] {
            s.transfer(deployer, &chain.key_address(c)?, 10_000)?;
        }
        // An account's first transaction also stores its public key (~14 000 gas): every
        // signer measured below signs once first, in parallel, so no figure carries that.
        let deployer_addr = chain.key_address(deployer)?;
        let signers = [
            "contributor1",
            "contributor2",
            "contributor3",
            "contributor4",
            "curator1",
            "staker1",
            "client",
            "model_owner",
            "agent",
        ];
        for who in &signers[4..] {
            s.transfer(deployer, &chain.key_address(who)?, 2)?;
        }
        let warmed: Vec<Result<TxResult>> = std::thread::scope(|scope| {
            let handles: Vec<_> = signers
                .iter()
                .map(|who| {
                    let deployer_addr = &deployer_addr;
                    scope.spawn(move || self.suite.transfer(who, deployer_addr, 1))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("warm-up thread"))
                .collect()
        });
        for w in warmed {
            w?;
        }
        Ok(())
    }

    /// A bonded, weight-mode datanet: 51 contributions, their review, a distribution and a
    /// claim. Returns the datanet and the run's tag.
    pub(super) fn datanet_steps(&self, rec: &mut Recorder) -> Result<(u64, String)> {
        let res = self.chain.execute(
            &self.suite.registry,
            &registry::ExecuteMsg::CreateDatanet(NewDatanet {
                name: "bench".into(),
                description: String::new(),
                metadata_uri: "ipfs://bench".into(),
                curators: vec![],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::new(BOND),
                attribution_mode: AttributionMode::Weight,
            }),
            "curator1",
            None,
        )?;
        let datanet_id = attr_u64(&res, "datanet_id")?;
        let run_tag = res.hash[..8].to_string();
        let ids = self.contributions(rec, datanet_id, &run_tag)?;
        self.reviews(rec, datanet_id, &ids)?;
        self.distribute_and_claim(rec, datanet_id)?;
        Ok((datanet_id, run_tag))
    }

    /// 51 contributions (one measured, then 11 + 3 × 13), from four contributors in parallel
    /// (one account per thread).
    fn contributions(
        &self,
        rec: &mut Recorder,
        datanet_id: u64,
        run_tag: &str,
    ) -> Result<Vec<u64>> {
        let contribute = |who: &str, i: usize| -> Result<TxResult> {
            self.suite.send(
                who,
                &self.suite.registry,
                BOND,
                &registry::ReceiveMsg::Contribute(NewContribution {
                    datanet_id,
                    data_hash: hash_of(&format!("{run_tag}-{who}-{i}")),
                    uri: format!("ipfs://bench/{i}"),
                    size_bytes: 4_096,
                    license_note: None,
                }),
            )
        };
        let first = contribute(CONTRIBUTORS[0], 0)?;
        let first_id = attr_u64(&first, "contribution_id")?;
        rec.record(
            "contribute (cw20 send with bond)",
            &first,
            1,
            Some(1.5),
            "one contribution; bond held by the registry",
        );
        let mut ids = vec![first_id];
        let results: Vec<Result<Vec<u64>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = CONTRIBUTORS
                .iter()
                .enumerate()
                .map(|(k, who)| {
                    let contribute = &contribute;
                    scope.spawn(move || -> Result<Vec<u64>> {
                        let n = if k == 0 { 11 } else { 13 };
                        (1..=n)
                            .map(|i| attr_u64(&contribute(who, i)?, "contribution_id"))
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("contribution thread"))
                .collect()
        });
        for r in results {
            ids.extend(r?);
        }
        ensure!(
            ids.len() == 51,
            "expected 51 contributions, got {}",
            ids.len()
        );
        step(format!("51 contributions pending in datanet {datanet_id}"));
        Ok(ids)
    }

    /// Accepts one contribution, then the other 50 in one review.
    fn reviews(&self, rec: &mut Recorder, datanet_id: u64, ids: &[u64]) -> Result<()> {
        let review = |ids: &[u64]| {
            self.chain.execute(
                &self.suite.registry,
                &registry::ExecuteMsg::ReviewContributions {
                    datanet_id,
                    decisions: ids
                        .iter()
                        .map(|&contribution_id| ReviewDecision::Accept {
                            contribution_id,
                            weight: 100,
                        })
                        .collect(),
                },
                "curator1",
                None,
            )
        };
        let one = review(&ids[..1])?;
        rec.record(
            "review_contributions of 1",
            &one,
            1,
            None,
            "accept; weight to the pool in the same tx",
        );
        let fifty = review(&ids[1..])?;
        rec.record(
            "review_contributions of 50 (per contribution)",
            &fifty,
            50,
            Some(0.2),
            "50 accepts by 4 contributors: a small review state per contribution; 4 event-log blocks of 16 leaves and 5 subtree hashes written; bonds credited for pull-based withdrawal; one update_weights",
        );
        Ok(())
    }

    /// The datanet's version 1 (the registry tells the pool in the same transaction), a
    /// distribution for it, and one contributor's claim, checked against the reference model.
    fn distribute_and_claim(&self, rec: &mut Recorder, datanet_id: u64) -> Result<()> {
        let res = self.chain.execute(
            &self.suite.registry,
            &registry::ExecuteMsg::PublishVersion { datanet_id },
            "curator1",
            None,
        )?;
        rec.record(
            "publish_version (51 leaves in the event log)",
            &res,
            1,
            None,
            "the Merkle root of the log folded from its stored subtrees; the pool's publish_version in the same tx",
        );
        let pool_addr = &self.suite.pool;
        let res = self.suite.send(
            "deployer",
            pool_addr,
            30_000,
            &pool::ReceiveMsg::Distribute {
                allocations: vec![
                    Allocation::Datanet {
                        id: datanet_id,
                        amount: Uint128::new(DATANET_FEE),
                        version: Some(1),
                    },
                    Allocation::Stakers {
                        amount: Uint128::new(6_000),
                    },
                    Allocation::Treasury {
                        amount: Uint128::new(4_000),
                    },
                ],
            },
        )?;
        rec.record(
            "distribute (datanet + stakers + treasury)",
            &res,
            1,
            None,
            "cw20 send to the pool; the datanet share for version 1",
        );
        let res = self.chain.execute(
            pool_addr,
            &pool::ExecuteMsg::Claim {
                datanet_ids: Some(vec![datanet_id]),
            },
            CONTRIBUTORS[1],
            None,
        )?;
        super::claims::ensure_paid(
            &res,
            expected_registry_claim()?,
            "claim in the registry datanet",
        )?;
        rec.record(
            "claim (registry datanet, 4 contributors)",
            &res,
            1,
            Some(1.6),
            "one datanet, one version",
        );
        Ok(())
    }

    /// A stake and an unstake.
    pub(super) fn staking_steps(&self, rec: &mut Recorder) -> Result<()> {
        let (chain, s) = (self.chain, &self.suite);
        let st = "staker1";
        s.transfer("deployer", &chain.key_address(st)?, 5_000)?;
        let res = s.send(st, &s.pool, 5_000, &pool::ReceiveMsg::Stake {})?;
        rec.record("stake (cw20 send)", &res, 1, Some(1.6), "");
        let res = chain.execute(
            &s.pool,
            &pool::ExecuteMsg::Unstake {
                amount: Uint128::new(1_000),
            },
            st,
            None,
        )?;
        rec.record("unstake", &res, 1, None, "starts an unbonding entry");
        Ok(())
    }

    /// Registers a model trained on the datanet's version 1 (published by `datanet_steps`),
    /// served by the host's key; returns the model id.
    fn register_model(&self, datanet_id: u64, run_tag: &str, host: &HostKey) -> Result<u64> {
        let chain = self.chain;
        let res = chain.execute(
            &self.manifest.address("model_licensing")?,
            &models::ExecuteMsg::RegisterModel(NewModel {
                name: "bench-model".into(),
                parents: vec![],
                metadata_uri: String::new(),
                weights_hash: hash_of(&format!("{run_tag}-weights")),
                base_model: None,
                lineage: vec![LineageEntry {
                    datanet_id,
                    version: 1,
                    weight_bps: 10_000,
                }],
                inference_fee: Uint128::new(FEE),
                tiers: vec![LicenseTier {
                    id: 1,
                    price: Uint128::new(5_000),
                    duration: 86_400,
                    inference_quota: Some(100),
                    commercial: true,
                }],
                hosts: vec![models::Host {
                    address: chain.key_address("host")?,
                    pubkey: host.pubkey(),
                }],
            }),
            "model_owner",
            None,
        )?;
        attr_u64(&res, "model_id")
    }

    /// A model on a published version, paid per inference (singly and in a batch of 50) and
    /// by licence.
    pub(super) fn model_steps(
        &self,
        rec: &mut Recorder,
        datanet_id: u64,
        run_tag: &str,
    ) -> Result<()> {
        let (chain, s) = (self.chain, &self.suite);
        let models_addr = self.manifest.address("model_licensing")?;
        let host = HostKey::derived("host");
        let model_id = self.register_model(datanet_id, run_tag, &host)?;
        let payer = "client";
        let payer_addr = chain.key_address(payer)?;
        s.transfer("deployer", &payer_addr, 60_000)?;
        let attribution = vec![AttributionShare {
            datanet_id,
            weight_bps: 10_000,
        }];
        let signed = |inference_id: String| -> Result<InferencePayment> {
            let receipt = Receipt {
                chain_id: chain.cfg.chain_id.clone(),
                contract: models_addr.clone(),
                model_id,
                inference_id,
                payer: payer_addr.clone(),
                fee: Uint128::new(FEE),
                attribution: attribution.clone(),
                io: None,
            };
            signed_payment(&host, receipt)
        };
        let res = s.send(
            payer,
            &models_addr,
            FEE,
            &models::ReceiveMsg::PayInference(signed(format!("{run_tag}-1"))?),
        )?;
        rec.record(
            "pay_inference (signed receipt)",
            &res,
            1,
            Some(3.0),
            "split to the pool in one cw20 send; owner share credited",
        );
        let items = (0..50)
            .map(|i| signed(format!("{run_tag}-b{i}")))
            .collect::<Result<Vec<_>>>()?;
        let res = s.send(
            payer,
            &models_addr,
            50 * FEE,
            &models::ReceiveMsg::PayInferences { items },
        )?;
        rec.record(
            "pay_inferences of 50 (per inference, signed)",
            &res,
            50,
            Some(0.1),
            "one distribute for the batch",
        );
        let res = s.send(
            payer,
            &models_addr,
            5_000,
            &models::ReceiveMsg::PurchaseLicense {
                model_id,
                tier_id: 1,
                terms: models::LicenseTerms {
                    price: Uint128::new(5_000),
                    duration: 86_400,
                    inference_quota: Some(100),
                    commercial: true,
                },
            },
        )?;
        rec.record("purchase_license", &res, 1, None, "");
        Ok(())
    }

    /// The escrow and influence flows measure their own steps on fresh state.
    pub(super) fn flow_steps(&self, rec: &mut Recorder) -> Result<()> {
        let (create_task, submit, approve) = crate::flow_escrow::measure(self.chain, &self.repo)?;
        rec.record(
            "create_task (cw20 send, 2 milestones)",
            &create_task,
            1,
            None,
            "",
        );
        rec.record(
            "submit_milestone with two model fees",
            &submit,
            1,
            None,
            "the model fees are paid at delivery: 2 cw20 sends to model licensing (each splits to the pool)",
        );
        rec.record(
            "approve_milestone (fees paid at delivery)",
            &approve,
            1,
            Some(5.0),
            "protocol fee to the pool, agent transfer",
        );
        let (claim4, claim20) = crate::flow_influence::measure(self.chain, &self.repo)?;
        rec.record(
            "claim_attribution, 2^4-leaf proof",
            &claim4,
            1,
            None,
            "4 proof elements",
        );
        rec.record(
            "claim_attribution, 2^20-leaf proof",
            &claim20,
            1,
            Some(1.8),
            "20 proof elements",
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_contributor_claims_its_weight_share_of_version_one() {
        // 13 × 100 of 51 × 100: ⌊20 000 × 1 300 / 5 100⌋.
        assert_eq!(ACCEPTED.iter().sum::<u128>(), 51);
        assert_eq!(expected_registry_claim().unwrap(), 5_098);
    }
}
