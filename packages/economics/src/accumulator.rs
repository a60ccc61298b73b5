//! The reward pool's reward-per-weight accumulator (`contracts/reward-pool/src/math.rs`), on
//! `u128`: a distribution of `amount` over `total` weight raises the accumulator by
//! `⌊amount · REWARD_SCALE / total⌋`, credits `⌈inc · total / REWARD_SCALE⌉` whole units as
//! owed and leaves the rest of the amount as dust for the treasury; a position settles
//! `weight · (acc − index)` scaled units and is paid whole units, keeping the remainder.
//!
//! [`pro_rata_scaled`] is the exact share a holder is entitled to, without the accumulator's
//! rounding: what the property tests hold the pool's payouts against.

use std::collections::BTreeMap;

use cosmwasm_std::{Uint128, Uint256};

use crate::{EconomicsError, Result, REWARD_SCALE};

/// One distribution over a pool's weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Credit {
    /// The accumulator increment (scaled).
    pub inc: u128,
    /// Whole units counted as owed (`⌈inc · total / REWARD_SCALE⌉`).
    pub credited: u128,
    /// The rest of the amount, for the treasury.
    pub dust: u128,
    /// `credited · REWARD_SCALE − inc · total`: counted as owed, held by no position.
    pub unheld_scaled: u128,
}

/// The increment for `amount` over `total` weight, the units it credits, the dust and the
/// scaled part nobody holds, as the pool computes them. `total` must be non-zero.
pub fn increment(amount: u128, total: u128) -> Result<Credit> {
    let scale = Uint256::from(REWARD_SCALE);
    let total = Uint256::from(total);
    let inc = Uint256::from(amount)
        .checked_mul(scale)?
        .checked_div(total)?;
    let scaled = inc.checked_mul(total)?;
    let credited = scaled
        .checked_add(scale.checked_sub(Uint256::one())?)?
        .checked_div(scale)?;
    let unheld_scaled = credited.checked_mul(scale)?.checked_sub(scaled)?;
    let credited = Uint128::try_from(credited)?.u128();
    Ok(Credit {
        inc: Uint128::try_from(inc)?.u128(),
        credited,
        dust: crate::sub(amount, credited)?,
        unheld_scaled: Uint128::try_from(unheld_scaled)?.u128(),
    })
}

/// The exact share of `amount` for `weight` of `total`, scaled by [`REWARD_SCALE`] and
/// rounded down once: `⌊amount · REWARD_SCALE · weight / total⌋`. `total` must be non-zero.
pub fn pro_rata_scaled(amount: u128, weight: u128, total: u128) -> Result<Uint256> {
    Ok(Uint256::from(amount)
        .checked_mul(Uint256::from(REWARD_SCALE))?
        .checked_mul(Uint256::from(weight))?
        .checked_div(Uint256::from(total))?)
}

/// A holder's position in an accumulator: weight, the accumulator value it was settled at,
/// and what it earned, in scaled units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// The holder's weight (or stake).
    pub weight: u128,
    /// The accumulator value at the last settlement.
    pub index: u128,
    /// Earned and not paid, scaled.
    pub accrued_scaled: u128,
}

impl Position {
    /// Settles the position against the accumulator value `acc`.
    pub fn settle(&mut self, acc: u128) -> Result<()> {
        let delta = crate::sub(acc, self.index)?;
        let earned = crate::mul(self.weight, delta)?;
        self.accrued_scaled = crate::add(self.accrued_scaled, earned)?;
        self.index = acc;
        Ok(())
    }

    /// Whole units a settled position can be paid.
    pub fn claimable(&self) -> u128 {
        self.accrued_scaled / REWARD_SCALE
    }

    /// Pays out a settled position: returns the whole units, keeps the remainder.
    pub fn take_payout(&mut self) -> u128 {
        let units = self.claimable();
        self.accrued_scaled %= REWARD_SCALE;
        units
    }
}

/// A reward-per-weight accumulator with fixed holders: a datanet's contributors or the
/// stakers, keyed by `K`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accumulator<K: Ord = String> {
    /// Total weight.
    pub total: u128,
    /// Reward per weight since the start, scaled.
    pub acc: u128,
    /// Each holder's weight.
    pub weights: BTreeMap<K, u128>,
    /// Whole units credited to the holders since the start.
    pub credited: u128,
}

impl<K: Ord> Default for Accumulator<K> {
    fn default() -> Self {
        Accumulator {
            total: 0,
            acc: 0,
            weights: BTreeMap::new(),
            credited: 0,
        }
    }
}

impl<K: Ord + std::fmt::Display> Accumulator<K> {
    /// An accumulator over `weights` (the total is their sum).
    pub fn with_weights(weights: BTreeMap<K, u128>) -> Result<Self> {
        let total = weights.values().try_fold(0u128, |t, w| crate::add(t, *w))?;
        Ok(Accumulator {
            total,
            weights,
            ..Accumulator::default()
        })
    }

    /// Credits `amount` to the holders. With no weight, nothing is credited and all of it is
    /// dust (the pool gives it to the treasury).
    pub fn distribute(&mut self, amount: u128) -> Result<Credit> {
        if self.total == 0 {
            return Ok(Credit {
                dust: amount,
                ..Credit::default()
            });
        }
        let c = increment(amount, self.total)?;
        self.acc = crate::add(self.acc, c.inc)?;
        self.credited = crate::add(self.credited, c.credited)?;
        Ok(c)
    }

    /// What `holder` earned since the start, scaled (`weight · acc`).
    pub fn earned_scaled<Q>(&self, holder: &Q) -> Result<u128>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + std::fmt::Display + ?Sized,
    {
        let w = *self
            .weights
            .get(holder)
            .ok_or_else(|| EconomicsError::UnknownHolder {
                holder: holder.to_string(),
            })?;
        crate::mul(w, self.acc)
    }

    /// What `holder` can be paid since the start, in whole units.
    pub fn earned<Q>(&self, holder: &Q) -> Result<u128>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + std::fmt::Display + ?Sized,
    {
        Ok(self.earned_scaled(holder)? / REWARD_SCALE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reward_pool::math;
    use reward_pool::state::Position as PoolPosition;

    #[test]
    fn three_distributions_over_three_holders_lose_at_most_one_unit_each() {
        // The pool's own example: 10 units over weights 1 + 1 + 1, three times.
        let mut acc: Accumulator = Accumulator::with_weights(BTreeMap::from([
            ("a".to_string(), 1),
            ("b".to_string(), 1),
            ("c".to_string(), 1),
        ]))
        .unwrap();
        for _ in 0..3 {
            let c = acc.distribute(10).unwrap();
            assert_eq!(
                (c.inc, c.credited, c.dust),
                (3_333_333_333_333_333_333, 10, 0)
            );
            assert_eq!(c.unheld_scaled, 1);
        }
        assert_eq!(acc.credited, 30);
        assert_eq!(acc.earned("a").unwrap(), 9);
        let mut pos = Position {
            weight: 1,
            ..Position::default()
        };
        pos.settle(acc.acc).unwrap();
        assert_eq!(pos.take_payout(), 9);
        assert_eq!(pos.accrued_scaled, 999_999_999_999_999_999);
        assert_eq!(
            acc.earned("d"),
            Err(EconomicsError::UnknownHolder {
                holder: "d".to_string()
            })
        );
    }

    #[test]
    fn credits_round_up_and_the_rest_is_dust() {
        // The load run's figures.
        let credited = |amount, total| increment(amount, total).unwrap().credited;
        assert_eq!(credited(500, 500), 500);
        assert_eq!(credited(200, 3), 200);
        assert_eq!(credited(1, 3), 1);
        assert_eq!(credited(200, 7 * REWARD_SCALE), 196);
        assert_eq!(increment(200, 7 * REWARD_SCALE).unwrap().dust, 4);
        // A weight so large that one unit cannot be represented per unit of weight.
        assert_eq!(
            increment(1, 10u128.pow(30)).unwrap(),
            Credit {
                dust: 1,
                ..Credit::default()
            }
        );
        // Nothing to pay: all of it is dust.
        let mut empty: Accumulator = Accumulator::default();
        assert_eq!(
            empty.distribute(7).unwrap(),
            Credit {
                dust: 7,
                ..Credit::default()
            }
        );
        assert_eq!(empty.acc, 0);
        assert!(matches!(
            increment(1, 0),
            Err(EconomicsError::DivideByZero(_))
        ));
    }

    #[test]
    fn increments_match_the_pools_arithmetic() {
        for amount in [0u128, 1, 7, 999, 1_000, 123_457, 10u128.pow(12)] {
            for total in [1u128, 2, 3, 7, 1_000, 999_983, 7 * REWARD_SCALE] {
                let ours = increment(amount, total).unwrap();
                let pool = math::increment(Uint128::new(amount), Uint128::new(total)).unwrap();
                assert_eq!(Uint256::from(ours.inc), pool.inc, "{amount}/{total}");
                assert_eq!(ours.credited, pool.credited.u128(), "{amount}/{total}");
                assert_eq!(Uint256::from(ours.unheld_scaled), pool.unheld_scaled);
                assert_eq!(ours.credited + ours.dust, amount);
            }
        }
    }

    #[test]
    fn positions_settle_and_pay_as_the_pools_do() {
        let mut ours = Position {
            weight: 3,
            ..Position::default()
        };
        let mut pool = PoolPosition {
            weight: Uint128::new(3),
            ..PoolPosition::default()
        };
        let mut acc = 0u128;
        for (amount, total) in [(10u128, 7u128), (1, 7), (1_000, 11), (5, 3)] {
            acc += increment(amount, total).unwrap().inc;
            ours.settle(acc).unwrap();
            math::settle(&mut pool, Uint256::from(acc)).unwrap();
            assert_eq!(Uint256::from(ours.accrued_scaled), pool.accrued_scaled);
            assert_eq!(ours.claimable(), math::claimable(&pool).unwrap().u128());
            assert_eq!(
                ours.take_payout(),
                math::take_payout(&mut pool).unwrap().u128()
            );
            assert_eq!(Uint256::from(ours.accrued_scaled), pool.accrued_scaled);
        }
    }

    #[test]
    fn the_exact_share_rounds_down_once() {
        // 10 over 1 of 3: 3.333… units.
        assert_eq!(
            pro_rata_scaled(10, 1, 3).unwrap(),
            Uint256::from(3_333_333_333_333_333_333u128)
        );
        assert_eq!(
            pro_rata_scaled(1_000, 60, 100).unwrap(),
            Uint256::from(600 * REWARD_SCALE)
        );
        assert!(matches!(
            pro_rata_scaled(1, 1, 0),
            Err(EconomicsError::DivideByZero(_))
        ));
    }
}
