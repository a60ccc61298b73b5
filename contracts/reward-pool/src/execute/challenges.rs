//! Challenges of attribution roots: challenging a pending root (a cw20 hook with a bond), the
//! owner's resolution, and each challenger's settlement.

use std::cmp::min;

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, StdResult, Storage, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::bps::apply_bps;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{ChallengeStatus, CHALLENGER_REWARD_BPS};
use openledger_common::Checked;

use crate::attribution::{
    challenge_entry, legacy_entry, resolved_standing, reward_share, standing,
};
use crate::error::ContractError;
use crate::state::{
    add_to_treasury, Attestor, AttributionConfig, BondTotals, Challenge, ChallengeEntry,
    DatanetPool, InfluenceState, RootRecord, VoidedRoot, ATTESTORS, BOND_TOTALS, CHALLENGES,
    CONFIG, DATANETS, INFLUENCE, VOIDED,
};

/// Gives a root challenged under 0.2.0 the `CHALLENGES` entry of its challenger, so that it
/// settles like any other (the caller saves the root).
fn normalise_legacy_challenge(
    storage: &mut dyn Storage,
    datanet_id: DatanetId,
    root: &mut RootRecord,
) -> StdResult<()> {
    if let Some((addr, entry)) = legacy_entry(root) {
        let addr = addr.clone();
        CHALLENGES.save(storage, (datanet_id, &addr), &entry)?;
        root.challengers = 1;
        root.challenge_bonds = entry.bond;
    }
    Ok(())
}

/// What settling one challenge pays.
struct Settlement {
    status: ChallengeStatus,
    /// Bond returned to the challenger (0 if upheld: it went to the treasury).
    bond: Uint128,
    /// Its reward share.
    reward: Uint128,
    /// Rounding dust of the root's reward moved to the treasury (by the last challenger).
    dust: Uint128,
}

/// Settles `challenger`'s `entry` of a root the owner resolved (`voided`: its record if it
/// was voided): removes the entry and, for a voided root, counts the bond and reward share as
/// paid; the last challenger of a voided root moves the rounding dust to the treasury.
fn settle(
    storage: &mut dyn Storage,
    datanet_id: DatanetId,
    challenger: &Addr,
    entry: &ChallengeEntry,
    (status, voided): (ChallengeStatus, Option<VoidedRoot>),
    bonds: &mut BondTotals,
) -> Result<Settlement, ContractError> {
    CHALLENGES.remove(storage, (datanet_id, challenger));
    let Some(mut v) = voided else {
        return Ok(Settlement {
            status,
            bond: Uint128::zero(),
            reward: Uint128::zero(),
            dust: Uint128::zero(),
        });
    };
    let reward = reward_share(&v, entry.bond)?;
    v.reward_left = v.reward_left.checked_sub(reward)?;
    v.challengers_left = v.challengers_left.sub_checked(1)?;
    bonds.challenge_bonds = bonds.challenge_bonds.checked_sub(entry.bond)?;
    bonds.challenge_rewards = bonds.challenge_rewards.checked_sub(reward)?;
    let mut dust = Uint128::zero();
    if v.challengers_left == 0 {
        dust = v.reward_left;
        bonds.challenge_rewards = bonds.challenge_rewards.checked_sub(dust)?;
        add_to_treasury(storage, dust)?;
        VOIDED.remove(storage, (datanet_id, entry.seq));
    } else {
        VOIDED.save(storage, (datanet_id, entry.seq), &v)?;
    }
    Ok(Settlement {
        status,
        bond: entry.bond,
        reward,
        dust,
    })
}

/// Adds the events (and the transfer, if any) of `s` to `res`.
fn settlement_response(
    res: Response,
    token: &Addr,
    challenger: &Addr,
    entry: &ChallengeEntry,
    s: &Settlement,
) -> Result<Response, ContractError> {
    let payout = s.bond.checked_add(s.reward)?;
    let mut res = res
        .add_attribute("settled_epoch", entry.epoch.to_string())
        .add_attribute("settled_outcome", s.status.as_str())
        .add_attribute("bond_returned", s.bond)
        .add_attribute("reward", s.reward)
        .add_attribute("dust_to_treasury", s.dust);
    if !payout.is_zero() {
        res = res.add_message(TokenHandle(token.clone()).transfer(challenger, payout)?);
    }
    Ok(res)
}

/// A `challenge_root` executed directly: a challenge carries a bond, so it only comes through
/// the cw20 hook.
pub fn refuse_unbonded_challenge(deps: DepsMut) -> Result<Response, ContractError> {
    Err(ContractError::ChallengeBondRequired {
        required: AttributionConfig::load(deps.storage)?.challenge_bond,
    })
}

/// The pending root of `epoch`, if it can still be challenged at `now`.
fn challengeable(
    state: &mut InfluenceState,
    datanet_id: DatanetId,
    epoch: u64,
    now: u64,
) -> Result<&mut RootRecord, ContractError> {
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
    // A frozen root takes further challengers only inside its window, and the owner resolves
    // only after it: every share is fixed before the verdict can be seen.
    if now >= pending.claimable_at {
        return Err(ContractError::ChallengeWindowClosed {
            datanet_id,
            epoch,
            closed_at: pending.claimable_at,
        });
    }
    Ok(pending)
}

/// The challenger's earlier challenge in `datanet_id`: of the root `seq`, refused; of a
/// resolved root, settled (paid out) first, so each address keeps at most one entry per
/// datanet.
fn settle_earlier(
    storage: &mut dyn Storage,
    datanet_id: DatanetId,
    (seq, epoch): (u64, u64),
    challenger: &Addr,
    bonds: &mut BondTotals,
    res: Response,
) -> Result<Response, ContractError> {
    let Some(old) = CHALLENGES.may_load(storage, (datanet_id, challenger))? else {
        return Ok(res);
    };
    if old.seq == seq {
        return Err(ContractError::DuplicateChallenge {
            datanet_id,
            epoch,
            challenger: challenger.to_string(),
        });
    }
    let standing = resolved_standing(storage, datanet_id, &old)?;
    let settled = settle(storage, datanet_id, challenger, &old, standing, bonds)?;
    let token = CONFIG.load(storage)?.token;
    settlement_response(res, &token, challenger, &old, &settled)
}

/// The first challenge of a root freezes it: one more open challenge on its attestor, whose
/// stake for it stays reserved until the owner resolves it. (The attestor cannot be removed
/// while a root of it is in its window, so it is there.)
fn freeze_stake(
    storage: &mut dyn Storage,
    attestor: &Addr,
    datanet_id: DatanetId,
    epoch: u64,
) -> Result<(), ContractError> {
    if let Some(mut a) = ATTESTORS.may_load(storage, attestor)? {
        a.open_challenges.increment()?;
        for r in a
            .reservations
            .iter_mut()
            .filter(|r| (r.datanet_id, r.epoch) == (datanet_id, epoch))
        {
            r.challenged = true;
        }
        ATTESTORS.save(storage, attestor, &a)?;
    }
    Ok(())
}

/// `challenge_root` hook: `challenger` challenges the pending root with a bond of `amount`.
/// The first challenge freezes it; later ones (each address once) join it, so an early
/// challenge never shuts honest challengers out.
pub fn challenge_root(
    deps: DepsMut,
    env: Env,
    challenger: Addr,
    amount: Uint128,
    datanet_id: DatanetId,
    epoch: u64,
) -> Result<Response, ContractError> {
    let config = AttributionConfig::load(deps.storage)?;
    if amount < config.challenge_bond {
        return Err(ContractError::ChallengeBondTooLow {
            required: config.challenge_bond,
            sent: amount,
        });
    }
    let (_, mut state) = InfluenceState::load(deps.storage, datanet_id)?;
    let now = env.block.time.seconds();
    state.promote(now);
    let pending = challengeable(&mut state, datanet_id, epoch, now)?;
    normalise_legacy_challenge(deps.storage, datanet_id, pending)?;
    let mut bonds = BondTotals::load(deps.storage)?;
    let res = Response::new()
        .add_attribute("action", "challenge_root")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("challenger", challenger.as_str());
    let res = settle_earlier(
        deps.storage,
        datanet_id,
        (pending.seq, epoch),
        &challenger,
        &mut bonds,
        res,
    )?;
    let first = pending.challenge.is_none();
    if first {
        pending.challenge = Some(Challenge {
            challenger: challenger.clone(),
            bond: amount,
            challenged_at: now,
        });
    }
    pending.challengers.increment()?;
    pending.challenge_bonds = pending.challenge_bonds.checked_add(amount)?;
    let entry = ChallengeEntry {
        seq: pending.seq,
        epoch,
        bond: amount,
        challenged_at: now,
    };
    CHALLENGES.save(deps.storage, (datanet_id, &challenger), &entry)?;
    let attestor = pending.attestor.clone();
    let res = res
        .add_attribute("attestor", attestor.as_str())
        .add_attribute("bond", amount)
        .add_attribute("challengers", pending.challengers.to_string())
        .add_attribute("challenge_bonds", pending.challenge_bonds);
    INFLUENCE.save(deps.storage, datanet_id, &state)?;
    if first {
        freeze_stake(deps.storage, &attestor, datanet_id, epoch)?;
    }
    bonds.challenge_bonds = bonds.challenge_bonds.checked_add(amount)?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(res)
}

/// The root of `epoch` under an open challenge, taken out of `state.pending`, once its
/// window has closed (so nobody can join the challengers, or stay out, knowing the verdict).
fn challenged_root(
    state: &mut InfluenceState,
    datanet_id: DatanetId,
    epoch: u64,
    now: u64,
) -> Result<RootRecord, ContractError> {
    let root = match state.pending.take() {
        Some(p) if p.epoch == epoch && p.challenge.is_some() => p,
        _ => return Err(ContractError::NoOpenChallenge { datanet_id, epoch }),
    };
    if now < root.claimable_at {
        return Err(ContractError::ChallengeWindowOpen {
            datanet_id,
            epoch,
            closes_at: root.claimable_at,
        });
    }
    Ok(root)
}

/// Voids `root`: the attestor loses the stake the root reserved (a 0.2.0 root: up to one
/// configured minimum bond, as then). A bounded share rewards the challengers; the rest goes
/// to the treasury, so challenging one's own root never pays.
fn void_root(
    storage: &mut dyn Storage,
    (datanet_id, pool, state): (DatanetId, &mut DatanetPool, &mut InfluenceState),
    root: &RootRecord,
    attestor: Option<&mut Attestor>,
    bonds: &mut BondTotals,
    res: Response,
) -> Result<Response, ContractError> {
    let slash = match attestor {
        Some(a) => {
            let stake = if root.stake.is_zero() {
                AttributionConfig::load(storage)?.attestor_bond
            } else {
                root.stake
            };
            let s = min(stake, a.bond);
            a.bond = a.bond.checked_sub(s)?;
            s
        }
        None => Uint128::zero(),
    };
    bonds.attestor_bonds = bonds.attestor_bonds.checked_sub(slash)?;
    let reward = apply_bps(slash, CHALLENGER_REWARD_BPS)?;
    let to_treasury = slash.checked_sub(reward)?;
    add_to_treasury(storage, to_treasury)?;
    bonds.challenge_rewards = bonds.challenge_rewards.checked_add(reward)?;
    let voided = VoidedRoot {
        epoch: root.epoch,
        reward,
        bonds: root.challenge_bonds,
        challengers_left: root.challengers,
        reward_left: reward,
    };
    VOIDED.save(storage, (datanet_id, root.seq), &voided)?;
    state.last_voided = Some(root.epoch);
    pool.unallocated = state.total_received.checked_sub(state.allocated())?;
    DATANETS.save(storage, datanet_id, pool)?;
    Ok(res
        .add_attribute("outcome", "void")
        .add_attribute("slashed", slash)
        .add_attribute("challenger_reward", reward)
        .add_attribute("to_treasury", to_treasury))
}

/// `resolve_challenge` (owner only, after the window): voids the challenged root of `epoch`
/// or upholds it (claimable at once; the challengers' bonds go to the treasury).
pub fn resolve_challenge(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
    epoch: u64,
    void: bool,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let (mut pool, mut state) = InfluenceState::load(deps.storage, datanet_id)?;
    let now = env.block.time.seconds();
    let mut root = challenged_root(&mut state, datanet_id, epoch, now)?;
    normalise_legacy_challenge(deps.storage, datanet_id, &mut root)?;
    let mut bonds = BondTotals::load(deps.storage)?;
    let attestor_addr = root.attestor.clone();
    let mut attestor = ATTESTORS.may_load(deps.storage, &attestor_addr)?;
    if let Some(a) = attestor.as_mut() {
        a.open_challenges = a.open_challenges.sub_checked(1)?;
        a.release(datanet_id, epoch);
    }
    let mut res = Response::new()
        .add_attribute("action", "resolve_challenge")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("attestor", root.attestor.as_str())
        .add_attribute("challengers", root.challengers.to_string())
        .add_attribute("challenge_bonds", root.challenge_bonds);
    if void {
        let datanet = (datanet_id, &mut pool, &mut state);
        res = void_root(
            deps.storage,
            datanet,
            &root,
            attestor.as_mut(),
            &mut bonds,
            res,
        )?;
    } else {
        // Upheld: reviewed by the owner, so claimable at once.
        let forfeited = root.challenge_bonds;
        bonds.challenge_bonds = bonds.challenge_bonds.checked_sub(forfeited)?;
        add_to_treasury(deps.storage, forfeited)?;
        root.challenge = None;
        state.claimable = Some(root);
        res = res
            .add_attribute("outcome", "upheld")
            .add_attribute("to_treasury", forfeited);
    }
    if let Some(a) = &attestor {
        ATTESTORS.save(deps.storage, &attestor_addr, a)?;
    }
    INFLUENCE.save(deps.storage, datanet_id, &state)?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(res)
}

/// `withdraw_challenge`: settles the sender's challenge in `datanet_id` once resolved: a
/// voided root pays back the bond and the reward share; an upheld one only removes the entry.
pub fn withdraw_challenge(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let (_, state) = InfluenceState::load(deps.storage, datanet_id)?;
    let entry =
        challenge_entry(deps.storage, datanet_id, &info.sender, &state)?.ok_or_else(|| {
            ContractError::NoChallenge {
                datanet_id,
                address: info.sender.to_string(),
            }
        })?;
    let standing = standing(deps.storage, datanet_id, &entry, &state)?;
    if standing.0 == ChallengeStatus::Open {
        return Err(ContractError::ChallengeNotResolved {
            datanet_id,
            epoch: entry.epoch,
        });
    }
    let mut bonds = BondTotals::load(deps.storage)?;
    let settled = settle(
        deps.storage,
        datanet_id,
        &info.sender,
        &entry,
        standing,
        &mut bonds,
    )?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    let token = CONFIG.load(deps.storage)?.token;
    let res = Response::new()
        .add_attribute("action", "withdraw_challenge")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("challenger", info.sender.as_str());
    settlement_response(res, &token, &info.sender, &entry, &settled)
}
