//! Version-scoped rewards of one weight-mode datanet, as the reward pool computes them: every
//! published version freezes its contributors' weights in an [`Accumulator`] of its own, and a
//! fee for a version is spread over that version's weights only. A holder is owed the sum of
//! what it earned in every version, in scaled units, paid in whole units.
//!
//! The pool gets the same figures with one range per run of versions in which a holder's weight
//! did not change (`weight · Σ increments` equals `Σ weight · increment` exactly), so this model
//! checks it to the unit.

use std::collections::BTreeMap;

use crate::accumulator::{Accumulator, Credit};
use crate::{EconomicsError, Result, REWARD_SCALE};

/// The versions of one datanet, the weights of its next version and what each holder claimed.
#[derive(Clone, Debug, Default)]
pub struct VersionedRewards<K: Ord + Clone = String> {
    /// The weights the next published version will freeze.
    pub next: BTreeMap<K, u128>,
    /// Published versions, version 1 first.
    pub versions: Vec<Accumulator<K>>,
    /// Whole units each holder has claimed.
    pub claimed: BTreeMap<K, u128>,
}

impl<K: Ord + Clone + std::fmt::Display> VersionedRewards<K> {
    /// Sets `holder`'s weight for the next version (0 removes it).
    pub fn set_weight(&mut self, holder: K, weight: u128) {
        if weight == 0 {
            self.next.remove(&holder);
        } else {
            self.next.insert(holder, weight);
        }
    }

    /// Publishes the next version; returns its number (from 1).
    pub fn publish(&mut self) -> Result<u32> {
        self.versions
            .push(Accumulator::with_weights(self.next.clone())?);
        u32::try_from(self.versions.len()).map_err(|_| EconomicsError::OutOfRange)
    }

    /// Credits `amount` to the holders of `version` (the latest when `None`). With no
    /// published version, or no weight in it, everything is dust (the treasury's).
    pub fn distribute(&mut self, version: Option<u32>, amount: u128) -> Result<Credit> {
        let index = match version {
            Some(v) => usize::try_from(v)
                .ok()
                .and_then(|v| v.checked_sub(1))
                .filter(|i| *i < self.versions.len())
                .ok_or(EconomicsError::UnknownVersion { version: v })?,
            None if self.versions.is_empty() => {
                return Ok(Credit {
                    dust: amount,
                    ..Credit::default()
                })
            }
            None => self.versions.len() - 1,
        };
        self.versions[index].distribute(amount)
    }

    /// What `holder` earned in every version, scaled.
    pub fn earned_scaled(&self, holder: &K) -> Result<u128> {
        self.versions
            .iter()
            .filter(|acc| acc.weights.contains_key(holder))
            .try_fold(0u128, |sum, acc| {
                crate::add(sum, acc.earned_scaled(holder)?)
            })
    }

    /// What `holder` can claim now, in whole units.
    pub fn claimable(&self, holder: &K) -> Result<u128> {
        let earned = self.earned_scaled(holder)? / REWARD_SCALE;
        let claimed = self.claimed.get(holder).copied().unwrap_or_default();
        earned
            .checked_sub(claimed)
            .ok_or(EconomicsError::OutOfRange)
    }

    /// Pays `holder` what it can claim now; returns it.
    pub fn claim(&mut self, holder: &K) -> Result<u128> {
        let paid = self.claimable(holder)?;
        let claimed = self.claimed.entry(holder.clone()).or_default();
        *claimed = crate::add(*claimed, paid)?;
        Ok(paid)
    }

    /// Whole units credited over all versions.
    pub fn credited(&self) -> Result<u128> {
        self.versions
            .iter()
            .try_fold(0u128, |sum, acc| crate::add(sum, acc.credited))
    }

    /// The holders of `version`.
    pub fn holders(&self, version: u32) -> Vec<K> {
        usize::try_from(version)
            .ok()
            .and_then(|v| v.checked_sub(1))
            .and_then(|i| self.versions.get(i))
            .map(|acc| acc.weights.keys().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_reach_exactly_the_holders_of_their_version() {
        let mut d: VersionedRewards = VersionedRewards::default();
        d.set_weight("alice".into(), 1);
        assert_eq!(d.publish().unwrap(), 1);
        d.set_weight("bob".into(), 3);
        d.publish().unwrap();
        d.set_weight("alice".into(), 0);
        d.set_weight("carol".into(), 1);
        d.publish().unwrap();
        for (version, amount) in [(1, 10), (2, 40), (3, 40), (1, 8)] {
            d.distribute(Some(version), amount).unwrap();
        }
        let claim = |d: &mut VersionedRewards, who: &str| d.claim(&who.to_string()).unwrap();
        assert_eq!(
            (
                claim(&mut d, "alice"),
                claim(&mut d, "bob"),
                claim(&mut d, "carol")
            ),
            (28, 60, 10)
        );
        assert_eq!(d.credited().unwrap(), 98);
        assert_eq!(
            d.distribute(Some(4), 1).unwrap_err(),
            EconomicsError::UnknownVersion { version: 4 }
        );
        assert_eq!(d.holders(3), vec!["bob".to_string(), "carol".to_string()]);
    }

    #[test]
    fn without_a_version_everything_is_dust() {
        let mut d: VersionedRewards = VersionedRewards::default();
        d.set_weight("alice".into(), 5);
        assert_eq!(d.distribute(None, 7).unwrap().dust, 7);
        assert_eq!(d.claimable(&"alice".to_string()).unwrap(), 0);
    }
}
