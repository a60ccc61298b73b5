//! Steps 18–21, exact provenance: datanet A's version 2 adds contributor4 and drops
//! contributor3; a model trained on version 2 and a model derived from the first model are
//! registered; one inference of each model is paid, and each fee reaches exactly the
//! contributors of the versions its model names (contributor3, removed in version 2, keeps
//! earning from the models trained on version 1); contributor3 reads what it earned by
//! version, and contributor1 proves its contribution is in version 1 with the tree tool.

use std::collections::BTreeMap;

use anyhow::{bail, ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::datanet_registry::{self as registry, NewContribution, ReviewDecision};
use openledger_common::msg::model_licensing::{
    self as models, InferencePayment, LineageEntry, NewModel, ParentModel,
};
use openledger_common::msg::reward_pool as pool;
use openledger_economics::{Party, ServedBy};

use super::ledger::DatanetModel;
use super::plan::{units, vector};
use super::{Story, BOND, CONCURRENCY_HINT, FEE, LINEAGE};
use crate::attribution_tree::contribution;

/// contributor4's weight in datanet A's version 2 (the total stays 1 000, which divides 10^18).
const V2_WEIGHT: u64 = 200;
/// The royalty of the derived model to the first model, in bps of its creator value.
const ROYALTY_BPS: u16 = 2_000;

impl Story<'_> {
    /// 18–21: version 2, two more models, one inference of each, earnings and a proof.
    pub(super) fn provenance(&mut self) -> Result<()> {
        self.version_two()?;
        let (v2_model, derived) = self.more_models()?;
        self.one_inference_each(v2_model, derived)?;
        self.earnings_and_proof()
    }

    fn weights_a(&mut self) -> Result<&mut openledger_economics::VersionedRewards<String>> {
        match self.ledger.datanets.get_mut(&self.a) {
            Some(DatanetModel::Weight(versions)) => Ok(versions),
            _ => bail!("datanet {} is not a weight datanet in the ledger", self.a),
        }
    }

    /// 18: contributor4 contributes again and is accepted, contributor3's contribution is
    /// removed, curator1 publishes version 2.
    fn version_two(&mut self) -> Result<()> {
        let a = self.a;
        let registry_addr = self.c.registry.clone();
        let res = self.send(
            "contributor4",
            &registry_addr,
            BOND,
            &registry::ReceiveMsg::Contribute(NewContribution {
                datanet_id: a,
                data_hash: self.data_hash(&format!("{a}-contributor4-v2")),
                uri: format!(
                    "ipfs://story-{}/clinical-notes/contributor4-v2.jsonl",
                    self.tag
                ),
                size_bytes: 1 << 20,
                license_note: Some("CC-BY-4.0".into()),
            }),
            "contribute again to datanet A",
        )?;
        let id = res.attr_u64("contribution_id")?;
        let c4 = self.addr("contributor4")?;
        self.ledger.mv(
            &c4,
            &registry_addr,
            BOND,
            &format!("bond, datanet {a}"),
            "bonds held",
        )?;
        let review = registry::ExecuteMsg::ReviewContributions {
            datanet_id: a,
            decisions: vec![ReviewDecision::Accept {
                contribution_id: id,
                weight: V2_WEIGHT,
            }],
        };
        self.exec(&registry_addr, &review, "curator2", "accept contributor4's")?;
        let removed = self.ids_a["contributor3"];
        let remove = registry::ExecuteMsg::RemoveContribution {
            contribution_id: removed,
            reason: "the consent behind these notes was withdrawn".into(),
        };
        self.exec(&registry_addr, &remove, "curator1", "remove contributor3's")?;
        let publish = registry::ExecuteMsg::PublishVersion { datanet_id: a };
        let res = self.exec(&registry_addr, &publish, "curator1", "publish version 2")?;
        let v = res.attr_u64("version")?;
        ensure!(v == 2, "datanet {a} published version {v}, not 2");
        let c3 = self.addr("contributor3")?;
        let versions = self.weights_a()?;
        versions.set_weight(c4, u128::from(V2_WEIGHT));
        versions.set_weight(c3, 0);
        versions.publish()?;
        let gas = self.gas("publish_version (event-log root)", &res);
        self.done(format!(
            "contributor4 contributes again to datanet {a} and curator2 accepts it (weight {V2_WEIGHT}); curator1 removes contributor3's #{removed} and publishes v2: contributor1 500, contributor2 300, contributor4 {V2_WEIGHT} (gas {gas})"
        ))
    }

    /// 19: a model trained on version 2, and one derived from the first model.
    fn more_models(&mut self) -> Result<(u64, u64)> {
        let a = self.a;
        let models_addr = self.ledger.models.clone();
        let new_model = |name: &str, parents: Vec<ParentModel>, hash: String| NewModel {
            name: name.into(),
            parents,
            metadata_uri: format!("ipfs://story-{}/{name}.json", self.tag),
            weights_hash: hash,
            base_model: Some("llama-2-7b".into()),
            lineage: vec![LineageEntry {
                datanet_id: a,
                version: 2,
                weight_bps: 10_000,
            }],
            inference_fee: Uint128::new(FEE),
            tiers: vec![],
            hosts: vec![],
        };
        let v2 = new_model("med-coder-7b-v2", vec![], self.data_hash("weights-v2"));
        let res = self.exec(
            &models_addr,
            &models::ExecuteMsg::RegisterModel(v2),
            "model_owner",
            "register the version 2 model",
        )?;
        let v2_model = res.attr_u64("model_id")?;
        let parents = vec![ParentModel {
            model_id: self.model,
            royalty_bps: ROYALTY_BPS,
        }];
        let derived = new_model("med-coder-7b-triage", parents, self.data_hash("weights-3"));
        let res = self.exec(
            &models_addr,
            &models::ExecuteMsg::RegisterModel(derived),
            "model_owner",
            "register the derived model",
        )?;
        let derived = res.attr_u64("model_id")?;
        let ancestry: models::ModelAncestryResponse = self.query(
            &models_addr,
            &models::QueryMsg::ModelAncestry { model_id: derived },
            "model ancestry",
        )?;
        let shares: Vec<(u64, u16)> = ancestry
            .ancestors
            .iter()
            .map(|x| (x.model_id, x.share_bps))
            .collect();
        ensure!(
            ancestry.own_share_bps == 10_000 - ROYALTY_BPS && shares == [(self.model, ROYALTY_BPS)],
            "model {derived}'s ancestry keeps {} bps and gives {shares:?}; the story expects {} and [({}, {ROYALTY_BPS})]",
            ancestry.own_share_bps,
            10_000 - ROYALTY_BPS,
            self.model
        );
        let gas = self.gas("register_model (derived, 1 parent)", &res);
        self.done(format!(
            "model_owner registers model {v2_model} on datanet {a} v2, and model {derived} derived from model {} (royalty {} %) on datanet {a} v2 (gas {gas})",
            self.model,
            ROYALTY_BPS / 100
        ))?;
        Ok((v2_model, derived))
    }

    /// 20: one inference of each of the three models, at the lineage weights.
    fn one_inference_each(&mut self, v2_model: u64, derived: u64) -> Result<()> {
        let (a, b, first) = (self.a, self.b_id, self.model);
        let models_addr = self.ledger.models.clone();
        let client = self.addr("client")?;
        let owner = self.addr("model_owner")?;
        let mut gas = vec![];
        for model_id in [first, v2_model, derived] {
            let item = InferencePayment {
                model_id,
                inference_id: format!("story-{}-provenance-{model_id}", self.tag),
                attribution: None,
                receipt_signature: None,
                io: None,
            };
            let res = self.send(
                "client",
                &models_addr,
                FEE,
                &models::ReceiveMsg::PayInference(item),
                "pay an inference",
            )?;
            gas.push(res.gas_used);
        }
        let v1 = self.first_versions();
        let v2 = BTreeMap::from([(a, 2)]);
        let what = |m: u64| format!("inference fees, model {m}");
        self.ledger.model_payment(
            &client,
            &[(FEE, vector(a, b, LINEAGE), ServedBy::Owner)],
            &v1,
            &what(first),
        )?;
        let only_a = vec![openledger_common::attribution::AttributionShare {
            datanet_id: a,
            weight_bps: 10_000,
        }];
        self.ledger.model_payment(
            &client,
            &[(FEE, only_a, ServedBy::Owner)],
            &v2,
            &what(v2_model),
        )?;
        let parties = [
            (
                Party {
                    share_bps: 10_000 - ROYALTY_BPS,
                    attribution: vec![(a, 10_000)],
                },
                v2,
                None,
            ),
            (
                Party {
                    share_bps: ROYALTY_BPS,
                    attribution: vec![(a, LINEAGE[0]), (b, LINEAGE[1])],
                },
                v1,
                Some(owner),
            ),
        ];
        self.ledger
            .derived_payment(&client, FEE, &parties, ServedBy::Owner, &what(derived))?;
        let gas_text = gas
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(g) = gas.last() {
            self.gas
                .push(("pay_inference (derived model, 1 ancestor)".into(), *g));
        }
        self.done(format!(
            "client pays one inference of models {first} (v1 data), {v2_model} (v2 data) and {derived} (v2 data, royalty to model {first}'s owner and v1 data): each datanet share reaches exactly the contributors of its version (gas {gas_text})"
        ))
    }

    /// 21: contributor3 reads its earnings by version; contributor1 proves its contribution is
    /// in version 1.
    fn earnings_and_proof(&mut self) -> Result<()> {
        let a = self.a;
        let c3 = self.addr("contributor3")?;
        let expected = self.weights_a()?.claimable(&c3)?;
        let e: pool::EarningsResponse = self.query(
            &self.c.pool,
            &pool::QueryMsg::Earnings {
                address: c3.clone(),
                start_after_range: None,
                start_after_source: None,
                limit: None,
            },
            "earnings",
        )?;
        let range = e
            .ranges
            .iter()
            .find(|r| r.datanet_id == a)
            .context("contributor3 has no range in datanet A")?;
        ensure!(
            (range.from_version, range.to_version, range.claimable.u128()) == (1, Some(2), expected),
            "contributor3's range in datanet {a} is v{}..{:?} with {} claimable; the ledger expects v1..2 with {expected}{CONCURRENCY_HINT}",
            range.from_version,
            range.to_version,
            range.claimable
        );
        let id = self.ids_a["contributor1"];
        let answer: registry::ContributionProofResponse = self.query(
            &self.c.registry,
            &registry::QueryMsg::ContributionProof {
                contribution_id: id,
                version: 1,
            },
            "contribution proof",
        )?;
        let version: registry::VersionResponse = self.query(
            &self.c.registry,
            &registry::QueryMsg::Version {
                datanet_id: a,
                version: 1,
            },
            "version 1",
        )?;
        let proved = contribution::check(&answer, Some(&version.root.to_hex()))?;
        self.done(format!(
            "contributor3, removed in v2, reads its earnings: datanet {a} v1 (weight 200) has {} claimable, from models trained on v1 only; contributor1's #{id} is proven in v1 with the tree tool: {proved}",
            units(expected)
        ))
    }
}
