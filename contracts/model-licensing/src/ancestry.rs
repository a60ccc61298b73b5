//! Derived models: the rules a model's `parents` follow at registration, and the flattened
//! ancestry stored for it, so that paying the model needs no recursion.
//!
//! Shares are basis points of the derived model's **creator value** (the model-owner share
//! plus the datanets share of each of its fees), products of integer basis points rounded
//! down at each generation:
//!
//! - the **reach** of an ancestor A is what flows into A: a parent P of royalty r is reached
//!   with r; an ancestor that P reaches with `reach_P(A)` is reached through P with
//!   `⌊r × reach_P(A) / 10 000⌋`; the reaches along several paths (a diamond) add up;
//! - A keeps `keep_A = 10 000 − Σ royalties of A's own parents` of what reaches it, so its
//!   **share** is `⌊reach(A) × keep_A / 10 000⌋`: what A's owner and A's lineage receive;
//! - the model's own share is `10 000 − Σ share(A)`: it keeps the rest, including what the
//!   roundings of these products left over (so the shares always sum to exactly 10 000).
//!
//! The shares are fixed at registration: parents never change, and neither do their royalties
//! or their ancestries, so nothing a later registration does can change them.

use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::{Addr, OverflowError, OverflowOperation, Storage, Timestamp};
use openledger_common::attribution::DatanetId;
use openledger_common::bps::{Bps, BPS_DENOMINATOR};
use openledger_common::msg::model_licensing::{
    LineageEntry, ModelId, ParentModel, MAX_ANCESTORS, MAX_ANCESTRY_DEPTH, MAX_PARENTS,
    MAX_TOTAL_ROYALTY_BPS,
};
use openledger_common::msg::reward_pool::MAX_ALLOCATIONS;
use openledger_common::Checked;

use crate::error::ContractError;
use crate::state::{AncestorRecord, Ancestry, Model, LICENSES, MODELS};

/// The most recipients one `distribute` pays besides the stakers and the treasury.
pub const MAX_RECIPIENTS: usize = MAX_ALLOCATIONS - 2;

/// One ancestor while the ancestry is flattened.
struct Node {
    /// Fewest parent links from the new model.
    depth: u32,
    /// Basis points of the new model's creator value flowing into it.
    reach: u32,
}

/// The ancestry of a new model registered by `registrant` with `lineage` and `parents`, after
/// every rule: `None` without parents. Checks, in the order errors are reported: the parents
/// list (count, distinct, each royalty, their sum), each parent's existence and the
/// registrant's right to build on it, the depth, the number of ancestors, and that one fee
/// fits one `distribute`.
pub fn derive(
    storage: &dyn Storage,
    now: Timestamp,
    registrant: &Addr,
    lineage: &[LineageEntry],
    parents: &[ParentModel],
) -> Result<Option<Ancestry>, ContractError> {
    if parents.is_empty() {
        return Ok(None);
    }
    validate_parents(parents)?;
    for p in parents {
        let parent = MODELS
            .may_load(storage, p.model_id)?
            .ok_or(ContractError::UnknownParent {
                model_id: p.model_id,
            })?;
        check_entitled(storage, now, registrant, p.model_id, &parent)?;
    }
    let (depth, nodes) = flatten(storage, parents)?;
    let mut ancestors = Vec::with_capacity(nodes.len());
    for (model_id, node) in nodes {
        let keep = Ancestry::load(storage, model_id)?.keep_bps()?;
        ancestors.push(AncestorRecord {
            model_id,
            depth: node.depth,
            reach_bps: to_bps(node.reach)?,
            share_bps: bps_product(node.reach, keep)?,
        });
    }
    check_payout_width(storage, lineage, &ancestors)?;
    Ok(Some(Ancestry {
        parents: parents.to_vec(),
        depth,
        ancestors,
    }))
}

/// At most `MAX_PARENTS`, distinct, each royalty `1..=MAX_TOTAL_ROYALTY_BPS`, their sum at most
/// `MAX_TOTAL_ROYALTY_BPS`.
fn validate_parents(parents: &[ParentModel]) -> Result<(), ContractError> {
    if parents.len() > MAX_PARENTS {
        return Err(ContractError::TooManyParents {
            got: parents.len() as u64,
            max: MAX_PARENTS as u64,
        });
    }
    let mut sum = 0u64;
    for (i, p) in parents.iter().enumerate() {
        if parents[..i].iter().any(|o| o.model_id == p.model_id) {
            return Err(ContractError::DuplicateParent {
                model_id: p.model_id,
            });
        }
        if !(1..=MAX_TOTAL_ROYALTY_BPS).contains(&p.royalty_bps) {
            return Err(ContractError::RoyaltyOutOfRange {
                model_id: p.model_id,
                royalty_bps: p.royalty_bps,
                min: 1,
                max: MAX_TOTAL_ROYALTY_BPS,
            });
        }
        sum = sum.add_checked(u64::from(p.royalty_bps))?;
    }
    if sum > u64::from(MAX_TOTAL_ROYALTY_BPS) {
        return Err(ContractError::RoyaltySum {
            sum,
            max: u64::from(MAX_TOTAL_ROYALTY_BPS),
        });
    }
    Ok(())
}

/// The registrant may build on `parent` when it owns it or holds an unexpired commercial
/// licence of it (the parent's status does not matter).
fn check_entitled(
    storage: &dyn Storage,
    now: Timestamp,
    registrant: &Addr,
    model_id: ModelId,
    parent: &Model,
) -> Result<(), ContractError> {
    if parent.owner == *registrant {
        return Ok(());
    }
    match LICENSES.may_load(storage, (registrant, model_id))? {
        None => Err(ContractError::NotEntitledToDerive { model_id }),
        Some(l) if !l.commercial => Err(ContractError::LicenseNotCommercial { model_id }),
        Some(l) if now >= l.expires_at => Err(ContractError::LicenseExpired {
            model_id,
            expired_at: l.expires_at,
        }),
        Some(_) => Ok(()),
    }
}

/// Every ancestor reached through `parents` (each parent's stored ancestry is already flat),
/// with its reach and fewest links, and the new model's depth; refused beyond
/// `MAX_ANCESTRY_DEPTH` or `MAX_ANCESTORS`.
fn flatten(
    storage: &dyn Storage,
    parents: &[ParentModel],
) -> Result<(u32, BTreeMap<ModelId, Node>), ContractError> {
    let mut nodes: BTreeMap<ModelId, Node> = BTreeMap::new();
    let mut depth = 0u32;
    for p in parents {
        let royalty = u32::from(p.royalty_bps);
        let of_parent = Ancestry::load(storage, p.model_id)?;
        depth = depth.max(of_parent.depth.add_checked(1)?);
        reach_into(&mut nodes, p.model_id, 1, royalty)?;
        for a in &of_parent.ancestors {
            let reach = u32::from(bps_product(royalty, a.reach_bps)?);
            reach_into(&mut nodes, a.model_id, a.depth.add_checked(1)?, reach)?;
        }
    }
    if depth > MAX_ANCESTRY_DEPTH {
        return Err(ContractError::AncestryTooDeep {
            depth: u64::from(depth),
            max: u64::from(MAX_ANCESTRY_DEPTH),
        });
    }
    if nodes.len() > MAX_ANCESTORS {
        return Err(ContractError::TooManyAncestors {
            got: nodes.len() as u64,
            max: MAX_ANCESTORS as u64,
        });
    }
    Ok((depth, nodes))
}

/// Adds `reach` to ancestor `model_id`, met `depth` links away.
fn reach_into(
    nodes: &mut BTreeMap<ModelId, Node>,
    model_id: ModelId,
    depth: u32,
    reach: u32,
) -> Result<(), OverflowError> {
    let node = nodes.entry(model_id).or_insert(Node { depth, reach: 0 });
    node.depth = node.depth.min(depth);
    node.reach = node.reach.add_checked(reach)?;
    Ok(())
}

/// One fee of the new model pays, besides stakers and treasury, each distinct datanet version
/// of its lineage and of its ancestors' with a share, and each such ancestor's owner: refused
/// when that could exceed what one `distribute` holds (a signed attribution only narrows the
/// model's own lineage, and a batch that exceeds it is refused at payment).
fn check_payout_width(
    storage: &dyn Storage,
    lineage: &[LineageEntry],
    ancestors: &[AncestorRecord],
) -> Result<(), ContractError> {
    let mut versions: BTreeSet<(DatanetId, u32)> =
        lineage.iter().map(|e| (e.datanet_id, e.version)).collect();
    let paid: Vec<&AncestorRecord> = ancestors.iter().filter(|a| a.share_bps > 0).collect();
    for a in &paid {
        let model = Model::load(storage, a.model_id)?;
        versions.extend(model.lineage.iter().map(|e| (e.datanet_id, e.version)));
    }
    let recipients = (versions.len() as u64).add_checked(paid.len() as u64)?;
    if recipients > MAX_RECIPIENTS as u64 {
        return Err(ContractError::PayoutTooWide {
            recipients,
            max: MAX_RECIPIENTS as u64,
        });
    }
    Ok(())
}

/// `⌊a × b / 10 000⌋` for basis points `a` (as u32) and `b`: at most `a`.
fn bps_product(a: u32, b: Bps) -> Result<Bps, OverflowError> {
    let product = a
        .checked_mul(u32::from(b))
        .ok_or(OverflowError::new(OverflowOperation::Mul))?;
    to_bps(product / u32::from(BPS_DENOMINATOR))
}

/// A reach or share as basis points (it never exceeds `MAX_TOTAL_ROYALTY_BPS`).
fn to_bps(value: u32) -> Result<Bps, OverflowError> {
    Bps::try_from(value).map_err(|_| OverflowError::new(OverflowOperation::Add))
}
