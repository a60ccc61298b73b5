//! Reward-per-weight accumulator and reward-stream arithmetic, all checked.
//!
//! A distribution of `amount` over `total` weight raises the accumulator by
//! `⌊amount·SCALE / total⌋`. Each position settles `weight · (acc − index)` in scaled units and
//! is paid whole units, keeping the sub-unit remainder, so:
//! - what can be paid out of one distribution is at most `⌈inc·total / SCALE⌉ ≤ amount`; the
//!   rest (the dust) goes to the treasury at distribution time, and the scaled part of the
//!   rounding up that nobody holds is counted as unheld (`Credit::unheld_scaled`);
//! - a recipient never loses more than one unit in total, whatever the number of settlements;
//! - a removed position's remainder is counted as unheld too; unheld scaled units move to the
//!   treasury as soon as they add up to whole units (`take_whole`), so what the pool counts as
//!   owed stays exactly `⌈what the positions hold⌉`.
//!
//! The stakers' reward stream (`RewardStream`) releases what stakers allocations brought
//! evenly over time: `release` computes what it released by `now`, `extend` adds a new
//! allocation.

use cosmwasm_std::{StdResult, Uint128, Uint256, Uint64};

use crate::state::{Position, RewardStream, StakingPool};

/// The accumulator's fixed-point scale: `openledger_common::REWARD_SCALE` (10^18).
pub const SCALE: Uint256 = Uint256::from_u128(openledger_common::REWARD_SCALE);

/// One distribution over a pool's weight.
#[derive(Debug, PartialEq)]
pub struct Credit {
    /// The accumulator increment.
    pub inc: Uint256,
    /// Whole units counted as owed (`⌈inc · total / SCALE⌉`); the rest of the amount is dust.
    pub credited: Uint128,
    /// `credited · SCALE − inc · total`: counted as owed, held by no position (below `SCALE`).
    pub unheld_scaled: Uint256,
}

/// The accumulator increment for `amount` over `total` weight, the whole units it credits
/// (the rest of `amount` is dust) and the scaled part of them nobody holds. `total` must be
/// non-zero.
pub fn increment(amount: Uint128, total: Uint128) -> StdResult<Credit> {
    let total = Uint256::from(total);
    let inc = Uint256::from(amount)
        .checked_mul(SCALE)?
        .checked_div(total)?;
    let scaled = inc.checked_mul(total)?;
    // Round up: several distributions' fractions can add up to a whole unit that someone may
    // claim, so the credited total must never be below what can be paid.
    let credited = scaled
        .checked_add(SCALE.checked_sub(Uint256::one())?)?
        .checked_div(SCALE)?;
    let unheld_scaled = credited.checked_mul(SCALE)?.checked_sub(scaled)?;
    Ok(Credit {
        inc,
        credited: Uint128::try_from(credited)?,
        unheld_scaled,
    })
}

/// Takes the whole units out of `scaled` (leaving the sub-unit rest) and returns them.
pub fn take_whole(scaled: &mut Uint256) -> StdResult<Uint128> {
    let units = scaled.checked_div(SCALE)?;
    *scaled = scaled.checked_sub(units.checked_mul(SCALE)?)?;
    Ok(Uint128::try_from(units)?)
}

/// Settles `pos` against the accumulator value `acc`.
pub fn settle(pos: &mut Position, acc: Uint256) -> StdResult<()> {
    let delta = acc.checked_sub(pos.index)?;
    let earned = Uint256::from(pos.weight).checked_mul(delta)?;
    pos.accrued_scaled = pos.accrued_scaled.checked_add(earned)?;
    pos.index = acc;
    Ok(())
}

/// Whole units a settled position can be paid.
pub fn claimable(pos: &Position) -> StdResult<Uint128> {
    Ok(Uint128::try_from(pos.accrued_scaled.checked_div(SCALE)?)?)
}

/// Pays out a settled position: returns the whole units, keeps the remainder.
pub fn take_payout(pos: &mut Position) -> StdResult<Uint128> {
    let units = claimable(pos)?;
    pos.accrued_scaled = pos
        .accrued_scaled
        .checked_sub(Uint256::from(units).checked_mul(SCALE)?)?;
    pos.claimed = pos.claimed.checked_add(units)?;
    Ok(units)
}

/// Releases what `stream` streams up to `now` (whole units; the sub-unit rest is carried):
/// the segment has released `⌊amount_scaled · (min(now, end) − start) / (end − start)⌋` scaled
/// units by `now`, all of it at `end`.
pub fn release(stream: &mut RewardStream, now: u64) -> StdResult<Uint128> {
    let t = now.min(stream.end);
    if t <= stream.start || stream.amount_scaled.is_zero() {
        return Ok(Uint128::zero());
    }
    let elapsed = Uint64::new(t).checked_sub(Uint64::new(stream.start))?;
    let duration = Uint64::new(stream.end).checked_sub(Uint64::new(stream.start))?;
    let emitted = stream
        .amount_scaled
        .checked_mul(Uint256::from(elapsed.u64()))?
        .checked_div(Uint256::from(duration.u64()))?;
    let newly = emitted.checked_sub(stream.emitted_scaled)?;
    stream.emitted_scaled = emitted;
    stream.carry_scaled = stream.carry_scaled.checked_add(newly)?;
    take_whole(&mut stream.carry_scaled)
}

/// What the stream has not released yet, in whole units (exact: everything the stream ever
/// received, minus what it released, is a whole number of units).
pub fn unreleased(stream: &RewardStream) -> StdResult<Uint128> {
    let scaled = stream
        .amount_scaled
        .checked_sub(stream.emitted_scaled)?
        .checked_add(stream.carry_scaled)?;
    Ok(Uint128::try_from(scaled.checked_div(SCALE)?)?)
}

/// Adds `amount` to a stream already released up to `now`. A new segment starts now and ends
/// after the amount-weighted average of the time the unreleased rest had left and `period`,
/// rounded down: `end = now + ⌊(rest · (end − now)⁺ + amount · period) / (rest + amount)⌋`
/// (at least 1 s: `amount` is positive, and a rest is left only before the end).
/// - An allocation releases at most `amount / period` per second on top of the rate already
///   running (the average of the two durations, weighted by amount, is never shorter than
///   what keeps both rates), so a stake made just before it earns at most its time-weighted
///   share of it.
/// - Allocations cannot hold back what was allocated before: while `period` is at least the
///   time the rest has left, the end never moves earlier, and a small allocation (`amount ·
///   (period − left) < rest + amount`) does not move it at all. Restarting the whole rest over
///   a full period at each allocation would let one unit per block stall the stream, and
///   rounding the end up would let many small allocations push it back a second each.
pub fn extend(stream: &mut RewardStream, amount: Uint128, now: u64, period: u64) -> StdResult<()> {
    let rest = stream.amount_scaled.checked_sub(stream.emitted_scaled)?;
    let added = Uint256::from(amount).checked_mul(SCALE)?;
    let total = rest.checked_add(added)?;
    if total.is_zero() {
        return Ok(());
    }
    let left = Uint64::new(stream.end)
        .checked_sub(Uint64::new(now))
        .unwrap_or_default();
    let weighted = rest
        .checked_mul(Uint256::from(left.u64()))?
        .checked_add(added.checked_mul(Uint256::from(period))?)?;
    let duration = Uint64::try_from(weighted.checked_div(total)?)?;
    stream.amount_scaled = total;
    stream.emitted_scaled = Uint256::zero();
    stream.start = now;
    stream.end = Uint64::new(now).checked_add(duration)?.u64();
    Ok(())
}

/// Makes a stream already released up to `now` release its unreleased rest by `end` (earlier
/// than its current end): a new segment of the rest from `now` to `end`; the carried fraction
/// stays.
pub fn shorten(stream: &mut RewardStream, now: u64, end: u64) -> StdResult<()> {
    stream.amount_scaled = stream.amount_scaled.checked_sub(stream.emitted_scaled)?;
    stream.emitted_scaled = Uint256::zero();
    stream.start = now;
    stream.end = end;
    Ok(())
}

/// What one update of the staking pool's stream did.
#[derive(Debug, Default, PartialEq)]
pub struct Streamed {
    /// Whole units the stream released since the last update.
    pub released: Uint128,
    /// Whole units for the treasury: released with nothing staked, accumulator dust, and
    /// unheld remainders that added up to whole units.
    pub to_treasury: Uint128,
}

/// Releases the stakers' stream up to `now` into the reward-per-stake accumulator (with
/// nothing staked, into the treasury). The caller saves the pool and credits the treasury.
pub fn stream_to(staking: &mut StakingPool, now: u64) -> StdResult<Streamed> {
    let released = release(&mut staking.stream, now)?;
    if released.is_zero() {
        return Ok(Streamed::default());
    }
    if staking.total_staked.is_zero() {
        return Ok(Streamed {
            released,
            to_treasury: released,
        });
    }
    let c = increment(released, staking.total_staked)?;
    staking.reward_per_stake = staking.reward_per_stake.checked_add(c.inc)?;
    staking.total_distributed = staking.total_distributed.checked_add(c.credited)?;
    let forfeited = forfeit_staker_remainder(staking, c.unheld_scaled)?;
    Ok(Streamed {
        released,
        to_treasury: released.checked_sub(c.credited)?.checked_add(forfeited)?,
    })
}

/// Counts `scaled` as held by no staker; returns the whole units that thereby leave the
/// stakers' liability for the treasury.
pub fn forfeit_staker_remainder(staking: &mut StakingPool, scaled: Uint256) -> StdResult<Uint128> {
    staking.dropped_scaled = staking.dropped_scaled.checked_add(scaled)?;
    let units = take_whole(&mut staking.dropped_scaled)?;
    staking.total_forfeited = staking.total_forfeited.checked_add(units)?;
    Ok(units)
}

/// The stakers' rewards the pool owes: released, not claimed, not forfeited.
pub fn staking_rewards_owed(staking: &StakingPool) -> StdResult<Uint128> {
    Ok(staking
        .total_distributed
        .checked_sub(staking.total_claimed)?
        .checked_sub(staking.total_forfeited)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_way_split_loses_nothing_over_time() {
        // 10 units over weights 1+1+1, three times: each holder is owed 10 in total.
        let total = Uint128::new(3);
        let mut acc = Uint256::zero();
        let mut credited = Uint128::zero();
        for _ in 0..3 {
            let c = increment(Uint128::new(10), total).unwrap();
            acc += c.inc;
            credited += c.credited;
        }
        assert_eq!(credited, Uint128::new(30));
        let mut pos = Position {
            weight: Uint128::one(),
            ..Position::default()
        };
        settle(&mut pos, acc).unwrap();
        assert_eq!(take_payout(&mut pos).unwrap(), Uint128::new(9));
        // 0.999… units remain attributed to the holder, below one unit.
        assert!(pos.accrued_scaled < SCALE);
    }

    #[test]
    fn credited_never_exceeds_amount_and_dust_is_tiny() {
        for (amount, total) in [(1u128, 3u128), (7, 2), (1_000_000, 999_983), (5, 1)] {
            let c = increment(Uint128::new(amount), Uint128::new(total)).unwrap();
            assert!(c.credited.u128() <= amount);
            assert!(amount - c.credited.u128() <= 1, "{amount}/{total}");
            assert!(Uint256::from(total as u64) * c.inc <= Uint256::from(amount) * SCALE);
            assert_eq!(
                Uint256::from(c.credited) * SCALE,
                Uint256::from(total as u64) * c.inc + c.unheld_scaled
            );
            assert!(c.unheld_scaled < SCALE);
        }
        // A stake so large that one unit cannot be represented per unit of stake: all dust.
        let huge = Uint128::new(10u128.pow(30));
        assert_eq!(
            increment(Uint128::new(1), huge).unwrap(),
            Credit {
                inc: Uint256::zero(),
                credited: Uint128::zero(),
                unheld_scaled: Uint256::zero()
            }
        );
    }

    fn stream(amount: u128, start: u64, end: u64) -> RewardStream {
        RewardStream {
            amount_scaled: Uint256::from(amount) * SCALE,
            start,
            end,
            ..RewardStream::default()
        }
    }

    #[test]
    fn a_stream_releases_the_floor_of_its_linear_schedule_and_everything_at_its_end() {
        let mut s = stream(100_000, 1_000, 1_000 + 604_800);
        assert_eq!(release(&mut s, 1_000).unwrap(), Uint128::zero());
        // 5 s: 0.826… units; nothing whole yet, the fraction is carried.
        assert_eq!(release(&mut s, 1_005).unwrap(), Uint128::zero());
        // 1 h: ⌊100 000 · 3 600 / 604 800⌋ = 595 in total.
        assert_eq!(release(&mut s, 4_600).unwrap(), Uint128::new(595));
        assert_eq!(unreleased(&s).unwrap(), Uint128::new(100_000 - 595));
        assert_eq!(
            release(&mut s, 1_000 + 604_800 + 99).unwrap(),
            Uint128::new(100_000 - 595)
        );
        assert_eq!(unreleased(&s).unwrap(), Uint128::zero());
        assert_eq!(s.carry_scaled, Uint256::zero());
        // An empty or finished stream releases nothing.
        assert_eq!(release(&mut s, u64::MAX).unwrap(), Uint128::zero());
        assert_eq!(
            release(&mut RewardStream::default(), 7).unwrap(),
            Uint128::zero()
        );
    }

    #[test]
    fn extending_averages_the_remaining_time_by_amount() {
        // Fresh: the full period.
        let mut s = RewardStream::default();
        extend(&mut s, Uint128::new(1_000), 50, 100).unwrap();
        assert_eq!((s.start, s.end), (50, 150));
        // Half-way, 500 left with 50 s to go, 500 more over a 100 s period: ⌊(500·50 +
        // 500·100) / 1 000⌋ = 75 s.
        assert_eq!(release(&mut s, 100).unwrap(), Uint128::new(500));
        extend(&mut s, Uint128::new(500), 100, 100).unwrap();
        assert_eq!((s.start, s.end), (100, 175));
        assert_eq!(unreleased(&s).unwrap(), Uint128::new(1_000));
        // One unit on top of a large rest does not move the end: ⌊(1 000·75 + 1·100) / 1 001⌋
        // = 75 s, however many such units arrive.
        for _ in 0..1_000 {
            extend(&mut s, Uint128::new(1), 100, 100).unwrap();
        }
        assert_eq!(s.end, 100 + 75);
        assert_eq!(unreleased(&s).unwrap(), Uint128::new(2_000));
        // Past the end, everything was released: a new amount streams over the full period.
        assert_eq!(release(&mut s, 500).unwrap(), Uint128::new(2_000));
        extend(&mut s, Uint128::new(3), 500, 100).unwrap();
        assert_eq!((s.start, s.end), (500, 600));
    }

    #[test]
    fn the_carried_fraction_survives_an_extension() {
        // 10 units over 4 s: 2.5 per second. After 1 s: 2 whole, 0.5 carried; a new unit at
        // that moment keeps the half unit, which is released with the next whole one.
        let mut s = stream(10, 0, 4);
        assert_eq!(release(&mut s, 1).unwrap(), Uint128::new(2));
        assert_eq!(s.carry_scaled, SCALE / Uint256::from(2u8));
        extend(&mut s, Uint128::new(1), 1, 4).unwrap();
        assert_eq!(unreleased(&s).unwrap(), Uint128::new(9));
        let mut total = Uint128::new(2);
        for t in 2..=s.end {
            total += release(&mut s, t).unwrap();
        }
        assert_eq!(total, Uint128::new(11));
        assert_eq!(unreleased(&s).unwrap(), Uint128::zero());
    }
}
