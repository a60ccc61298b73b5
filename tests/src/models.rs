//! Model licensing in the suite: publish datanet versions for lineages, register models on
//! them, and sign receipts as a host. The suite deploys it with
//! [`SuiteBuilder::with_models`](crate::SuiteBuilder::with_models).

use cosmwasm_std::{Addr, HexBinary, Uint128};
use k256::ecdsa::signature::hazmat::PrehashSigner;
use k256::ecdsa::{Signature, SigningKey};
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionPolicy, ExecuteMsg as RegExec, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::model_licensing::{self as ml, LineageEntry, Receipt};

pub use crate::contracts::model_contract;
use crate::{attr, data_hash, Suite};

/// A datanet [`Suite::publish_datanets`] creates: its name and its contributors, each with the
/// weight its contribution is accepted with.
pub type PublishedDatanet<'a> = (&'a str, &'a [(&'a Addr, u64)]);

impl Suite {
    /// `owner` creates one open weight-mode datanet per entry (no bond, no curator), in order;
    /// then, datanet by datanet, each contributor contributes the data `data_hash(address)`,
    /// `owner` accepts the contributions with their weights and publishes version 1. Returns
    /// the datanets' ids.
    pub fn publish_datanets(&mut self, owner: &Addr, datanets: &[PublishedDatanet]) -> Vec<u64> {
        let ids: Vec<u64> = datanets
            .iter()
            .map(|(name, _)| {
                let res = self
                    .registry_exec(
                        owner,
                        &RegExec::CreateDatanet(NewDatanet {
                            name: (*name).into(),
                            description: String::new(),
                            metadata_uri: format!("ipfs://{name}"),
                            curators: vec![],
                            policy: ContributionPolicy::Open,
                            contribution_bond: Uint128::zero(),
                            attribution_mode: AttributionMode::Weight,
                        }),
                    )
                    .unwrap();
                attr(&res, "datanet_id").parse().unwrap()
            })
            .collect();
        for (&datanet_id, (_, contributors)) in ids.iter().zip(datanets) {
            let mut decisions = vec![];
            for &(who, weight) in contributors.iter() {
                let contribution = NewContribution {
                    datanet_id,
                    data_hash: data_hash(who.as_str()),
                    uri: "ipfs://data".into(),
                    size_bytes: 1,
                    license_note: None,
                };
                let res = self
                    .registry_exec(who, &RegExec::Contribute(contribution))
                    .unwrap();
                decisions.push(ReviewDecision::Accept {
                    contribution_id: attr(&res, "contribution_id").parse().unwrap(),
                    weight,
                });
            }
            let review = RegExec::ReviewContributions {
                datanet_id,
                decisions,
            };
            self.registry_exec(owner, &review).unwrap();
            self.registry_exec(owner, &RegExec::PublishVersion { datanet_id })
                .unwrap();
        }
        ids
    }
}

/// A lineage on version 1 of each datanet, from `(datanet, bps)` pairs.
pub fn lineage_v1(pairs: &[(u64, u16)]) -> Vec<LineageEntry> {
    pairs
        .iter()
        .map(|&(datanet_id, weight_bps)| LineageEntry {
            datanet_id,
            version: 1,
            weight_bps,
        })
        .collect()
}

/// A host's secp256k1 signing key, derived from a label (tests only).
pub struct HostKey(SigningKey);

impl HostKey {
    /// The key derived from `label` (its SHA-256 as the secret scalar).
    pub fn new(label: &str) -> Self {
        use sha2::{Digest, Sha256};
        let seed = Sha256::digest(label.as_bytes());
        HostKey(SigningKey::from_slice(&seed).unwrap())
    }

    /// Compressed public key.
    pub fn pubkey(&self) -> HexBinary {
        HexBinary::from(self.0.verifying_key().to_encoded_point(true).as_bytes())
    }

    /// Signs a receipt the way a host does.
    pub fn sign(&self, receipt: &Receipt) -> HexBinary {
        let sig: Signature = self.0.sign_prehash(&receipt.hash().unwrap()).unwrap();
        HexBinary::from(sig.normalize_s().unwrap_or(sig).to_bytes().as_slice())
    }
}

/// A `purchase_license` of `tier` of `model_id` that states the tier's terms as the buyer saw
/// them (in the `model` query); refused if the tier changed since.
pub fn purchase(model_id: u64, tier: &ml::LicenseTier) -> ml::ReceiveMsg {
    ml::ReceiveMsg::PurchaseLicense {
        model_id,
        tier_id: tier.id,
        terms: tier.terms(),
    }
}

/// An attribution vector from `(datanet, bps)` pairs.
pub fn shares(pairs: &[(u64, u16)]) -> Vec<AttributionShare> {
    pairs
        .iter()
        .map(|&(datanet_id, weight_bps)| AttributionShare {
            datanet_id,
            weight_bps,
        })
        .collect()
}

/// The receipt of a payment on the multi-test chain.
pub fn receipt(
    s: &Suite,
    models: &Addr,
    model_id: u64,
    inference_id: &str,
    payer: &Addr,
    fee: u128,
    attribution: Vec<AttributionShare>,
) -> Receipt {
    Receipt {
        chain_id: s.app.block_info().chain_id,
        contract: models.to_string(),
        model_id,
        inference_id: inference_id.to_string(),
        payer: payer.to_string(),
        fee: Uint128::new(fee),
        attribution,
        io: None,
    }
}
