//! The model flow: a model trained on a published datanet version is paid for one signed
//! inference and a batch of 50; the pool, the model owner and the host that signed the
//! receipts receive exactly the split (read from model licensing's config), and the
//! gas of each payment is printed beside a plain OPEN transfer's. Written against the story's
//! [`Backend`]: it runs on the chain and on cw-multi-test.

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
use crate::flows::{solvent, Suite};
use crate::receipt::HostKey;
use crate::story::backend::chain::ChainBackend;
use crate::story::backend::{Backend, Contracts};

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

/// The model's inference fee.
const FEE: u128 = 1_000;
/// Inferences in the batch.
const BATCH: u128 = 50;

/// `openledger flow-model`: the model flow on the chain of the manifest.
pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    run_on(&ChainBackend::connect(chain, repo)?)
}

/// The model flow on `b`.
pub fn run_on(b: &dyn Backend) -> Result<()> {
    let c = b.contracts().clone();
    let (payer, owner) = ("client", "model_owner");
    let payer_addr = b.address(payer)?;
    let host = HostKey::derived("host");
    let (datanet_id, model_id) =
        model_on_new_datanet_on(b, &host, FEE, ("curator2", "contributor3", owner))?;
    let attribution = vec![AttributionShare {
        datanet_id,
        weight_bps: 10_000,
    }];
    let signed = |inference_id: String| -> Result<InferencePayment> {
        let receipt = Receipt {
            chain_id: b.chain_id(),
            contract: c.models.clone(),
            model_id,
            inference_id: inference_id.clone(),
            payer: payer_addr.clone(),
            fee: Uint128::new(FEE),
            attribution: attribution.clone(),
            io: None,
        };
        Ok(InferencePayment {
            model_id,
            inference_id,
            attribution: Some(attribution.clone()),
            receipt_signature: Some(host.sign(&receipt)?),
            io: None,
        })
    };

    // A plain transfer in the same run: the anchor of the gas figures.
    let transfer = b.transfer("deployer", &payer_addr, (BATCH + 1) * FEE)?;
    let pool_before = b.fast_balance_of(&c.pool)?;
    let models_before = b.fast_balance_of(&c.models)?;
    let bucket = pool::QueryMsg::DatanetPool { datanet_id };
    let bucket_before: DatanetPoolResponse = b.query(&c.pool, &bucket)?;
    let tag = run_tag(b, &transfer.hash)?;

    let single = models::ReceiveMsg::PayInference(signed(format!("{tag}-single"))?);
    let single = b.send(payer, &c.models, FEE, &single)?;
    let items = (0..BATCH)
        .map(|i| signed(format!("{tag}-batch-{i}")))
        .collect::<Result<Vec<_>>>()?;
    let batch = models::ReceiveMsg::PayInferences { items };
    let batch = b.send(payer, &c.models, BATCH * FEE, &batch)?;

    // 51 fees of 1 000, each split by the configured fee split (with the deploy tool's split:
    // 500 to the datanet, 150 to the owner and 50 to the host, both credited in model
    // licensing, 200 to stakers, 100 to the treasury; the pool receives 800 of each).
    let config: models::ConfigResponse = b.query(&c.models, &models::QueryMsg::Config {})?;
    let split = config.fee_split.split(Uint128::new(FEE))?;
    let (owner_share, hosts_share) = (split.model_owner.u128(), split.hosts.u128());
    let to_pool = FEE - owner_share - hosts_share;
    let n = BATCH + 1;
    let pool_in = b.fast_balance_of(&c.pool)? - pool_before;
    let kept = b.fast_balance_of(&c.models)? - models_before;
    ensure!(
        pool_in == n * to_pool,
        "pool received {pool_in}; expected {}",
        n * to_pool
    );
    ensure!(
        kept == n * (owner_share + hosts_share),
        "model licensing kept {kept}; expected {}",
        n * (owner_share + hosts_share)
    );
    let bucket_after: DatanetPoolResponse = b.query(&c.pool, &bucket)?;
    let credited = bucket_after.total_distributed.u128() - bucket_before.total_distributed.u128();
    ensure!(
        credited == n * split.datanets.u128(),
        "datanet {datanet_id} was credited {credited}; expected {}",
        n * split.datanets.u128()
    );
    // The owner may hold earnings of earlier runs; the host too (every receipt is its).
    let earned = withdraw_earnings(b, owner)?;
    ensure!(
        earned >= n * owner_share,
        "{owner} withdrew {earned}, less than its shares"
    );
    let hosted = withdraw_earnings(b, "host")?;
    ensure!(
        hosted >= n * hosts_share,
        "host withdrew {hosted}, less than its part of the fees it served"
    );
    solvent(b)?;
    step(format!(
        "pool +{pool_in} (datanet {datanet_id} +{credited}), {owner} withdrew {earned}, host withdrew {hosted}: as expected"
    ));
    step(format!(
        "gas: OPEN transfer {}, pay_inference (signed) {} ({:.2}x), pay_inferences of 50 {} ({:.3}x per inference)",
        transfer.gas_used,
        single.gas_used,
        single.gas_used as f64 / transfer.gas_used.max(1) as f64,
        batch.gas_used,
        batch.gas_used as f64 / 50.0 / transfer.gas_used.max(1) as f64
    ));
    Ok(())
}

/// A tag unique to a run: the start of a transaction hash, or the block time where there are
/// no hashes.
pub(crate) fn run_tag(b: &dyn Backend, hash: &str) -> Result<String> {
    Ok(match hash.get(..8) {
        Some(h) => h.to_string(),
        None => format!("t{}", b.block_time()?),
    })
}

/// `owner` withdraws what model licensing credited it (nothing when it holds nothing); its
/// balance grows by exactly that.
fn withdraw_earnings(b: &dyn Backend, owner: &str) -> Result<u128> {
    let c = b.contracts();
    let owner_addr = b.address(owner)?;
    let earned: Uint128 = b.query(
        &c.models,
        &models::QueryMsg::Earnings {
            address: owner_addr.clone(),
        },
    )?;
    if earned.is_zero() {
        return Ok(0);
    }
    let before = b.fast_balance_of(&owner_addr)?;
    b.exec(owner, &c.models, &models::ExecuteMsg::WithdrawEarnings {})?;
    let got = b.fast_balance_of(&owner_addr)? - before;
    ensure!(
        got == earned.u128(),
        "{owner} received {got}; credited {earned}"
    );
    Ok(got)
}

/// [`model_on_new_datanet_on`] on the chain, for the tools that drive it through a [`Suite`].
pub fn model_on_new_datanet(
    chain: &Chain,
    s: &Suite,
    models_addr: &str,
    host: &HostKey,
    fee: u128,
    keys: (&str, &str, &str),
) -> Result<(u64, u64)> {
    let contracts = Contracts {
        token: s.token.clone(),
        registry: s.registry.clone(),
        pool: s.pool.clone(),
        models: models_addr.to_string(),
        // Not needed to register a model.
        escrow: String::new(),
    };
    let b = ChainBackend::from_parts(chain, contracts);
    model_on_new_datanet_on(&b, host, fee, keys)
}

/// A weight-mode datanet with one accepted contribution and a published version 1, and a model
/// trained on it (lineage 100 %) with `host` as its host: `(datanet_id, model_id)`.
pub fn model_on_new_datanet_on(
    b: &dyn Backend,
    host: &HostKey,
    fee: u128,
    (curator, contributor, owner): (&str, &str, &str),
) -> Result<(u64, u64)> {
    let c = b.contracts().clone();
    let res = b.exec(
        curator,
        &c.registry,
        &registry::ExecuteMsg::CreateDatanet(NewDatanet {
            name: "model-flow".into(),
            description: "training data of the chain model flow".into(),
            metadata_uri: "ipfs://model-flow".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
    )?;
    let datanet_id = res.attr_u64("datanet_id")?;
    let seed = format!("model-flow-{}-{datanet_id}-{}", res.hash, b.block_time()?);
    let res = b.exec(
        contributor,
        &c.registry,
        &registry::ExecuteMsg::Contribute(NewContribution {
            datanet_id,
            data_hash: hex::encode(Sha256::digest(seed)),
            uri: "ipfs://model-flow/data".into(),
            size_bytes: 2_048,
            license_note: None,
        }),
    )?;
    let contribution_id = res.attr_u64("contribution_id")?;
    let decisions = vec![ReviewDecision::Accept {
        contribution_id,
        weight: 500,
    }];
    let review = registry::ExecuteMsg::ReviewContributions {
        datanet_id,
        decisions,
    };
    b.exec(curator, &c.registry, &review)?;
    let publish = registry::ExecuteMsg::PublishVersion { datanet_id };
    b.exec(curator, &c.registry, &publish)?;
    step(format!(
        "datanet {datanet_id}: contribution #{contribution_id} accepted, version 1 published"
    ));
    let res = b.exec(
        owner,
        &c.models,
        &models::ExecuteMsg::RegisterModel(NewModel {
            name: "chain-flow-model".into(),
            parents: vec![],
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
                address: b.address("host")?,
                pubkey: host.pubkey(),
            }],
        }),
    )?;
    let model_id = res.attr_u64("model_id")?;
    step(format!(
        "{owner} registered model {model_id} (gas {})",
        res.gas_used
    ));
    Ok((datanet_id, model_id))
}

#[cfg(test)]
mod tests {
    use crate::story::backend::mock::MockBackend;

    #[test]
    fn the_model_flow_holds_on_the_mock_backend() {
        let b = MockBackend::deploy().unwrap();
        super::run_on(&b).unwrap();
        super::run_on(&b).unwrap();
    }
}
