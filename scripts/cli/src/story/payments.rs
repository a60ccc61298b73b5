//! Steps 10–13: model_owner registers a model on both datanets' first versions; client buys a
//! licence and pays a signed inference and a batch, each split by the fee split and the
//! attribution.

use std::collections::BTreeMap;

use anyhow::Result;
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::model_licensing::{
    self as models, Host, InferencePayment, LicenseTier, LineageEntry, NewModel, Receipt,
};

use openledger_economics::ServedBy;

use super::plan::{units, vector};
use super::{
    Story, BATCH, BATCH_ATTRIBUTION, FEE, LICENCE_DAYS, LICENCE_PRICE, LICENCE_QUOTA, LICENCE_TIER,
    LINEAGE, SINGLE_ATTRIBUTION,
};

impl Story<'_> {
    /// The story's host, which signs the receipts of signed payments and is credited their
    /// hosts' part.
    pub(super) fn served_by_host(&self) -> Result<ServedBy> {
        Ok(ServedBy::Host(self.addr("host")?))
    }

    /// An inference payment of `payer` with the model host's receipt signed over the attribution
    /// `bps` (datanets A and B).
    pub(super) fn signed(
        &self,
        payer: &str,
        inference_id: String,
        bps: [u16; 2],
    ) -> Result<InferencePayment> {
        let attribution = vector(self.a, self.b_id, bps);
        let receipt = Receipt {
            chain_id: self.b.chain_id(),
            contract: self.ledger.models.clone(),
            model_id: self.model,
            inference_id: inference_id.clone(),
            payer: payer.to_string(),
            fee: Uint128::new(FEE),
            attribution: attribution.clone(),
            io: None,
        };
        Ok(InferencePayment {
            model_id: self.model,
            inference_id,
            attribution: Some(attribution),
            receipt_signature: Some(self.host.sign(&receipt)?),
            io: None,
        })
    }

    /// The versions the first model was trained on: version 1 of datanets A and B.
    pub(super) fn first_versions(&self) -> BTreeMap<u64, u32> {
        BTreeMap::from([(self.a, 1), (self.b_id, 1)])
    }

    /// 10–13: the model, a licence, a signed inference, a batch.
    pub(super) fn model_and_payments(&mut self) -> Result<()> {
        self.register_model()?;
        self.payments()
    }

    /// 10: the model.
    pub(super) fn register_model(&mut self) -> Result<()> {
        let (a, b) = (self.a, self.b_id);
        let models_addr = self.ledger.models.clone();
        let res = self.exec(
            &models_addr,
            &models::ExecuteMsg::RegisterModel(NewModel {
                name: "med-coder-7b".into(),
                parents: vec![],
                metadata_uri: format!("ipfs://story-{}/med-coder-7b.json", self.tag),
                weights_hash: self.data_hash("weights"),
                base_model: Some("llama-2-7b".into()),
                lineage: vec![
                    LineageEntry {
                        datanet_id: a,
                        version: 1,
                        weight_bps: LINEAGE[0],
                    },
                    LineageEntry {
                        datanet_id: b,
                        version: 1,
                        weight_bps: LINEAGE[1],
                    },
                ],
                inference_fee: Uint128::new(FEE),
                tiers: vec![LicenseTier {
                    id: LICENCE_TIER,
                    price: Uint128::new(LICENCE_PRICE),
                    duration: LICENCE_DAYS * 86_400,
                    inference_quota: Some(LICENCE_QUOTA),
                    commercial: true,
                }],
                hosts: vec![Host {
                    address: self.addr("host")?,
                    pubkey: self.host.pubkey(),
                }],
            }),
            "model_owner",
            "register the model",
        )?;
        self.model = res.attr_u64("model_id")?;
        let m = self.model;
        let gas = self.gas("register_model (2 lineage entries, 1 tier, 1 host)", &res);
        self.done(format!(
            "model_owner registers model {m} \"med-coder-7b\" on datanet {a} v1 (60 %) and {b} v1 (40 %): {FEE} per inference, served with the host's key (gas {gas})"
        ))
    }

    /// 11–13: a licence, a signed inference, a batch.
    pub(super) fn payments(&mut self) -> Result<()> {
        let (a, b, m) = (self.a, self.b_id, self.model);
        let models_addr = self.ledger.models.clone();
        let client = self.addr("client")?;
        let res = self.send(
            "client",
            &models_addr,
            LICENCE_PRICE,
            &models::ReceiveMsg::PurchaseLicense {
                model_id: m,
                tier_id: LICENCE_TIER,
                terms: models::LicenseTerms {
                    price: Uint128::new(LICENCE_PRICE),
                    duration: LICENCE_DAYS * 86_400,
                    inference_quota: Some(LICENCE_QUOTA),
                    commercial: true,
                },
            },
            "buy a licence",
        )?;
        let v1 = self.first_versions();
        self.ledger.model_payment(
            &client,
            &[(LICENCE_PRICE, vector(a, b, LINEAGE), ServedBy::Owner)],
            &v1,
            &format!("licence, model {m}"),
        )?;
        let gas = self.gas("purchase_license", &res);
        self.done(format!(
            "client buys a licence of model {m}: tier {LICENCE_TIER}, {} for {LICENCE_DAYS} days and {LICENCE_QUOTA} inferences, split by the lineage (gas {gas})",
            units(LICENCE_PRICE)
        ))?;

        let item = self.signed(
            &client,
            format!("story-{}-single", self.tag),
            SINGLE_ATTRIBUTION,
        )?;
        let res = self.send(
            "client",
            &models_addr,
            FEE,
            &models::ReceiveMsg::PayInference(item),
            "pay a signed inference",
        )?;
        self.ledger.model_payment(
            &client,
            &[(
                FEE,
                vector(a, b, SINGLE_ATTRIBUTION),
                self.served_by_host()?,
            )],
            &v1,
            &format!("inference fees, model {m}"),
        )?;
        let gas = self.gas("pay_inference (signed receipt)", &res);
        self.done(format!(
            "client pays 1 inference with the host's signed receipt (datanet {a} 70 %, {b} 30 %) (gas {gas})"
        ))?;

        let items = (0..BATCH)
            .map(|i| {
                self.signed(
                    &client,
                    format!("story-{}-batch-{i}", self.tag),
                    BATCH_ATTRIBUTION,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let res = self.send(
            "client",
            &models_addr,
            FEE * BATCH as u128,
            &models::ReceiveMsg::PayInferences { items },
            "pay a batch of signed inferences",
        )?;
        let host = self.served_by_host()?;
        let batch: Vec<(u128, Vec<AttributionShare>, ServedBy)> = (0..BATCH)
            .map(|_| (FEE, vector(a, b, BATCH_ATTRIBUTION), host.clone()))
            .collect();
        self.ledger
            .model_payment(&client, &batch, &v1, &format!("inference fees, model {m}"))?;
        let gas = self.gas(format!("pay_inferences ({BATCH} signed, one tx)"), &res);
        self.done(format!(
            "client pays {BATCH} signed inferences in one batch (datanets {a} and {b} 50 % each) (gas {gas}, {} per inference)",
            gas / BATCH as u64
        ))
    }
}
