//! `flow-influence`: influence attribution. A curator creates an influence datanet, the
//! deployer funds its bucket, an approved attestor bonds and posts the root of a 2^4-leaf tree
//! and then of a 2^20-leaf tree (both containing the real contributors' keys), the challenge
//! window passes, and contributors claim with 2^4- and 2^20-leaf proofs. Every payout is
//! checked against the contributor's balance, solvency after every step, and the gas of both
//! claims and of a plain OPEN transfer is printed. Written against the story's [`Backend`]: it
//! runs on the chain and on cw-multi-test.
//!
//! Trees are built in-process with `openledger_common::merkle`; on the chain the flow also runs
//! the attestor's tool on the same CSV (`ATTRIBUTION_TREE_BIN`, such as
//! `scripts/attribution-tree.sh`, else `openledger attribution-tree` of the running binary)
//! and uses the root and proofs it prints, after checking they are the ones built in-process.
//!
//! The pool's challenge window is set to `INFLUENCE_CHALLENGE_WINDOW` seconds (default 2) for
//! the flow and restored afterwards.

use std::path::Path;
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
use serde::Serialize;

use crate::attribution_tree::TreeTool;
use crate::chain::{Chain, TxResult};
use crate::flows::solvent;
use crate::story::backend::chain::{tx_result, ChainBackend};
use crate::story::backend::{Backend, Executed};

fn step(msg: impl AsRef<str>) {
    eprintln!("[flow] {}", msg.as_ref());
}

/// Runs a transaction, retrying a few times when the signer's account sequence was stale
/// (another client signed with the same key between our query and our broadcast).
fn retry(mut tx: impl FnMut() -> Result<Executed>) -> Result<Executed> {
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

/// `actor` executes `msg` on `contract`, retried on a stale sequence.
fn exec<T: Serialize>(b: &dyn Backend, actor: &str, contract: &str, msg: &T) -> Result<Executed> {
    retry(|| b.exec(actor, contract, msg))
}

/// A tree with its entries, built in-process.
pub(crate) struct Tree {
    /// The influence datanet the tree is for.
    pub(crate) datanet_id: u64,
    /// Its leaves: each address's cumulative amount.
    pub(crate) entries: Vec<Entry>,
    /// The tree (format v1).
    pub(crate) tree: MerkleTree,
    /// The cumulative total of the entries (the root's `cumulative_total`).
    pub(crate) total: u128,
}

impl Tree {
    /// The tree of `entries` for `datanet_id`.
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

    /// The root, lower-case hex.
    pub(crate) fn root_hex(&self) -> String {
        hex::encode(self.tree.root())
    }

    /// The cumulative amount of `address`'s leaf.
    pub(crate) fn amount(&self, address: &str) -> Result<u128> {
        self.entries
            .iter()
            .find(|e| e.address == address)
            .map(|e| e.cumulative_amount)
            .with_context(|| format!("{address} is not in the tree"))
    }

    /// The proof of `address`'s leaf, as hex hashes.
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

/// Runs the tool on `tree`'s CSV and checks it prints the same root, total and proofs of
/// `addresses`; returns the tool's proofs and how long its `build` took.
pub(crate) fn cross_check_with_tool(
    tool: &TreeTool,
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
    tool.run(&[
        "build",
        "--datanet-id",
        &id,
        "--input",
        &csv_s,
        "--out",
        &out_s,
        "--no-proofs",
    ])?;
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
        let line = tool.run(&[
            "proof",
            "--datanet-id",
            &id,
            "--input",
            &csv_s,
            "--address",
            a,
        ])?;
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
    tool: &TreeTool,
    dir: &Path,
    tree: &Tree,
    addresses: &[&str],
) -> Result<Vec<Vec<String>>> {
    let (proofs, build_time) = cross_check_with_tool(tool, dir, tree, addresses)?;
    step(format!(
        "attribution-tree reproduced the {}-leaf tree (root {}, built in {build_time:.2?}) and its proofs",
        tree.tree.len(),
        &tree.root_hex()[..16]
    ));
    Ok(proofs)
}

/// Lets block time pass until the datanet's root of `epoch` is claimable.
pub(crate) fn wait_claimable(b: &dyn Backend, datanet_id: u64, epoch: u64) -> Result<()> {
    let pool_addr = &b.contracts().pool;
    for _ in 0..60 {
        let r: AttributionRootResponse =
            b.query_quick(pool_addr, &pool::QueryMsg::AttributionRoot { datanet_id })?;
        if r.claimable.as_ref().map(|c| c.epoch) == Some(epoch) {
            return Ok(());
        }
        b.advance(1)?;
    }
    bail!("epoch {epoch} of datanet {datanet_id} not claimable after 60 s")
}

/// A proof of hex hashes as the pool's `claim_attribution` takes it.
pub(crate) fn to_hex_binaries(proof: &[String]) -> Result<Vec<HexBinary>> {
    Ok(proof
        .iter()
        .map(|h| HexBinary::from_hex(h))
        .collect::<Result<Vec<_>, _>>()?)
}

/// `key` (at `address`) claims its leaf of `tree` against `epoch`; its balance must grow by
/// exactly `expected` and the suite stay solvent.
fn claim(
    b: &dyn Backend,
    (key, address): (&str, &str),
    tree: &Tree,
    epoch: u64,
    proof: &[String],
    expected: u128,
) -> Result<Executed> {
    let pool_addr = b.contracts().pool.clone();
    let before = b.fast_balance_of(address)?;
    let msg = pool::ExecuteMsg::ClaimAttribution {
        datanet_id: tree.datanet_id,
        epoch,
        cumulative_amount: Uint128::new(tree.amount(address)?),
        proof: to_hex_binaries(proof)?,
    };
    let res = exec(b, key, &pool_addr, &msg)?;
    let after = b.fast_balance_of(address)?;
    ensure!(
        after == before + expected,
        "{key} holds {after} OPEN units after its claim; expected {} ({before} + {expected})",
        before + expected
    );
    let c: ClaimedResponse = b.query(
        &pool_addr,
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
    solvent(b)?;
    step(format!(
        "{key} claimed epoch {epoch} with a {}-element proof ({}-leaf tree): +{expected} OPEN units (gas {}, tx {})",
        proof.len(),
        tree.tree.len(),
        res.gas_used,
        res.hash
    ));
    Ok(res)
}

fn post(b: &dyn Backend, attestor: &str, tree: &Tree, epoch: u64) -> Result<()> {
    let msg = pool::ExecuteMsg::PostAttributionRoot {
        datanet_id: tree.datanet_id,
        epoch,
        root: HexBinary::from(tree.tree.root().as_slice()),
        cumulative_total: Uint128::new(tree.total),
        version: None,
    };
    let res = exec(b, attestor, &b.contracts().pool, &msg)?;
    solvent(b)?;
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

/// `openledger flow-influence`: the influence flow on the chain of the manifest.
pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    measure(chain, repo).map(|_| ())
}

/// Runs the flow on the chain and returns the claims with a 2^4-leaf and a 2^20-leaf proof.
pub fn measure(chain: &Chain, repo: &Path) -> Result<(TxResult, TxResult)> {
    let (claim4, claim20) = run_on(&ChainBackend::connect(chain, repo)?)?;
    Ok((tx_result(&claim4), tx_result(&claim20)))
}

/// The influence flow on `b`: returns the claims with a 2^4-leaf and a 2^20-leaf proof.
pub fn run_on(b: &dyn Backend) -> Result<(Executed, Executed)> {
    let pool_addr = b.contracts().pool.clone();
    let window: u64 = crate::deploy::env_number("INFLUENCE_CHALLENGE_WINDOW", 2)?;
    // A short challenge window for the flow; the previous one is restored at the end.
    let config: ConfigResponse = b.query(&pool_addr, &pool::QueryMsg::Config {})?;
    let set_window = |w: u64| {
        let msg = pool::ExecuteMsg::UpdateAttributionConfig {
            challenge_window: Some(w),
            attestor_bond: None,
            challenge_bond: None,
        };
        exec(b, DEPLOYER, &pool_addr, &msg)
    };
    set_window(window)?;
    step(format!(
        "challenge window {window} s (was {} s)",
        config.challenge_window
    ));
    let outcome = flow(b, &config);
    let restored = set_window(config.challenge_window);
    let claims = outcome?;
    restored?;
    step(format!(
        "challenge window restored to {} s",
        config.challenge_window
    ));
    Ok(claims)
}

/// The attestor: approved by the owner and bonded (both kept from earlier runs).
fn attestor_ready(b: &dyn Backend, config: &ConfigResponse) -> Result<()> {
    let (pool_addr, attestor_addr) = (b.contracts().pool.clone(), b.address(ATTESTOR)?);
    let a: AttestorResponse = b.query(
        &pool_addr,
        &pool::QueryMsg::Attestor {
            address: attestor_addr.clone(),
        },
    )?;
    if !a.approved {
        let msg = pool::ExecuteMsg::UpdateAttestors {
            add: vec![attestor_addr.clone()],
            remove: vec![],
        };
        exec(b, DEPLOYER, &pool_addr, &msg)?;
        step(format!("{DEPLOYER} approved {ATTESTOR}"));
    }
    let required = config.attestor_bond.u128();
    if a.bond.u128() < required {
        let missing = required - a.bond.u128();
        retry(|| b.transfer(DEPLOYER, &attestor_addr, missing))?;
        let bond = pool::ReceiveMsg::BondAttestor {};
        retry(|| b.send(ATTESTOR, &pool_addr, missing, &bond))?;
        step(format!("{ATTESTOR} bonded {missing} OPEN units"));
    }
    solvent(b)
}

/// The influence datanet, created by the curator: its id.
fn influence_datanet(b: &dyn Backend) -> Result<u64> {
    let create = registry::ExecuteMsg::CreateDatanet(NewDatanet {
        name: "influence-flow".into(),
        description: "datanet rewarded by attested influence roots".into(),
        metadata_uri: "ipfs://influence-flow".into(),
        curators: vec![],
        policy: ContributionPolicy::Open,
        contribution_bond: Uint128::zero(),
        attribution_mode: AttributionMode::Influence,
    });
    let res = exec(b, CURATOR, &b.contracts().registry, &create)?;
    let datanet_id = res.attr_u64("datanet_id")?;
    step(format!(
        "{CURATOR} created influence datanet {datanet_id} (gas {})",
        res.gas_used
    ));
    Ok(datanet_id)
}

/// The proofs of the two compared claims (`addrs[0]` in `small`, `addrs[2]` in `big`): from
/// the tool when it is built, checked against the trees built in-process.
fn compared_proofs(
    b: &dyn Backend,
    (small, big): (&Tree, &Tree),
    addrs: &[String],
) -> Result<(Vec<String>, Vec<String>)> {
    let Some(tool) = b.attribution_tool() else {
        step("no attribution-tree tool on this backend: trees built in-process only");
        return Ok((small.proof(&addrs[0])?, big.proof(&addrs[2])?));
    };
    let dir = std::env::temp_dir().join(format!(
        "openledger-influence-{}-{}",
        small.datanet_id,
        std::process::id()
    ));
    std::fs::create_dir_all(&dir)?;
    let r = cross_check_logged(&tool, &dir, small, &[addrs[0].as_str()]).and_then(|p4| {
        let p20 = cross_check_logged(&tool, &dir, big, &[addrs[2].as_str()])?;
        Ok((p4, p20))
    });
    let _ = std::fs::remove_dir_all(&dir);
    let (mut p4, mut p20) = r?;
    Ok((p4.remove(0), p20.remove(0)))
}

/// A forged claim (ten times the leaf's amount) fails and moves nothing.
fn forged_claim_refused(
    b: &dyn Backend,
    key: &str,
    addr: &str,
    small: &Tree,
    proof: &[String],
) -> Result<()> {
    let before = b.fast_balance_of(addr)?;
    let forged = pool::ExecuteMsg::ClaimAttribution {
        datanet_id: small.datanet_id,
        epoch: 1,
        cumulative_amount: Uint128::new(small.amount(addr)? * 10),
        proof: to_hex_binaries(proof)?,
    };
    match b.exec(key, &b.contracts().pool, &forged) {
        Err(e) if format!("{e:#}").contains("the proof does not lead") => {
            step("a forged claim is refused: the proof does not lead to the root")
        }
        Err(e) => bail!("the forged claim failed for another reason: {e:#}"),
        Ok(r) => bail!("a forged claim was accepted (tx {})", r.hash),
    }
    ensure!(
        b.fast_balance_of(addr)? == before,
        "the forged claim moved funds"
    );
    Ok(())
}

fn flow(b: &dyn Backend, config: &ConfigResponse) -> Result<(Executed, Executed)> {
    let keys = contributor_keys()?;
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let addrs = keys
        .iter()
        .map(|k| b.address(k))
        .collect::<Result<Vec<_>>>()?;
    attestor_ready(b, config)?;
    // The two contributors whose claims are compared sign a transaction first: an account's
    // first transaction also stores its public key, which costs gas a claim should not carry.
    let deployer_addr = b.address(DEPLOYER)?;
    for (key, addr) in [(keys[0], &addrs[0]), (keys[2], &addrs[2])] {
        retry(|| b.transfer(DEPLOYER, addr, 1))?;
        retry(|| b.transfer(key, &deployer_addr, 1))?;
    }
    let datanet_id = influence_datanet(b)?;
    // Epoch 1: 2^4 leaves (contributors 1-3); epoch 2: 2^20 leaves, contributors 1 and 2 up by
    // 500, contributor 4 new. Synthetic leaves keep their amounts (totals never decrease).
    let real = |amounts: &[u128]| -> Vec<(String, u128)> {
        addrs.iter().cloned().zip(amounts.iter().copied()).collect()
    };
    let started = Instant::now();
    let small = Tree::new(
        datanet_id,
        entries(1 << 4, &real(&[1_000, 2_000, 3_000]), datanet_id),
    )?;
    let built_small = started.elapsed();
    let started = Instant::now();
    let big = Tree::new(
        datanet_id,
        entries(1 << 20, &real(&[1_500, 2_500, 3_000, 4_000]), datanet_id),
    )?;
    step(format!(
        "built trees of 2^4 leaves in {built_small:.2?} and 2^20 leaves in {:.2?}",
        started.elapsed()
    ));
    let (proof4, proof20) = compared_proofs(b, (&small, &big), &addrs)?;
    // The bucket receives exactly what epoch 2 allocates.
    let distribute = pool::ReceiveMsg::Distribute {
        allocations: vec![Allocation::Datanet {
            id: datanet_id,
            amount: Uint128::new(big.total),
            version: None,
        }],
    };
    let res = retry(|| b.send(DEPLOYER, &b.contracts().pool, big.total, &distribute))?;
    solvent(b)?;
    step(format!(
        "{DEPLOYER} distributed {} OPEN units to datanet {datanet_id} (gas {})",
        big.total, res.gas_used
    ));
    let who = |i: usize| (keys[i], addrs[i].as_str());
    post(b, ATTESTOR, &small, 1)?;
    wait_claimable(b, datanet_id, 1)?;
    step("epoch 1 is claimable");
    forged_claim_refused(b, keys[0], &addrs[0], &small, &proof4)?;
    // The two claims whose gas is compared differ only in their proofs: each is its
    // contributor's first claim (a new `claimed` entry), signed by an account that has signed
    // before, and neither is the first message after its root's window (that one also
    // promotes the root to claimable, one more write).
    claim(b, who(1), &small, 1, &small.proof(&addrs[1])?, 2_000)?;
    let claim4 = claim(b, who(0), &small, 1, &proof4, 1_000)?;
    post(b, ATTESTOR, &big, 2)?;
    wait_claimable(b, datanet_id, 2)?;
    step("epoch 2 is claimable");
    claim(b, who(3), &big, 2, &big.proof(&addrs[3])?, 4_000)?;
    let claim20 = claim(b, who(2), &big, 2, &proof20, 3_000)?;
    // Contributors 1 and 2 are paid only what epoch 2 adds.
    claim(b, who(0), &big, 2, &big.proof(&addrs[0])?, 500)?;
    claim(b, who(1), &big, 2, &big.proof(&addrs[1])?, 500)?;
    settled(b, datanet_id, big.total)?;
    // A plain OPEN transfer in the same run, for comparison.
    let transfer = retry(|| b.transfer(DEPLOYER, &addrs[3], 1))?;
    solvent(b)?;
    step(format!(
        "claim_attribution gas: 2^4 leaves {}, 2^20 leaves {}; OPEN transfer {}",
        claim4.gas_used, claim20.gas_used, transfer.gas_used
    ));
    Ok((claim4, claim20))
}

/// After the claims the datanet has paid every entitlement of epoch 2 and holds nothing
/// unallocated.
fn settled(b: &dyn Backend, datanet_id: u64, received: u128) -> Result<()> {
    let r: AttributionRootResponse = b.query(
        &b.contracts().pool,
        &pool::QueryMsg::AttributionRoot { datanet_id },
    )?;
    ensure!(
        r.total_paid.u128() == 1_500 + 2_500 + 3_000 + 4_000
            && r.total_received.u128() == received
            && r.unallocated.is_zero(),
        "unexpected datanet state after the claims: {r:?}"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::story::backend::mock::MockBackend;

    #[test]
    fn the_influence_flow_holds_on_the_mock_backend() {
        let b = MockBackend::deploy().unwrap();
        super::run_on(&b).unwrap();
    }
}
