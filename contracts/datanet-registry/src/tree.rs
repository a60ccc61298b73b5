//! The event log of each datanet (format `event_log_v1`, `openledger_common::version_tree`),
//! kept as the hashes of its complete subtrees.
//!
//! When leaf `seq` is appended, it is stored (level 0), and so is every aligned subtree it
//! completes: with `seq` odd, the pair `(seq - 1, seq)` at level 1, and so on up while the
//! index at that level is odd. Each stored hash is final: a complete subtree never changes.
//! Leaf `seq` completes as many subtrees as `seq` has trailing one bits, one on average, so a
//! leaf costs two writes amortised; a batch keeps the left siblings it writes (and the few it
//! reads, at most one per level) in memory, so it reads nothing twice and writes nothing twice.
//!
//! The root of the first `n` leaves is the fold, right to left, of the stored subtrees that
//! tile `[0, n)` (one per set bit of `n`): RFC 9162's Merkle Tree Hash splits a tree at the
//! largest power of two below its size, which is exactly that tiling. An inclusion proof takes
//! one stored subtree per level, except one sibling on the right edge of a tree whose size is
//! not a power of two, which is folded from at most one stored subtree per level. Both are
//! O(log n) reads.

use cosmwasm_std::{Binary, HexBinary, Storage};
use cw_storage_plus::Map;
use openledger_common::attribution::DatanetId;
use openledger_common::msg::datanet_registry::{ContributionId, LeafKind};
use openledger_common::version_tree::{empty_root, node_hash, split_point, Hash, Leaf};
use openledger_common::Checked;

use crate::error::ContractError;
use crate::state::Contribution;

/// The stored subtrees: (datanet, level, index) → the root of leaves
/// `[index·2^level, (index+1)·2^level)` of the datanet's log, once all of them exist. The values
/// are 32 raw bytes, not JSON: read and written only by `load_node` and `save_node`.
const NODES: Map<(DatanetId, u8, u64), Binary> = Map::new("log_nodes");

/// The storage key of the subtree at (`level`, `index`) of datanet `datanet_id`'s log.
pub fn node_key(datanet_id: DatanetId, level: u8, index: u64) -> Vec<u8> {
    NODES.key((datanet_id, level, index)).to_vec()
}

/// The stored subtree at (`level`, `index`) of datanet `datanet_id`'s log.
pub fn load_node(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    level: u8,
    index: u64,
) -> Result<Hash, ContractError> {
    storage
        .get(&node_key(datanet_id, level, index))
        .and_then(|bytes| Hash::try_from(bytes.as_slice()).ok())
        .ok_or(ContractError::TreeNodeMissing {
            datanet_id,
            level,
            index,
        })
}

fn save_node(storage: &mut dyn Storage, datanet_id: DatanetId, level: u8, index: u64, h: &Hash) {
    storage.set(&node_key(datanet_id, level, index), h);
}

/// The data hash of a stored contribution as 32 bytes (it was checked as 64 hex characters).
pub fn data_hash_bytes(c: &Contribution) -> Result<Hash, ContractError> {
    Ok(HexBinary::from_hex(&c.data_hash)?.to_array()?)
}

/// The leaf of event `kind` of contribution `id` at position `seq` of its datanet's log.
pub fn leaf_hash(
    seq: u64,
    kind: LeafKind,
    id: ContributionId,
    c: &Contribution,
) -> Result<Hash, ContractError> {
    let data_hash = data_hash_bytes(c)?;
    Ok(Leaf {
        datanet_id: c.datanet_id,
        seq,
        kind,
        contribution_id: id,
        contributor: c.contributor.as_str(),
        data_hash: &data_hash,
        weight: c.weight,
    }
    .hash()?)
}

/// Appends leaves to one datanet's log, remembering the left siblings it has seen.
pub struct LogAppender {
    datanet_id: DatanetId,
    size: u64,
    /// By level: the complete subtree that waits for its right sibling, once this appender has
    /// written or read it. Where a bit of `size` is set and this is empty, the subtree is read
    /// from storage when needed (once: it is consumed then).
    waiting: [Option<Hash>; 64],
}

impl LogAppender {
    /// An appender to the log of `datanet_id`, which holds `size` leaves.
    pub fn new(datanet_id: DatanetId, size: u64) -> Self {
        LogAppender {
            datanet_id,
            size,
            waiting: [None; 64],
        }
    }

    /// Leaves in the log now.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends event `kind` of contribution `id` (as it is now: its weight counts) and returns
    /// the new leaf's `seq`.
    pub fn append(
        &mut self,
        storage: &mut dyn Storage,
        kind: LeafKind,
        id: ContributionId,
        c: &Contribution,
    ) -> Result<u64, ContractError> {
        let seq = self.size;
        // Checked first: `seq < u64::MAX` has at most 63 trailing ones, so `level` stays < 64.
        self.size = seq.add_checked(1)?;
        let d = self.datanet_id;
        let mut node = leaf_hash(seq, kind, id, c)?;
        save_node(storage, d, 0, seq, &node);
        let (mut index, mut level) = (seq, 0usize);
        while index & 1 == 1 {
            let left = match self.waiting[level].take() {
                Some(left) => left,
                // `index` is odd: its left sibling is `index - 1`.
                None => load_node(storage, d, level as u8, index ^ 1)?,
            };
            node = node_hash(&left, &node);
            index >>= 1;
            level += 1;
            save_node(storage, d, level as u8, index, &node);
        }
        self.waiting[level] = Some(node);
        Ok(seq)
    }
}

/// The Merkle Tree Hash of leaves `[start, end)` of the log, where `start` is a multiple of a
/// power of two at least `end - start` (every range a version or a proof needs): the fold, right
/// to left, of the stored subtrees that tile it, largest first.
fn range_root(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    start: u64,
    end: u64,
) -> Result<Hash, ContractError> {
    let mut tiles: Vec<Hash> = Vec::with_capacity(64);
    let (mut at, mut left) = (start, end.sub_checked(start)?);
    while left > 0 {
        let level = 63 - left.leading_zeros();
        tiles.push(load_node(storage, datanet_id, level as u8, at >> level)?);
        at = at.add_checked(1 << level)?;
        left = left.sub_checked(1 << level)?;
    }
    let Some(mut root) = tiles.pop() else {
        return Ok(empty_root());
    };
    while let Some(tile) = tiles.pop() {
        root = node_hash(&tile, &root);
    }
    Ok(root)
}

/// The root of the first `tree_size` leaves of the log of `datanet_id`.
pub fn root(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    tree_size: u64,
) -> Result<Hash, ContractError> {
    range_root(storage, datanet_id, 0, tree_size)
}

/// The inclusion proof (RFC 9162 §2.1.3, leaf to root) of leaf `leaf_index` in the tree of the
/// first `tree_size` leaves of the log of `datanet_id`.
pub fn inclusion_proof(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    leaf_index: u64,
    tree_size: u64,
) -> Result<Vec<Hash>, ContractError> {
    let mut path = Vec::with_capacity(64);
    let (mut lo, mut hi) = (0u64, tree_size);
    while hi.sub_checked(lo)? > 1 {
        let mid = lo.add_checked(split_point(hi.sub_checked(lo)?))?;
        if leaf_index < mid {
            path.push(range_root(storage, datanet_id, mid, hi)?);
            hi = mid;
        } else {
            path.push(range_root(storage, datanet_id, lo, mid)?);
            lo = mid;
        }
    }
    path.reverse();
    Ok(path)
}
