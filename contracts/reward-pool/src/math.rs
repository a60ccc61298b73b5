//! Reward-per-weight accumulator arithmetic, all checked.
//!
//! A distribution of `amount` over `total` weight raises the accumulator by
//! `⌊amount·SCALE / total⌋`. Each position settles `weight · (acc − index)` in scaled units and
//! is paid whole units, keeping the sub-unit remainder, so:
//! - what can be paid out of one distribution is at most `⌈inc·total / SCALE⌉ ≤ amount`; the
//!   rest (the dust) goes to the treasury at distribution time;
//! - a recipient never loses more than one unit in total, whatever the number of settlements.

use cosmwasm_std::{StdResult, Uint128, Uint256};

use crate::state::Position;

/// 10^18: the accumulator's fixed-point scale.
pub const SCALE: Uint256 = Uint256::from_u128(1_000_000_000_000_000_000);

/// The accumulator increment for `amount` over `total` weight, and the whole units it credits
/// (the rest of `amount` is dust). `total` must be non-zero.
pub fn increment(amount: Uint128, total: Uint128) -> StdResult<(Uint256, Uint128)> {
    let total = Uint256::from(total);
    let inc = Uint256::from(amount)
        .checked_mul(SCALE)?
        .checked_div(total)?;
    let scaled = inc.checked_mul(total)?;
    // Round up: several distributions' fractions can add up to a whole unit that someone may
    // claim, so the credited total must never be below what can be paid.
    let credited = scaled
        .checked_add(SCALE - Uint256::one())?
        .checked_div(SCALE)?;
    Ok((inc, Uint128::try_from(credited)?))
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
            let (inc, c) = increment(Uint128::new(10), total).unwrap();
            acc += inc;
            credited += c;
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
            let (inc, credited) = increment(Uint128::new(amount), Uint128::new(total)).unwrap();
            assert!(credited.u128() <= amount);
            assert!(amount - credited.u128() <= 1, "{amount}/{total}");
            assert!(Uint256::from(total as u64) * inc <= Uint256::from(amount) * SCALE);
        }
        // A stake so large that one unit cannot be represented per unit of stake: all dust.
        let huge = Uint128::new(10u128.pow(30));
        assert_eq!(
            increment(Uint128::new(1), huge).unwrap(),
            (Uint256::zero(), Uint128::zero())
        );
    }
}
