//! Gas benchmark on a real chain: every step the protocol's users pay for, measured in one run
//! as `gas_used` and as a ratio to a plain OPEN transfer in the same run, plus artifact sizes.
//! Writes `scripts/bench-results/gas.json` and `gas.md`.

use std::path::Path;

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::model_licensing::{
    self as models, InferencePayment, LicenseTier, LineageEntry, NewModel, Receipt,
};
use openledger_common::msg::reward_pool::{self as pool, Allocation, WeightUpdate};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::chain::{Chain, TxResult};
use crate::flows::{attr_u64, Suite};
use crate::manifest::Manifest;
use crate::receipt::HostKey;

/// One measured step.
#[derive(Serialize, Clone)]
pub struct Row {
    /// What was measured.
    pub step: String,
    /// `gas_used` of the transaction.
    pub gas_used: u64,
    /// `gas_used` ÷ the OPEN transfer's.
    pub ratio_to_transfer: f64,
    /// The target for the ratio, when there is one.
    pub target: Option<f64>,
    /// How the figure is normalised (e.g. per inference) and what it covers.
    pub note: String,
}

#[derive(Serialize)]
struct Results {
    chain_id: String,
    transfer_gas: u64,
    rows: Vec<Row>,
    artifacts: Vec<(String, u64)>,
}

pub struct Bench<'a> {
    pub chain: &'a Chain,
    pub suite: Suite<'a>,
    pub manifest: Manifest,
    repo: std::path::PathBuf,
}

/// The figures of one run.
#[derive(Default)]
pub struct Recorder {
    transfer_gas: u64,
    rows: Vec<Row>,
}

fn step(msg: impl AsRef<str>) {
    eprintln!("[bench] {}", msg.as_ref());
}

fn hash_of(seed: &str) -> String {
    hex::encode(Sha256::digest(seed.as_bytes()))
}

/// A valid address with the chain's prefix that nobody holds a key for: a position in the
/// pool, not a signer.
fn synthetic_address(prefix: &str, seed: &str) -> Result<String> {
    let hrp = bech32::Hrp::parse(prefix).context("address prefix")?;
    let data = &Sha256::digest(seed.as_bytes())[..20];
    Ok(bech32::encode::<bech32::Bech32>(hrp, data)?)
}

impl Recorder {
    /// Records `res` as `name`; `per` divides the gas (per-item figures).
    fn record(&mut self, name: &str, res: &TxResult, per: u64, target: Option<f64>, note: &str) {
        let gas = res.gas_used / per.max(1);
        let ratio = gas as f64 / self.transfer_gas as f64;
        step(format!(
            "{name}: {gas} gas ({ratio:.3}x transfer){}",
            if per > 1 {
                format!(" per item of {per}; whole tx {}", res.gas_used)
            } else {
                String::new()
            }
        ));
        self.rows.push(Row {
            step: name.to_string(),
            gas_used: gas,
            ratio_to_transfer: (ratio * 1000.0).round() / 1000.0,
            target,
            note: note.to_string(),
        });
    }
}

impl<'a> Bench<'a> {
    pub fn run(chain: &'a Chain, repo: &Path) -> Result<()> {
        let suite = Suite::load(chain, repo)?;
        let manifest = Manifest::of_chain(repo, chain)?;
        let b = Bench {
            chain,
            suite,
            manifest,
            repo: repo.to_path_buf(),
        };
        let mut rec = Recorder::default();
        b.measure(&mut rec)?;
        b.write(&rec, repo)
    }

    fn measure(&self, rec: &mut Recorder) -> Result<()> {
        let chain = self.chain;
        let s = &self.suite;
        let registry_addr = s.registry.clone();
        let pool_addr = s.pool.clone();
        let models_addr = self.manifest.address("model_licensing")?;
        let deployer = "deployer";
        let contributors = [
            "contributor1",
            "contributor2",
            "contributor3",
            "contributor4",
        ];
        let bond = 100u128;

        // The anchor.
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
        for c in &contributors[1..] {
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

        // A bonded, weight-mode datanet.
        let res = chain.execute(
            &registry_addr,
            &registry::ExecuteMsg::CreateDatanet(NewDatanet {
                name: "bench".into(),
                description: String::new(),
                metadata_uri: "ipfs://bench".into(),
                curators: vec![],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::new(bond),
                attribution_mode: AttributionMode::Weight,
            }),
            "curator1",
            None,
        )?;
        let datanet_id = attr_u64(&res, "datanet_id")?;
        let run_tag = res.hash[..8].to_string();

        // 51 contributions (the one above, then 11 + 3 × 13), from four contributors in parallel
        // (one account per thread).
        let contribute = |who: &str, i: usize| -> Result<TxResult> {
            self.suite.send(
                who,
                &registry_addr,
                bond,
                &registry::ReceiveMsg::Contribute(NewContribution {
                    datanet_id,
                    data_hash: hash_of(&format!("{run_tag}-{who}-{i}")),
                    uri: format!("ipfs://bench/{i}"),
                    size_bytes: 4_096,
                    license_note: None,
                }),
            )
        };
        let first = contribute(contributors[0], 0)?;
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
            let handles: Vec<_> = contributors
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

        let review = |ids: &[u64]| {
            chain.execute(
                &registry_addr,
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
            "50 accepts by 4 contributors; bonds credited for pull-based withdrawal; one update_weights",
        );

        let res = s.send(
            deployer,
            &pool_addr,
            30_000,
            &pool::ReceiveMsg::Distribute {
                allocations: vec![
                    Allocation::Datanet {
                        id: datanet_id,
                        amount: Uint128::new(20_000),
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
            "cw20 send to the pool",
        );
        let res = chain.execute(
            &pool_addr,
            &pool::ExecuteMsg::Claim {
                datanet_ids: Some(vec![datanet_id]),
            },
            contributors[1],
            None,
        )?;
        rec.record(
            "claim (registry datanet, 4 contributors)",
            &res,
            1,
            Some(1.6),
            "one datanet",
        );

        self.claims_by_datanet_size(rec)?;

        // Staking.
        let st = "staker1";
        s.transfer(deployer, &chain.key_address(st)?, 5_000)?;
        let res = s.send(st, &pool_addr, 5_000, &pool::ReceiveMsg::Stake {})?;
        rec.record("stake (cw20 send)", &res, 1, Some(1.6), "");
        let res = chain.execute(
            &pool_addr,
            &pool::ExecuteMsg::Unstake {
                amount: Uint128::new(1_000),
            },
            st,
            None,
        )?;
        rec.record("unstake", &res, 1, None, "starts an unbonding entry");

        // A model on a published version, paid per inference and by licence.
        chain.execute(
            &registry_addr,
            &registry::ExecuteMsg::PublishVersion { datanet_id },
            "curator1",
            None,
        )?;
        let host = HostKey::derived("host");
        let fee = 1_000u128;
        let res = chain.execute(
            &models_addr,
            &models::ExecuteMsg::RegisterModel(NewModel {
                name: "bench-model".into(),
                metadata_uri: String::new(),
                weights_hash: hash_of(&format!("{run_tag}-weights")),
                base_model: None,
                lineage: vec![LineageEntry {
                    datanet_id,
                    version: 1,
                    weight_bps: 10_000,
                }],
                inference_fee: Uint128::new(fee),
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
        let model_id = attr_u64(&res, "model_id")?;
        let payer = "client";
        let payer_addr = chain.key_address(payer)?;
        s.transfer(deployer, &payer_addr, 60_000)?;
        let attribution = vec![AttributionShare {
            datanet_id,
            weight_bps: 10_000,
        }];
        let signed = |inference_id: String| -> Result<InferencePayment> {
            let receipt = Receipt {
                chain_id: chain.cfg.chain_id.clone(),
                contract: models_addr.clone(),
                model_id,
                inference_id: inference_id.clone(),
                payer: payer_addr.clone(),
                fee: Uint128::new(fee),
                attribution: attribution.clone(),
            };
            Ok(InferencePayment {
                model_id,
                inference_id,
                attribution: Some(attribution.clone()),
                receipt_signature: Some(host.sign(&receipt)?),
            })
        };
        let res = s.send(
            payer,
            &models_addr,
            fee,
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
            50 * fee,
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

        // The escrow and influence flows measure their own steps on fresh state.
        let (create_task, submit, approve) = crate::flow_escrow::measure(chain, &self.repo)?;
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
        let (claim4, claim20) = crate::flow_influence::measure(chain, &self.repo)?;
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

    /// Claims in datanets of 10 and of 1 000 contributors. The positions are made by a pool
    /// instance of this run whose registry is the deployer's key, so 1 000 contributors cost 20
    /// `update_weights` transactions instead of 1 000 signed contributions; the claim runs the
    /// same code as in the suite's pool.
    fn claims_by_datanet_size(&self, rec: &mut Recorder) -> Result<()> {
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
            },
            &label,
            &deployer_addr,
            "deployer",
        )?;
        let res = chain.wait_tx(&hash)?;
        let bench_pool = res
            .attr("instantiate", "_contract_address")
            .context("no contract address")?;
        let claimant = "contributor4";
        let claimant_addr = chain.key_address(claimant)?;
        let prefix = claimant_addr.split('1').next().unwrap_or("inj").to_string();
        let mut rows = vec![];
        for (datanet_id, size) in [(1u64, 10usize), (2, 1_000)] {
            chain.execute(
                &bench_pool,
                &pool::ExecuteMsg::RegisterDatanet {
                    datanet_id,
                    mode: pool::AttributionMode::Weight,
                },
                "deployer",
                None,
            )?;
            let mut addresses = vec![claimant_addr.clone()];
            for i in 1..size {
                addresses.push(synthetic_address(
                    &prefix,
                    &format!("{label}-{datanet_id}-{i}"),
                )?);
            }
            for batch in addresses.chunks(pool::MAX_WEIGHT_UPDATES) {
                chain.execute(
                    &bench_pool,
                    &pool::ExecuteMsg::UpdateWeights {
                        datanet_id,
                        updates: batch
                            .iter()
                            .map(|a| WeightUpdate {
                                address: a.clone(),
                                weight: 10,
                            })
                            .collect(),
                    },
                    "deployer",
                    None,
                )?;
            }
            let amount = 1_000 * size as u128;
            self.suite.send(
                "deployer",
                &bench_pool,
                amount,
                &pool::ReceiveMsg::Distribute {
                    allocations: vec![Allocation::Datanet {
                        id: datanet_id,
                        amount: Uint128::new(amount),
                    }],
                },
            )?;
            let res = chain.execute(
                &bench_pool,
                &pool::ExecuteMsg::Claim {
                    datanet_ids: Some(vec![datanet_id]),
                },
                claimant,
                None,
            )?;
            ensure!(
                res.attr("wasm", "amount").as_deref() == Some("1000"),
                "claim in a datanet of {size} paid {:?}",
                res.attr("wasm", "amount")
            );
            step(format!(
                "{size} contributors in datanet {datanet_id} of the bench pool {bench_pool}"
            ));
            rows.push((size, res));
        }
        let (small, large) = (&rows[0].1, &rows[1].1);
        rec.record(
            "claim in a datanet of 10 contributors",
            small,
            1,
            Some(1.6),
            "bench pool",
        );
        rec.record(
            "claim in a datanet of 1 000 contributors",
            large,
            1,
            Some(1.6),
            "bench pool",
        );
        let ratio = large.gas_used as f64 / small.gas_used as f64;
        step(format!(
            "claim 1 000 ÷ claim 10 = {ratio:.4} (target ≤ 1.02)"
        ));
        rec.rows.push(Row {
            step: "claim 1 000 ÷ claim 10 contributors".into(),
            gas_used: large.gas_used,
            ratio_to_transfer: (ratio * 10_000.0).round() / 10_000.0,
            target: Some(1.02),
            note: "ratio of the two claims, not to the transfer".into(),
        });
        Ok(())
    }

    fn write(&self, rec: &Recorder, repo: &Path) -> Result<()> {
        let mut artifacts = vec![];
        for entry in std::fs::read_dir(repo.join("artifacts"))? {
            let p = entry?.path();
            if p.extension().is_some_and(|e| e == "wasm") {
                let name = p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                artifacts.push((name, std::fs::metadata(&p)?.len()));
            }
        }
        artifacts.sort();
        let out = repo.join("scripts/bench-results");
        std::fs::create_dir_all(&out)?;
        let results = Results {
            chain_id: self.chain.cfg.chain_id.clone(),
            transfer_gas: rec.transfer_gas,
            rows: rec.rows.clone(),
            artifacts: artifacts.clone(),
        };
        std::fs::write(
            out.join("gas.json"),
            serde_json::to_string_pretty(&results)? + "\n",
        )?;
        let mut md = String::from("| step | gas used | × transfer | target | met | note |\n|---|---:|---:|---:|:-:|---|\n");
        for r in &rec.rows {
            let (target, met) = match r.target {
                Some(t) => (
                    format!("≤ {t}"),
                    if r.ratio_to_transfer <= t {
                        "yes"
                    } else {
                        "no"
                    },
                ),
                None => (String::new(), ""),
            };
            md += &format!(
                "| {} | {} | {:.3} | {} | {} | {} |\n",
                r.step, r.gas_used, r.ratio_to_transfer, target, met, r.note
            );
        }
        md += "\n| artifact | bytes | KB | ≤ 400 KB |\n|---|---:|---:|:-:|\n";
        for (name, bytes) in &artifacts {
            let kb = bytes.div_ceil(1024);
            md += &format!(
                "| {name} | {bytes} | {kb} | {} |\n",
                if kb <= 400 { "yes" } else { "no" }
            );
        }
        std::fs::write(out.join("gas.md"), &md)?;
        eprintln!("{md}");
        step(format!(
            "wrote {} and gas.md",
            out.join("gas.json").display()
        ));
        Ok(())
    }
}
