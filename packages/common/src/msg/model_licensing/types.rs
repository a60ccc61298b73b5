//! Model ids, limits, lineage, licence tiers and terms, hosts, model states, and the receipt a
//! host signs.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{HexBinary, Uint128};

use crate::attribution::{AttributionShare, DatanetId};

use super::execute::InferenceIo;

/// Model ids are assigned from 1 upwards.
pub type ModelId = u64;

/// Longest model name, in bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Longest metadata URI, in bytes.
pub const MAX_URI_LEN: usize = 512;
/// Longest base-model name, in bytes.
pub const MAX_BASE_MODEL_LEN: usize = 128;
/// The most lineage entries a model may declare.
pub const MAX_LINEAGE: usize = 16;
/// The most licence tiers a model may offer.
pub const MAX_TIERS: usize = 8;
/// The most hosts a model may register.
pub const MAX_HOSTS: usize = 8;
/// The most inferences one `pay_inferences` may pay.
pub const MAX_BATCH: usize = 50;
/// Longest inference id, in bytes.
pub const MAX_INFERENCE_ID_LEN: usize = 64;
/// Shortest licence tier duration, in seconds (one minute).
pub const MIN_TIER_DURATION: u64 = 60;
/// Longest licence tier duration, in seconds (3 650 days, about ten years).
pub const MAX_TIER_DURATION: u64 = 3_650 * 86_400;
/// Longest a licence may run from now after an extension, in seconds (two maximal tiers):
/// stacking extensions can never overflow a timestamp.
pub const MAX_LICENSE_TERM: u64 = 2 * MAX_TIER_DURATION;
/// Largest inference quota of a tier (10^12): with [`MAX_LICENSE_TERM`] and
/// [`MIN_TIER_DURATION`], the quotas a licence accumulates by extensions cannot overflow.
pub const MAX_TIER_QUOTA: u64 = 1_000_000_000_000;
/// The most parents a derived model may name.
pub const MAX_PARENTS: usize = 4;
/// The most all parents of a derived model may take together (and so one parent alone), in
/// basis points of the model's creator value: half of it.
pub const MAX_TOTAL_ROYALTY_BPS: u16 = 5_000;
/// The deepest ancestry a model may have: a model without parents has depth 0, a derived model
/// 1 + its deepest parent's.
pub const MAX_ANCESTRY_DEPTH: u32 = 4;
/// The most distinct ancestors (parents, their parents, and so on) a model may have.
pub const MAX_ANCESTORS: usize = 16;

/// One datanet version a model was trained on, with its share of the model's attribution.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct LineageEntry {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// A published version of it (from 1).
    pub version: u32,
    /// Its share in basis points; the lineage sums to exactly 10 000.
    pub weight_bps: u16,
}

/// A licence tier a model sells.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct LicenseTier {
    /// Tier id, unique within the model.
    pub id: u32,
    /// Price in fee-token base units (non-zero).
    pub price: Uint128,
    /// How long a licence of this tier lasts, in seconds (60..=315 360 000: one minute to
    /// 3 650 days).
    pub duration: u64,
    /// How many licensed inferences it allows (1..=10^12); unlimited when absent. Zero is
    /// refused: a licence must allow something.
    pub inference_quota: Option<u64>,
    /// Whether it allows commercial use. A commercial licence is also the right to build on the
    /// model: while it runs, its holder may register models derived from this one (`parents`
    /// of `register_model`), as the model's owner may.
    pub commercial: bool,
}

impl LicenseTier {
    /// The terms a buyer of this tier states in `purchase_license`.
    pub fn terms(&self) -> LicenseTerms {
        LicenseTerms {
            price: self.price,
            duration: self.duration,
            inference_quota: self.inference_quota,
            commercial: self.commercial,
        }
    }
}

/// The terms of a tier as the buyer saw them (in the `model` query). A purchase binds them: it
/// is refused with `TermsChanged` naming the first field that differs from the tier's current
/// terms, so a tier rewritten in front of the purchase cannot sell other terms.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct LicenseTerms {
    /// The price; the amount sent must equal it.
    pub price: Uint128,
    /// The duration, in seconds.
    pub duration: u64,
    /// The inference quota; unlimited when absent.
    pub inference_quota: Option<u64>,
    /// Whether commercial use is allowed (and, while the licence runs, registering models
    /// derived from this one).
    pub commercial: bool,
}

/// A parent a derived model names at registration: a model it was built from (fine-tuned,
/// adapted, distilled), with the royalty its fees pay that parent.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct ParentModel {
    /// The parent model. It must exist, and the registrant must own it or hold an unexpired
    /// commercial licence of it. Parents never change after registration.
    pub model_id: ModelId,
    /// The parent's royalty in basis points of the derived model's creator value (the model
    /// owner share plus the datanets share of each of its fees): 1..=5 000, and all parents
    /// together at most 5 000. The parent's royalty is in turn split as the parent's own fee
    /// would be: its owner, its lineage data, its own parents.
    pub royalty_bps: u16,
}

/// An inference host: its account and the secp256k1 key it signs receipts with.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// The host's account: credited the hosts' part of every fee whose receipt it signs.
    pub address: String,
    /// secp256k1 public key, 33 bytes compressed (or 65 uncompressed), hex.
    pub pubkey: HexBinary,
}

/// Lifecycle of a model.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum ModelStatus {
    /// Sells licences and takes payments.
    Active,
    /// Temporarily takes nothing.
    Paused,
    /// Permanently takes nothing.
    Retired,
}

crate::wire_names!(ModelStatus { Active => "active", Paused => "paused", Retired => "retired" });

/// What a host signs: the canonical JSON of these fields, in this order, without whitespace
/// (as `cosmwasm_std::to_json_vec` writes it), hashed with SHA-256. `io` is written only when
/// present, so a receipt without it has exactly the bytes it had before `io` existed.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Chain id the payment is made on.
    pub chain_id: String,
    /// Address of the model-licensing contract.
    pub contract: String,
    /// The model.
    pub model_id: ModelId,
    /// The inference id.
    pub inference_id: String,
    /// The payer (the cw20 sender).
    pub payer: String,
    /// The fee paid.
    pub fee: Uint128,
    /// The attribution vector, in the order it is sent.
    pub attribution: Vec<AttributionShare>,
    /// The hashes of the inference's input and output, lower-case hex, when the payment
    /// carries them (its `io`); left out of the JSON when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io: Option<InferenceIo>,
}

impl Receipt {
    /// The canonical bytes a host signs the hash of.
    pub fn canonical_json(&self) -> cosmwasm_std::StdResult<Vec<u8>> {
        cosmwasm_std::to_json_vec(self)
    }

    /// SHA-256 of the canonical JSON: the message hash passed to `secp256k1_verify`.
    pub fn hash(&self) -> cosmwasm_std::StdResult<[u8; 32]> {
        use sha2::{Digest, Sha256};
        Ok(Sha256::digest(self.canonical_json()?).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The receipt of the README's test vector (without `io`).
    fn vector_receipt() -> Receipt {
        Receipt {
            chain_id: "openledger-local-1".into(),
            contract: "inj1contract".into(),
            model_id: 3,
            inference_id: "inf-7".into(),
            payer: "inj1payer".into(),
            fee: Uint128::new(1_000),
            attribution: vec![
                AttributionShare {
                    datanet_id: 1,
                    weight_bps: 6_000,
                },
                AttributionShare {
                    datanet_id: 2,
                    weight_bps: 4_000,
                },
            ],
            io: None,
        }
    }

    #[test]
    fn receipt_canonical_json_is_fixed() {
        let r = vector_receipt();
        assert_eq!(
            String::from_utf8(r.canonical_json().unwrap()).unwrap(),
            r#"{"chain_id":"openledger-local-1","contract":"inj1contract","model_id":3,"inference_id":"inf-7","payer":"inj1payer","fee":"1000","attribution":[{"datanet_id":1,"weight_bps":6000},{"datanet_id":2,"weight_bps":4000}]}"#
        );
        assert_eq!(r.hash().unwrap().len(), 32);
    }

    #[test]
    fn receipt_canonical_json_with_io_appends_it_last() {
        let plain = vector_receipt();
        let r = Receipt {
            io: Some(InferenceIo {
                input_hash: "11".repeat(32),
                output_hash: "ab".repeat(32),
            }),
            ..plain.clone()
        };
        let json = String::from_utf8(r.canonical_json().unwrap()).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"chain_id":"openledger-local-1","contract":"inj1contract","model_id":3,"inference_id":"inf-7","payer":"inj1payer","fee":"1000","attribution":[{{"datanet_id":1,"weight_bps":6000}},{{"datanet_id":2,"weight_bps":4000}}],"io":{{"input_hash":"{}","output_hash":"{}"}}}}"#,
                "11".repeat(32),
                "ab".repeat(32)
            )
        );
        assert_ne!(r.hash().unwrap(), plain.hash().unwrap());
        // Both forms read back as they were written; a receipt without `io` reads as `None`.
        assert_eq!(cosmwasm_std::from_json::<Receipt>(&json).unwrap(), r);
        assert_eq!(
            cosmwasm_std::from_json::<Receipt>(plain.canonical_json().unwrap()).unwrap(),
            plain
        );
    }

    #[test]
    fn payment_without_io_is_unchanged_on_the_wire() {
        use super::super::execute::InferencePayment;
        let old =
            r#"{"model_id":1,"inference_id":"req-1","attribution":null,"receipt_signature":null}"#;
        let p: InferencePayment = cosmwasm_std::from_json(old).unwrap();
        assert_eq!(p.io, None);
        assert_eq!(
            String::from_utf8(cosmwasm_std::to_json_vec(&p).unwrap()).unwrap(),
            old
        );
        let with = InferencePayment {
            io: Some(InferenceIo {
                input_hash: "11".repeat(32),
                output_hash: "22".repeat(32),
            }),
            ..p
        };
        let json = String::from_utf8(cosmwasm_std::to_json_vec(&with).unwrap()).unwrap();
        assert!(json.ends_with(&format!(
            r#""receipt_signature":null,"io":{{"input_hash":"{}","output_hash":"{}"}}}}"#,
            "11".repeat(32),
            "22".repeat(32)
        )));
        assert_eq!(
            cosmwasm_std::from_json::<InferencePayment>(&json).unwrap(),
            with
        );
        // An io names exactly its two hashes.
        assert!(cosmwasm_std::from_json::<InferenceIo>(
            r#"{"input_hash":"a","output_hash":"b","extra":1}"#
        )
        .is_err());
    }
}
