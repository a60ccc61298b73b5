//! Attribution roots: attestors post them, contributors claim by them.

use std::cmp::max;

use cosmwasm_std::{Addr, DepsMut, Env, HexBinary, MessageInfo, Response, StdResult, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::MAX_ATTESTOR_PENDING_ROOTS;
use openledger_common::Checked;

use crate::attribution::{leaf_claim, Leaf};
use crate::error::ContractError;
use crate::state::{
    Attestor, AttributionConfig, InfluenceState, Reservation, RootRecord, ATTESTORS,
    ATTRIBUTION_CLAIMED, CONFIG, DATANETS, INFLUENCE, TOTALS,
};

/// Refuses a new root while the datanet has a pending one (in its window or challenged).
fn refuse_pending(state: &InfluenceState, datanet_id: DatanetId) -> Result<(), ContractError> {
    match &state.pending {
        None => Ok(()),
        Some(p) => Err(match p.challenge {
            Some(_) => ContractError::PendingRootChallenged {
                datanet_id,
                epoch: p.epoch,
            },
            None => ContractError::PendingRootInWindow {
                datanet_id,
                epoch: p.epoch,
                claimable_at: p.claimable_at,
            },
        }),
    }
}

/// Checks that `attestor` (at `address`) can back one more root with `stake` at `now`: every
/// root that can still be slashed keeps its stake reserved, so a bond backing several roots
/// can pay every slash in full. Drops the reservations that expired.
fn check_bond(
    attestor: &mut Attestor,
    address: &Addr,
    stake: Uint128,
    now: u64,
) -> Result<(), ContractError> {
    attestor.prune(now);
    let (pending_roots, reserved) = attestor.reserved(now)?;
    let required = reserved.checked_add(stake)?;
    if attestor.bond < required {
        return Err(ContractError::AttestorBondTooLow {
            address: address.to_string(),
            required,
            bonded: attestor.bond,
            reserved,
        });
    }
    if pending_roots >= MAX_ATTESTOR_PENDING_ROOTS {
        return Err(ContractError::TooManyPendingRoots {
            address: address.to_string(),
            max: MAX_ATTESTOR_PENDING_ROOTS,
        });
    }
    Ok(())
}

/// Checks the epoch and the cumulative total of a new root of `datanet_id`.
fn check_root(
    state: &InfluenceState,
    datanet_id: DatanetId,
    epoch: u64,
    cumulative_total: Uint128,
) -> Result<(), ContractError> {
    // Epochs advance by one from the claimable root: a voided epoch is posted again, and no
    // chosen number can put the next epoch out of reach.
    let expected = state.next_epoch();
    if epoch != expected {
        return Err(ContractError::UnexpectedEpoch {
            datanet_id,
            epoch,
            expected,
        });
    }
    let previous = state
        .claimable
        .as_ref()
        .map_or(Uint128::zero(), |c| c.cumulative_total);
    if cumulative_total < previous {
        return Err(ContractError::CumulativeTotalDecreased {
            previous,
            got: cumulative_total,
        });
    }
    if cumulative_total > state.total_received {
        return Err(ContractError::RootExceedsBucket {
            datanet_id,
            cumulative_total,
            received: state.total_received,
        });
    }
    Ok(())
}

/// A root an attestor posts.
pub struct NewRoot {
    /// The datanet (influence mode).
    pub datanet_id: DatanetId,
    /// Its next epoch.
    pub epoch: u64,
    /// The 32-byte Merkle root.
    pub root: HexBinary,
    /// The sum of its leaves.
    pub cumulative_total: Uint128,
    /// The version the attribution was computed over.
    pub version: Option<u32>,
}

impl NewRoot {
    /// The root of `post_attribution_root`'s fields.
    pub fn new(
        datanet_id: DatanetId,
        epoch: u64,
        root: HexBinary,
        cumulative_total: Uint128,
        version: Option<u32>,
    ) -> Self {
        NewRoot {
            datanet_id,
            epoch,
            root,
            cumulative_total,
            version,
        }
    }
}

/// `post_attribution_root` (approved, bonded attestors): posts the root of `epoch` of
/// `datanet_id`, claimable once its challenge window has passed unchallenged.
pub fn post_root(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    new: NewRoot,
) -> Result<Response, ContractError> {
    let NewRoot {
        datanet_id,
        epoch,
        root,
        cumulative_total,
        version,
    } = new;
    let config = AttributionConfig::load(deps.storage)?;
    let mut attestor = Attestor::load(deps.storage, &info.sender)?;
    let now = env.block.time.seconds();
    if root.len() != 32 {
        return Err(ContractError::InvalidRoot { len: root.len() });
    }
    let (mut pool, mut state) = InfluenceState::load(deps.storage, datanet_id)?;
    if let Some(v) = version {
        let registry = CONFIG.load(deps.storage)?.registry;
        pool.sync(
            &deps.querier,
            registry.as_ref(),
            datanet_id,
            None,
            deps.storage,
        )?;
        pool.slot_of(datanet_id, v)?;
    }
    let promoted_epoch = if state.promote(now) {
        state.claimable.as_ref().map(|c| c.epoch)
    } else {
        None
    };
    refuse_pending(&state, datanet_id)?;
    check_bond(&mut attestor, &info.sender, config.attestor_bond, now)?;
    check_root(&state, datanet_id, epoch, cumulative_total)?;
    let claimable_at = now.add_checked(config.challenge_window)?;
    let seq = state.roots_posted.increment()?;
    state.pending = Some(RootRecord {
        epoch,
        root: root.clone(),
        cumulative_total,
        attestor: info.sender.clone(),
        posted_at: now,
        claimable_at,
        challenge: None,
        seq,
        stake: config.attestor_bond,
        challengers: 0,
        challenge_bonds: Uint128::zero(),
        version,
    });
    state.last_epoch = epoch;
    pool.unallocated = state.total_received.checked_sub(cumulative_total)?;
    attestor.locked_until = max(attestor.locked_until, claimable_at);
    attestor.reservations.push(Reservation {
        datanet_id,
        epoch,
        stake: config.attestor_bond,
        claimable_at,
        challenged: false,
    });
    INFLUENCE.save(deps.storage, datanet_id, &state)?;
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    ATTESTORS.save(deps.storage, &info.sender, &attestor)?;
    let mut res = Response::new()
        .add_attribute("action", "post_attribution_root")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("root", root.to_hex())
        .add_attribute("cumulative_total", cumulative_total)
        .add_attribute("attestor", info.sender.as_str())
        .add_attribute("claimable_at", claimable_at.to_string())
        .add_attribute("stake", config.attestor_bond);
    if let Some(e) = promoted_epoch {
        res = res.add_attribute("promoted_epoch", e.to_string());
    }
    Ok(res)
}

/// `claim_attribution`: pays the sender `cumulative_amount − already claimed` from
/// `datanet_id`'s bucket, proven against the claimable root of `epoch`.
pub fn claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
    epoch: u64,
    cumulative_amount: Uint128,
    proof: Vec<HexBinary>,
) -> Result<Response, ContractError> {
    let (mut pool, mut state) = InfluenceState::load(deps.storage, datanet_id)?;
    let promoted = state.promote(env.block.time.seconds());
    let leaf = Leaf {
        address: &info.sender,
        cumulative_amount,
        proof: &proof,
    };
    let (_, amount) = leaf_claim(deps.storage, &pool, &state, datanet_id, epoch, &leaf)?;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim);
    }
    ATTRIBUTION_CLAIMED.save(deps.storage, (datanet_id, &info.sender), &cumulative_amount)?;
    pool.total_claimed = pool.total_claimed.checked_add(amount)?;
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    TOTALS.update(deps.storage, |mut t| -> StdResult<_> {
        t.influence_outstanding = t.influence_outstanding.checked_sub(amount)?;
        Ok(t)
    })?;
    if promoted {
        INFLUENCE.save(deps.storage, datanet_id, &state)?;
    }
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_attribute("action", "claim_attribution")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("claimant", info.sender.as_str())
        .add_attribute("cumulative_amount", cumulative_amount)
        .add_attribute("amount", amount)
        .add_message(TokenHandle(config.token).transfer(&info.sender, amount)?))
}
