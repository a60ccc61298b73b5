//! A derived model's `pay_inference`: one with 4 parents (each without parents, each trained
//! on a datanet version of its own) and one at the end of a chain of 4 ancestors (each link
//! with a datanet version of its own); and the same model without parents. Every payment is
//! the model's first, with a signed receipt, and its split is checked to the unit against the
//! economics model (`derived_payment`).

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::model_licensing::{
    self as models, LineageEntry, NewModel, ParentModel, Receipt,
};
use openledger_economics::{derived_payment, Party, ServedBy};

use super::{hash_of, step, Bench, Recorder};
use crate::chain::TxResult;
use crate::flows::attr_u64;
use crate::load::signed_payment;
use crate::receipt::HostKey;

/// The inference fee of every model here.
const FEE: u128 = 1_000;
/// How many ancestors a derived model has.
const ANCESTORS: usize = 4;
/// Each parent's royalty in the model with 4 parents (bps).
const FLAT_ROYALTY: u16 = 1_000;
/// Each link's royalty in the chain (bps): every ancestor gets a share of a fee of `FEE`.
const CHAIN_ROYALTY: u16 = 5_000;
/// Basis points in a whole.
const BPS: u32 = 10_000;

/// An ancestor of a measured model: its id, its share (bps of the creator value) and its
/// lineage datanet.
type Ancestor = (u64, u16, u64);

/// Shares (bps of the creator value) of a model whose `n` parents have no parents: its own,
/// then each parent's.
fn flat_shares(n: usize, royalty: u16) -> (u16, Vec<u16>) {
    let own = BPS as u16 - royalty * n as u16;
    (own, vec![royalty; n])
}

/// Shares of a model at the end of a chain of `n` ancestors, each link at `royalty`: its own,
/// then each ancestor's from its parent to the root. Reaches multiply down the chain (rounded
/// down at each link); each ancestor but the root passes `royalty` of its reach on.
fn chain_shares(n: usize, royalty: u16) -> (u16, Vec<u16>) {
    let r = u32::from(royalty);
    let mut reach = r;
    let mut shares = vec![];
    for k in 0..n {
        let keep = if k + 1 == n { BPS } else { BPS - r };
        shares.push((reach * keep / BPS) as u16);
        reach = r * reach / BPS;
    }
    let own = BPS as u16 - shares.iter().sum::<u16>();
    (own, shares)
}

/// A model to register: its name, its lineage datanet (version 1), its parents and whether
/// the host serves it.
struct Spec<'a> {
    name: &'a str,
    datanet_id: u64,
    parents: Vec<ParentModel>,
    hosted: bool,
}

impl Bench<'_> {
    /// A bond-free weight-mode datanet with one accepted contribution and version 1.
    fn lineage_datanet(&self, run_tag: &str, k: usize) -> Result<u64> {
        let (chain, registry) = (self.chain, &self.suite.registry);
        let res = chain.execute(
            registry,
            &registry::ExecuteMsg::CreateDatanet(NewDatanet {
                name: format!("bench-lineage-{k}"),
                description: String::new(),
                metadata_uri: format!("ipfs://bench/lineage/{k}"),
                curators: vec![],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::zero(),
                attribution_mode: AttributionMode::Weight,
            }),
            "curator1",
            None,
        )?;
        let datanet_id = attr_u64(&res, "datanet_id")?;
        let res = chain.execute(
            registry,
            &registry::ExecuteMsg::Contribute(NewContribution {
                datanet_id,
                data_hash: hash_of(&format!("{run_tag}-lineage-{k}")),
                uri: format!("ipfs://bench/lineage/{k}/0"),
                size_bytes: 4_096,
                license_note: None,
            }),
            "contributor1",
            None,
        )?;
        let contribution_id = attr_u64(&res, "contribution_id")?;
        chain.execute(
            registry,
            &registry::ExecuteMsg::ReviewContributions {
                datanet_id,
                decisions: vec![ReviewDecision::Accept {
                    contribution_id,
                    weight: 100,
                }],
            },
            "curator1",
            None,
        )?;
        chain.execute(
            registry,
            &registry::ExecuteMsg::PublishVersion { datanet_id },
            "curator1",
            None,
        )?;
        Ok(datanet_id)
    }

    /// Registers `spec` (owned by `model_owner`); returns its id.
    fn register(&self, run_tag: &str, spec: Spec, host: &HostKey) -> Result<u64> {
        let chain = self.chain;
        let hosts = if spec.hosted {
            vec![models::Host {
                address: chain.key_address("host")?,
                pubkey: host.pubkey(),
            }]
        } else {
            vec![]
        };
        let res = chain.execute(
            &self.manifest.address("model_licensing")?,
            &models::ExecuteMsg::RegisterModel(NewModel {
                name: spec.name.to_string(),
                parents: spec.parents,
                metadata_uri: String::new(),
                weights_hash: hash_of(&format!("{run_tag}-{}", spec.name)),
                base_model: None,
                lineage: vec![LineageEntry {
                    datanet_id: spec.datanet_id,
                    version: 1,
                    weight_bps: BPS as u16,
                }],
                inference_fee: Uint128::new(FEE),
                tiers: vec![],
                hosts,
            }),
            "model_owner",
            None,
        )?;
        attr_u64(&res, "model_id")
    }

    /// The first payment of `model_id` (lineage `datanet_id`), by `client`, signed by the host.
    fn pay_once(&self, model_id: u64, datanet_id: u64, run_tag: &str) -> Result<TxResult> {
        let (chain, s) = (self.chain, &self.suite);
        let models_addr = self.manifest.address("model_licensing")?;
        let receipt = Receipt {
            chain_id: chain.cfg.chain_id.clone(),
            contract: models_addr.clone(),
            model_id,
            inference_id: format!("{run_tag}-derived-{model_id}"),
            payer: chain.key_address("client")?,
            fee: Uint128::new(FEE),
            attribution: vec![AttributionShare {
                datanet_id,
                weight_bps: BPS as u16,
            }],
            io: None,
        };
        let payment = signed_payment(&HostKey::derived("host"), receipt)?;
        s.send(
            "client",
            &models_addr,
            FEE,
            &models::ReceiveMsg::PayInference(payment),
        )
    }

    /// Checks `res`, the payment of `model_id`, against the economics model: `parties` are the
    /// model's (own share, lineage datanet) then each ancestor's (model id, share, datanet).
    fn ensure_split(
        &self,
        res: &TxResult,
        (own, datanet_id): (u16, u64),
        ancestors: &[Ancestor],
    ) -> Result<()> {
        let config: models::ConfigResponse = self.chain.query(
            &self.manifest.address("model_licensing")?,
            &models::QueryMsg::Config {},
        )?;
        let mut parties = vec![Party {
            share_bps: own,
            attribution: vec![(datanet_id, BPS as u16)],
        }];
        parties.extend(ancestors.iter().map(|&(_, share_bps, d)| Party {
            share_bps,
            attribution: vec![(d, BPS as u16)],
        }));
        // The bench's payments carry no receipt: the owner served them.
        let split = derived_payment(&config.fee_split, FEE, &parties, ServedBy::Owner)?;
        let royalties: u128 = split.owners[1..].iter().sum();
        let datanets: u128 = split.datanets.iter().flatten().map(|(_, a)| a).sum();
        let mut expected = vec![
            ("model_owner_amount".to_string(), split.owners[0]),
            ("hosts_amount".to_string(), split.hosts),
            ("royalties_amount".to_string(), royalties),
            ("datanets_amount".to_string(), datanets),
            ("stakers_amount".to_string(), split.stakers),
            ("treasury_amount".to_string(), split.treasury()),
        ];
        for (party, parts) in split.datanets.iter().enumerate() {
            for (d, amount) in parts {
                expected.push((format!("datanet_{d}_v1"), *amount));
            }
            if party > 0 {
                let model_id = ancestors[party - 1].0;
                expected.push((format!("royalty_{model_id}"), split.owners[party]));
            }
        }
        for (key, amount) in expected {
            let got = res.attr("wasm", &key);
            ensure!(
                got.as_deref() == Some(amount.to_string().as_str()),
                "payment {}: {key} = {got:?}, expected {amount}",
                res.hash
            );
        }
        Ok(())
    }

    /// Checks the ancestry model licensing stored for `model_id` against the shares the
    /// bench computed.
    fn ensure_ancestry(&self, model_id: u64, own: u16, ancestors: &[Ancestor]) -> Result<()> {
        let a: models::ModelAncestryResponse = self.chain.query(
            &self.manifest.address("model_licensing")?,
            &models::QueryMsg::ModelAncestry { model_id },
        )?;
        let mut want: Vec<(u64, u16)> = ancestors.iter().map(|&(m, s, _)| (m, s)).collect();
        want.sort_unstable();
        let got: Vec<(u64, u16)> = a
            .ancestors
            .iter()
            .map(|x| (x.model_id, x.share_bps))
            .collect();
        ensure!(
            a.own_share_bps == own && got == want,
            "model {model_id}: ancestry {got:?} (own {}), expected {want:?} (own {own})",
            a.own_share_bps
        );
        Ok(())
    }

    /// A model trained on version 1 of `datanet_id` paid once with 4 parents, once at the end
    /// of a chain of 4 ancestors, and once without parents.
    pub(super) fn derived_model_steps(
        &self,
        rec: &mut Recorder,
        datanet_id: u64,
        run_tag: &str,
    ) -> Result<()> {
        let host = HostKey::derived("host");
        let client = self.chain.key_address("client")?;
        self.suite.transfer("deployer", &client, 3 * FEE)?;
        let lineage = (0..ANCESTORS)
            .map(|k| self.lineage_datanet(run_tag, k))
            .collect::<Result<Vec<_>>>()?;
        step(format!("lineage datanets {lineage:?}, each with version 1"));
        let hosted = |name, parents| Spec {
            name,
            datanet_id,
            parents,
            hosted: true,
        };
        let twin = self.register(run_tag, hosted("bench-no-parents", vec![]), &host)?;
        // Four parents, each without parents.
        let mut parents = vec![];
        for (k, &d) in lineage.iter().enumerate() {
            let spec = Spec {
                name: &format!("bench-parent-{k}"),
                datanet_id: d,
                parents: vec![],
                hosted: false,
            };
            parents.push((self.register(run_tag, spec, &host)?, d));
        }
        let (flat_own, flat) = flat_shares(ANCESTORS, FLAT_ROYALTY);
        let flat_parents = parents
            .iter()
            .map(|&(model_id, _)| ParentModel {
                model_id,
                royalty_bps: FLAT_ROYALTY,
            })
            .collect();
        let wide = self.register(run_tag, hosted("bench-4-parents", flat_parents), &host)?;
        let flat_ancestors: Vec<Ancestor> = parents
            .iter()
            .zip(&flat)
            .map(|(&(m, d), &s)| (m, s, d))
            .collect();
        self.ensure_ancestry(wide, flat_own, &flat_ancestors)?;
        let (chain_own, chained, chain_ancestors) =
            self.register_chain(run_tag, &parents, datanet_id, &host)?;
        let pay_twin = self.pay_once(twin, datanet_id, run_tag)?;
        self.ensure_split(&pay_twin, (BPS as u16, datanet_id), &[])?;
        let pay_wide = self.pay_once(wide, datanet_id, run_tag)?;
        self.ensure_split(&pay_wide, (flat_own, datanet_id), &flat_ancestors)?;
        let pay_chain = self.pay_once(chained, datanet_id, run_tag)?;
        self.ensure_split(&pay_chain, (chain_own, datanet_id), &chain_ancestors)?;
        self.record_derived(rec, (&pay_twin, &pay_wide, &pay_chain))
    }

    /// The chain: the first parent is its root; each of the other three lineage datanets gets
    /// a model deriving from the one before; the measured model, trained on `datanet_id`, derives
    /// from the last.
    /// Returns its own share, its id and its ancestors (id, share, datanet), nearest first.
    fn register_chain(
        &self,
        run_tag: &str,
        parents: &[(u64, u64)],
        datanet_id: u64,
        host: &HostKey,
    ) -> Result<(u16, u64, Vec<Ancestor>)> {
        let mut links = vec![parents[0]];
        for (k, &(_, d)) in parents.iter().enumerate().skip(1) {
            let below = links.last().context("a chain has a root")?.0;
            let spec = Spec {
                name: &format!("bench-chain-{k}"),
                datanet_id: d,
                parents: vec![ParentModel {
                    model_id: below,
                    royalty_bps: CHAIN_ROYALTY,
                }],
                hosted: false,
            };
            links.push((self.register(run_tag, spec, host)?, d));
        }
        let top = links.last().context("a chain has a root")?.0;
        let spec = Spec {
            name: "bench-chain-of-4",
            datanet_id,
            parents: vec![ParentModel {
                model_id: top,
                royalty_bps: CHAIN_ROYALTY,
            }],
            hosted: true,
        };
        let model = self.register(run_tag, spec, host)?;
        let (own, shares) = chain_shares(ANCESTORS, CHAIN_ROYALTY);
        let ancestors: Vec<Ancestor> = links
            .iter()
            .rev()
            .zip(&shares)
            .map(|(&(m, d), &s)| (m, s, d))
            .collect();
        self.ensure_ancestry(model, own, &ancestors)?;
        Ok((own, model, ancestors))
    }

    fn record_derived(
        &self,
        rec: &mut Recorder,
        (twin, wide, chained): (&TxResult, &TxResult, &TxResult),
    ) -> Result<()> {
        rec.record(
            "pay_inference, the same model without parents",
            twin,
            1,
            None,
            "signed receipt; 3 allocations (datanet version, stakers, treasury); for comparison",
        );
        rec.record(
            "pay_inference, derived model with 4 parents",
            wide,
            1,
            Some(4.0),
            "signed receipt; parents without parents, each with its own datanet version: 5 datanet versions + 4 owner credits + stakers + treasury in one distribute",
        );
        rec.record(
            "pay_inference, derived model at the end of a chain of 4",
            chained,
            1,
            Some(4.0),
            "signed receipt; depth 4, each ancestor with its own datanet version: 11 allocations in one distribute",
        );
        rec.ratio(
            "pay_inference with 4 parents ÷ without parents",
            wide,
            twin,
            None,
            "ratio of the two payments, not to the transfer",
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_parents_at_ten_percent_leave_the_model_sixty() {
        assert_eq!(flat_shares(4, 1_000), (6_000, vec![1_000; 4]));
    }

    #[test]
    fn a_chain_at_half_halves_each_link() {
        // 5 000 reaches the parent, which keeps half: 2 500; 2 500 reaches the grandparent:
        // 1 250; then 625; the root keeps all of its 625.
        assert_eq!(
            chain_shares(4, 5_000),
            (5_000, vec![2_500, 1_250, 625, 625])
        );
    }
}
