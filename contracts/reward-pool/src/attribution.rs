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

use std::cmp::{max, min};

use cosmwasm_std::{
    Addr, DepsMut, Env, HexBinary, MessageInfo, OverflowError, OverflowOperation, Response,
    StdError, StdResult, Storage, Uint128, Uint256,
};
use openledger_common::attribution::DatanetId;
use openledger_common::bps::apply_bps;
use openledger_common::handles::TokenHandle;
use openledger_common::merkle::{self, Hash};
use openledger_common::msg::reward_pool::{
    AttributionMode, ChallengeStatus, CHALLENGER_REWARD_BPS, MAX_ATTESTOR_PENDING_ROOTS,
    MAX_ATTESTOR_UPDATES, MAX_CHALLENGE_WINDOW, MAX_PROOF_LEN, MIN_CHALLENGE_WINDOW,
};
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{
    attribution_config, bond_totals, influence_state, Attestor, BondTotals, Challenge,
    ChallengeEntry, DatanetPool, InfluenceState, Reservation, RootRecord, VoidedRoot, ATTESTORS,
    ATTRIBUTION_CLAIMED, ATTRIBUTION_CONFIG, BOND_TOTALS, CHALLENGES, CONFIG, DATANETS, INFLUENCE,
    TOTALS, TREASURY, VOIDED,
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

fn one_more(n: u32) -> Result<u32, ContractError> {
    n.checked_add(1)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Add).into())
}

/// The entry a root challenged under 0.2.0 would have: its single challenger and that
/// challenge (such a root has `challenge` set and no `CHALLENGES` entry until normalised).
fn legacy_entry(root: &RootRecord) -> Option<(&Addr, ChallengeEntry)> {
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
fn resolved_standing(
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

impl Settlement {
    fn payout(&self) -> Result<Uint128, ContractError> {
        Ok(self.bond.checked_add(self.reward)?)
    }
}

/// Settles `challenger`'s `entry` of a root the owner resolved (`voided`: its record if it
/// was voided): removes the entry and, for a voided root, counts the bond and reward share as
/// paid; the last challenger of a voided root moves the rounding dust to the treasury.
fn settle(
    storage: &mut dyn Storage,
    datanet_id: DatanetId,
    challenger: &Addr,
    entry: &ChallengeEntry,
    status: ChallengeStatus,
    voided: Option<VoidedRoot>,
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
    v.challengers_left = one_less(v.challengers_left)?;
    bonds.challenge_bonds = bonds.challenge_bonds.checked_sub(entry.bond)?;
    bonds.challenge_rewards = bonds.challenge_rewards.checked_sub(reward)?;
    let mut dust = Uint128::zero();
    if v.challengers_left == 0 {
        dust = v.reward_left;
        bonds.challenge_rewards = bonds.challenge_rewards.checked_sub(dust)?;
        if !dust.is_zero() {
            TREASURY.update(storage, |t| -> StdResult<_> { Ok(t.checked_add(dust)?) })?;
        }
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
    let status = match s.status {
        ChallengeStatus::Open => "open",
        ChallengeStatus::Void => "void",
        ChallengeStatus::Upheld => "upheld",
    };
    let payout = s.payout()?;
    let mut res = res
        .add_attribute("settled_epoch", entry.epoch.to_string())
        .add_attribute("settled_outcome", status)
        .add_attribute("bond_returned", s.bond)
        .add_attribute("reward", s.reward)
        .add_attribute("dust_to_treasury", s.dust);
    if !payout.is_zero() {
        res = res.add_message(TokenHandle(token.clone()).transfer(challenger, payout)?);
    }
    Ok(res)
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
    let now = env.block.time.seconds();
    if root.len() != 32 {
        return Err(ContractError::InvalidRoot { len: root.len() });
    }
    let (mut pool, mut state) = load_influence(deps.storage, datanet_id)?;
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
    // Every root that can still be slashed keeps its stake reserved: a bond backing several
    // roots can pay every slash in full.
    attestor.prune(now);
    let (pending_roots, reserved) = attestor.reserved(now)?;
    let required = reserved.checked_add(config.attestor_bond)?;
    if attestor.bond < required {
        return Err(ContractError::AttestorBondTooLow {
            address: info.sender.to_string(),
            required,
            bonded: attestor.bond,
            reserved,
        });
    }
    if pending_roots >= MAX_ATTESTOR_PENDING_ROOTS {
        return Err(ContractError::TooManyPendingRoots {
            address: info.sender.to_string(),
            max: MAX_ATTESTOR_PENDING_ROOTS,
        });
    }
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
    let claimable_at = now
        .checked_add(config.challenge_window)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Add))?;
    let seq = state
        .roots_posted
        .checked_add(1)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Add))?;
    state.roots_posted = seq;
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

/// A `challenge_root` executed directly: a challenge carries a bond, so it only comes through
/// the cw20 hook.
pub fn refuse_unbonded_challenge(deps: DepsMut) -> Result<Response, ContractError> {
    Err(ContractError::ChallengeBondRequired {
        required: attribution_config(deps.storage)?.challenge_bond,
    })
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
    // A frozen root takes further challengers only inside its window, and the owner resolves
    // only after it: every share is fixed before the verdict can be seen.
    if now >= pending.claimable_at {
        return Err(ContractError::ChallengeWindowClosed {
            datanet_id,
            epoch,
            closed_at: pending.claimable_at,
        });
    }
    normalise_legacy_challenge(deps.storage, datanet_id, pending)?;
    let mut bonds = bond_totals(deps.storage)?;
    let mut res = Response::new()
        .add_attribute("action", "challenge_root")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("challenger", challenger.as_str());
    // The address's earlier challenge in this datanet: of this root, refused; of a resolved
    // root, settled (paid out) first, so each address keeps at most one entry per datanet.
    if let Some(old) = CHALLENGES.may_load(deps.storage, (datanet_id, &challenger))? {
        if old.seq == pending.seq {
            return Err(ContractError::DuplicateChallenge {
                datanet_id,
                epoch,
                challenger: challenger.to_string(),
            });
        }
        let (status, voided) = resolved_standing(deps.storage, datanet_id, &old)?;
        let settled = settle(
            deps.storage,
            datanet_id,
            &challenger,
            &old,
            status,
            voided,
            &mut bonds,
        )?;
        let token = CONFIG.load(deps.storage)?.token;
        res = settlement_response(res, &token, &challenger, &old, &settled)?;
    }
    let first = pending.challenge.is_none();
    if first {
        pending.challenge = Some(Challenge {
            challenger: challenger.clone(),
            bond: amount,
            challenged_at: now,
        });
    }
    pending.challengers = one_more(pending.challengers)?;
    pending.challenge_bonds = pending.challenge_bonds.checked_add(amount)?;
    CHALLENGES.save(
        deps.storage,
        (datanet_id, &challenger),
        &ChallengeEntry {
            seq: pending.seq,
            epoch,
            bond: amount,
            challenged_at: now,
        },
    )?;
    let attestor_addr = pending.attestor.clone();
    res = res
        .add_attribute("attestor", attestor_addr.as_str())
        .add_attribute("bond", amount)
        .add_attribute("challengers", pending.challengers.to_string())
        .add_attribute("challenge_bonds", pending.challenge_bonds);
    INFLUENCE.save(deps.storage, datanet_id, &state)?;
    // The first challenge freezes the root: one more open challenge on the attestor, whose
    // stake for it stays reserved until the owner resolves it. (The attestor cannot be
    // removed while a root of it is in its window, so it is there.)
    if first {
        if let Some(mut a) = ATTESTORS.may_load(deps.storage, &attestor_addr)? {
            a.open_challenges = one_more(a.open_challenges)?;
            for r in a
                .reservations
                .iter_mut()
                .filter(|r| (r.datanet_id, r.epoch) == (datanet_id, epoch))
            {
                r.challenged = true;
            }
            ATTESTORS.save(deps.storage, &attestor_addr, &a)?;
        }
    }
    bonds.challenge_bonds = bonds.challenge_bonds.checked_add(amount)?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(res)
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
    let mut root = match state.pending.take() {
        Some(p) if p.epoch == epoch && p.challenge.is_some() => p,
        _ => return Err(ContractError::NoOpenChallenge { datanet_id, epoch }),
    };
    // Resolved only once the window has closed, so nobody can join the challengers (or stay
    // out) knowing the verdict.
    let now = env.block.time.seconds();
    if now < root.claimable_at {
        return Err(ContractError::ChallengeWindowOpen {
            datanet_id,
            epoch,
            closes_at: root.claimable_at,
        });
    }
    normalise_legacy_challenge(deps.storage, datanet_id, &mut root)?;
    let mut bonds = bond_totals(deps.storage)?;
    let attestor_addr = root.attestor.clone();
    let mut attestor = ATTESTORS.may_load(deps.storage, &attestor_addr)?;
    if let Some(a) = attestor.as_mut() {
        a.open_challenges = one_less(a.open_challenges)?;
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
        // The attestor loses the stake the root reserved (a 0.2.0 root: up to one configured
        // minimum bond, as then). A bounded share rewards the challengers; the rest goes to
        // the treasury, so challenging one's own root never pays.
        let slash = match attestor.as_mut() {
            Some(a) => {
                let stake = if root.stake.is_zero() {
                    attribution_config(deps.storage)?.attestor_bond
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
        TREASURY.update(deps.storage, |t| -> StdResult<_> {
            Ok(t.checked_add(to_treasury)?)
        })?;
        bonds.challenge_rewards = bonds.challenge_rewards.checked_add(reward)?;
        VOIDED.save(
            deps.storage,
            (datanet_id, root.seq),
            &VoidedRoot {
                epoch,
                reward,
                bonds: root.challenge_bonds,
                challengers_left: root.challengers,
                reward_left: reward,
            },
        )?;
        state.last_voided = Some(epoch);
        pool.unallocated = state.total_received.checked_sub(state.allocated())?;
        DATANETS.save(deps.storage, datanet_id, &pool)?;
        res = res
            .add_attribute("outcome", "void")
            .add_attribute("slashed", slash)
            .add_attribute("challenger_reward", reward)
            .add_attribute("to_treasury", to_treasury);
    } else {
        // Upheld: reviewed by the owner, so claimable at once.
        let forfeited = root.challenge_bonds;
        bonds.challenge_bonds = bonds.challenge_bonds.checked_sub(forfeited)?;
        TREASURY.update(deps.storage, |t| -> StdResult<_> {
            Ok(t.checked_add(forfeited)?)
        })?;
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

/// Settles the sender's challenge in `datanet_id` once resolved: a voided root pays back the
/// bond and the reward share; an upheld one only removes the entry.
pub fn withdraw_challenge(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let (_, state) = load_influence(deps.storage, datanet_id)?;
    let entry =
        challenge_entry(deps.storage, datanet_id, &info.sender, &state)?.ok_or_else(|| {
            ContractError::NoChallenge {
                datanet_id,
                address: info.sender.to_string(),
            }
        })?;
    let (status, voided) = standing(deps.storage, datanet_id, &entry, &state)?;
    if status == ChallengeStatus::Open {
        return Err(ContractError::ChallengeNotResolved {
            datanet_id,
            epoch: entry.epoch,
        });
    }
    let mut bonds = bond_totals(deps.storage)?;
    let settled = settle(
        deps.storage,
        datanet_id,
        &info.sender,
        &entry,
        status,
        voided,
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
