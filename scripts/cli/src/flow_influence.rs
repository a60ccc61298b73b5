//! `flow-influence`: influence attribution on a real chain. A curator creates an influence
//! datanet, the deployer funds its bucket, an approved attestor bonds and posts the root of a
//! 2^4-leaf tree and then of a 2^20-leaf tree (both containing the real contributors' keys),
//! the challenge window passes, and contributors claim with 2^4- and 2^20-leaf proofs. Every
//! payout is checked against the contributor's balance, solvency after every step, and the gas
//! of both claims and of a plain OPEN transfer is printed.
//!
//! Trees are built with `openledger_common::merkle` (the code of `scripts/attribution-tree`);
//! when the `attribution-tree` binary is built (`target/{release,debug}/attribution-tree`, or
//! `ATTRIBUTION_TREE_BIN`), the flow also runs it on the same CSV and uses the root and proofs
//! it prints, after checking they are the ones built in-process.
//!
//! The pool's challenge window is set to `INFLUENCE_CHALLENGE_WINDOW` seconds (default 2) for
//! the flow and restored afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use cosmwasm_std::{HexBinary, Uint128};
use openledger_common::merkle::{self, Entry, MerkleTree};
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewDatanet,
};
use openledger_common::msg::reward_pool::{
    self as pool, Allocation, AttestorResponse, AttributionRootResponse, ClaimedResponse,
    ConfigResponse,
};

use crate::chain::{Chain, TxResult};
use crate::flows::Suite;

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

/// Runs a transaction, retrying a few times when the signer's account sequence was stale
/// (another client signed with the same key between our query and our broadcast).
fn retry(mut tx: impl FnMut() -> Result<TxResult>) -> Result<TxResult> {
    let mut attempt = 0;
    loop {
        match tx() {
            Err(e) if attempt < 4 && format!("{e:#}").contains("account sequence mismatch") => {
                attempt += 1;
                std::thread::sleep(Duration::from_secs(1));
            }
            other => return other,
        }
    }
}

/// A tree with its entries, built in-process.
pub(crate) struct Tree {
    pub(crate) datanet_id: u64,
    pub(crate) entries: Vec<Entry>,
    pub(crate) tree: MerkleTree,
    pub(crate) total: u128,
}

impl Tree {
    pub(crate) fn new(datanet_id: u64, entries: Vec<Entry>) -> Result<Self> {
        let tree = MerkleTree::from_entries(datanet_id, &entries)?;
        let total = entries.iter().map(|e| e.cumulative_amount).sum();
        Ok(Tree {
            datanet_id,
            entries,
            tree,
            total,
        })
    }

    pub(crate) fn root_hex(&self) -> String {
        hex::encode(self.tree.root())
    }

    pub(crate) fn amount(&self, address: &str) -> Result<u128> {
        self.entries
            .iter()
            .find(|e| e.address == address)
            .map(|e| e.cumulative_amount)
            .with_context(|| format!("{address} is not in the tree"))
    }

    pub(crate) fn proof(&self, address: &str) -> Result<Vec<String>> {
        let leaf = merkle::leaf_hash(self.datanet_id, address, self.amount(address)?)?;
        Ok(self
            .tree
            .proof(&leaf)
            .context("leaf not in tree")?
            .iter()
            .map(hex::encode)
            .collect())
    }
}

/// `n` entries: the real ones first, then synthetic ones with amounts 1..=1000 (row `i`'s
/// amount depends only on `seed` and `i`, as in `attribution-tree generate`).
fn entries(n: usize, real: &[(String, u128)], seed: u64) -> Vec<Entry> {
    let mut state = seed;
    (0..n)
        .map(|i| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let drawn = u128::from((z ^ (z >> 31)) % 1_000 + 1);
            match real.get(i) {
                Some((a, v)) => Entry {
                    address: a.clone(),
                    cumulative_amount: *v,
                },
                None => Entry {
                    address: format!("synthetic{i:08}"),
                    cumulative_amount: drawn,
                },
            }
        })
        .collect()
}

/// The `attribution-tree` binary, if built.
pub(crate) fn tool_binary(repo: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::env::var("ATTRIBUTION_TREE_BIN") {
        return Some(PathBuf::from(p));
    }
    ["release", "debug"]
        .iter()
        .map(|p| repo.join("target").join(p).join("attribution-tree"))
        .find(|p| p.exists())
}

fn run_tool(bin: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "{} {}: {}",
            bin.display(),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs the tool on `tree`'s CSV and checks it prints the same root, total and proofs of
/// `addresses`; returns the tool's proofs and how long its `build` took.
pub(crate) fn cross_check_with_tool(
    bin: &Path,
    dir: &Path,
    tree: &Tree,
    addresses: &[&str],
) -> Result<(Vec<Vec<String>>, Duration)> {
    let csv = dir.join(format!("amounts-{}.csv", tree.tree.len()));
    let mut text = String::with_capacity(tree.entries.len() * 24);
    text.push_str("address,cumulative_amount\n");
    for e in &tree.entries {
        text.push_str(&format!("{},{}\n", e.address, e.cumulative_amount));
    }
    std::fs::write(&csv, text)?;
    let out = dir.join(format!("tree-{}", tree.tree.len()));
    let (csv_s, out_s, id) = (
        csv.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
        tree.datanet_id.to_string(),
    );
    let started = Instant::now();
    run_tool(
        bin,
        &[
            "build",
            "--datanet-id",
            &id,
            "--input",
            &csv_s,
            "--out",
            &out_s,
            "--no-proofs",
        ],
    )?;
    let build_time = started.elapsed();
    let root: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("root.json"))?)?;
    ensure!(
        root["root"] == tree.root_hex().as_str()
            && root["cumulative_total"] == tree.total.to_string().as_str()
            && root["leaves"] == tree.tree.len(),
        "attribution-tree built {root} but the flow built root {} total {}",
        tree.root_hex(),
        tree.total
    );
    let mut proofs = Vec::new();
    for a in addresses {
        let line = run_tool(
            bin,
            &[
                "proof",
                "--datanet-id",
                &id,
                "--input",
                &csv_s,
                "--address",
                a,
            ],
        )?;
        let v: serde_json::Value = serde_json::from_str(line.trim())?;
        let proof: Vec<String> = serde_json::from_value(v["proof"].clone())?;
        ensure!(
            proof == tree.proof(a)?,
            "attribution-tree printed another proof for {a}"
        );
        proofs.push(proof);
    }
    Ok((proofs, build_time))
}

/// `cross_check_with_tool`, with the flow's progress line.
fn cross_check_logged(
    bin: &Path,
    dir: &Path,
    tree: &Tree,
    addresses: &[&str],
) -> Result<Vec<Vec<String>>> {
    let (proofs, build_time) = cross_check_with_tool(bin, dir, tree, addresses)?;
    step(format!(
        "attribution-tree reproduced the {}-leaf tree (root {}, built in {build_time:.2?}) and its proofs",
        tree.tree.len(),
        &tree.root_hex()[..16]
    ));
    Ok(proofs)
}

/// Waits until the datanet's root of `epoch` is claimable on chain.
pub(crate) fn wait_claimable(s: &Suite, datanet_id: u64, epoch: u64) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r: AttributionRootResponse = s
            .chain
            .query(&s.pool, &pool::QueryMsg::AttributionRoot { datanet_id })?;
        if r.claimable.as_ref().map(|c| c.epoch) == Some(epoch) {
            return Ok(());
        }
        ensure!(
            Instant::now() < deadline,
            "epoch {epoch} of datanet {datanet_id} not claimable after 60 s: {r:?}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

pub(crate) fn to_hex_binaries(proof: &[String]) -> Result<Vec<HexBinary>> {
    Ok(proof
        .iter()
        .map(|h| HexBinary::from_hex(h))
        .collect::<Result<Vec<_>, _>>()?)
}

/// `key` (at `address`) claims its leaf of `tree` against `epoch`; its balance must grow by
/// exactly `expected` and the pool stay solvent.
fn claim(
    s: &Suite,
    key: &str,
    address: &str,
    tree: &Tree,
    epoch: u64,
    proof: &[String],
    expected: u128,
) -> Result<TxResult> {
    let before = s.balance(address)?;
    let msg = pool::ExecuteMsg::ClaimAttribution {
        datanet_id: tree.datanet_id,
        epoch,
        cumulative_amount: Uint128::new(tree.amount(address)?),
        proof: to_hex_binaries(proof)?,
    };
    let res = retry(|| s.chain.execute(&s.pool, &msg, key, None))?;
    let after = s.balance(address)?;
    ensure!(
        after == before + expected,
        "{key} holds {after} OPEN units after its claim; expected {} ({before} + {expected})",
        before + expected
    );
    let c: ClaimedResponse = s.chain.query(
        &s.pool,
        &pool::QueryMsg::Claimed {
            datanet_id: tree.datanet_id,
            address: address.to_string(),
        },
    )?;
    ensure!(
        c.claimed.u128() == tree.amount(address)?,
        "claimed {} recorded for {key}; expected {}",
        c.claimed,
        tree.amount(address)?
    );
    s.assert_solvent()?;
    step(format!(
        "{key} claimed epoch {epoch} with a {}-element proof ({}-leaf tree): +{expected} OPEN units (gas {}, tx {})",
        proof.len(),
        tree.tree.len(),
        res.gas_used,
        res.hash
    ));
    Ok(res)
}

fn post(s: &Suite, attestor: &str, tree: &Tree, epoch: u64) -> Result<()> {
    let msg = pool::ExecuteMsg::PostAttributionRoot {
        datanet_id: tree.datanet_id,
        epoch,
        root: HexBinary::from(tree.tree.root().as_slice()),
        cumulative_total: Uint128::new(tree.total),
    };
    let res = retry(|| s.chain.execute(&s.pool, &msg, attestor, None))?;
    s.assert_solvent()?;
    step(format!(
        "{attestor} posted epoch {epoch}: root {} of {} leaves, total {} (gas {})",
        &tree.root_hex()[..16],
        tree.tree.len(),
        tree.total,
        res.gas_used
    ));
    Ok(())
}

const DEPLOYER: &str = "deployer";
const CURATOR: &str = "curator1";
const ATTESTOR: &str = "attestor";
/// The contributors' keys: `INFLUENCE_CONTRIBUTORS` (four comma-separated key names) or
/// contributor1..4. On a chain other clients use at the same time, give keys nobody else
/// moves OPEN with, or the exact balance checks see their transfers too.
fn contributor_keys() -> Result<Vec<String>> {
    let keys: Vec<String> = std::env::var("INFLUENCE_CONTRIBUTORS")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.split(',').map(|k| k.trim().to_string()).collect())
        .unwrap_or_else(|| (1..=4).map(|i| format!("contributor{i}")).collect());
    ensure!(
        keys.len() == 4,
        "INFLUENCE_CONTRIBUTORS must name 4 keys, not {}",
        keys.len()
    );
    Ok(keys)
}

pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    measure(chain, repo).map(|_| ())
}

/// Runs the flow and returns the gas of the claims with a 2^4-leaf and a 2^20-leaf proof.
pub fn measure(chain: &Chain, repo: &Path) -> Result<(TxResult, TxResult)> {
    let s = Suite::load(chain, repo)?;
    let window: u64 = crate::deploy::env_number("INFLUENCE_CHALLENGE_WINDOW", 2)?;
    // A short challenge window for the flow; the previous one is restored at the end.
    let config: ConfigResponse = chain.query(&s.pool, &pool::QueryMsg::Config {})?;
    let set_window = |w: u64| {
        let msg = pool::ExecuteMsg::UpdateAttributionConfig {
            challenge_window: Some(w),
            attestor_bond: None,
            challenge_bond: None,
        };
        retry(|| chain.execute(&s.pool, &msg, DEPLOYER, None))
    };
    set_window(window)?;
    step(format!(
        "challenge window {window} s (was {} s)",
        config.challenge_window
    ));
    let outcome = flow(&s, repo, &config);
    let restored = set_window(config.challenge_window);
    let claims = outcome?;
    restored?;
    step(format!(
        "challenge window restored to {} s",
        config.challenge_window
    ));
    Ok(claims)
}

fn flow(s: &Suite, repo: &Path, config: &ConfigResponse) -> Result<(TxResult, TxResult)> {
    let chain = s.chain;
    let keys = contributor_keys()?;
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let addrs = keys
        .iter()
        .map(|k| chain.key_address(k))
        .collect::<Result<Vec<_>>>()?;
    let attestor_addr = chain.key_address(ATTESTOR)?;

    // The attestor: approved by the owner and bonded (both kept from earlier runs).
    let a: AttestorResponse = chain.query(
        &s.pool,
        &pool::QueryMsg::Attestor {
            address: attestor_addr.clone(),
        },
    )?;
    if !a.approved {
        let msg = pool::ExecuteMsg::UpdateAttestors {
            add: vec![attestor_addr.clone()],
            remove: vec![],
        };
        retry(|| chain.execute(&s.pool, &msg, DEPLOYER, None))?;
        step(format!("{DEPLOYER} approved {ATTESTOR}"));
    }
    let required = config.attestor_bond.u128();
    if a.bond.u128() < required {
        let missing = required - a.bond.u128();
        retry(|| s.transfer(DEPLOYER, &attestor_addr, missing))?;
        retry(|| {
            s.send(
                ATTESTOR,
                &s.pool,
                missing,
                &pool::ReceiveMsg::BondAttestor {},
            )
        })?;
        step(format!("{ATTESTOR} bonded {missing} OPEN units"));
    }
    s.assert_solvent()?;

    // The two contributors whose claims are compared sign a transaction first: an account's
    // first transaction also stores its public key, which costs gas a claim should not carry.
    for (key, addr) in [(keys[0], &addrs[0]), (keys[2], &addrs[2])] {
        retry(|| s.transfer(DEPLOYER, addr, 1))?;
        retry(|| s.transfer(key, &chain.key_address(DEPLOYER)?, 1))?;
    }

    // An influence datanet.
    let create = registry::ExecuteMsg::CreateDatanet(NewDatanet {
        name: "influence-flow".into(),
        description: "datanet rewarded by attested influence roots".into(),
        metadata_uri: "ipfs://influence-flow".into(),
        curators: vec![],
        policy: ContributionPolicy::Open,
        contribution_bond: Uint128::zero(),
        attribution_mode: AttributionMode::Influence,
    });
    let res = retry(|| chain.execute(&s.registry, &create, CURATOR, None))?;
    let datanet_id: u64 = res
        .attr("wasm", "datanet_id")
        .context("create_datanet reported no datanet_id")?
        .parse()?;
    step(format!(
        "{CURATOR} created influence datanet {datanet_id} (gas {})",
        res.gas_used
    ));

    // Epoch 1: 2^4 leaves (contributors 1-3); epoch 2: 2^20 leaves, contributors 1 and 2 up by
    // 500, contributor 4 new. Synthetic leaves keep their amounts (totals never decrease).
    let real1: Vec<(String, u128)> = addrs[..3]
        .iter()
        .cloned()
        .zip([1_000u128, 2_000, 3_000])
        .collect();
    let real2: Vec<(String, u128)> = addrs
        .iter()
        .cloned()
        .zip([1_500u128, 2_500, 3_000, 4_000])
        .collect();
    let started = Instant::now();
    let small = Tree::new(datanet_id, entries(1 << 4, &real1, datanet_id))?;
    let built_small = started.elapsed();
    let started = Instant::now();
    let big = Tree::new(datanet_id, entries(1 << 20, &real2, datanet_id))?;
    step(format!(
        "built trees of 2^4 leaves in {built_small:.2?} and 2^20 leaves in {:.2?}",
        started.elapsed()
    ));

    // The proofs of the two compared claims come from the tool when it is built.
    let (proof4, proof20) = match tool_binary(repo) {
        Some(bin) => {
            let dir = std::env::temp_dir().join(format!(
                "openledger-influence-{datanet_id}-{}",
                std::process::id()
            ));
            std::fs::create_dir_all(&dir)?;
            let r = cross_check_logged(&bin, &dir, &small, &[addrs[0].as_str()]).and_then(|p4| {
                let p20 = cross_check_logged(&bin, &dir, &big, &[addrs[2].as_str()])?;
                Ok((p4, p20))
            });
            let _ = std::fs::remove_dir_all(&dir);
            let (mut p4, mut p20) = r?;
            (p4.remove(0), p20.remove(0))
        }
        None => {
            step("attribution-tree is not built (cargo build -p attribution-tree): trees built in-process only");
            (small.proof(&addrs[0])?, big.proof(&addrs[2])?)
        }
    };

    // The bucket receives exactly what epoch 2 allocates.
    let distribute = pool::ReceiveMsg::Distribute {
        allocations: vec![Allocation::Datanet {
            id: datanet_id,
            amount: Uint128::new(big.total),
        }],
    };
    let res = retry(|| s.send(DEPLOYER, &s.pool, big.total, &distribute))?;
    s.assert_solvent()?;
    step(format!(
        "{DEPLOYER} distributed {} OPEN units to datanet {datanet_id} (gas {})",
        big.total, res.gas_used
    ));

    post(s, ATTESTOR, &small, 1)?;
    wait_claimable(s, datanet_id, 1)?;
    step("epoch 1 is claimable");

    // A forged claim (ten times the leaf's amount) fails on chain and moves nothing.
    let before = s.balance(&addrs[0])?;
    let forged = pool::ExecuteMsg::ClaimAttribution {
        datanet_id,
        epoch: 1,
        cumulative_amount: Uint128::new(small.amount(&addrs[0])? * 10),
        proof: to_hex_binaries(&proof4)?,
    };
    match chain.execute(&s.pool, &forged, keys[0], None) {
        Err(e) if format!("{e:#}").contains("the proof does not lead") => {
            step("a forged claim is refused: the proof does not lead to the root")
        }
        Err(e) => bail!("the forged claim failed for another reason: {e:#}"),
        Ok(r) => bail!("a forged claim was accepted (tx {})", r.hash),
    }
    ensure!(
        s.balance(&addrs[0])? == before,
        "the forged claim moved funds"
    );

    // The two claims whose gas is compared differ only in their proofs: each is its
    // contributor's first claim (a new `claimed` entry), signed by an account that has signed
    // before, and neither is the first message after its root's window (that one also
    // promotes the root to claimable, one more write).
    claim(
        s,
        keys[1],
        &addrs[1],
        &small,
        1,
        &small.proof(&addrs[1])?,
        2_000,
    )?;
    let claim4 = claim(s, keys[0], &addrs[0], &small, 1, &proof4, 1_000)?;

    post(s, ATTESTOR, &big, 2)?;
    wait_claimable(s, datanet_id, 2)?;
    step("epoch 2 is claimable");
    claim(
        s,
        keys[3],
        &addrs[3],
        &big,
        2,
        &big.proof(&addrs[3])?,
        4_000,
    )?;
    let claim20 = claim(s, keys[2], &addrs[2], &big, 2, &proof20, 3_000)?;
    // Contributors 1 and 2 are paid only what epoch 2 adds.
    claim(s, keys[0], &addrs[0], &big, 2, &big.proof(&addrs[0])?, 500)?;
    claim(s, keys[1], &addrs[1], &big, 2, &big.proof(&addrs[1])?, 500)?;
    let r: AttributionRootResponse =
        chain.query(&s.pool, &pool::QueryMsg::AttributionRoot { datanet_id })?;
    ensure!(
        r.total_paid.u128() == 1_500 + 2_500 + 3_000 + 4_000
            && r.total_received.u128() == big.total
            && r.unallocated.is_zero(),
        "unexpected datanet state after the claims: {r:?}"
    );

    // A plain OPEN transfer in the same run, for comparison.
    let transfer = retry(|| s.transfer(DEPLOYER, &addrs[3], 1))?;
    s.assert_solvent()?;
    step(format!(
        "claim_attribution gas: 2^4 leaves {}, 2^20 leaves {}; OPEN transfer {}",
        claim4.gas_used, claim20.gas_used, transfer.gas_used
    ));
    Ok((claim4, claim20))
}
