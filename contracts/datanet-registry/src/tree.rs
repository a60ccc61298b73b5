//! The event log of each datanet (format `event_log_v1`, `openledger_common::version_tree`),
//! kept as blocks of leaves and the hashes of its larger complete subtrees.
//!
//! Leaves are stored by blocks of `BLOCK_LEAVES` (16): block `b` holds the hashes of leaves
//! `[16b, 16b + 16)`, one after another; the log's last block holds fewer until it fills. An
//! appender keeps the last block in memory and writes it once, when it fills or when the batch
//! ends (`LogAppender::finish`), so a review of 50 acceptances writes four blocks, not 50
//! leaves. Every complete aligned subtree of 16 leaves or more, (level ≥ 4, index), is stored as
//! its hash when its last leaf arrives (level 4 is a full block's root): one write per eight
//! leaves amortised. Each stored hash and each full block is final: a complete subtree never
//! changes. A batch keeps the left siblings it writes (and the few it reads, at most one per
//! level) in memory, so it reads nothing twice and writes nothing twice.
//!
//! The root of the first `n` leaves is the fold, right to left, of the subtrees that tile
//! `[0, n)` (one per set bit of `n`): RFC 9162's Merkle Tree Hash splits a tree at the largest
//! power of two below its size, which is exactly that tiling. The tiles of 16 leaves or more are
//! stored; the smaller ones all lie in the last block, read once and folded. An inclusion proof
//! takes one subtree per level: below level 4 from the leaf's block, above from the stored
//! subtrees (one sibling on the right edge of a tree whose size is not a power of two is folded
//! from at most one stored subtree per level and one block). Both are O(log n) reads.

use cosmwasm_std::{Binary, HexBinary, Storage};
use cw_storage_plus::Map;
use openledger_common::attribution::DatanetId;
use openledger_common::msg::datanet_registry::{ContributionId, LeafKind};
use openledger_common::version_tree::{empty_root, node_hash, root_of, split_point, Hash, Leaf};
use openledger_common::Checked;

use crate::error::ContractError;
use crate::state::Contribution;

/// The level of a full block's root: a block holds `2^BLOCK_LEVEL` leaves.
pub const BLOCK_LEVEL: u8 = 4;

/// Leaves in a full block.
pub const BLOCK_LEAVES: u64 = 1 << BLOCK_LEVEL;

/// The blocks of leaves: (datanet, block) → the hashes of the block's leaves so far, 32 raw
/// bytes each, not JSON: read and written only by `load_block` and `save_block`.
const BLOCKS: Map<(DatanetId, u64), Binary> = Map::new("log_blocks");

/// The stored subtrees of 16 leaves or more: (datanet, level ≥ 4, index) → the root of leaves
/// `[index·2^level, (index+1)·2^level)` of the datanet's log, once all of them exist. The values
/// are 32 raw bytes, not JSON: read and written only by `load_node` and `save_node`.
const NODES: Map<(DatanetId, u8, u64), Binary> = Map::new("log_nodes");

/// The storage key of the subtree at (`level` ≥ 4, `index`) of datanet `datanet_id`'s log.
pub fn node_key(datanet_id: DatanetId, level: u8, index: u64) -> Vec<u8> {
    NODES.key((datanet_id, level, index)).to_vec()
}

/// The storage key of block `block` of datanet `datanet_id`'s log.
pub fn block_key(datanet_id: DatanetId, block: u64) -> Vec<u8> {
    BLOCKS.key((datanet_id, block)).to_vec()
}

/// The stored subtree at (`level` ≥ 4, `index`) of datanet `datanet_id`'s log.
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

/// The leaves block `block` of datanet `datanet_id`'s log holds, at least `len` of them; else
/// `TreeNodeMissing` naming the first leaf missing (level 0).
pub fn load_block(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    block: u64,
    len: u64,
) -> Result<Vec<Hash>, ContractError> {
    let bytes = storage
        .get(&block_key(datanet_id, block))
        .unwrap_or_default();
    let leaves: Vec<Hash> = bytes
        .chunks_exact(32)
        .filter_map(|chunk| Hash::try_from(chunk).ok())
        .collect();
    if (leaves.len() as u64) < len || bytes.len() % 32 != 0 {
        let first = block.saturating_mul(BLOCK_LEAVES);
        return Err(ContractError::TreeNodeMissing {
            datanet_id,
            level: 0,
            index: first.saturating_add(leaves.len() as u64),
        });
    }
    Ok(leaves)
}

fn save_block(storage: &mut dyn Storage, datanet_id: DatanetId, block: u64, leaves: &[Hash]) {
    storage.set(&block_key(datanet_id, block), &leaves.concat());
}

/// The data hash of a stored contribution as 32 bytes (it was checked as 64 hex characters).
pub fn data_hash_bytes(c: &Contribution) -> Result<Hash, ContractError> {
    Ok(HexBinary::from_hex(&c.submission.data_hash)?.to_array()?)
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
        datanet_id: c.submission.datanet_id,
        seq,
        kind,
        contribution_id: id,
        contributor: c.submission.contributor.as_str(),
        data_hash: &data_hash,
        weight: c.review.weight,
    }
    .hash()?)
}

/// Appends leaves to one datanet's log, keeping its last block and the left siblings it has
/// seen in memory. `finish` stores what is left of the last block: an appender that appended
/// must be finished.
pub struct LogAppender {
    datanet_id: DatanetId,
    size: u64,
    /// The leaves of the last block, from its first, once this appender has appended to it;
    /// `None` before (the block is then read when the first leaf joins it, unless it is new).
    block: Option<Vec<Hash>>,
    /// By level (from 4 up): the complete subtree that waits for its right sibling, once this
    /// appender has written or read it. Where a bit of `size` is set and this is empty, the
    /// subtree is read from storage when needed (once: it is consumed then).
    waiting: [Option<Hash>; 64],
}

impl LogAppender {
    /// An appender to the log of `datanet_id`, which holds `size` leaves.
    pub fn new(datanet_id: DatanetId, size: u64) -> Self {
        LogAppender {
            datanet_id,
            size,
            block: None,
            waiting: [None; 64],
        }
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
        // Checked first: `seq < u64::MAX`, so the block index and every level below stay in
        // range.
        self.size = seq.add_checked(1)?;
        let d = self.datanet_id;
        let (block_index, offset) = (seq / BLOCK_LEAVES, seq % BLOCK_LEAVES);
        let mut block = match self.block.take() {
            Some(block) => block,
            None if offset == 0 => Vec::with_capacity(BLOCK_LEAVES as usize),
            None => {
                let mut stored = load_block(storage, d, block_index, offset)?;
                stored.truncate(offset as usize);
                stored
            }
        };
        block.push(leaf_hash(seq, kind, id, c)?);
        if (block.len() as u64) < BLOCK_LEAVES {
            self.block = Some(block);
            return Ok(seq);
        }
        // The block is full: it is stored, and so is its root and every subtree it completes.
        save_block(storage, d, block_index, &block);
        let mut node = root_of(&block);
        let (mut index, mut level) = (block_index, BLOCK_LEVEL as usize);
        save_node(storage, d, level as u8, index, &node);
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

    /// Stores the last block when leaves joined it and it is not full (a full one is stored
    /// when it fills), and returns the number of leaves in the log now.
    #[must_use = "the log's new size is the datanet's `log_size`"]
    pub fn finish(self, storage: &mut dyn Storage) -> u64 {
        if let Some(block) = &self.block {
            save_block(storage, self.datanet_id, self.size / BLOCK_LEAVES, block);
        }
        self.size
    }
}

/// Reads subtrees of one datanet's log, keeping the last block it read.
struct LogReader<'a> {
    storage: &'a dyn Storage,
    datanet_id: DatanetId,
    block: Option<(u64, Vec<Hash>)>,
}

impl<'a> LogReader<'a> {
    fn new(storage: &'a dyn Storage, datanet_id: DatanetId) -> Self {
        LogReader {
            storage,
            datanet_id,
            block: None,
        }
    }

    /// Leaves `[start, end)`, which lie in one block: read once, then kept.
    fn leaves(&mut self, start: u64, end: u64) -> Result<&[Hash], ContractError> {
        let (index, from) = (start / BLOCK_LEAVES, start % BLOCK_LEAVES);
        let to = end.sub_checked(start.sub_checked(from)?)?;
        let cached =
            matches!(&self.block, Some((i, leaves)) if *i == index && leaves.len() as u64 >= to);
        if !cached {
            let leaves = load_block(self.storage, self.datanet_id, index, to)?;
            self.block = Some((index, leaves));
        }
        let leaves = self
            .block
            .as_ref()
            .map(|(_, l)| l.as_slice())
            .unwrap_or(&[]);
        Ok(&leaves[from as usize..to as usize])
    }

    /// The Merkle Tree Hash of leaves `[start, end)` of the log, where `start` is a multiple of
    /// a power of two at least `end - start` (every range a version or a proof needs): the
    /// fold, right to left, of the subtrees that tile it, largest first. The tiles of 16 leaves
    /// or more are stored; the rest lie in one block (`start` is then a multiple of a power of
    /// two at least their count, so they do not cross a multiple of 16), folded as one.
    fn range_root(&mut self, start: u64, end: u64) -> Result<Hash, ContractError> {
        let mut tiles: Vec<Hash> = Vec::with_capacity(64);
        let (mut at, mut left) = (start, end.sub_checked(start)?);
        while left >= BLOCK_LEAVES {
            let level = 63 - left.leading_zeros();
            let load = load_node(self.storage, self.datanet_id, level as u8, at >> level)?;
            tiles.push(load);
            at = at.add_checked(1 << level)?;
            left = left.sub_checked(1 << level)?;
        }
        if left > 0 {
            tiles.push(root_of(self.leaves(at, end)?));
        }
        let Some(mut root) = tiles.pop() else {
            return Ok(empty_root());
        };
        while let Some(tile) = tiles.pop() {
            root = node_hash(&tile, &root);
        }
        Ok(root)
    }
}

/// The root of the first `tree_size` leaves of the log of `datanet_id`.
pub fn root(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    tree_size: u64,
) -> Result<Hash, ContractError> {
    LogReader::new(storage, datanet_id).range_root(0, tree_size)
}

/// The inclusion proof (RFC 9162 §2.1.3, leaf to root) of leaf `leaf_index` in the tree of the
/// first `tree_size` leaves of the log of `datanet_id`.
pub fn inclusion_proof(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    leaf_index: u64,
    tree_size: u64,
) -> Result<Vec<Hash>, ContractError> {
    let mut reader = LogReader::new(storage, datanet_id);
    let mut path = Vec::with_capacity(64);
    let (mut lo, mut hi) = (0u64, tree_size);
    while hi.sub_checked(lo)? > 1 {
        let mid = lo.add_checked(split_point(hi.sub_checked(lo)?))?;
        if leaf_index < mid {
            path.push(reader.range_root(mid, hi)?);
            hi = mid;
        } else {
            path.push(reader.range_root(lo, mid)?);
            lo = mid;
        }
    }
    path.reverse();
    Ok(path)
}
