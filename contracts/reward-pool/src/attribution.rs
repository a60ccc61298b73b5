//! Influence attribution (DESIGN §1 level 3): approved, bonded attestors post per-epoch Merkle
//! roots of cumulative entitlements for `influence`-mode datanets; a root becomes claimable
//! after a challenge window unless a bonded challenge freezes it until the owner resolves it;
//! contributors claim `cumulative − already claimed` with a proof.
//!
//! Each datanet keeps constant state: its newest claimable root and at most one pending root.
//! A pending root whose window has passed unchallenged is promoted lazily, by whichever
//! message or query touches the datanet first. A claim costs a constant number of storage
//! operations plus one hash per proof element.
//!
//! DESIGN §6: epochs advance by one from the claimable root (a voided epoch is posted again),
//! so no epoch can lock a bucket; each pending root reserves its stake from the attestor's
//! bond, so a bond backing several roots can pay every slash; any number of addresses may
//! challenge a root (each once), and a void pays them their bonds plus a bounded reward
//! (`CHALLENGER_REWARD_BPS` of the slash, pro rata by bond, withdrawn by each) while the rest
//! of the slash goes to the treasury, so an attestor challenging itself loses.
//!
//! Timing, for a root posted at `t` with window `w` (`claimable_at = t + w`, fixed at posting):
//! challengeable while `now < t + w`; claimable from `now >= t + w` unless challenged.
//!
//! This module holds what both the execute handlers (`execute::roots`,
//! `execute::challenges`) and the queries read: which root a claim is checked against, proof
//! verification, what a leaf may still claim, and where a challenge stands.

use cosmwasm_std::{Addr, HexBinary, StdError, StdResult, Storage, Uint128, Uint256};
use openledger_common::attribution::DatanetId;
use openledger_common::merkle::{self, Hash};
use openledger_common::msg::reward_pool::{ChallengeStatus, MAX_PROOF_LEN};

use crate::error::ContractError;
use crate::state::{
    ChallengeEntry, DatanetPool, InfluenceState, RootRecord, VoidedRoot, ATTRIBUTION_CLAIMED,
    CHALLENGES, VOIDED,
};

/// The root claims of `epoch` are checked against: the datanet's newest claimable root, with
/// a specific error for every other case.
pub fn claimable_root(
    state: &InfluenceState,
    datanet_id: DatanetId,
    epoch: u64,
) -> Result<&RootRecord, ContractError> {
    if let Some(c) = state.claimable.as_ref().filter(|c| c.epoch == epoch) {
        return Ok(c);
    }
    if let Some(p) = state.pending.as_ref().filter(|p| p.epoch == epoch) {
        return Err(match p.challenge {
            Some(_) => ContractError::RootChallenged { datanet_id, epoch },
            None => ContractError::RootInChallengeWindow {
                datanet_id,
                epoch,
                claimable_at: p.claimable_at,
            },
        });
    }
    if state.last_voided == Some(epoch) {
        return Err(ContractError::RootVoided { datanet_id, epoch });
    }
    match &state.claimable {
        Some(c) if epoch < c.epoch => Err(ContractError::RootSuperseded {
            datanet_id,
            epoch,
            current: c.epoch,
        }),
        _ => Err(ContractError::UnknownRoot { datanet_id, epoch }),
    }
}

/// Checks that `leaf.proof` leads from the leaf of (`datanet_id`, `leaf.address`,
/// `leaf.cumulative_amount`) to `root`.
fn verify_leaf(root: &RootRecord, datanet_id: DatanetId, leaf: &Leaf) -> Result<(), ContractError> {
    let proof = leaf.proof;
    if proof.len() > MAX_PROOF_LEN {
        return Err(ContractError::ProofTooLong {
            len: proof.len(),
            max: MAX_PROOF_LEN,
        });
    }
    let siblings = proof
        .iter()
        .enumerate()
        .map(|(index, h)| {
            Hash::try_from(h.as_slice()).map_err(|_| ContractError::InvalidProofElement {
                index,
                len: h.len(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let expected =
        Hash::try_from(root.root.as_slice()).map_err(|_| ContractError::InvalidRoot {
            len: root.root.len(),
        })?;
    let hash = merkle::leaf_hash(
        datanet_id,
        leaf.address.as_str(),
        leaf.cumulative_amount.u128(),
    )?;
    if !merkle::verify(&expected, hash, &siblings) {
        return Err(ContractError::InvalidProof {
            datanet_id,
            epoch: root.epoch,
        });
    }
    Ok(())
}

/// What `address` may still claim with `cumulative_amount` against `root`, given what it has
/// claimed and what the datanet has paid (possibly zero).
fn claimable_amount(
    root: &RootRecord,
    datanet_id: DatanetId,
    paid: Uint128,
    claimed: Uint128,
    cumulative_amount: Uint128,
) -> Result<Uint128, ContractError> {
    let amount = cumulative_amount.saturating_sub(claimed);
    // A root whose leaves sum to more than its declared total (a faulty attestor) can never
    // pay out more than that total: the rest of the pool is never at risk.
    if paid.checked_add(amount)? > root.cumulative_total {
        return Err(ContractError::RootTotalExceeded {
            datanet_id,
            epoch: root.epoch,
            cumulative_total: root.cumulative_total,
            paid,
            requested: amount,
        });
    }
    Ok(amount)
}

/// A contributor's leaf as a claim presents it.
pub struct Leaf<'a> {
    /// The contributor.
    pub address: &'a Addr,
    /// Its cumulative entitlement in the root.
    pub cumulative_amount: Uint128,
    /// The sibling hashes from its leaf to the root.
    pub proof: &'a [HexBinary],
}

/// What `leaf` may claim from `datanet_id` against the root of `epoch`: checks the root and
/// the proof, then returns what the address has claimed so far and the amount it may claim
/// now (possibly zero).
pub fn leaf_claim(
    storage: &dyn Storage,
    pool: &DatanetPool,
    state: &InfluenceState,
    datanet_id: DatanetId,
    epoch: u64,
    leaf: &Leaf,
) -> Result<(Uint128, Uint128), ContractError> {
    let root = claimable_root(state, datanet_id, epoch)?;
    verify_leaf(root, datanet_id, leaf)?;
    let claimed = ATTRIBUTION_CLAIMED
        .may_load(storage, (datanet_id, leaf.address))?
        .unwrap_or_default();
    let amount = claimable_amount(
        root,
        datanet_id,
        pool.total_claimed,
        claimed,
        leaf.cumulative_amount,
    )?;
    Ok((claimed, amount))
}

/// The entry a root challenged under 0.2.0 would have: its single challenger and that
/// challenge (such a root has `challenge` set and no `CHALLENGES` entry until normalised).
pub fn legacy_entry(root: &RootRecord) -> Option<(&Addr, ChallengeEntry)> {
    match &root.challenge {
        Some(c) if root.challengers == 0 => Some((
            &c.challenger,
            ChallengeEntry {
                seq: root.seq,
                epoch: root.epoch,
                bond: c.bond,
                challenged_at: c.challenged_at,
            },
        )),
        _ => None,
    }
}

/// `challenger`'s unsettled challenge in `datanet_id`, if any (including the challenge of a
/// root challenged under 0.2.0 that has not been normalised yet).
pub fn challenge_entry(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    challenger: &Addr,
    state: &InfluenceState,
) -> StdResult<Option<ChallengeEntry>> {
    if let Some(e) = CHALLENGES.may_load(storage, (datanet_id, challenger))? {
        return Ok(Some(e));
    }
    Ok(state
        .pending
        .as_ref()
        .and_then(legacy_entry)
        .filter(|(addr, _)| *addr == challenger)
        .map(|(_, e)| e))
}

/// Where `entry` stands: open while its root is the pending root, else void (with the voided
/// root's record) or upheld.
pub fn standing(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    entry: &ChallengeEntry,
    state: &InfluenceState,
) -> StdResult<(ChallengeStatus, Option<VoidedRoot>)> {
    if state
        .pending
        .as_ref()
        .is_some_and(|p| (p.seq, p.epoch) == (entry.seq, entry.epoch))
    {
        return Ok((ChallengeStatus::Open, None));
    }
    resolved_standing(storage, datanet_id, entry)
}

/// Where `entry`, whose root is not pending any more, stands: void or upheld.
pub fn resolved_standing(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    entry: &ChallengeEntry,
) -> StdResult<(ChallengeStatus, Option<VoidedRoot>)> {
    Ok(match VOIDED.may_load(storage, (datanet_id, entry.seq))? {
        Some(v) => (ChallengeStatus::Void, Some(v)),
        None => (ChallengeStatus::Upheld, None),
    })
}

/// A challenger's share of voided root `v`'s reward: `reward × bond / bonds`, rounded down.
pub fn reward_share(v: &VoidedRoot, bond: Uint128) -> Result<Uint128, ContractError> {
    if v.bonds.is_zero() {
        return Ok(Uint128::zero());
    }
    let share = Uint256::from(v.reward)
        .checked_mul(Uint256::from(bond))?
        .checked_div(Uint256::from(v.bonds))
        .map_err(StdError::from)?;
    Ok(Uint128::try_from(share).map_err(StdError::from)?)
}
