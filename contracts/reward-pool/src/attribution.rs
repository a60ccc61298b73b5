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
//! Timing, for a root posted at `t` with window `w` (`claimable_at = t + w`, fixed at posting):
//! challengeable while `now < t + w`; claimable from `now >= t + w` unless challenged.

use std::cmp::{max, min};

use cosmwasm_std::{
    Addr, DepsMut, Env, HexBinary, MessageInfo, OverflowError, OverflowOperation, Response,
    StdResult, Storage, Uint128,
};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::merkle::{self, Hash};
use openledger_common::msg::reward_pool::{
    AttributionMode, MAX_ATTESTOR_UPDATES, MAX_CHALLENGE_WINDOW, MAX_PROOF_LEN,
    MIN_CHALLENGE_WINDOW,
};
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{
    attribution_config, bond_totals, influence_state, Attestor, Challenge, DatanetPool,
    InfluenceState, RootRecord, ATTESTORS, ATTRIBUTION_CLAIMED, ATTRIBUTION_CONFIG, BOND_TOTALS,
    CONFIG, DATANETS, INFLUENCE, TOTALS, TREASURY,
};

/// The pool and attribution state of an influence datanet.
pub fn load_influence(
    storage: &dyn Storage,
    datanet_id: DatanetId,
) -> Result<(DatanetPool, InfluenceState), ContractError> {
    let pool = DATANETS
        .may_load(storage, datanet_id)?
        .ok_or(ContractError::UnknownDatanet { id: datanet_id })?;
    if pool.mode != AttributionMode::Influence {
        return Err(ContractError::NotInfluenceMode { id: datanet_id });
    }
    let state = influence_state(storage, datanet_id, &pool)?;
    Ok((pool, state))
}

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

/// Checks that `proof` leads from the leaf of (`datanet_id`, `address`, `cumulative_amount`)
/// to `root`.
pub fn verify_leaf(
    root: &RootRecord,
    datanet_id: DatanetId,
    address: &Addr,
    cumulative_amount: Uint128,
    proof: &[HexBinary],
) -> Result<(), ContractError> {
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
    let leaf = merkle::leaf_hash(datanet_id, address.as_str(), cumulative_amount.u128())?;
    if !merkle::verify(&expected, leaf, &siblings) {
        return Err(ContractError::InvalidProof {
            datanet_id,
            epoch: root.epoch,
        });
    }
    Ok(())
}

/// What `address` may still claim with `cumulative_amount` against `root`, given what it has
/// claimed and what the datanet has paid: `(claimed, amount)`, amount possibly zero.
pub fn claimable_amount(
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

fn one_less(n: u32) -> Result<u32, ContractError> {
    n.checked_sub(1)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Sub).into())
}

pub fn update_attribution_config(
    deps: DepsMut,
    info: MessageInfo,
    challenge_window: Option<u64>,
    attestor_bond: Option<Uint128>,
    challenge_bond: Option<Uint128>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let mut config = attribution_config(deps.storage)?;
    let mut res = Response::new().add_attribute("action", "update_attribution_config");
    if let Some(w) = challenge_window {
        if !(MIN_CHALLENGE_WINDOW..=MAX_CHALLENGE_WINDOW).contains(&w) {
            return Err(ContractError::InvalidChallengeWindow {
                window: w,
                min: MIN_CHALLENGE_WINDOW,
                max: MAX_CHALLENGE_WINDOW,
            });
        }
        config.challenge_window = w;
        res = res.add_attribute("challenge_window", w.to_string());
    }
    for (field, value, slot) in [
        ("attestor_bond", attestor_bond, &mut config.attestor_bond),
        ("challenge_bond", challenge_bond, &mut config.challenge_bond),
    ] {
        if let Some(v) = value {
            if v.is_zero() {
                return Err(ContractError::ZeroBond {
                    field: field.to_string(),
                });
            }
            *slot = v;
            res = res.add_attribute(field, v);
        }
    }
    ATTRIBUTION_CONFIG.save(deps.storage, &config)?;
    Ok(res)
}

pub fn update_attestors(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let longest = max(add.len(), remove.len());
    if longest > MAX_ATTESTOR_UPDATES {
        return Err(ContractError::TooManyAttestorUpdates {
            got: longest,
            max: MAX_ATTESTOR_UPDATES,
        });
    }
    let mut seen: Vec<Addr> = Vec::with_capacity(add.len() + remove.len());
    for a in add.iter().chain(&remove) {
        let addr = validate_addr(deps.api, "attestor", a)?;
        if seen.contains(&addr) {
            return Err(ContractError::DuplicateAddress { address: a.clone() });
        }
        seen.push(addr);
    }
    let (added, removed) = seen.split_at(add.len());
    let config = CONFIG.load(deps.storage)?;
    let mut bonds = bond_totals(deps.storage)?;
    let mut res = Response::new().add_attribute("action", "update_attestors");
    for addr in added {
        if !ATTESTORS.has(deps.storage, addr) {
            ATTESTORS.save(deps.storage, addr, &Attestor::default())?;
        }
        res = res.add_attribute("added", addr.as_str());
    }
    let now = env.block.time.seconds();
    for addr in removed {
        let a =
            ATTESTORS
                .may_load(deps.storage, addr)?
                .ok_or_else(|| ContractError::NotAttestor {
                    address: addr.to_string(),
                })?;
        if a.open_challenges > 0 {
            return Err(ContractError::AttestorHasOpenChallenges {
                address: addr.to_string(),
                open: a.open_challenges,
            });
        }
        if now < a.locked_until {
            return Err(ContractError::AttestorBondLocked {
                address: addr.to_string(),
                until: a.locked_until,
            });
        }
        ATTESTORS.remove(deps.storage, addr);
        res = res.add_attribute("removed", addr.as_str());
        if !a.bond.is_zero() {
            bonds.attestor_bonds = bonds.attestor_bonds.checked_sub(a.bond)?;
            res = res
                .add_attribute(format!("bond_returned_{addr}"), a.bond)
                .add_message(TokenHandle(config.token.clone()).transfer(addr, a.bond)?);
        }
    }
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(res)
}

/// `bond_attestor` hook: `amount` joins `sender`'s attestor bond.
pub fn bond_attestor(
    deps: DepsMut,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut a =
        ATTESTORS
            .may_load(deps.storage, &sender)?
            .ok_or_else(|| ContractError::NotAttestor {
                address: sender.to_string(),
            })?;
    a.bond = a.bond.checked_add(amount)?;
    ATTESTORS.save(deps.storage, &sender, &a)?;
    let mut bonds = bond_totals(deps.storage)?;
    bonds.attestor_bonds = bonds.attestor_bonds.checked_add(amount)?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(Response::new()
        .add_attribute("action", "bond_attestor")
        .add_attribute("attestor", sender.as_str())
        .add_attribute("amount", amount)
        .add_attribute("bond", a.bond))
}

pub fn post_root(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
    epoch: u64,
    root: HexBinary,
    cumulative_total: Uint128,
) -> Result<Response, ContractError> {
    let config = attribution_config(deps.storage)?;
    let mut attestor = ATTESTORS
        .may_load(deps.storage, &info.sender)?
        .ok_or_else(|| ContractError::NotAttestor {
            address: info.sender.to_string(),
        })?;
    if attestor.bond < config.attestor_bond {
        return Err(ContractError::AttestorBondTooLow {
            address: info.sender.to_string(),
            required: config.attestor_bond,
            bonded: attestor.bond,
        });
    }
    if root.len() != 32 {
        return Err(ContractError::InvalidRoot { len: root.len() });
    }
    let (mut pool, mut state) = load_influence(deps.storage, datanet_id)?;
    if epoch <= state.last_epoch {
        return Err(ContractError::EpochNotIncreasing {
            datanet_id,
            epoch,
            last: state.last_epoch,
        });
    }
    let now = env.block.time.seconds();
    let promoted_epoch = if state.promote(now) {
        state.claimable.as_ref().map(|c| c.epoch)
    } else {
        None
    };
    if let Some(p) = &state.pending {
        return Err(match p.challenge {
            Some(_) => ContractError::PendingRootChallenged {
                datanet_id,
                epoch: p.epoch,
            },
            None => ContractError::PendingRootInWindow {
                datanet_id,
                epoch: p.epoch,
                claimable_at: p.claimable_at,
            },
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
    let claimable_at = now
        .checked_add(config.challenge_window)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Add))?;
    state.pending = Some(RootRecord {
        epoch,
        root: root.clone(),
        cumulative_total,
        attestor: info.sender.clone(),
        posted_at: now,
        claimable_at,
        challenge: None,
    });
    state.last_epoch = epoch;
    pool.unallocated = state.total_received.checked_sub(cumulative_total)?;
    attestor.locked_until = max(attestor.locked_until, claimable_at);
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
        .add_attribute("claimable_at", claimable_at.to_string());
    if let Some(e) = promoted_epoch {
        res = res.add_attribute("promoted_epoch", e.to_string());
    }
    Ok(res)
}

/// A `challenge_root` executed directly: a challenge carries a bond, so it only comes through
/// the cw20 hook.
pub fn refuse_unbonded_challenge(deps: DepsMut) -> Result<Response, ContractError> {
    Err(ContractError::ChallengeBondRequired {
        required: attribution_config(deps.storage)?.challenge_bond,
    })
}

/// `challenge_root` hook: `challenger` froze the pending root with a bond of `amount`.
pub fn challenge_root(
    deps: DepsMut,
    env: Env,
    challenger: Addr,
    amount: Uint128,
    datanet_id: DatanetId,
    epoch: u64,
) -> Result<Response, ContractError> {
    let config = attribution_config(deps.storage)?;
    if amount < config.challenge_bond {
        return Err(ContractError::ChallengeBondTooLow {
            required: config.challenge_bond,
            sent: amount,
        });
    }
    let (_, mut state) = load_influence(deps.storage, datanet_id)?;
    let now = env.block.time.seconds();
    state.promote(now);
    let Some(pending) = state.pending.as_mut().filter(|p| p.epoch == epoch) else {
        return Err(match &state.claimable {
            Some(c) if c.epoch == epoch => ContractError::ChallengeWindowClosed {
                datanet_id,
                epoch,
                closed_at: c.claimable_at,
            },
            _ if state.last_voided == Some(epoch) => {
                ContractError::RootVoided { datanet_id, epoch }
            }
            _ => ContractError::UnknownRoot { datanet_id, epoch },
        });
    };
    if pending.challenge.is_some() {
        return Err(ContractError::RootAlreadyChallenged { datanet_id, epoch });
    }
    pending.challenge = Some(Challenge {
        challenger: challenger.clone(),
        bond: amount,
        challenged_at: now,
    });
    let attestor_addr = pending.attestor.clone();
    INFLUENCE.save(deps.storage, datanet_id, &state)?;
    // The attestor cannot be removed while a root of it is in its window, so it is there.
    if let Some(mut a) = ATTESTORS.may_load(deps.storage, &attestor_addr)? {
        a.open_challenges = a
            .open_challenges
            .checked_add(1)
            .ok_or_else(|| ContractError::from(OverflowError::new(OverflowOperation::Add)))?;
        ATTESTORS.save(deps.storage, &attestor_addr, &a)?;
    }
    let mut bonds = bond_totals(deps.storage)?;
    bonds.challenge_bonds = bonds.challenge_bonds.checked_add(amount)?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(Response::new()
        .add_attribute("action", "challenge_root")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("challenger", challenger.as_str())
        .add_attribute("attestor", attestor_addr.as_str())
        .add_attribute("bond", amount))
}

pub fn resolve_challenge(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
    epoch: u64,
    void: bool,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let (mut pool, mut state) = load_influence(deps.storage, datanet_id)?;
    let (mut root, challenge) = match state.pending.take() {
        Some(mut p) if p.epoch == epoch => match p.challenge.take() {
            Some(c) => (p, c),
            None => return Err(ContractError::NoOpenChallenge { datanet_id, epoch }),
        },
        _ => return Err(ContractError::NoOpenChallenge { datanet_id, epoch }),
    };
    let config = CONFIG.load(deps.storage)?;
    let mut bonds = bond_totals(deps.storage)?;
    bonds.challenge_bonds = bonds.challenge_bonds.checked_sub(challenge.bond)?;
    let attestor_addr = root.attestor.clone();
    let mut attestor = ATTESTORS.may_load(deps.storage, &attestor_addr)?;
    if let Some(a) = attestor.as_mut() {
        a.open_challenges = one_less(a.open_challenges)?;
    }
    let mut res = Response::new()
        .add_attribute("action", "resolve_challenge")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("challenger", challenge.challenger.as_str())
        .add_attribute("attestor", root.attestor.as_str());
    if void {
        // The attestor loses up to one minimum bond per voided root, to the challenger.
        let slash = match attestor.as_mut() {
            Some(a) => {
                let s = min(attribution_config(deps.storage)?.attestor_bond, a.bond);
                a.bond = a.bond.checked_sub(s)?;
                s
            }
            None => Uint128::zero(),
        };
        bonds.attestor_bonds = bonds.attestor_bonds.checked_sub(slash)?;
        let payout = challenge.bond.checked_add(slash)?;
        state.last_voided = Some(epoch);
        pool.unallocated = state.total_received.checked_sub(state.allocated())?;
        DATANETS.save(deps.storage, datanet_id, &pool)?;
        res = res
            .add_attribute("outcome", "void")
            .add_attribute("slashed", slash)
            .add_attribute("paid_to_challenger", payout)
            .add_message(TokenHandle(config.token).transfer(&challenge.challenger, payout)?);
    } else {
        // Upheld: reviewed by the owner, so claimable at once, whatever is left of the window.
        root.claimable_at = min(root.claimable_at, env.block.time.seconds());
        state.claimable = Some(root);
        TREASURY.update(deps.storage, |t| -> StdResult<_> {
            Ok(t.checked_add(challenge.bond)?)
        })?;
        res = res
            .add_attribute("outcome", "upheld")
            .add_attribute("to_treasury", challenge.bond);
    }
    if let Some(a) = &attestor {
        ATTESTORS.save(deps.storage, &attestor_addr, a)?;
    }
    INFLUENCE.save(deps.storage, datanet_id, &state)?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(res)
}

pub fn claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
    epoch: u64,
    cumulative_amount: Uint128,
    proof: Vec<HexBinary>,
) -> Result<Response, ContractError> {
    let (mut pool, mut state) = load_influence(deps.storage, datanet_id)?;
    let promoted = state.promote(env.block.time.seconds());
    let root = claimable_root(&state, datanet_id, epoch)?;
    verify_leaf(root, datanet_id, &info.sender, cumulative_amount, &proof)?;
    let key = (datanet_id, &info.sender);
    let claimed = ATTRIBUTION_CLAIMED
        .may_load(deps.storage, key)?
        .unwrap_or_default();
    let amount = claimable_amount(
        root,
        datanet_id,
        pool.total_claimed,
        claimed,
        cumulative_amount,
    )?;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim);
    }
    ATTRIBUTION_CLAIMED.save(deps.storage, key, &cumulative_amount)?;
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
