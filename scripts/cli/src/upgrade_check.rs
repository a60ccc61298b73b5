//! The upgrade test's snapshots (`scripts/test-upgrade.sh`): every query answer of a deployed
//! suite before the upgrade and after it, read over the node's RPC, and their comparison:
//! identical but for the fields the current release added, each with the value the migration
//! must give it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Value};

use crate::chain::par;
use crate::manifest::Manifest;
use crate::rpc::Rpc;

/// The arguments of `openledger snapshot`.
#[derive(clap::Args, Debug)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (JSON).
    out: PathBuf,
    /// The deployment manifest.
    #[arg(long, env = "MANIFEST")]
    manifest: PathBuf,
    /// The accounts file: `name address` lines (`scripts/chain.sh accounts`).
    #[arg(long, env = "ACCOUNTS")]
    accounts: PathBuf,
    /// More queries: `name|contract|json` separated by `;`.
    #[arg(long, env = "EXTRA_QUERIES", default_value = "")]
    extra_queries: String,
    /// The node's RPC address.
    #[arg(long, env = "CHAIN_NODE", default_value = "tcp://127.0.0.1:36657")]
    node: String,
}

/// The arguments of `openledger compare-snapshots`.
#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// The snapshot before the upgrade.
    before: PathBuf,
    /// The snapshot after it.
    after: PathBuf,
    /// The cw2 version before the upgrade.
    old_version: String,
    /// The cw2 version after it.
    new_version: String,
}

/// Fields the current release added to responses, wherever they appear, with the value every
/// record written by the older release must show after the migration ("=bond": the answer's own
/// bond, as free bond = bond - reserved with nothing reserved).
fn new_fields() -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        // escrow agents: nothing reserved
        ("reserved", json!("0")),
        ("free", json!("=bond")),
        // escrow tasks of the old release: no budget, no floor
        ("bond_reserved", Value::Null),
        ("min_agent_bond", Value::Null),
        ("max_model_fees", Value::Null),
        ("min_bond_reserved", Value::Null),
        // contributions without commitments
        ("committed_at", Value::Null),
        ("displaced_by", Value::Null),
        // pool config, and the period the pool's migrate writes
        ("challenger_reward_bps", json!(2000)),
        ("staking_reward_period", json!(604800)),
        // pool liabilities and solvency
        ("challenge_rewards", json!("0")),
        ("staking_stream", json!("0")),
        ("remainders", json!({"contributors": "0", "stakers": "0"})),
        // staking pool: no stream yet
        ("streaming", json!("0")),
        ("stream_end", json!(0)),
        ("total_forfeited", json!("0")),
        // version-scoped rewards: a datanet of 0.2.0 shows no version until the pool meets it
        ("versions", json!(0)),
        ("legacy_versions", json!(0)),
        ("more_ranges", json!(false)),
        ("credits", json!("0")),
        ("account_credits", json!("0")),
        // attribution roots of 0.2.0 name no version
        ("version", Value::Null),
        // the registry's event log starts empty at the upgrade; a datanet with accepted
        // contributions owes their backfill; contributions have no log position; versions
        // published before keep their hash-chain root
        ("log_size", json!(0)),
        ("backfill_remaining", json!("=accepted_count")),
        ("accepted_seq", Value::Null),
        ("removed_seq", Value::Null),
        ("format", json!("hash_chain_v0")),
        ("tree_size", json!(0)),
        // every role paid: a migrated deployment keeps its figures (no curators' or hosts'
        // share until governance sets one); nothing earned by curators or hosts yet
        ("curators_bps", json!(0)),
        ("hosts_bps", json!(0)),
        ("hosts_revenue", json!("0")),
        ("curator", json!("0")),
        ("curator_total", json!("0")),
        ("curator_earnings", json!("0")),
        ("pending", json!("0")),
        // workflows: agents of the old release declared no capability and have no rejection,
        // settled volume, proven task or rating yet (0.2.0 had no bond discount to carry);
        // their tasks are roots (their own id) without evaluator, bonded arbiter or sub-tasks
        ("capabilities", json!([])),
        ("rejected", json!(0)),
        ("proven", json!(0)),
        ("volume", json!("0")),
        (
            "ratings",
            json!({"count": 0, "sum": 0, "weighted_sum": "0", "weight": "0"}),
        ),
        ("parent", Value::Null),
        ("root", json!("=id")),
        ("depth", json!(0)),
        ("evaluator", Value::Null),
        ("evaluation_window", Value::Null),
        ("evaluation_fee", json!("0")),
        ("evaluator_reserved", json!("0")),
        ("arbitration_fee", json!("0")),
        ("evaluation_fees_paid", json!("0")),
        ("arbitration_fees_paid", json!("0")),
        ("input_hash", Value::Null),
        // overseers of the old release never resigned; its inference records commit to no
        // input or output (model licensing's `io`)
        ("evaluator_resigned", json!(false)),
        ("arbiter_resigned", json!(false)),
        ("io", Value::Null),
        ("evaluation_deadline", Value::Null),
        ("verdict", Value::Null),
        ("delegated", json!("0")),
        ("subtasks", json!([])),
        ("open_subtasks", json!(0)),
    ])
}

/// The root of an empty event log, `sha256("")`: a datanet's `root` after the upgrade (the
/// registry's roots are Merkle roots of the event log since version scoping).
const EMPTY_LOG_ROOT: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Whether a field that changed in the upgrade changed to what the migration makes of it: a
/// datanet's `root` (in `datanet` answers, not in versions) becomes the empty log's root.
fn changed_as_expected(path: &str, after: &Value) -> bool {
    path.starts_with("registry datanet ") && path.ends_with(".root") && after == EMPTY_LOG_ROOT
}

/// One named query: the contract and the message.
type Queries = BTreeMap<String, (String, Value)>;

fn add(q: &mut Queries, name: String, contract: &str, msg: Value) {
    q.insert(name, (contract.to_string(), msg));
}

/// The queries about every account: balances, stakes, rewards, earnings, licences, bonds.
fn account_queries(q: &mut Queries, c: &BTreeMap<String, String>, accounts: &[(String, String)]) {
    let (tok, reg, pool, m) = (
        &c["open_token"],
        &c["datanet_registry"],
        &c["reward_pool"],
        &c["model_licensing"],
    );
    let contracts = c.iter().map(|(k, v)| (format!("contract:{k}"), v.clone()));
    for (name, addr) in accounts.iter().cloned().chain(contracts) {
        add(
            q,
            format!("balance {name}"),
            tok,
            json!({"balance": {"address": addr}}),
        );
    }
    for (name, a) in accounts {
        add(
            q,
            format!("pool staker {name}"),
            pool,
            json!({"staker": {"address": a}}),
        );
        let pending = json!({"pending_rewards": {"address": a}});
        add(q, format!("pool pending_rewards {name}"), pool, pending);
        add(
            q,
            format!("models earnings {name}"),
            m,
            json!({"earnings": {"address": a}}),
        );
        add(
            q,
            format!("models licenses {name}"),
            m,
            json!({"licenses": {"licensee": a}}),
        );
        let bonds = json!({"withdrawable_bonds": {"address": a}});
        add(q, format!("registry withdrawable_bonds {name}"), reg, bonds);
        let by = json!({"contributions_by_contributor": {"contributor": a, "limit": 50}});
        add(
            q,
            format!("registry contributions_by_contributor {name}"),
            reg,
            by,
        );
    }
}

/// The configuration and solvency of every contract, the escrow's agent and tasks.
fn contract_queries(
    rpc: &Rpc,
    q: &mut Queries,
    c: &BTreeMap<String, String>,
    agent: &str,
) -> Result<()> {
    let fixed = [
        ("token token_info", "open_token", json!({"token_info": {}})),
        ("registry config", "datanet_registry", json!({"config": {}})),
        (
            "registry solvency",
            "datanet_registry",
            json!({"solvency": {}}),
        ),
        ("pool config", "reward_pool", json!({"config": {}})),
        ("pool solvency", "reward_pool", json!({"solvency": {}})),
        (
            "pool staking_pool",
            "reward_pool",
            json!({"staking_pool": {}}),
        ),
        ("models config", "model_licensing", json!({"config": {}})),
        (
            "models solvency",
            "model_licensing",
            json!({"solvency": {}}),
        ),
        ("escrow config", "agent_escrow", json!({"config": {}})),
        ("escrow solvency", "agent_escrow", json!({"solvency": {}})),
    ];
    for (name, contract, msg) in fixed {
        add(q, name.to_string(), &c[contract], msg);
    }
    let esc = &c["agent_escrow"];
    add(
        q,
        "escrow agent agent".into(),
        esc,
        json!({"agent": {"address": agent}}),
    );
    let tasks = smart(
        rpc,
        esc,
        &json!({"tasks_by_agent": {"agent": agent, "limit": 50}}),
    )?;
    for t in tasks["tasks"].as_array().cloned().unwrap_or_default() {
        let id = &t["id"];
        add(
            q,
            format!("escrow task {id}"),
            esc,
            json!({"task": {"task_id": id}}),
        );
    }
    Ok(())
}

/// The datanets, contributions and models, as many as there are: `(datanets, contributions,
/// models)`.
fn listed_queries(
    rpc: &Rpc,
    q: &mut Queries,
    c: &BTreeMap<String, String>,
) -> Result<(usize, usize, usize)> {
    let (reg, pool, m) = (
        &c["datanet_registry"],
        &c["reward_pool"],
        &c["model_licensing"],
    );
    let datanets = smart(rpc, reg, &json!({"datanets": {"limit": 50}}))?["datanets"].clone();
    let datanets = datanets.as_array().cloned().unwrap_or_default();
    for d in &datanets {
        let i = &d["id"];
        add(
            q,
            format!("registry datanet {i}"),
            reg,
            json!({"datanet": {"datanet_id": i}}),
        );
        let versions = json!({"versions": {"datanet_id": i, "limit": 50}});
        add(q, format!("registry versions {i}"), reg, versions);
        add(
            q,
            format!("pool datanet_pool {i}"),
            pool,
            json!({"datanet_pool": {"datanet_id": i}}),
        );
        for status in ["pending", "accepted", "rejected", "withdrawn", "removed"] {
            let by = json!({"contributions_by_datanet": {"datanet_id": i, "status": status, "limit": 50}});
            add(q, format!("registry contributions {i} {status}"), reg, by);
        }
    }
    let mut contributions = 0;
    for i in 1..1000u64 {
        let msg = json!({"contribution": {"contribution_id": i}});
        if rpc.smart_opt(reg, &msg)?.is_none() {
            break;
        }
        contributions += 1;
        add(q, format!("registry contribution {i}"), reg, msg);
    }
    let models = smart(rpc, m, &json!({"models": {"limit": 50}}))?["models"].clone();
    let models = models.as_array().cloned().unwrap_or_default();
    for mdl in &models {
        let id = &mdl["id"];
        add(
            q,
            format!("models model {id}"),
            m,
            json!({"model": {"model_id": id}}),
        );
        add(
            q,
            format!("models model_stats {id}"),
            m,
            json!({"model_stats": {"model_id": id}}),
        );
    }
    Ok((datanets.len(), contributions, models.len()))
}

fn smart(rpc: &Rpc, contract: &str, msg: &Value) -> Result<Value> {
    rpc.smart_opt(contract, msg)?
        .with_context(|| format!("{contract} refused {msg}"))
}

/// Asks every query, four at a time: the answers by name (`null` for a refusal).
fn ask_all(rpc: &Rpc, q: &Queries) -> Result<BTreeMap<String, Value>> {
    let items: Vec<(&String, &(String, Value))> = q.iter().collect();
    let chunk = items.len().div_ceil(4).max(1);
    let parts: Vec<_> = items.chunks(chunk).collect();
    let answers = par(&parts, |part| {
        part.iter()
            .map(|(name, (c, msg))| {
                let v = rpc.smart_opt(c, msg)?.unwrap_or(Value::Null);
                Ok(((*name).clone(), v))
            })
            .collect::<Result<Vec<(String, Value)>>>()
    })?;
    Ok(answers.into_iter().flatten().collect())
}

/// `openledger snapshot OUT`: every answer of the suite in the manifest, and the cw2 records.
pub fn snapshot(a: &SnapshotArgs) -> Result<()> {
    let m = Manifest::load_or_new(&a.manifest, "", "")?;
    let c: BTreeMap<String, String> = m
        .contracts
        .keys()
        .map(|k| Ok((k.clone(), m.address(k)?)))
        .collect::<Result<_>>()?;
    let text = std::fs::read_to_string(&a.accounts)
        .with_context(|| format!("cannot read {}", a.accounts.display()))?;
    let accounts: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect();
    let agent = accounts
        .iter()
        .find(|(n, _)| n == "agent")
        .map(|(_, a)| a.clone())
        .context("no account named agent")?;
    let rpc = crate::tools::rpc(&a.node)?;
    let mut q = Queries::new();
    account_queries(&mut q, &c, &accounts);
    contract_queries(&rpc, &mut q, &c, &agent)?;
    let (datanets, contributions, models) = listed_queries(&rpc, &mut q, &c)?;
    for spec in a.extra_queries.split(';').filter(|s| !s.trim().is_empty()) {
        let parts: Vec<&str> = spec.splitn(3, '|').collect();
        ensure!(
            parts.len() == 3,
            "extra query '{spec}' is not name|contract|json"
        );
        let contract = c
            .get(parts[1])
            .with_context(|| format!("no contract {}", parts[1]))?;
        add(
            &mut q,
            parts[0].into(),
            contract,
            serde_json::from_str(parts[2])?,
        );
    }
    let mut snap = ask_all(&rpc, &q)?;
    for (k, addr) in &c {
        snap.insert(format!("cw2 {k}"), crate::tools::cw2(&rpc, addr)?);
    }
    let missing: Vec<&str> = snap
        .iter()
        .filter(|(_, v)| v.is_null())
        .map(|(n, _)| n.as_str())
        .collect();
    ensure!(
        missing.is_empty(),
        "queries without an answer: {}",
        missing.join(", ")
    );
    std::fs::write(&a.out, serde_json::to_string_pretty(&snap)?)
        .with_context(|| format!("cannot write {}", a.out.display()))?;
    println!(
        "{} answers: {datanets} datanets, {contributions} contributions, {models} models, {} accounts, {} contracts",
        snap.len(),
        accounts.len(),
        c.len()
    );
    Ok(())
}

/// The differences between an answer before and after the upgrade, into `errors`; the new
/// fields with their expected values into `notes`.
fn diff(
    before: &Value,
    after: &Value,
    path: &str,
    errors: &mut Vec<String>,
    notes: &mut Vec<String>,
) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, bv) in b {
                match a.get(k) {
                    None => errors.push(format!("{path}.{k}: gone (was {bv})")),
                    Some(av) => diff(bv, av, &format!("{path}.{k}"), errors, notes),
                }
            }
            let fields = new_fields();
            for (k, av) in a.iter().filter(|(k, _)| !b.contains_key(*k)) {
                let mut want = fields.get(k.as_str()).cloned().unwrap_or(json!("<absent>"));
                if want == json!("=accepted_count") {
                    want = match a.get("accepted_count") {
                        Some(n) if *n != json!(0) => n.clone(),
                        _ => Value::Null,
                    };
                }
                // "=field": the answer's own value of that field.
                if let Some(field) = want.as_str().and_then(|w| w.strip_prefix('=')) {
                    want = a.get(field).cloned().unwrap_or(Value::Null);
                }
                if want == *av {
                    let head = path.split('.').next().unwrap_or_default();
                    notes.push(format!("{head}: .{k} = {av}"));
                } else {
                    errors.push(format!("{path}.{k}: new field {av}, expected {want}"));
                }
            }
        }
        (Value::Array(b), Value::Array(a)) if b.len() == a.len() => {
            for (i, (bv, av)) in b.iter().zip(a).enumerate() {
                diff(bv, av, &format!("{path}[{i}]"), errors, notes);
            }
        }
        _ if before != after && !changed_as_expected(path, after) => {
            errors.push(format!("{path}: {before} -> {after}"))
        }
        _ => {}
    }
}

/// The cw2 record's check: the old version before, the same contract at the new version after.
fn cw2_check(name: &str, b: &Value, a: Option<&Value>, old: &str, new: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if b["version"] != old {
        errors.push(format!(
            "{name}: {b} before the upgrade, expected version {old}"
        ));
    }
    let want = json!({"contract": b["contract"], "version": new});
    if a != Some(&want) {
        let a = a.cloned().unwrap_or(Value::Null);
        errors.push(format!(
            "{name}: {a} after the upgrade, expected {} {new}",
            b["contract"]
        ));
    }
    errors
}

/// `openledger compare-snapshots BEFORE AFTER OLD NEW`.
pub fn compare(a: &CompareArgs) -> Result<()> {
    let read = |p: &PathBuf| -> Result<BTreeMap<String, Value>> {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a snapshot", p.display()))
    };
    let (before, after) = (read(&a.before)?, read(&a.after)?);
    let (mut errors, mut notes) = (Vec::new(), Vec::new());
    for (name, b) in &before {
        if name.starts_with("cw2 ") {
            errors.extend(cw2_check(
                name,
                b,
                after.get(name),
                &a.old_version,
                &a.new_version,
            ));
        } else if let Some(av) = after.get(name) {
            diff(b, av, name, &mut errors, &mut notes);
        } else {
            errors.push(format!("{name}: not answered after the upgrade"));
        }
    }
    notes.sort();
    notes.dedup();
    for n in &notes {
        println!("added by the migration: {n}");
    }
    if !errors.is_empty() {
        for e in &errors {
            println!("changed: {e}");
        }
        bail!("{} answers changed by the upgrade", errors.len());
    }
    println!(
        "{} answers identical but for the new fields, each with the value the migration must give it",
        before.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_fields_must_have_the_migrations_values() {
        let (mut errors, mut notes) = (Vec::new(), Vec::new());
        let before = json!({"bond": "5", "tasks": [1, 2]});
        let after = json!({"bond": "5", "tasks": [1, 2], "free": "5", "reserved": "0"});
        diff(&before, &after, "escrow agent", &mut errors, &mut notes);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(notes.len(), 2);
        let wrong = json!({"bond": "5", "tasks": [1, 3], "reserved": "1", "other": 1});
        diff(&before, &wrong, "escrow agent", &mut errors, &mut notes);
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn cw2_records_move_to_the_new_version() {
        let b = json!({"contract": "crates.io:x", "version": "0.2.0"});
        let good = json!({"contract": "crates.io:x", "version": "0.3.0"});
        assert!(cw2_check("cw2 x", &b, Some(&good), "0.2.0", "0.3.0").is_empty());
        assert_eq!(cw2_check("cw2 x", &b, Some(&b), "0.2.0", "0.3.0").len(), 1);
    }
}
