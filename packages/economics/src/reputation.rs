//! The agent escrow's reputation (`AgentStats::bond_multiplier_bps`, `required_bond` and
//! `Ratings` in the common package, `execute/feedback.rs`): the free bond an agent must hold
//! to accept a task falls with its proven tasks (completed, paying it at least the escrow's
//! minimum bond) and rises with its losses (rulings fully
//! for the client, missed deadlines, rejections that stood), both bounded; a client's rating
//! weighs what the task paid the rated party, and the score is the weighted average.

use openledger_common::msg::agent_escrow::{
    BOND_DISCOUNT_PER_COMPLETED_BPS, BOND_SURCHARGE_PER_LOSS_BPS, MAX_BOND_DISCOUNT_BPS,
    MAX_BOND_SURCHARGE_BPS,
};

use crate::{add, mul, EconomicsError, Result};

/// The whole, in basis points, as the multiplier counts it.
const WHOLE: u128 = 10_000;

/// The free bond an agent must hold to accept a task, in basis points of the task's minimum:
/// 10 000, less 250 per proven task (at most 5 000 off), plus 2 500 per loss (at most
/// 20 000 more).
pub fn bond_multiplier_bps(proven: u64, losses: u64) -> u32 {
    let per = |n: u64, step: u16, max: u16| -> u32 {
        let n = u128::from(n).saturating_mul(u128::from(step));
        n.min(u128::from(max)) as u32
    };
    let discount = per(
        proven,
        BOND_DISCOUNT_PER_COMPLETED_BPS,
        MAX_BOND_DISCOUNT_BPS,
    );
    let surcharge = per(losses, BOND_SURCHARGE_PER_LOSS_BPS, MAX_BOND_SURCHARGE_BPS);
    WHOLE as u32 - discount + surcharge
}

/// The free bond required to accept a task whose minimum is `minimum`, for an agent with
/// `proven` tasks and `losses`: `⌈minimum × multiplier / 10 000⌉`.
pub fn required_bond(minimum: u128, proven: u64, losses: u64) -> Result<u128> {
    let product = mul(minimum, u128::from(bond_multiplier_bps(proven, losses)))?;
    Ok(product.div_ceil(WHOLE))
}

/// Ratings of one party: their count, plain sum, and the sum weighted by what each task paid
/// the rated party, with that weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratings {
    /// Ratings given.
    pub count: u64,
    /// Their sum.
    pub sum: u64,
    /// Σ rating × weight.
    pub weighted_sum: u128,
    /// Σ weight.
    pub weight: u128,
}

impl Ratings {
    /// Adds one rating (0..=100) weighing `weight` (what the task paid the rated party; the
    /// escrow refuses a rating of nothing, `NothingToRate`, and one above 100).
    pub fn rate(&mut self, rating: u8, weight: u128) -> Result<()> {
        if rating > 100 || weight == 0 {
            return Err(EconomicsError::OutOfRange);
        }
        self.count = self
            .count
            .checked_add(1)
            .ok_or(EconomicsError::OutOfRange)?;
        self.sum = self
            .sum
            .checked_add(u64::from(rating))
            .ok_or(EconomicsError::OutOfRange)?;
        self.weighted_sum = add(self.weighted_sum, mul(weight, u128::from(rating))?)?;
        self.weight = add(self.weight, weight)?;
        Ok(())
    }

    /// The weighted average rating, rounded down; `None` before any rating.
    pub fn score(&self) -> Option<u8> {
        self.weighted_sum
            .checked_div(self.weight)
            .and_then(|s| u8::try_from(s).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_record_lowers_the_bond_and_losses_raise_it_both_bounded() {
        assert_eq!(bond_multiplier_bps(0, 0), 10_000);
        assert_eq!(bond_multiplier_bps(4, 0), 9_000);
        assert_eq!(bond_multiplier_bps(20, 0), 5_000);
        assert_eq!(bond_multiplier_bps(u64::MAX, 0), 5_000);
        assert_eq!(bond_multiplier_bps(0, 1), 12_500);
        assert_eq!(bond_multiplier_bps(1, 1), 12_250);
        assert_eq!(bond_multiplier_bps(0, 8), 30_000);
        assert_eq!(bond_multiplier_bps(u64::MAX, u64::MAX), 25_000);
    }

    #[test]
    fn the_required_bond_rounds_up() {
        // 5 000 × 1.225 = 6 125 (one completed task, one loss).
        assert_eq!(required_bond(5_000, 1, 1).unwrap(), 6_125);
        // 3 × 0.975 = 2.925 → 3.
        assert_eq!(required_bond(3, 1, 0).unwrap(), 3);
        assert_eq!(required_bond(0, 0, 5).unwrap(), 0);
        assert_eq!(required_bond(10_001, 0, 0).unwrap(), 10_001);
        assert!(required_bond(u128::MAX, 0, 1).is_err());
    }

    #[test]
    fn a_rating_weighs_what_the_task_paid() {
        let mut r = Ratings::default();
        assert_eq!(r.score(), None);
        r.rate(90, 1_000).unwrap();
        r.rate(10, 3_000).unwrap();
        assert_eq!(
            r,
            Ratings {
                count: 2,
                sum: 100,
                weighted_sum: 120_000,
                weight: 4_000,
            }
        );
        // (90 × 1 000 + 10 × 3 000) / 4 000 = 30: the bigger task counts three times.
        assert_eq!(r.score(), Some(30));
        r.rate(100, 1).unwrap();
        assert_eq!(r.score(), Some(30));
        assert_eq!(r.rate(101, 1), Err(EconomicsError::OutOfRange));
        assert_eq!(r.rate(50, 0), Err(EconomicsError::OutOfRange));
        assert_eq!(r.count, 3);
    }
}
