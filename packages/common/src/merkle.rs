//! Attribution trees, format v1: the Merkle trees whose roots attestors post to the reward pool
//! for `influence`-mode datanets, and whose proofs contributors present to claim.
//!
//! The same code builds trees in the `attribution-tree` tool, in the tests and in the chain
//! flows, and verifies proofs in the reward pool.
//!
//! ```text
//! leaf = sha256(0x00 ‖ "openledger-attribution-v1" ‖ datanet_id: u64 BE
//!               ‖ len(address): u16 BE ‖ address: UTF-8 bytes ‖ cumulative_amount: u128 BE)
//! node = sha256(0x01 ‖ min(a, b) ‖ max(a, b))          (hashes compared as byte strings)
//! ```
//!
//! - The tree's leaves are sorted ascending by hash before pairing, so the root depends only on
//!   the set of `(address, cumulative_amount)` entries, not on the order an attestor listed them.
//! - Each level pairs neighbours left to right; an odd node at the end of a level is promoted to
//!   the next level unchanged. A one-leaf tree's root is the leaf.
//! - Pairs are hashed in sorted order, so a proof is just the list of siblings from the leaf
//!   upwards (promoted levels contribute nothing): no left/right flags.
//! - The prefixes `0x00` (leaf) and `0x01` (node) keep an inner node from posing as a leaf; the
//!   datanet id in the leaf makes a leaf of one datanet worthless in another datanet's tree.
//! - An address appears at most once per tree (the builder refuses duplicates); its amount is
//!   cumulative: everything it is entitled to from the datanet since the start.

use sha2::{Digest, Sha256};
use thiserror::Error;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The version of the leaf and tree format implemented here.
pub const FORMAT_VERSION: u32 = 1;
/// The domain tag hashed into every leaf of format v1.
pub const LEAF_DOMAIN: &[u8] = b"openledger-attribution-v1";
/// Prefix byte of a leaf hash.
pub const LEAF_PREFIX: u8 = 0x00;
/// Prefix byte of an inner node hash.
pub const NODE_PREFIX: u8 = 0x01;
/// The longest proof a verifier accepts: enough for 2^64 leaves.
pub const MAX_PROOF_LEN: usize = 64;

#[derive(Error, Debug, PartialEq, Eq)]
pub enum MerkleError {
    #[error("address of {len} bytes is too long for a leaf (at most {max})")]
    AddressTooLong { len: usize, max: usize },

    #[error("address '{address}' appears more than once")]
    DuplicateAddress { address: String },

    #[error("a tree needs at least one leaf")]
    Empty,
}

/// The leaf of `address` with `cumulative_amount` in datanet `datanet_id`.
pub fn leaf_hash(
    datanet_id: u64,
    address: &str,
    cumulative_amount: u128,
) -> Result<Hash, MerkleError> {
    let len = u16::try_from(address.len()).map_err(|_| MerkleError::AddressTooLong {
        len: address.len(),
        max: u16::MAX as usize,
    })?;
    let mut h = Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(LEAF_DOMAIN);
    h.update(datanet_id.to_be_bytes());
    h.update(len.to_be_bytes());
    h.update(address.as_bytes());
    h.update(cumulative_amount.to_be_bytes());
    Ok(h.finalize().into())
}

/// The parent of two nodes (order-independent).
pub fn node_hash(a: &Hash, b: &Hash) -> Hash {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(lo);
    h.update(hi);
    h.finalize().into()
}

/// The root a proof leads to from `leaf`.
pub fn root_from_proof(leaf: Hash, proof: &[Hash]) -> Hash {
    proof
        .iter()
        .fold(leaf, |acc, sibling| node_hash(&acc, sibling))
}

/// Whether `proof` leads from `leaf` to `root`. Proofs longer than `MAX_PROOF_LEN` are refused.
pub fn verify(root: &Hash, leaf: Hash, proof: &[Hash]) -> bool {
    proof.len() <= MAX_PROOF_LEN && &root_from_proof(leaf, proof) == root
}

/// One entry of an attribution tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The contributor's address, exactly as it will sign the claim.
    pub address: String,
    /// Everything it is entitled to from the datanet so far, in token base units.
    pub cumulative_amount: u128,
}

/// A built tree: every level, leaves (sorted) first, root last.
#[derive(Debug, Clone)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// Builds the tree of `leaves` (sorted here; duplicate hashes are kept as given).
    pub fn from_leaves(mut leaves: Vec<Hash>) -> Result<Self, MerkleError> {
        if leaves.is_empty() {
            return Err(MerkleError::Empty);
        }
        leaves.sort_unstable();
        let mut levels = vec![leaves];
        while let Some(level) = levels.last().filter(|l| l.len() > 1) {
            let next = level
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => node_hash(a, b),
                    // The odd node at the end of a level is promoted unchanged.
                    _ => pair[0],
                })
                .collect();
            levels.push(next);
        }
        Ok(MerkleTree { levels })
    }

    /// Builds the tree of `entries` in datanet `datanet_id`; addresses must be distinct.
    pub fn from_entries(datanet_id: u64, entries: &[Entry]) -> Result<Self, MerkleError> {
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        for e in entries {
            if !seen.insert(e.address.as_str()) {
                return Err(MerkleError::DuplicateAddress {
                    address: e.address.clone(),
                });
            }
        }
        let leaves = entries
            .iter()
            .map(|e| leaf_hash(datanet_id, &e.address, e.cumulative_amount))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_leaves(leaves)
    }

    /// The root.
    pub fn root(&self) -> Hash {
        // `from_leaves` guarantees a non-empty last level with exactly one node.
        self.levels
            .last()
            .and_then(|l| l.first())
            .copied()
            .unwrap_or_default()
    }

    /// Number of leaves.
    pub fn len(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }

    /// Never true: a tree has at least one leaf.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of levels above the leaves (the longest proof).
    pub fn depth(&self) -> usize {
        self.levels.len() - 1
    }

    /// The sorted leaves.
    pub fn leaves(&self) -> &[Hash] {
        &self.levels[0]
    }

    /// The proof of the leaf at `index` in the sorted leaves.
    pub fn proof_at(&self, mut index: usize) -> Vec<Hash> {
        let mut proof = Vec::with_capacity(self.depth());
        for level in &self.levels[..self.levels.len() - 1] {
            let sibling = index ^ 1;
            if sibling < level.len() {
                proof.push(level[sibling]);
            }
            index /= 2;
        }
        proof
    }

    /// The proof of `leaf`, if it is in the tree.
    pub fn proof(&self, leaf: &Hash) -> Option<Vec<Hash>> {
        self.leaves()
            .binary_search(leaf)
            .ok()
            .map(|i| self.proof_at(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<Entry> {
        (0..n)
            .map(|i| Entry {
                address: format!("addr{i}"),
                cumulative_amount: 1_000 + i as u128,
            })
            .collect()
    }

    #[test]
    fn leaf_encoding_is_the_documented_one() {
        let mut pre = vec![0x00];
        pre.extend_from_slice(b"openledger-attribution-v1");
        pre.extend_from_slice(&7u64.to_be_bytes());
        pre.extend_from_slice(&5u16.to_be_bytes());
        pre.extend_from_slice(b"alice");
        pre.extend_from_slice(&42u128.to_be_bytes());
        let expected: Hash = Sha256::digest(&pre).into();
        assert_eq!(leaf_hash(7, "alice", 42).unwrap(), expected);
        // Datanet, address and amount all matter.
        assert_ne!(leaf_hash(8, "alice", 42).unwrap(), expected);
        assert_ne!(leaf_hash(7, "alicf", 42).unwrap(), expected);
        assert_ne!(leaf_hash(7, "alice", 43).unwrap(), expected);
        let long = "a".repeat(70_000);
        assert_eq!(
            leaf_hash(1, &long, 1),
            Err(MerkleError::AddressTooLong {
                len: 70_000,
                max: 65_535
            })
        );
    }

    #[test]
    fn node_is_order_independent_and_prefixed() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(node_hash(&a, &b), node_hash(&b, &a));
        let mut pre = vec![0x01];
        pre.extend_from_slice(&a);
        pre.extend_from_slice(&b);
        assert_eq!(node_hash(&a, &b), <Hash>::from(Sha256::digest(&pre)));
    }

    #[test]
    fn every_proof_verifies_for_every_size() {
        for n in 1..=33 {
            let es = entries(n);
            let tree = MerkleTree::from_entries(3, &es).unwrap();
            assert_eq!(tree.len(), n);
            for e in &es {
                let leaf = leaf_hash(3, &e.address, e.cumulative_amount).unwrap();
                let proof = tree.proof(&leaf).unwrap();
                assert!(proof.len() <= tree.depth());
                assert!(verify(&tree.root(), leaf, &proof), "n={n} {}", e.address);
                // The same entry in another datanet, or with another amount, does not verify.
                let other = leaf_hash(4, &e.address, e.cumulative_amount).unwrap();
                assert!(!verify(&tree.root(), other, &proof));
                let more = leaf_hash(3, &e.address, e.cumulative_amount + 1).unwrap();
                assert!(!verify(&tree.root(), more, &proof));
            }
        }
    }

    #[test]
    fn root_ignores_input_order_and_refuses_duplicates() {
        let mut es = entries(10);
        let root = MerkleTree::from_entries(1, &es).unwrap().root();
        es.reverse();
        assert_eq!(MerkleTree::from_entries(1, &es).unwrap().root(), root);
        es.push(es[0].clone());
        assert_eq!(
            MerkleTree::from_entries(1, &es).unwrap_err(),
            MerkleError::DuplicateAddress {
                address: es[0].address.clone()
            }
        );
        assert_eq!(
            MerkleTree::from_leaves(vec![]).unwrap_err(),
            MerkleError::Empty
        );
    }

    #[test]
    fn a_node_cannot_pose_as_a_leaf_and_long_proofs_are_refused() {
        let es = entries(4);
        let tree = MerkleTree::from_entries(1, &es).unwrap();
        // An inner node with the rest of the path verifies as a "leaf" only if the verifier
        // took nodes for leaves; leaf hashes are prefixed differently, so no entry hashes to it.
        let inner = tree.levels[1][0];
        let proof = vec![tree.levels[1][1]];
        assert!(verify(&tree.root(), inner, &proof));
        assert!(!es
            .iter()
            .any(|e| leaf_hash(1, &e.address, e.cumulative_amount).unwrap() == inner));
        let leaf = [9u8; 32];
        let long = vec![[0u8; 32]; MAX_PROOF_LEN + 1];
        let root = root_from_proof(leaf, &long);
        assert!(!verify(&root, leaf, &long));
    }

    #[test]
    fn single_leaf_tree_has_the_leaf_as_root_and_an_empty_proof() {
        let es = entries(1);
        let tree = MerkleTree::from_entries(9, &es).unwrap();
        let leaf = leaf_hash(9, "addr0", 1_000).unwrap();
        assert_eq!(tree.root(), leaf);
        assert_eq!(tree.proof(&leaf).unwrap(), Vec::<Hash>::new());
        assert_eq!(tree.depth(), 0);
    }
}
