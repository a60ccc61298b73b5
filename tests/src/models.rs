//! Model licensing in the suite: deploy it next to the registry and pool, publish datanet
//! versions for lineages, and sign receipts as a host.

use cosmwasm_std::{Addr, Empty, HexBinary, Uint128};
use cw_multi_test::{Contract, ContractWrapper, Executor};
use k256::ecdsa::signature::hazmat::PrehashSigner;
use k256::ecdsa::{Signature, SigningKey};
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::model_licensing::{self as ml, Receipt};

use crate::Suite;

pub fn model_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            model_licensing::contract::execute,
            model_licensing::contract::instantiate,
            model_licensing::contract::query,
        )
        .with_migrate(model_licensing::contract::migrate),
    )
}

/// Stores and instantiates model licensing with the default fee split; returns its address.
pub fn deploy_models(s: &mut Suite) -> Addr {
    let code = s.app.store_code(model_contract());
    let addr = s
        .app
        .instantiate_contract(
            code,
            s.deployer.clone(),
            &ml::InstantiateMsg {
                owner: None,
                token: s.token.to_string(),
                registry: s.registry.to_string(),
                reward_pool: s.pool.to_string(),
                fee_split: None,
            },
            &[],
            "models",
            Some(s.deployer.to_string()),
        )
        .unwrap();
    s.ledger.insert(addr.clone(), 0);
    addr
}

/// A host's secp256k1 signing key, derived from a label (tests only).
pub struct HostKey(SigningKey);

impl HostKey {
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
    }
}
