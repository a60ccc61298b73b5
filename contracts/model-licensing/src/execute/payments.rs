//! Paid inferences: one or a batch of up to 50 in one cw20 `send`, each with the lineage
//! weights or a host-signed attribution. The host whose key verifies a receipt served that
//! inference and is credited its hosts' part; a payment without a receipt credits it to the
//! model's owner. A payment may commit to the SHA-256 of its input and output (`io`): they are
//! checked, signed by its receipt when it has one, kept in its record and emitted.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::{Addr, Api, DepsMut, Env, Response, Storage, Uint128};
use openledger_common::attribution::Attribution;
use openledger_common::msg::model_licensing::{
    InferenceIo, InferencePayment, ModelId, Receipt, MAX_BATCH,
};
use openledger_common::{normalize_hash, Checked};

use crate::error::ContractError;
use crate::execute::earnings::settle;
use crate::split::{quote, Ancestors, Ledger};
use crate::state::{
    has_legacy_inferences, inference_used, Ancestry, Config, HostRecord, Model, ModelStats,
    PayerInference, INFERENCES, MODEL_STATS,
};
use crate::validate::validate_inference_id;

/// The models of one message, each loaded once, with their counters and ancestries.
type Loaded = BTreeMap<ModelId, (Model, ModelStats, Ancestry)>;

/// Pays 1..=50 inferences with the `amount` that came with the hook. Everything is checked
/// before anything is written: models active, ids valid and unused, the amount equal to the sum
/// of the fees, then each attribution and its receipt signature, then that the aggregated
/// allocations (datanet versions, ancestors' owners) fit one `distribute`. A derived model's
/// fee also pays its ancestors (whatever their status) by the shares fixed at its registration;
/// its hosts' part goes whole to the host that signed (or its owner), never to the ancestors.
pub fn pay_inferences(
    deps: DepsMut,
    env: Env,
    config: Config,
    payer: Addr,
    amount: Uint128,
    items: Vec<InferencePayment>,
    action: &str,
) -> Result<Response, ContractError> {
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(ContractError::BatchSize {
            got: items.len() as u64,
            max: MAX_BATCH as u64,
        });
    }
    let (mut models, expected) = load_and_price(deps.storage, &payer, &items)?;
    if amount != expected {
        return Err(ContractError::FeeMismatch {
            expected,
            received: amount,
        });
    }

    // Attributions and receipts, the split, the records (nothing written yet).
    let recorded_at = env.block.time.nanos();
    let mut ledger = Ledger::default();
    let mut ancestors = Ancestors::default();
    let mut records: Vec<(ModelId, &str, PayerInference)> = Vec::with_capacity(items.len());
    let mut signed = 0u64;
    let mut res = Response::new()
        .add_attribute("action", action)
        .add_attribute("payer", payer.as_str())
        .add_attribute("fee", amount)
        .add_attribute("count", items.len().to_string());
    if let [item] = items.as_slice() {
        res = res
            .add_attribute("model_id", item.model_id.to_string())
            .add_attribute("inference_id", &item.inference_id);
    }
    for item in &items {
        let model_id = item.model_id;
        let Some((model, stats, ancestry)) = models.get_mut(&model_id) else {
            return Err(ContractError::ModelNotFound { model_id });
        };
        let fee = model.inference_fee;
        let io = item_io(item)?;
        let signed_by = item_attribution(deps.api, &env, &payer, model, item, io.as_ref())?;
        let (attribution, host) = match signed_by {
            Some((attribution, host)) => {
                signed.increment()?;
                (attribution, Some(host))
            }
            None => (model.lineage_attribution(), None),
        };
        let payout = ancestors.payout(deps.storage, model, ancestry, &attribution)?;
        let q = quote(&config.fee_split, fee, &payout)?;
        ledger.add(&model.owner, host.as_ref(), &q)?;
        stats.paid_inferences.increment()?;
        stats.inference_revenue = stats.inference_revenue.checked_add(fee)?;
        if host.is_some() {
            stats.hosts_revenue = stats.hosts_revenue.checked_add(q.split.hosts)?;
        }
        res = res.add_attribute("inference", format!("{model_id}:{}", item.inference_id));
        if let Some(io) = &io {
            res = res
                .add_attribute("input_hash", &io.input_hash)
                .add_attribute("output_hash", &io.output_hash);
        }
        let record = paid_record(item, fee, recorded_at, io);
        records.push((model_id, item.inference_id.as_str(), record));
    }
    let allocations = ledger.allocations()?;

    // Write.
    for (model_id, inference_id, record) in &records {
        INFERENCES.save(deps.storage, (*model_id, &payer, inference_id), record)?;
    }
    for (model_id, (_, stats, _)) in &models {
        MODEL_STATS.save(deps.storage, *model_id, stats)?;
    }
    res = res.add_attribute("signed", signed.to_string());
    settle(deps.storage, &config, &ledger, allocations, res)
}

/// The first pass over a batch: each model loaded once and active, each id valid, once in the
/// batch and unused by `payer` (ids are per payer). Returns the models and the sum of the fees.
fn load_and_price<'a>(
    storage: &dyn Storage,
    payer: &Addr,
    items: &'a [InferencePayment],
) -> Result<(Loaded, Uint128), ContractError> {
    let legacy = has_legacy_inferences(storage)?;
    let mut models = Loaded::new();
    let mut seen: BTreeSet<(ModelId, &'a str)> = BTreeSet::new();
    let mut expected = Uint128::zero();
    for item in items {
        let model_id = item.model_id;
        let fee = match models.entry(model_id) {
            Entry::Occupied(e) => e.get().0.inference_fee,
            Entry::Vacant(e) => {
                let model = Model::load_active(storage, model_id)?;
                let stats = ModelStats::load(storage, model_id)?;
                let ancestry = Ancestry::load(storage, model_id)?;
                e.insert((model, stats, ancestry)).0.inference_fee
            }
        };
        validate_inference_id(&item.inference_id)?;
        if !seen.insert((model_id, item.inference_id.as_str())) {
            return Err(ContractError::DuplicateInference {
                model_id,
                inference_id: item.inference_id.clone(),
            });
        }
        if inference_used(storage, legacy, model_id, payer, &item.inference_id)? {
            return Err(ContractError::InferenceAlreadyPaid {
                model_id,
                payer: payer.to_string(),
                inference_id: item.inference_id.clone(),
            });
        }
        expected = expected.checked_add(fee)?;
    }
    Ok((models, expected))
}

/// The input and output hashes of one payment, each checked to be a SHA-256 in hex
/// (`Validation(InvalidHash)` naming `io.input_hash` or `io.output_hash`) and lower-cased;
/// `None` when the payment carries none.
fn item_io(item: &InferencePayment) -> Result<Option<InferenceIo>, ContractError> {
    let Some(io) = &item.io else {
        return Ok(None);
    };
    Ok(Some(InferenceIo {
        input_hash: normalize_hash("io.input_hash", &io.input_hash)?,
        output_hash: normalize_hash("io.output_hash", &io.output_hash)?,
    }))
}

/// The record of one paid inference: its fee, its signed attribution (as pairs) when it
/// carried one, its checked input and output hashes when it carried them.
fn paid_record(
    item: &InferencePayment,
    fee: Uint128,
    recorded_at: u64,
    io: Option<InferenceIo>,
) -> PayerInference {
    PayerInference {
        fee,
        attribution: item
            .attribution
            .as_ref()
            .map(|a| a.iter().map(|s| (s.datanet_id, s.weight_bps)).collect()),
        licensed: false,
        recorded_at,
        io: io.map(|io| (io.input_hash, io.output_hash)),
    }
}

/// The signed attribution of one payment, checked against the model's lineage and its hosts'
/// receipt signature over a receipt that includes `io` (the payment's checked, lower-case
/// hashes) when given, with the address of the host that signed it; `None` when the payment
/// carries none (the lineage weights apply and no host served it).
fn item_attribution(
    api: &dyn Api,
    env: &Env,
    payer: &Addr,
    model: &Model,
    item: &InferencePayment,
    io: Option<&InferenceIo>,
) -> Result<Option<(Attribution, Addr)>, ContractError> {
    let model_id = item.model_id;
    let (shares, signature) = match (&item.attribution, &item.receipt_signature) {
        (None, None) => return Ok(None),
        (None, Some(_)) => return Err(ContractError::UnexpectedReceiptSignature),
        (Some(shares), signature) => (shares, signature),
    };
    let attribution = model.check_attribution(model_id, shares)?;
    let signature = signature
        .as_ref()
        .ok_or(ContractError::MissingReceiptSignature)?;
    let receipt = Receipt {
        chain_id: env.block.chain_id.clone(),
        contract: env.contract.address.to_string(),
        model_id,
        inference_id: item.inference_id.clone(),
        payer: payer.to_string(),
        fee: model.inference_fee,
        attribution: shares.clone(),
        io: io.cloned(),
    };
    let hash = receipt.hash()?;
    let host =
        receipt_signed_by_host(api, model, &hash, signature.as_slice()).ok_or_else(|| {
            ContractError::InvalidReceiptSignature {
                model_id,
                inference_id: item.inference_id.clone(),
            }
        })?;
    Ok(Some((attribution, host.address.clone())))
}

/// The host of the model whose key verifies `signature` (64 bytes, r ‖ s) over the receipt's
/// hash: the first in their registered order (hosts are tried in that order, so a key two hosts
/// share pays the first). `None` when no host's key verifies it.
fn receipt_signed_by_host<'m>(
    api: &dyn Api,
    model: &'m Model,
    hash: &[u8],
    signature: &[u8],
) -> Option<&'m HostRecord> {
    if signature.len() != 64 {
        return None;
    }
    model.hosts.iter().find(|h| {
        matches!(
            api.secp256k1_verify(hash, signature, h.pubkey.as_slice()),
            Ok(true)
        )
    })
}
