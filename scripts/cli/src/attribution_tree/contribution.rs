//! `openledger attribution-tree verify-contribution`: checks a `contribution_proof` answer of
//! the datanet registry (format `event_log_v1`, `openledger_common::version_tree`) the way any
//! verifier should: it rebuilds the leaf from the answer's fields, checks that the answer's
//! `leaf_hash` is that leaf, and runs the RFC 9162 audit path from it to the version's root.
//!
//! ```text
//! openledger attribution-tree verify-contribution --proof answer.json [--root HEX]
//! ```
//!
//! `answer.json` is the query's answer, bare or as the chain's CLI prints it (`{"data": …}`).
//! The root in the answer is the one the registry says the version has; `--root` compares it
//! with one obtained elsewhere (the `version` query through another node, a model's lineage
//! record). Prints `valid …` and exits 0, or exits non-zero naming what failed.

use std::path::Path;

use anyhow::{anyhow, bail, ensure, Context, Result};
use openledger_common::msg::datanet_registry::{ContributionProofResponse, VersionFormat};
use openledger_common::version_tree::{self, Hash, Leaf, LeafKind};

/// Reads a `contribution_proof` answer: the bare answer or `{"data": answer}`.
pub fn read_answer(path: &Path) -> Result<ContributionProofResponse> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    if let Some(data) = value.get_mut("data") {
        value = data.take();
    }
    serde_json::from_value(value).with_context(|| {
        format!(
            "{} is not a contribution_proof answer of the datanet registry",
            path.display()
        )
    })
}

fn hash(what: &str, bytes: &[u8]) -> Result<Hash> {
    bytes
        .try_into()
        .map_err(|_| anyhow!("{what} has {} bytes, not 32", bytes.len()))
}

/// Checks `answer` (and its root against `expected_root`, hex, when given); returns the line
/// that says what it proved.
pub fn check(answer: &ContributionProofResponse, expected_root: Option<&str>) -> Result<String> {
    let a = answer;
    ensure!(
        a.format == VersionFormat::EventLogV1,
        "format {} cannot be verified: only event_log_v1 versions are provable",
        a.format
    );
    let leaf = &a.leaf;
    ensure!(
        leaf.kind == LeafKind::Accept,
        "the leaf is a {} event, a contribution is proven by its accept leaf",
        leaf.kind
    );
    ensure!(
        leaf.datanet_id == a.datanet_id && leaf.seq == a.leaf_index,
        "the leaf (datanet {}, seq {}) is not the one the answer proves (datanet {}, leaf {})",
        leaf.datanet_id,
        leaf.seq,
        a.datanet_id,
        a.leaf_index
    );
    let data_hash = hash("data_hash", leaf.data_hash.as_slice())?;
    let rebuilt = Leaf {
        datanet_id: leaf.datanet_id,
        seq: leaf.seq,
        kind: leaf.kind,
        contribution_id: leaf.contribution_id,
        contributor: leaf.contributor.as_str(),
        data_hash: &data_hash,
        weight: leaf.weight,
    }
    .hash()?;
    ensure!(
        a.leaf_hash.as_slice() == rebuilt,
        "leaf_hash {} is not the hash of the leaf's fields ({})",
        a.leaf_hash,
        version_tree::hex(&rebuilt)
    );
    let root = hash("root", a.root.as_slice())?;
    if let Some(expected) = expected_root {
        let expected =
            hex::decode(expected.trim()).map_err(|_| anyhow!("--root '{expected}' is not hex"))?;
        ensure!(
            expected == root,
            "the answer's root {} is not the expected root {}",
            a.root,
            hex::encode(&expected)
        );
    }
    let proof = a
        .proof
        .iter()
        .enumerate()
        .map(|(i, h)| hash(&format!("proof[{i}]"), h.as_slice()))
        .collect::<Result<Vec<_>>>()?;
    if let Err(e) =
        version_tree::verify_inclusion(&rebuilt, a.leaf_index, a.tree_size, &proof, &root)
    {
        bail!("the proof does not hold: {e}");
    }
    let mut line = format!(
        "valid: contribution {} ({}, weight {}, data {}) is leaf {} of version {} of datanet {} \
         (tree_size {}, root {})",
        leaf.contribution_id,
        leaf.contributor,
        leaf.weight,
        leaf.data_hash,
        leaf.seq,
        a.version,
        a.datanet_id,
        a.tree_size,
        a.root
    );
    if let Some(removed) = a.removed_seq {
        let first = a
            .removed_in_version
            .map_or("none published yet".to_string(), |v| format!("version {v}"));
        line.push_str(&format!(
            "; removed later (leaf {removed}; first version without it: {first})"
        ));
    }
    Ok(line)
}

/// `verify-contribution`: reads the answer, checks it, prints the result.
pub fn verify_contribution(proof: &Path, root: Option<&str>) -> Result<()> {
    let answer = read_answer(proof)?;
    println!("{}", check(&answer, root)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::{Addr, HexBinary};
    use openledger_common::msg::datanet_registry::VersionLeaf;

    use super::*;

    fn hex_of(h: &Hash) -> HexBinary {
        HexBinary::from(h.as_slice())
    }

    /// An answer for leaf `index` of a log of `n` acceptances, built with `version_tree`.
    fn answer(n: u64, index: u64) -> ContributionProofResponse {
        let data = |i: u64| -> Hash { [i as u8; 32] };
        let who = |i: u64| format!("cosmwasm1contributor{i}");
        let leaves: Vec<Hash> = (0..n)
            .map(|i| {
                Leaf {
                    datanet_id: 4,
                    seq: i,
                    kind: LeafKind::Accept,
                    contribution_id: 10 + i,
                    contributor: &who(i),
                    data_hash: &data(i),
                    weight: 100 + i,
                }
                .hash()
                .unwrap()
            })
            .collect();
        let proof = version_tree::inclusion_proof(&leaves, index).unwrap();
        ContributionProofResponse {
            format: VersionFormat::EventLogV1,
            datanet_id: 4,
            version: 2,
            root: hex_of(&version_tree::root_of(&leaves)),
            tree_size: n,
            leaf_index: index,
            leaf: VersionLeaf {
                datanet_id: 4,
                seq: index,
                kind: LeafKind::Accept,
                contribution_id: 10 + index,
                contributor: Addr::unchecked(who(index)),
                data_hash: hex_of(&data(index)),
                weight: 100 + index,
            },
            leaf_hash: hex_of(&leaves[index as usize]),
            proof: proof.iter().map(hex_of).collect(),
            removed_seq: None,
            removed_in_version: None,
        }
    }

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("verify-contribution-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn a_real_answer_of_the_registry_verifies() {
        // The README's example is an answer of the registry (its tests check that it is).
        let readme = include_str!("../../../../contracts/datanet-registry/README.md");
        let block = readme
            .split("```json answer\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap();
        let bare = write("readme.json", block);
        verify_contribution(&bare, None).unwrap();
        let wrapped = write("wrapped.json", &format!(r#"{{"data": {block}}}"#));
        let a = read_answer(&wrapped).unwrap();
        let line = check(&a, Some(&a.root.to_hex())).unwrap();
        assert!(
            line.starts_with("valid: contribution 2 (cosmwasm190vq"),
            "{line}"
        );
        assert!(line.contains("is leaf 1 of version 1 of datanet 1 (tree_size 3"));
        assert!(
            format!("{:#}", read_answer(&write("no.json", "{}")).unwrap_err())
                .contains("not a contribution_proof answer")
        );
    }

    #[test]
    fn the_command_line_takes_the_answer_file_and_an_optional_root() {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(subcommand)]
            cmd: super::super::TreeCommand,
        }
        let args = [
            "tree",
            "verify-contribution",
            "--proof",
            "a.json",
            "--root",
            "00",
        ];
        assert!(matches!(
            Cli::try_parse_from(args).unwrap().cmd,
            super::super::TreeCommand::VerifyContribution { proof, root: Some(r) }
                if r == "00" && proof.to_str() == Some("a.json")
        ));
        assert!(Cli::try_parse_from(["tree", "verify-contribution"]).is_err());
    }

    #[test]
    fn every_leaf_of_every_small_tree_verifies() {
        for n in 1..=20 {
            for i in 0..n {
                check(&answer(n, i), None).unwrap();
            }
        }
        let mut removed = answer(5, 2);
        removed.removed_seq = Some(7);
        removed.removed_in_version = Some(3);
        let line = check(&removed, None).unwrap();
        assert!(line.ends_with("removed later (leaf 7; first version without it: version 3)"));
    }

    #[test]
    fn a_tampered_answer_fails_naming_what_is_wrong() {
        let fails = |a: &ContributionProofResponse, root: Option<&str>| -> String {
            format!("{:#}", check(a, root).unwrap_err())
        };
        let good = answer(7, 3);
        // A field of the leaf changed: its hash no longer matches.
        let mut a = good.clone();
        a.leaf.weight += 1;
        assert!(fails(&a, None).contains("is not the hash of the leaf's fields"));
        // ... and with a matching leaf_hash, the path leads elsewhere.
        let rebuilt = Leaf {
            datanet_id: 4,
            seq: 3,
            kind: LeafKind::Accept,
            contribution_id: 13,
            contributor: a.leaf.contributor.as_str(),
            data_hash: &[3u8; 32],
            weight: a.leaf.weight,
        }
        .hash()
        .unwrap();
        a.leaf_hash = hex_of(&rebuilt);
        assert!(fails(&a, None).contains("the proof does not hold: the proof leads to"));
        // Another size, a missing sibling, another root, another format or kind.
        let mut a = good.clone();
        a.tree_size = 9;
        assert!(fails(&a, None).contains("the proof does not hold"));
        let mut a = good.clone();
        a.proof.pop();
        assert!(fails(&a, None).contains("the proof has 2 hashes"));
        let other = hex::encode([9u8; 32]);
        assert!(fails(&good, Some(&other)).contains("is not the expected root"));
        assert!(fails(&good, Some("zz")).contains("is not hex"));
        let mut a = good.clone();
        a.format = VersionFormat::HashChainV0;
        assert!(fails(&a, None).contains("format hash_chain_v0 cannot be verified"));
        let mut a = good.clone();
        a.leaf.kind = LeafKind::Remove;
        assert!(fails(&a, None).contains("accept leaf"));
        let mut a = good;
        a.leaf_index = 4;
        assert!(fails(&a, None).contains("is not the one the answer proves"));
    }
}
