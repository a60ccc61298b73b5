//! `openledger load --inferences N --payers P [--per-tx M]`: P payers pay N signed inferences
//! of one model at the same time, one `pay_inference` (a cw20 `send` with a host's receipt) per
//! message, M messages per transaction; then every balance the payments touch is reconciled
//! exactly against the fee split.
//!
//! What is measured is the chain, not the client: each payer's transactions are first signed
//! offline with explicit account sequences (the chain binary's `tx sign --offline` and
//! `tx encode`), then the timed phase broadcasts the signed bytes over the node's RPC
//! (`broadcast_tx_sync`, one thread per payer, no process per transaction) and waits until every
//! one is included.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};
use cosmwasm_std::{Uint128, Uint256};
use cw20::Cw20ExecuteMsg;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::agent_escrow as escrow;
use openledger_common::msg::model_licensing::{self as models, InferencePayment, Receipt};
use openledger_common::msg::reward_pool as pool;
use serde_json::{json, Value};

use crate::chain::{number, Chain};
use crate::flow_model::model_on_new_datanet;
use crate::flows::Suite;
use crate::manifest::Manifest;
use crate::receipt::HostKey;
use crate::rpc::{field, varint, Rpc};

/// The model's inference fee.
const FEE: u128 = 1_000;
/// Gas a transaction asks for beyond its messages' (signature, fee, bytes).
const TX_GAS: u64 = 60_000;
/// The pool's accumulator scale.
const SCALE: u128 = 1_000_000_000_000_000_000;

fn say(msg: impl AsRef<str>) {
    eprintln!("[load] {}", msg.as_ref());
}

struct Options {
    inferences: usize,
    payers: usize,
    /// Messages per transaction; 0 = as many as let two transactions share a block.
    per_tx: usize,
}

fn options(args: &[String]) -> Result<Options> {
    let heavy = std::env::var("OPENLEDGER_HEAVY").is_ok_and(|v| v == "1");
    let mut o = Options {
        inferences: if heavy { 3_000 } else { 1_000 },
        payers: 5,
        per_tx: 0,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .with_context(|| format!("{flag} needs a value"))?
            .parse::<usize>()
            .with_context(|| format!("{flag} needs a whole number"))?;
        match flag.as_str() {
            "--inferences" => o.inferences = value,
            "--payers" => o.payers = value,
            "--per-tx" => o.per_tx = value,
            _ => bail!("usage: openledger load [--inferences N] [--payers P] [--per-tx M]"),
        }
    }
    ensure!(
        o.inferences > 0 && o.payers > 0,
        "--inferences and --payers must be positive"
    );
    ensure!(
        o.payers <= 50,
        "at most 50 payers (each is a key in the keyring)"
    );
    Ok(o)
}

/// One payer's share of the load.
struct Payer {
    key: String,
    address: String,
    inferences: usize,
    /// Signed transactions (base64 bytes) and their message counts, in sequence order.
    txs: Vec<(String, usize)>,
}

/// The state the reconciliation compares before and after.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    payers: Vec<u128>,
    pool: u128,
    models: u128,
    earnings: u128,
    datanet_distributed: u128,
    datanet_weight: u64,
    staking_distributed: u128,
    total_staked: u128,
    treasury: u128,
    /// What the pool owes: contributors (weight mode), stakers (released and unclaimed), and
    /// the stakers' stream not yet released.
    contributor_rewards: u128,
    staking_rewards: u128,
    staking_stream: u128,
    paid_inferences: u64,
    inference_revenue: u128,
}

/// What `amount` credits to holders of `total` units in the pool's accumulator (rounded up,
/// as the pool credits), or nothing when nobody holds any.
fn credited(amount: u128, total: u128) -> u128 {
    if total == 0 {
        return 0;
    }
    let total = Uint256::from(total);
    let inc = Uint256::from(amount) * Uint256::from(SCALE) / total;
    let scaled = inc * total;
    let c = (scaled + Uint256::from(SCALE) - Uint256::one()) / Uint256::from(SCALE);
    Uint128::try_from(c)
        .expect("credited never exceeds the amount")
        .u128()
}

pub fn run(chain: &Chain, repo: &Path, args: &[String]) -> Result<()> {
    let mut o = options(args)?;
    let s = Suite::load(chain, repo)?;
    let manifest = Manifest::of_chain(repo, chain)?;
    let models_addr = manifest.address("model_licensing")?;
    let escrow_addr = manifest.address("agent_escrow")?;
    let rpc = Rpc::from_node(&chain.cfg.node)
        .context("the load broadcasts over the node's RPC: CHAIN_NODE must be tcp:// or http://")?;
    let host = HostKey::derived("host");

    let (datanet_id, model_id) = model_on_new_datanet(
        chain,
        &s,
        &models_addr,
        &host,
        FEE,
        ("curator2", "contributor3", "model_owner"),
    )?;
    let owner = chain.key_address("model_owner")?;
    let attribution = vec![AttributionShare {
        datanet_id,
        weight_bps: 10_000,
    }];
    let tag = format!("load-{model_id}");
    let payment = |payer: &str, inference_id: String| -> Result<InferencePayment> {
        let receipt = Receipt {
            chain_id: chain.cfg.chain_id.clone(),
            contract: models_addr.clone(),
            model_id,
            inference_id: inference_id.clone(),
            payer: payer.to_string(),
            fee: Uint128::new(FEE),
            attribution: attribution.clone(),
        };
        Ok(InferencePayment {
            model_id,
            inference_id,
            attribution: Some(attribution.clone()),
            receipt_signature: Some(host.sign(&receipt)?),
        })
    };
    let send_msg = |payer: &str, inference_id: String| -> Result<Cw20ExecuteMsg> {
        Ok(Cw20ExecuteMsg::Send {
            contract: models_addr.clone(),
            amount: Uint128::new(FEE),
            msg: cosmwasm_std::to_json_binary(&models::ReceiveMsg::PayInference(payment(
                payer,
                inference_id,
            )?))?,
        })
    };

    // The payers: keys of their own, funded with gas money and exactly their fees.
    let mut payers = Vec::new();
    for i in 0..o.payers {
        let key = format!("load_payer{}", i + 1);
        let address = ensure_key(chain, &key)?;
        let inferences = o.inferences / o.payers + usize::from(i < o.inferences % o.payers);
        payers.push(Payer {
            key,
            address,
            inferences,
            txs: vec![],
        });
    }
    let (denom, gas_price) = gas_price(&chain.cfg.gas_price)?;
    let mut gas_needs = vec![];
    for p in &payers {
        let native = native_balance(chain, &p.address, &denom)?;
        if native < 10u128.pow(21) {
            gas_needs.push(p.address.as_str());
        }
    }
    if !gas_needs.is_empty() {
        let mut args = vec!["tx", "bank", "multi-send", "deployer"];
        args.extend(gas_needs.iter().copied());
        let amount = format!("{}{denom}", 10u128.pow(22));
        args.push(&amount);
        chain.tx(&args, "deployer")?;
        say(format!("funded {} payers with gas money", gas_needs.len()));
    }
    for p in &payers {
        s.transfer("deployer", &p.address, p.inferences as u128 * FEE)?;
    }

    // One payment outside the count, to learn a message's gas.
    let deployer = chain.key_address("deployer")?;
    let probe = chain.execute(
        &s.token,
        &send_msg(&deployer, format!("{tag}-probe"))?,
        "deployer",
        None,
    )?;
    let gas_per_msg = probe.gas_used;
    // A block takes transactions up to its gas limit by the gas they ask for.
    let params = rpc.call("consensus_params", json!({}))?;
    let block_gas = params["consensus_params"]["block"]["max_gas"]
        .as_str()
        .and_then(|g| g.parse::<i64>().ok())
        .filter(|g| *g > 0)
        .map(|g| g as u64);
    let msg_gas = gas_per_msg * 115 / 100;
    if o.per_tx == 0 {
        o.per_tx = match block_gas {
            Some(g) => ((g / 2).saturating_sub(TX_GAS) / msg_gas).max(1) as usize,
            None => 50,
        };
    }
    say(format!(
        "model {model_id} on datanet {datanet_id}: one signed pay_inference uses {gas_per_msg} gas; block gas limit {}; {} messages per transaction",
        block_gas.map_or("none".to_string(), |g| g.to_string()),
        o.per_tx
    ));

    // Sign every payer's transactions offline, with explicit sequences.
    let work = std::env::temp_dir().join(format!("openledger-load-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let template = template_message(chain, &s.token, &payers[0].key)?;
    let signing = Instant::now();
    let signed: Vec<Result<Vec<(String, usize)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = payers
            .iter()
            .map(|p| {
                let (work, template, send_msg, token) = (&work, &template, &send_msg, &s.token);
                let (denom, tag) = (&denom, &tag);
                scope.spawn(move || -> Result<Vec<(String, usize)>> {
                    let (account_number, sequence) = chain.account(&p.address)?;
                    let mut unsigned = vec![];
                    let mut k = 0;
                    while k < p.inferences {
                        let n = o.per_tx.min(p.inferences - k);
                        let msgs = (k..k + n)
                            .map(|j| {
                                let m = send_msg(&p.address, format!("{tag}-{}-{j}", p.key))?;
                                let mut v = template.clone();
                                v["sender"] = json!(p.address);
                                v["contract"] = json!(token);
                                v["msg"] = serde_json::to_value(&m)?;
                                Ok(v)
                            })
                            .collect::<Result<Vec<_>>>()?;
                        let gas = msg_gas * n as u64 + TX_GAS;
                        let fee = format!("{}{denom}", u128::from(gas) * gas_price);
                        unsigned.push((unsigned_tx(msgs, gas, &fee), n));
                        k += n;
                    }
                    let signed = sign_batch(
                        chain,
                        &p.key,
                        &unsigned.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
                        account_number,
                        sequence,
                        &work.join(&p.key),
                    )?;
                    ensure!(
                        signed.len() == unsigned.len(),
                        "{}: {} transactions signed of {}",
                        p.key,
                        signed.len(),
                        unsigned.len()
                    );
                    let mut out = vec![];
                    for (i, (tx, (_, n))) in signed.iter().zip(&unsigned).enumerate() {
                        let bytes = encode_tx(tx)
                            .with_context(|| format!("{}: encoding transaction {i}", p.key))?;
                        if i == 0 {
                            // The encoder must agree with the chain binary's.
                            let path = work.join(format!("{}-first.json", p.key));
                            std::fs::write(&path, serde_json::to_vec(tx)?)?;
                            let theirs =
                                chain.run_raw(&["tx", "encode", &path.to_string_lossy()])?;
                            ensure!(
                                theirs.trim() == bytes,
                                "{}: this encoder and `tx encode` disagree on a signed transaction",
                                p.key
                            );
                        }
                        out.push((bytes, *n));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("a signer panicked")))
            })
            .collect()
    });
    for (p, txs) in payers.iter_mut().zip(signed) {
        p.txs = txs?;
    }
    let _ = std::fs::remove_dir_all(&work);
    let tx_count: usize = payers.iter().map(|p| p.txs.len()).sum();
    say(format!(
        "signed {tx_count} transactions offline in {:.1?} (`tx sign-batch` per payer, explicit sequences; {} messages each at most)",
        signing.elapsed(),
        o.per_tx
    ));

    let before = snapshot(
        chain,
        &s,
        &models_addr,
        &owner,
        model_id,
        datanet_id,
        &payers,
    )?;

    // The timed phase: every payer broadcasts at once; then wait for every inclusion.
    let start_height = height(&rpc)?;
    let started = Instant::now();
    let hashes: Vec<Result<Vec<String>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = payers
            .iter()
            .map(|p| {
                let rpc = &rpc;
                scope.spawn(move || -> Result<Vec<String>> {
                    p.txs
                        .iter()
                        .map(|(tx, _)| broadcast(rpc, tx).with_context(|| p.key.clone()))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("a broadcaster panicked")))
            })
            .collect()
    });
    let mut pending: Vec<String> = vec![];
    for h in hashes {
        pending.extend(h?);
    }
    let broadcast_secs = started.elapsed().as_secs_f64();
    let deadline =
        Instant::now() + chain.cfg.tx_timeout + Duration::from_secs(o.inferences as u64 / 10);
    let mut heights = std::collections::BTreeSet::new();
    let mut total_gas = 0u64;
    while !pending.is_empty() {
        let mut still = vec![];
        for h in pending {
            match included(&rpc, &h)? {
                Some((height, code, gas, log)) => {
                    ensure!(code == 0, "transaction {h} failed (code {code}): {log}");
                    heights.insert(height);
                    total_gas += gas;
                }
                None => still.push(h),
            }
        }
        pending = still;
        if !pending.is_empty() {
            ensure!(
                Instant::now() < deadline,
                "{} transactions not included in time",
                pending.len()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let last_height = heights.last().copied().unwrap_or(start_height);

    // Reconcile exactly.
    let after = snapshot(
        chain,
        &s,
        &models_addr,
        &owner,
        model_id,
        datanet_id,
        &payers,
    )?;
    let quote: models::FeeQuoteResponse = chain.query(
        &models_addr,
        &models::QueryMsg::FeeQuote {
            model_id,
            attribution: Some(attribution.clone()),
        },
    )?;
    ensure!(
        quote.fee.u128() == FEE && quote.datanets.len() == 1,
        "unexpected fee quote {quote:?}"
    );
    let n = o.inferences as u128;
    let split = &quote.split;
    let (d, owner_share, st, t) = (
        split.datanets.u128(),
        split.model_owner.u128(),
        split.stakers.u128(),
        split.treasury.u128(),
    );
    let d_credited = credited(
        quote.datanets[0].amount.u128(),
        u128::from(before.datanet_weight),
    );
    // Stakers' shares join the pool's reward stream (or, with nothing staked, the treasury);
    // what the stream releases meanwhile is credited with the pool's rounding, and sub-unit
    // remainders reach the treasury in whole units: the pool's three owed amounts and its
    // treasury together grow by exactly what it received.
    let owed =
        |x: &Snapshot| x.treasury + x.contributor_rewards + x.staking_rewards + x.staking_stream;
    let mut wrong = vec![];
    let mut check = |what: &str, got: u128, want: u128| {
        if got != want {
            wrong.push(format!("{what}: {got}, expected {want}"));
        }
    };
    check(
        "paid inferences added",
        u128::from(after.paid_inferences - before.paid_inferences),
        n,
    );
    check(
        "inference revenue added",
        after.inference_revenue - before.inference_revenue,
        n * FEE,
    );
    for (i, p) in payers.iter().enumerate() {
        check(
            &format!("{} paid", p.key),
            before.payers[i] - after.payers[i],
            p.inferences as u128 * FEE,
        );
    }
    check(
        "reward pool received",
        after.pool - before.pool,
        n * (d + st + t),
    );
    check(
        "model licensing kept",
        after.models - before.models,
        n * owner_share,
    );
    check(
        "model owner's earnings",
        after.earnings - before.earnings,
        n * owner_share,
    );
    check(
        "datanet credited",
        after.datanet_distributed - before.datanet_distributed,
        n * d_credited,
    );
    let staking_in = (after.staking_distributed + after.staking_stream)
        .saturating_sub(before.staking_distributed + before.staking_stream);
    check(
        "stakers credited or streaming, at most their shares",
        staking_in.min(n * st),
        staking_in,
    );
    check(
        "treasury and what the pool owes",
        owed(&after) - owed(&before),
        n * (d + st + t),
    );
    ensure!(
        wrong.is_empty(),
        "the load does not reconcile: {}",
        wrong.join("; ")
    );
    s.assert_solvent()?;
    let es: escrow::EscrowSolvencyResponse =
        chain.query(&escrow_addr, &escrow::QueryMsg::Solvency {})?;
    ensure!(es.solvent, "agent escrow insolvent: {es:?}");
    say(format!(
        "reconciled: model {model_id} +{n} paid inferences; each payer paid inferences × {FEE}; pool +{} (datanet {datanet_id} +{}, stakers' stream and rewards +{staking_in}, treasury +{}), owner earnings +{}; every contract solvent",
        n * (d + st + t),
        n * d_credited,
        after.treasury - before.treasury,
        n * owner_share
    ));
    let rate = o.inferences as f64 / wall;
    say(format!(
        "method: {} payers at once, each its own key and account sequence; {} pay_inference messages per transaction, signed offline beforehand, broadcast over RPC (broadcast_tx_sync)",
        o.payers, o.per_tx
    ));
    say(format!(
        "inferences {}, txs {tx_count}, blocks {} (heights {}..={last_height}), wall {wall:.1} s (broadcasts done after {broadcast_secs:.1} s), {rate:.1} inferences/s, total gas {total_gas}, {} gas/inference",
        o.inferences,
        heights.len(),
        heights.first().copied().unwrap_or(start_height),
        total_gas / o.inferences as u64
    ));
    println!(
        "{}",
        json!({
            "inferences": o.inferences,
            "payers": o.payers,
            "txs": tx_count,
            "blocks": heights.len(),
            "wall_seconds": wall,
            "inferences_per_second": rate,
            "total_gas": total_gas,
            "gas_per_inference": total_gas / o.inferences as u64,
        })
    );
    Ok(())
}

fn snapshot(
    chain: &Chain,
    s: &Suite,
    models_addr: &str,
    owner: &str,
    model_id: u64,
    datanet_id: u64,
    payers: &[Payer],
) -> Result<Snapshot> {
    let stats: models::ModelStatsResponse =
        chain.query(models_addr, &models::QueryMsg::ModelStats { model_id })?;
    let bucket: pool::DatanetPoolResponse =
        chain.query(&s.pool, &pool::QueryMsg::DatanetPool { datanet_id })?;
    let staking: pool::StakingPoolResponse =
        chain.query(&s.pool, &pool::QueryMsg::StakingPool {})?;
    let solvency: pool::SolvencyResponse = chain.query(&s.pool, &pool::QueryMsg::Solvency {})?;
    let earnings: Uint128 = chain.query(
        models_addr,
        &models::QueryMsg::Earnings {
            address: owner.to_string(),
        },
    )?;
    Ok(Snapshot {
        payers: payers
            .iter()
            .map(|p| s.balance(&p.address))
            .collect::<Result<_>>()?,
        pool: s.balance(&s.pool)?,
        models: s.balance(models_addr)?,
        earnings: earnings.u128(),
        datanet_distributed: bucket.total_distributed.u128(),
        datanet_weight: bucket.total_weight,
        staking_distributed: staking.total_distributed.u128(),
        total_staked: staking.total_staked.u128(),
        treasury: solvency.liabilities.treasury.u128(),
        contributor_rewards: solvency.liabilities.contributor_rewards.u128(),
        staking_rewards: solvency.liabilities.staking_rewards.u128(),
        staking_stream: solvency.liabilities.staking_stream.u128(),
        paid_inferences: stats.paid_inferences,
        inference_revenue: stats.inference_revenue.u128(),
    })
}

/// The address of `key`, adding it to the (test) keyring first if it is not there.
fn ensure_key(chain: &Chain, key: &str) -> Result<String> {
    if let Ok(a) = chain.key_address(key) {
        return Ok(a);
    }
    chain.run_json(
        &[
            "keys",
            "add",
            key,
            "--keyring-backend",
            &chain.cfg.keyring_backend,
        ],
        true,
    )?;
    chain.key_address(key)
}

/// `500000000inj` → (`inj`, 500000000).
fn gas_price(s: &str) -> Result<(String, u128)> {
    let digits = s
        .find(|c: char| !c.is_ascii_digit())
        .with_context(|| format!("gas price '{s}' has no denom"))?;
    ensure!(
        digits > 0 && s[digits..].starts_with(|c: char| c.is_ascii_alphabetic()),
        "the load needs a whole-number gas price with a denom, not '{s}'"
    );
    Ok((s[digits..].to_string(), s[..digits].parse()?))
}

fn native_balance(chain: &Chain, address: &str, denom: &str) -> Result<u128> {
    let v = chain.run_json(
        &["q", "bank", "balances", address, "--node", &chain.cfg.node],
        true,
    )?;
    Ok(v["balances"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .find(|c| c["denom"] == denom)
        .and_then(|c| c["amount"].as_str().and_then(|a| a.parse().ok()))
        .unwrap_or(0))
}

/// The chain binary's JSON form of one `MsgExecuteContract`, from an unsigned transaction.
fn template_message(chain: &Chain, token: &str, key: &str) -> Result<Value> {
    let msg = serde_json::to_string(&Cw20ExecuteMsg::Burn {
        amount: Uint128::one(),
    })?;
    let v = chain.run_json(
        &[
            "tx",
            "wasm",
            "execute",
            token,
            &msg,
            "--from",
            key,
            "--keyring-backend",
            &chain.cfg.keyring_backend,
            "--chain-id",
            &chain.cfg.chain_id,
            "--gas",
            "200000",
            "--generate-only",
        ],
        true,
    )?;
    v["body"]["messages"][0]
        .as_object()
        .cloned()
        .map(Value::Object)
        .context("the unsigned transaction has no message")
}

/// An unsigned transaction of `msgs` in the chain binary's JSON form.
fn unsigned_tx(msgs: Vec<Value>, gas: u64, fee: &str) -> Value {
    let (amount, denom) = fee.split_at(fee.find(|c: char| !c.is_ascii_digit()).unwrap_or(0));
    json!({
        "body": {
            "messages": msgs,
            "memo": "",
            "timeout_height": "0",
            "extension_options": [],
            "non_critical_extension_options": [],
        },
        "auth_info": {
            "signer_infos": [],
            "fee": {
                "amount": [{ "denom": denom, "amount": amount }],
                "gas_limit": gas.to_string(),
                "payer": "",
                "granter": "",
            },
        },
        "signatures": [],
    })
}

/// Signs `txs` offline in one run of the binary (`tx sign-batch`), with sequences from
/// `sequence` upwards; the signed transactions in order.
fn sign_batch(
    chain: &Chain,
    key: &str,
    txs: &[Value],
    account_number: u64,
    sequence: u64,
    base: &Path,
) -> Result<Vec<Value>> {
    let unsigned_path = base.with_extension("unsigned.jsonl");
    let mut text = String::new();
    for t in txs {
        text.push_str(&serde_json::to_string(t)?);
        text.push('\n');
    }
    std::fs::write(&unsigned_path, text)?;
    let (acc, seq) = (account_number.to_string(), sequence.to_string());
    let out = chain
        .run_raw(&[
            "tx",
            "sign-batch",
            &unsigned_path.to_string_lossy(),
            "--from",
            key,
            "--offline",
            "--account-number",
            &acc,
            "--sequence",
            &seq,
            "--chain-id",
            &chain.cfg.chain_id,
            "--keyring-backend",
            &chain.cfg.keyring_backend,
            "--output",
            "json",
        ])
        .with_context(|| format!("{key}: signing from sequence {sequence}"))?;
    out.lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .map(|l| serde_json::from_str(l).context("unparsable signed transaction"))
        .collect()
}

fn put_uint(out: &mut Vec<u8>, number: u64, n: u64) {
    if n != 0 {
        varint(out, number << 3);
        varint(out, n);
    }
}

fn put_str(out: &mut Vec<u8>, number: u64, s: &str) {
    if !s.is_empty() {
        field(out, number, s.as_bytes());
    }
}

fn put_any(out: &mut Vec<u8>, number: u64, type_url: &str, value: &[u8]) {
    let mut any = vec![];
    put_str(&mut any, 1, type_url);
    if !value.is_empty() {
        field(&mut any, 2, value);
    }
    field(out, number, &any);
}

fn str_of<'v>(v: &'v Value, what: &str) -> Result<&'v str> {
    v.as_str()
        .with_context(|| format!("{what} is not a string: {v}"))
}

fn coins(out: &mut Vec<u8>, number: u64, list: &Value) -> Result<()> {
    for c in list.as_array().cloned().unwrap_or_default() {
        let mut coin = vec![];
        put_str(&mut coin, 1, str_of(&c["denom"], "denom")?);
        put_str(&mut coin, 2, str_of(&c["amount"], "amount")?);
        field(out, number, &coin);
    }
    Ok(())
}

/// The protobuf bytes (`TxRaw`, base64) of a signed transaction in the chain binary's JSON
/// form, for the shapes this command signs: `MsgExecuteContract`s, one signer in direct mode.
/// Checked against the binary's `tx encode` before use.
fn encode_tx(tx: &Value) -> Result<String> {
    use cosmwasm_std::Binary;
    let b64 = |v: &Value, what: &str| -> Result<Vec<u8>> {
        Ok(Binary::from_base64(str_of(v, what)?)?.to_vec())
    };
    let mut body = vec![];
    for m in tx["body"]["messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let ty = str_of(&m["@type"], "message type")?;
        ensure!(
            ty == "/cosmwasm.wasm.v1.MsgExecuteContract",
            "cannot encode a {ty}"
        );
        let mut msg = vec![];
        put_str(&mut msg, 1, str_of(&m["sender"], "sender")?);
        put_str(&mut msg, 2, str_of(&m["contract"], "contract")?);
        field(&mut msg, 3, &serde_json::to_vec(&m["msg"])?);
        coins(&mut msg, 5, &m["funds"])?;
        put_any(&mut body, 1, ty, &msg);
    }
    put_str(
        &mut body,
        2,
        tx["body"]["memo"].as_str().unwrap_or_default(),
    );
    put_uint(
        &mut body,
        3,
        number(&tx["body"]["timeout_height"]).unwrap_or(0),
    );
    let mut auth = vec![];
    for si in tx["auth_info"]["signer_infos"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let mut info = vec![];
        let pk = &si["public_key"];
        let mut key = vec![];
        field(&mut key, 1, &b64(&pk["key"], "public key")?);
        put_any(&mut info, 1, str_of(&pk["@type"], "public key type")?, &key);
        let mode = str_of(&si["mode_info"]["single"]["mode"], "sign mode")?;
        ensure!(mode == "SIGN_MODE_DIRECT", "cannot encode sign mode {mode}");
        let mut single = vec![];
        put_uint(&mut single, 1, 1);
        let mut mode_info = vec![];
        field(&mut mode_info, 1, &single);
        field(&mut info, 2, &mode_info);
        put_uint(&mut info, 3, number(&si["sequence"]).unwrap_or(0));
        field(&mut auth, 1, &info);
    }
    let f = &tx["auth_info"]["fee"];
    let mut fee = vec![];
    coins(&mut fee, 1, &f["amount"])?;
    put_uint(&mut fee, 2, number(&f["gas_limit"]).unwrap_or(0));
    put_str(&mut fee, 3, f["payer"].as_str().unwrap_or_default());
    put_str(&mut fee, 4, f["granter"].as_str().unwrap_or_default());
    field(&mut auth, 2, &fee);
    let mut raw = vec![];
    field(&mut raw, 1, &body);
    field(&mut raw, 2, &auth);
    for sig in tx["signatures"].as_array().cloned().unwrap_or_default() {
        field(&mut raw, 3, &b64(&sig, "signature")?);
    }
    Ok(Binary::from(raw).to_base64())
}

fn height(rpc: &Rpc) -> Result<u64> {
    let v = rpc.call("status", json!({}))?;
    number(&v["sync_info"]["latest_block_height"]).context("status has no height")
}

/// Broadcasts signed bytes (base64) in sync mode: the hash once `CheckTx` accepted them.
/// The node refused a transaction because its mempool (or a mempool lane) holds its maximum.
fn mempool_full(e: &anyhow::Error) -> bool {
    let m = format!("{e:#}");
    m.contains("mempool is full") || m.contains("is full: number of txs")
}

/// A full mempool is back-pressure: the broadcast waits and tries again (for up to 10 minutes).
fn broadcast(rpc: &Rpc, tx: &str) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(600);
    let v = loop {
        match rpc.call("broadcast_tx_sync", json!({ "tx": tx })) {
            Err(e) if mempool_full(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(250));
            }
            other => break other?,
        }
    };
    let code = v["code"].as_u64().unwrap_or(0);
    ensure!(
        code == 0,
        "broadcast refused (code {code}): {}",
        v["log"].as_str().unwrap_or_default()
    );
    Ok(v["hash"]
        .as_str()
        .context("broadcast without a hash")?
        .to_string())
}

/// `(height, code, gas_used, log)` of an included transaction, or `None` while it is not.
fn included(rpc: &Rpc, hash: &str) -> Result<Option<(u64, u32, u64, String)>> {
    use cosmwasm_std::Binary;
    let bytes = hex::decode(hash).with_context(|| format!("hash {hash} is not hex"))?;
    match rpc.call(
        "tx",
        json!({ "hash": Binary::from(bytes).to_base64(), "prove": false }),
    ) {
        Ok(v) => {
            let r = &v["tx_result"];
            Ok(Some((
                number(&v["height"]).unwrap_or_default(),
                r["code"].as_u64().unwrap_or(0) as u32,
                number(&r["gas_used"]).unwrap_or_default(),
                r["log"].as_str().unwrap_or_default().to_string(),
            )))
        }
        Err(e) if format!("{e:#}").contains("cannot reach") => Err(e),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credited_matches_the_pools_rounding() {
        // 500 over a weight of 500: exact.
        assert_eq!(credited(500, 500), 500);
        // 200 over 3 staked: 66.66… per unit, 66_666_666_666_666_666_666 scaled, rounded up.
        assert_eq!(credited(200, 3), 200);
        // 1 over 3: inc = 333…333, inc × 3 = 999…999, rounded up to 1.
        assert_eq!(credited(1, 3), 1);
        // 200 over 7e18: inc = 28, 28 × 7e18 / 1e18 = 196.
        assert_eq!(credited(200, 7 * SCALE), 196);
        assert_eq!(credited(200, 0), 0);
    }

    #[test]
    fn gas_price_is_split_into_amount_and_denom() {
        assert_eq!(
            gas_price("500000000inj").unwrap(),
            ("inj".into(), 500_000_000)
        );
        assert!(gas_price("0.025uatom").is_err());
        assert!(gas_price("inj").is_err());
    }

    #[test]
    fn encoding_omits_defaults_and_orders_fields() {
        let tx = json!({
            "body": {"messages": [{"@type": "/cosmwasm.wasm.v1.MsgExecuteContract",
                "sender": "a", "contract": "b", "msg": {"x": 1}, "funds": []}],
                "memo": "", "timeout_height": "0"},
            "auth_info": {"signer_infos": [{"public_key": {"@type": "/k", "key": "AQ=="},
                "mode_info": {"single": {"mode": "SIGN_MODE_DIRECT"}}, "sequence": "2"}],
                "fee": {"amount": [{"denom": "d", "amount": "5"}], "gas_limit": "7",
                    "payer": "", "granter": ""}},
            "signatures": ["Ag=="]
        });
        let bytes = cosmwasm_std::Binary::from_base64(&encode_tx(&tx).unwrap()).unwrap();
        let msg = [&[0x0a, 1, b'a', 0x12, 1, b'b', 0x1a, 7][..], br#"{"x":1}"#].concat();
        let ty = b"/cosmwasm.wasm.v1.MsgExecuteContract";
        let any = [
            &[0x0a, ty.len() as u8][..],
            ty,
            &[0x12, msg.len() as u8],
            &msg,
        ]
        .concat();
        let body = [&[0x0a, any.len() as u8][..], &any].concat();
        let pk_any = [&[0x0a, 2, b'/', b'k', 0x12, 3, 0x0a, 1, 1][..]].concat();
        let info = [
            &[0x0a, pk_any.len() as u8][..],
            &pk_any,
            &[0x12, 4, 0x0a, 2, 0x08, 1, 0x18, 2],
        ]
        .concat();
        let fee = [0x0a, 6, 0x0a, 1, b'd', 0x12, 1, b'5', 0x10, 7];
        let auth = [
            &[0x0a, info.len() as u8][..],
            &info,
            &[0x12, fee.len() as u8],
            &fee,
        ]
        .concat();
        let want = [
            &[0x0a, body.len() as u8][..],
            &body,
            &[0x12, auth.len() as u8],
            &auth,
            &[0x1a, 1, 2],
        ]
        .concat();
        assert_eq!(bytes.as_slice(), want.as_slice());
    }
}
