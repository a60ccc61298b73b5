//! The model flow on a real chain: a model trained on a published datanet version is paid for
//! one signed inference and a batch of 50; the pool and the model owner receive exactly the
//! split, and the gas of each payment is printed beside a plain OPEN transfer's.

use std::path::Path;

use anyhow::{ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::model_licensing::{
    self as models, Host, InferencePayment, LineageEntry, NewModel, Receipt,
};
use openledger_common::msg::reward_pool::{self as pool, DatanetPoolResponse};
use sha2::{Digest, Sha256};

use crate::chain::Chain;
use crate::flows::{attr_u64, Suite};
use crate::manifest::Manifest;
use crate::receipt::HostKey;

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    let s = Suite::load(chain, repo)?;
    let manifest = Manifest::of_chain(repo, chain)?;
    let models_addr = manifest.address("model_licensing")?;
    let (curator, contributor, owner, payer) =
        ("curator2", "contributor3", "model_owner", "client");
    let payer_addr = chain.key_address(payer)?;
    let owner_addr = chain.key_address(owner)?;
    let host = HostKey::derived("host");
    let fee = 1_000u128;

    let (datanet_id, model_id) = model_on_new_datanet(
        chain,
        &s,
        &models_addr,
        &host,
        fee,
        (curator, contributor, owner),
    )?;

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

    // A plain transfer in the same run: the anchor of the gas figures.
    let transfer = s.transfer("deployer", &payer_addr, 51 * fee)?;
    let pool_before = s.balance(&s.pool)?;
    let models_before = s.balance(&models_addr)?;
    let bucket_before: DatanetPoolResponse =
        chain.query(&s.pool, &pool::QueryMsg::DatanetPool { datanet_id })?;
    let tag = &transfer.hash[..8];

    let single = s.send(
        payer,
        &models_addr,
        fee,
        &models::ReceiveMsg::PayInference(signed(format!("{tag}-single"))?),
    )?;
    let items = (0..50)
        .map(|i| signed(format!("{tag}-batch-{i}")))
        .collect::<Result<Vec<_>>>()?;
    let batch = s.send(
        payer,
        &models_addr,
        50 * fee,
        &models::ReceiveMsg::PayInferences { items },
    )?;

    // 51 fees of 1 000: 500 to the datanet, 200 to the owner (credited in model licensing),
    // 200 to stakers, 100 to the treasury; the pool receives 800 of each.
    let pool_after = s.balance(&s.pool)?;
    let models_after = s.balance(&models_addr)?;
    ensure!(
        pool_after - pool_before == 51 * 800,
        "pool received {}; expected {}",
        pool_after - pool_before,
        51 * 800
    );
    ensure!(
        models_after - models_before == 51 * 200,
        "model licensing kept {}; expected {}",
        models_after - models_before,
        51 * 200
    );
    let bucket: DatanetPoolResponse =
        chain.query(&s.pool, &pool::QueryMsg::DatanetPool { datanet_id })?;
    let credited = bucket.total_distributed.u128() - bucket_before.total_distributed.u128();
    ensure!(
        credited == 51 * 500,
        "datanet {datanet_id} was credited {credited}; expected {}",
        51 * 500
    );

    let earned: Uint128 = chain.query(
        &models_addr,
        &models::QueryMsg::Earnings {
            address: owner_addr.clone(),
        },
    )?;
    let owner_before = s.balance(&owner_addr)?;
    chain.execute(
        &models_addr,
        &models::ExecuteMsg::WithdrawEarnings {},
        owner,
        None,
    )?;
    let owner_after = s.balance(&owner_addr)?;
    ensure!(
        owner_after - owner_before == earned.u128() && earned.u128() >= 51 * 200,
        "{owner} received {}; credited {earned}",
        owner_after - owner_before
    );
    s.assert_solvent()?;
    step(format!(
        "pool +{} (datanet {datanet_id} +{credited}), {owner} withdrew {earned}: as expected",
        pool_after - pool_before
    ));
    step(format!(
        "gas: OPEN transfer {}, pay_inference (signed) {} ({:.2}x), pay_inferences of 50 {} ({:.3}x per inference)",
        transfer.gas_used,
        single.gas_used,
        single.gas_used as f64 / transfer.gas_used as f64,
        batch.gas_used,
        batch.gas_used as f64 / 50.0 / transfer.gas_used as f64
    ));
    Ok(())
}

/// A weight-mode datanet with one accepted contribution and a published version 1, and a model
/// trained on it (lineage 100 %) with `host` as its host: `(datanet_id, model_id)`.
pub fn model_on_new_datanet(
    chain: &Chain,
    s: &Suite,
    models_addr: &str,
    host: &HostKey,
    fee: u128,
    (curator, contributor, owner): (&str, &str, &str),
) -> Result<(u64, u64)> {
    // A datanet with one accepted contribution and a published version.
    let res = chain.execute(
        &s.registry,
        &registry::ExecuteMsg::CreateDatanet(NewDatanet {
            name: "model-flow".into(),
            description: "training data of the chain model flow".into(),
            metadata_uri: "ipfs://model-flow".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
        curator,
        None,
    )?;
    let datanet_id = attr_u64(&res, "datanet_id")?;
    let res = chain.execute(
        &s.registry,
        &registry::ExecuteMsg::Contribute(NewContribution {
            datanet_id,
            data_hash: hex::encode(Sha256::digest(format!("model-flow-{}", res.hash))),
            uri: "ipfs://model-flow/data".into(),
            size_bytes: 2_048,
            license_note: None,
        }),
        contributor,
        None,
    )?;
    let contribution_id = attr_u64(&res, "contribution_id")?;
    chain.execute(
        &s.registry,
        &registry::ExecuteMsg::ReviewContributions {
            datanet_id,
            decisions: vec![ReviewDecision::Accept {
                contribution_id,
                weight: 500,
            }],
        },
        curator,
        None,
    )?;
    chain.execute(
        &s.registry,
        &registry::ExecuteMsg::PublishVersion { datanet_id },
        curator,
        None,
    )?;
    step(format!(
        "datanet {datanet_id}: contribution #{contribution_id} accepted, version 1 published"
    ));

    let res = chain.execute(
        models_addr,
        &models::ExecuteMsg::RegisterModel(NewModel {
            name: "chain-flow-model".into(),
            metadata_uri: "ipfs://chain-flow-model".into(),
            weights_hash: hex::encode(Sha256::digest(b"chain-flow-model weights")),
            base_model: None,
            lineage: vec![LineageEntry {
                datanet_id,
                version: 1,
                weight_bps: 10_000,
            }],
            inference_fee: Uint128::new(fee),
            tiers: vec![],
            hosts: vec![Host {
                address: chain.key_address("host")?,
                pubkey: host.pubkey(),
            }],
        }),
        owner,
        None,
    )?;
    let model_id = attr_u64(&res, "model_id")?;
    step(format!(
        "{owner} registered model {model_id} (gas {})",
        res.gas_used
    ));

    Ok((datanet_id, model_id))
}
