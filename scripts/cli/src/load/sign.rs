//! Signing every payer's transactions offline, with explicit sequences, before the timed
//! phase: the chain binary builds one message's JSON form (`--generate-only`) and signs each
//! payer's transactions in one run (`tx sign-batch --offline`).

use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, ensure, Context, Result};
use cosmwasm_std::Uint128;
use cw20::Cw20ExecuteMsg;
use serde_json::{json, Value};

use super::encode::encode_tx;
use super::{say, Load, Options, Payer, TX_GAS};
use crate::chain::Chain;

/// Signs every payer's transactions (in parallel, one thread per payer) into `payers`;
/// returns how many transactions there are. `price` is the gas price (denom, amount).
pub(super) fn sign_all(
    load: &Load,
    payers: &mut [Payer],
    o: &Options,
    msg_gas: u64,
    price: (&str, u128),
) -> Result<usize> {
    let chain = load.chain;
    let work = std::env::temp_dir().join(format!(
        "openledger-load-{}-{}",
        std::process::id(),
        load.tag
    ));
    std::fs::create_dir_all(&work)?;
    let template = template_message(chain, &load.s.token, &payers[0].key)?;
    let signing = Instant::now();
    let signed: Vec<Result<Vec<(String, usize)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = payers
            .iter()
            .map(|p| {
                let (work, template) = (&work, &template);
                scope.spawn(move || sign_payer(load, p, o, template, msg_gas, price, work))
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
    Ok(tx_count)
}

/// One payer's transactions, signed and encoded (base64 bytes, message count).
fn sign_payer(
    load: &Load,
    p: &Payer,
    o: &Options,
    template: &Value,
    msg_gas: u64,
    (denom, gas_price): (&str, u128),
    work: &Path,
) -> Result<Vec<(String, usize)>> {
    let chain = load.chain;
    let (account_number, sequence) = chain.account(&p.address)?;
    let mut unsigned = vec![];
    let mut k = 0;
    while k < p.inferences {
        let n = o.per_tx.min(p.inferences - k);
        let msgs = (k..k + n)
            .map(|j| {
                let m = load.send_msg(&p.address, format!("{}-{}-{j}", load.tag, p.key))?;
                let mut v = template.clone();
                v["sender"] = json!(p.address);
                v["contract"] = json!(load.s.token);
                v["msg"] = serde_json::to_value(&m)?;
                Ok(v)
            })
            .collect::<Result<Vec<_>>>()?;
        let gas = msg_gas * n as u64 + TX_GAS;
        let fee = format!("{}{denom}", u128::from(gas) * gas_price);
        unsigned.push((unsigned_tx(msgs, gas, &fee), n));
        k += n;
    }
    let txs: Vec<Value> = unsigned.iter().map(|(t, _)| t.clone()).collect();
    let signed = sign_batch(
        chain,
        &p.key,
        &txs,
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
        let bytes =
            encode_tx(tx).with_context(|| format!("{}: encoding transaction {i}", p.key))?;
        if i == 0 {
            // The encoder must agree with the chain binary's.
            let path = work.join(format!("{}-first.json", p.key));
            std::fs::write(&path, serde_json::to_vec(tx)?)?;
            let theirs = chain.run_raw(&["tx", "encode", &path.to_string_lossy()])?;
            ensure!(
                theirs.trim() == bytes,
                "{}: this encoder and `tx encode` disagree on a signed transaction",
                p.key
            );
        }
        out.push((bytes, *n));
    }
    Ok(out)
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
