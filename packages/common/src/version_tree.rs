//! Version trees, format `event_log_v1`: the Merkle tree over a datanet's event log whose roots
//! the datanet registry publishes as versions, and whose inclusion proofs show that a
//! contribution is in a version.
//!
//! Every acceptance and every removal of a contribution appends one leaf to its datanet's
//! append-only log; leaf `seq` is the `seq`-th event (0, 1, 2, …). A version commits to the first
//! `tree_size` leaves of the log.
//!
//! ```text
//! leaf = sha256(0x00 ‖ "openledger-version-v1" ‖ datanet_id: u64 BE ‖ seq: u64 BE
//!               ‖ kind: u8 (1 accept, 2 remove) ‖ contribution_id: u64 BE
//!               ‖ len(contributor): u16 BE ‖ contributor: UTF-8 bytes
//!               ‖ data_hash: 32 bytes ‖ weight: u64 BE)
//! node = sha256(0x01 ‖ left ‖ right)
//! ```
//!
//! - The tree is RFC 9162's (RFC 6962's) Merkle Tree Hash, ordered by `seq`, not sorted: the
//!   root of `n` leaves `D[0:n]` is `sha256()` (no input) for `n = 0`, the leaf for `n = 1`, and
//!   otherwise `node(MTH(D[0:k]), MTH(D[k:n]))` with `k` the largest power of two below `n`
//!   (RFC 9162 §2.1.1). Any RFC 6962 library with these leaf hashes computes the same roots.
//! - An inclusion proof is RFC 9162 §2.1.3's audit path: the siblings from the leaf up to the
//!   root; it is verified with the leaf's index and the tree size (§2.1.3.2), which fix where
//!   each sibling goes (left or right). No flags, no sorting.
//! - The prefixes `0x00` (leaf) and `0x01` (node) keep an inner node from posing as a leaf; the
//!   domain tag, the datanet id and the sequence number make a leaf of one datanet (or of one
//!   position) worthless anywhere else. The contributor's length prefix keeps the encoding
//!   unambiguous.
//! - A contribution is in version `v` of its datanet when its acceptance leaf is among the first
//!   `tree_size` leaves and its removal leaf (if any) is not.

use cosmwasm_schema::cw_serde;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The name of the format implemented here, as versions report it.
pub const FORMAT: &str = "event_log_v1";
/// The domain tag hashed into every leaf.
pub const LEAF_DOMAIN: &[u8] = b"openledger-version-v1";
/// Prefix byte of a leaf hash.
pub const LEAF_PREFIX: u8 = 0x00;
/// Prefix byte of an inner node hash.
pub const NODE_PREFIX: u8 = 0x01;
/// The longest inclusion proof: a tree of up to 2^64 leaves.
pub const MAX_PROOF_LEN: usize = 64;

/// What an event did to a contribution.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum LeafKind {
    /// The contribution was accepted (byte 1).
    Accept,
    /// The accepted contribution was removed (byte 2).
    Remove,
}

crate::wire_names!(LeafKind { Accept => "accept", Remove => "remove" });

impl LeafKind {
    /// The byte of this kind in a leaf.
    pub const fn byte(self) -> u8 {
        match self {
            LeafKind::Accept => 1,
            LeafKind::Remove => 2,
        }
    }
}

/// Why a leaf cannot be hashed or a proof does not verify.
#[derive(Error, Debug, PartialEq, Eq)]
pub enum VersionTreeError {
    #[error("contributor of {len} bytes is too long for a leaf (at most {max})")]
    ContributorTooLong { len: usize, max: usize },

    #[error("leaf index {leaf_index} is outside a tree of {tree_size} leaves")]
    IndexOutOfRange { leaf_index: u64, tree_size: u64 },

    #[error("the proof has {got} hashes, this leaf index and tree size need {expected}")]
    WrongProofLength { got: usize, expected: usize },

    #[error("the proof leads to {computed}, not to the root {root}")]
    RootMismatch { computed: String, root: String },
}

/// The fields of one leaf: one event of a datanet's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaf<'a> {
    /// The datanet whose log this is.
    pub datanet_id: u64,
    /// Its position in the log (from 0).
    pub seq: u64,
    /// Acceptance or removal.
    pub kind: LeafKind,
    /// The contribution.
    pub contribution_id: u64,
    /// The contributor's address, as the chain reports it.
    pub contributor: &'a str,
    /// The SHA-256 of the data (the contribution's `data_hash`, as 32 raw bytes).
    pub data_hash: &'a Hash,
    /// The contribution's accepted weight.
    pub weight: u64,
}

impl Leaf<'_> {
    /// The leaf hash, as the format above defines it.
    pub fn hash(&self) -> Result<Hash, VersionTreeError> {
        let len = u16::try_from(self.contributor.len()).map_err(|_| {
            VersionTreeError::ContributorTooLong {
                len: self.contributor.len(),
                max: u16::MAX as usize,
            }
        })?;
        let mut h = Sha256::new();
        h.update([LEAF_PREFIX]);
        h.update(LEAF_DOMAIN);
        h.update(self.datanet_id.to_be_bytes());
        h.update(self.seq.to_be_bytes());
        h.update([self.kind.byte()]);
        h.update(self.contribution_id.to_be_bytes());
        h.update(len.to_be_bytes());
        h.update(self.contributor.as_bytes());
        h.update(self.data_hash);
        h.update(self.weight.to_be_bytes());
        Ok(h.finalize().into())
    }
}

/// The parent of `left` and `right` (ordered).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: `sha256()` of no input.
pub fn empty_root() -> Hash {
    Sha256::digest(b"").into()
}

/// The largest power of two strictly below `n` (for `n >= 2`): where RFC 9162 splits a tree.
pub fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The root (Merkle Tree Hash) of `leaves`, in order. Tools and tests build trees with it; the
/// registry computes the same roots from the subtrees it stores.
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [leaf] => *leaf,
        _ => {
            let k = split_point(leaves.len() as u64) as usize;
            node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
        }
    }
}

/// The inclusion proof (audit path, leaf to root) of the leaf at `leaf_index` in the tree of
/// `leaves`.
pub fn inclusion_proof(leaves: &[Hash], leaf_index: u64) -> Result<Vec<Hash>, VersionTreeError> {
    let tree_size = leaves.len() as u64;
    if leaf_index >= tree_size {
        return Err(VersionTreeError::IndexOutOfRange {
            leaf_index,
            tree_size,
        });
    }
    // Top-down: each split contributes the root of the half the leaf is not in.
    let mut path = Vec::new();
    let (mut range, mut m) = (leaves, leaf_index as usize);
    while range.len() > 1 {
        let k = split_point(range.len() as u64) as usize;
        if m < k {
            path.push(root_of(&range[k..]));
            range = &range[..k];
        } else {
            path.push(root_of(&range[..k]));
            range = &range[k..];
            m -= k;
        }
    }
    path.reverse();
    Ok(path)
}

/// How many hashes the inclusion proof of leaf `leaf_index` in a tree of `tree_size` leaves
/// holds (the index must be in range).
pub fn proof_len(mut leaf_index: u64, mut tree_size: u64) -> usize {
    let mut len = 0;
    while tree_size > 1 {
        let k = split_point(tree_size);
        if leaf_index < k {
            tree_size = k;
        } else {
            leaf_index -= k;
            tree_size -= k;
        }
        len += 1;
    }
    len
}

/// The root that `proof` leads to from `leaf_hash` at `leaf_index` in a tree of `tree_size`
/// leaves (RFC 9162 §2.1.3.2, steps 1 to 4).
pub fn root_from_inclusion(
    leaf_hash: &Hash,
    leaf_index: u64,
    tree_size: u64,
    proof: &[Hash],
) -> Result<Hash, VersionTreeError> {
    if leaf_index >= tree_size {
        return Err(VersionTreeError::IndexOutOfRange {
            leaf_index,
            tree_size,
        });
    }
    let expected = proof_len(leaf_index, tree_size);
    if proof.len() != expected {
        return Err(VersionTreeError::WrongProofLength {
            got: proof.len(),
            expected,
        });
    }
    let (mut fn_, mut sn) = (leaf_index, tree_size - 1);
    let mut r = *leaf_hash;
    for p in proof {
        // The length check above guarantees sn > 0 here (RFC 9162 step 4a).
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    Ok(r)
}

/// Checks that `proof` proves the leaf `leaf_hash` at `leaf_index` in the tree of `tree_size`
/// leaves whose root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf_hash: &Hash,
    leaf_index: u64,
    tree_size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), VersionTreeError> {
    let computed = root_from_inclusion(leaf_hash, leaf_index, tree_size, proof)?;
    if &computed != root {
        return Err(VersionTreeError::RootMismatch {
            computed: hex(&computed),
            root: hex(root),
        });
    }
    Ok(())
}

/// Lower-case hex of a hash.
pub fn hex(hash: &Hash) -> String {
    cosmwasm_std::HexBinary::from(hash.as_slice()).to_hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Hash {
        cosmwasm_std::HexBinary::from_hex(s)
            .unwrap()
            .to_array()
            .unwrap()
    }

    /// RFC 6962's leaf hash of raw data (its test vectors hash data, not our leaves).
    fn rfc_leaf(data: &[u8]) -> Hash {
        let mut pre = vec![0x00];
        pre.extend_from_slice(data);
        Sha256::digest(&pre).into()
    }

    /// The inputs of the Certificate Transparency reference tests.
    fn ct_leaves() -> Vec<Hash> {
        let data: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        data.iter().map(|d| rfc_leaf(d)).collect()
    }

    /// The published roots of the first 0..=8 of those leaves.
    const CT_ROOTS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    fn leaves(n: u64) -> Vec<Hash> {
        let contributors = ["alice", "bob", "cosmwasm1carol"];
        (0..n)
            .map(|seq| {
                let data_hash: Hash = Sha256::digest(seq.to_be_bytes()).into();
                Leaf {
                    datanet_id: 7,
                    seq,
                    kind: if seq % 5 == 4 {
                        LeafKind::Remove
                    } else {
                        LeafKind::Accept
                    },
                    contribution_id: 100 + seq,
                    contributor: contributors[(seq % 3) as usize],
                    data_hash: &data_hash,
                    weight: 1 + seq * 3,
                }
                .hash()
                .unwrap()
            })
            .collect()
    }

    #[test]
    fn roots_are_the_rfc_6962_reference_roots() {
        let ct = ct_leaves();
        for (n, root) in CT_ROOTS.iter().enumerate() {
            assert_eq!(root_of(&ct[..n]), h(root), "size {n}");
        }
        assert_eq!(empty_root(), h(CT_ROOTS[0]));
    }

    #[test]
    fn proofs_are_the_rfc_6962_reference_proofs_and_verify() {
        let ct = ct_leaves();
        let vectors: [(u64, usize, &[&str]); 4] = [
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                3,
                &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
            ),
            (
                1,
                5,
                &[
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (index, size, expected) in vectors {
            let proof = inclusion_proof(&ct[..size], index).unwrap();
            let expected: Vec<Hash> = expected.iter().map(|s| h(s)).collect();
            assert_eq!(proof, expected, "leaf {index} of {size}");
            let root = h(CT_ROOTS[size]);
            verify_inclusion(&ct[index as usize], index, size as u64, &proof, &root).unwrap();
        }
    }

    #[test]
    fn leaf_encoding_is_the_documented_one() {
        let data_hash = [0xabu8; 32];
        let leaf = Leaf {
            datanet_id: 7,
            seq: 3,
            kind: LeafKind::Remove,
            contribution_id: 42,
            contributor: "alice",
            data_hash: &data_hash,
            weight: 500,
        };
        let mut pre = vec![0x00];
        pre.extend_from_slice(b"openledger-version-v1");
        pre.extend_from_slice(&7u64.to_be_bytes());
        pre.extend_from_slice(&3u64.to_be_bytes());
        pre.push(2);
        pre.extend_from_slice(&42u64.to_be_bytes());
        pre.extend_from_slice(&5u16.to_be_bytes());
        pre.extend_from_slice(b"alice");
        pre.extend_from_slice(&[0xab; 32]);
        pre.extend_from_slice(&500u64.to_be_bytes());
        let expected: Hash = Sha256::digest(&pre).into();
        assert_eq!(leaf.hash().unwrap(), expected);
        // A known vector for other implementations, computed with printf and sha256sum.
        assert_eq!(
            hex(&expected),
            "f65c82d289118255e7dac24bedebe2cc611046549f215f3d209aaa75e803eafa"
        );
        // Every field matters.
        let changes = [
            Leaf {
                datanet_id: 8,
                ..leaf
            },
            Leaf { seq: 4, ..leaf },
            Leaf {
                kind: LeafKind::Accept,
                ..leaf
            },
            Leaf {
                contribution_id: 43,
                ..leaf
            },
            Leaf {
                contributor: "alicf",
                ..leaf
            },
            Leaf {
                data_hash: &[0xac; 32],
                ..leaf
            },
            Leaf {
                weight: 501,
                ..leaf
            },
        ];
        for other in changes {
            assert_ne!(other.hash().unwrap(), expected, "{other:?}");
        }
        let long = "a".repeat(70_000);
        assert_eq!(
            Leaf {
                contributor: &long,
                ..leaf
            }
            .hash(),
            Err(VersionTreeError::ContributorTooLong {
                len: 70_000,
                max: 65_535
            })
        );
        assert_eq!((LeafKind::Accept.byte(), LeafKind::Remove.byte()), (1, 2));
        for kind in LeafKind::ALL {
            let json = cosmwasm_std::to_json_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn node_is_ordered_and_prefixed() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_ne!(node_hash(&a, &b), node_hash(&b, &a));
        let mut pre = vec![0x01];
        pre.extend_from_slice(&a);
        pre.extend_from_slice(&b);
        assert_eq!(node_hash(&a, &b), <Hash>::from(Sha256::digest(&pre)));
    }

    #[test]
    fn every_proof_of_every_size_up_to_70_verifies_and_nothing_else_does() {
        let all = leaves(70);
        for n in 1..=70u64 {
            let tree = &all[..n as usize];
            let root = root_of(tree);
            for i in 0..n {
                let proof = inclusion_proof(tree, i).unwrap();
                assert_eq!(proof.len(), proof_len(i, n));
                let leaf = &tree[i as usize];
                verify_inclusion(leaf, i, n, &proof, &root).unwrap();
                // Another leaf, another index or another root fails. (The size is not bound by
                // the proof alone: a verifier takes the root and the size from the same version.)
                let other = &all[((i + 1) % 70) as usize];
                assert!(verify_inclusion(other, i, n, &proof, &root).is_err());
                if n > 1 {
                    let j = (i + 1) % n;
                    assert!(
                        verify_inclusion(leaf, j, n, &proof, &root).is_err(),
                        "{i}/{n}"
                    );
                }
                assert!(verify_inclusion(leaf, i, n, &proof, &all[0]).is_err() || n == 1);
                if let Some((first, rest)) = proof.split_first() {
                    let mut bad = vec![node_hash(first, first)];
                    bad.extend_from_slice(rest);
                    assert!(verify_inclusion(leaf, i, n, &bad, &root).is_err());
                }
            }
            assert_eq!(
                inclusion_proof(tree, n),
                Err(VersionTreeError::IndexOutOfRange {
                    leaf_index: n,
                    tree_size: n
                })
            );
        }
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        let tree = leaves(5);
        let root = root_of(&tree);
        let proof = inclusion_proof(&tree, 2).unwrap();
        assert_eq!(
            verify_inclusion(&tree[2], 5, 5, &proof, &root),
            Err(VersionTreeError::IndexOutOfRange {
                leaf_index: 5,
                tree_size: 5
            })
        );
        assert_eq!(
            verify_inclusion(&tree[2], 2, 5, &proof[..2], &root),
            Err(VersionTreeError::WrongProofLength {
                got: 2,
                expected: 3
            })
        );
        let long = vec![[0u8; 32]; MAX_PROOF_LEN + 1];
        assert_eq!(
            verify_inclusion(&tree[2], 2, 5, &long, &root),
            Err(VersionTreeError::WrongProofLength {
                got: 65,
                expected: 3
            })
        );
        let wrong_root = root_of(&tree[..4]);
        assert_eq!(
            verify_inclusion(&tree[2], 2, 5, &proof, &wrong_root),
            Err(VersionTreeError::RootMismatch {
                computed: hex(&root),
                root: hex(&wrong_root)
            })
        );
        // The largest trees have proofs of at most 64 hashes.
        assert_eq!(proof_len(0, u64::MAX), MAX_PROOF_LEN);
        assert_eq!(proof_len(u64::MAX - 1, u64::MAX), 63);
        assert_eq!(proof_len(0, 1u64 << 63), 63);
    }

    #[test]
    fn a_node_cannot_pose_as_a_leaf() {
        // The inner node over leaves 0 and 1 "verifies" as leaf 0 of a 2-leaf tree made of
        // inner nodes, but leaves and nodes are prefixed differently: no leaf hashes to it.
        let tree = leaves(4);
        let inner = node_hash(&tree[0], &tree[1]);
        let right = node_hash(&tree[2], &tree[3]);
        verify_inclusion(&inner, 0, 2, &[right], &root_of(&tree)).unwrap();
        assert!(!tree.contains(&inner));
    }
}
