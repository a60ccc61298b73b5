//! Attribution vectors: how one paid inference is attributed over a model's lineage datanets.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{StdResult, Uint128};
use thiserror::Error;

use crate::bps::{apply_bps, Bps, BPS_DENOMINATOR};

/// Datanet ids are assigned by the datanet registry, from 1 upwards.
pub type DatanetId = u64;

/// The most datanets one attribution vector (or a model's lineage) may name.
pub const MAX_ATTRIBUTION_ENTRIES: usize = 16;

/// One datanet's share of an inference.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct AttributionShare {
    /// The datanet credited.
    pub datanet_id: DatanetId,
    /// Its share in basis points (1..=10 000).
    pub weight_bps: Bps,
}

/// An attribution vector: 1..=16 distinct datanets whose shares sum to exactly 10 000 bps.
#[cw_serde]
pub struct Attribution(pub Vec<AttributionShare>);

#[derive(Error, Debug, PartialEq)]
pub enum AttributionError {
    #[error("attribution names {count} datanets; it must name between 1 and {max}")]
    AttributionSize { count: usize, max: usize },

    #[error("attribution names datanet {datanet_id} more than once")]
    DuplicateDatanet { datanet_id: DatanetId },

    #[error("attribution gives datanet {datanet_id} a zero share")]
    ZeroShare { datanet_id: DatanetId },

    #[error("attribution shares sum to {sum} bps; they must sum to exactly 10000")]
    AttributionSum { sum: u64 },
}

/// How an amount is spread by an attribution vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Apportioned {
    /// Each datanet's part, rounded down, in the vector's order.
    pub parts: Vec<(DatanetId, Uint128)>,
    /// What rounding left over (below the number of datanets); it goes to the treasury.
    pub dust: Uint128,
}

impl Attribution {
    /// Checks size, distinct datanets, non-zero shares and the exact sum.
    pub fn validate(&self) -> Result<(), AttributionError> {
        let count = self.0.len();
        if count == 0 || count > MAX_ATTRIBUTION_ENTRIES {
            return Err(AttributionError::AttributionSize {
                count,
                max: MAX_ATTRIBUTION_ENTRIES,
            });
        }
        let mut sum = 0u64;
        for (i, share) in self.0.iter().enumerate() {
            if share.weight_bps == 0 {
                return Err(AttributionError::ZeroShare {
                    datanet_id: share.datanet_id,
                });
            }
            // At most 16 entries: the quadratic scan is cheaper than a set.
            if self.0[..i].iter().any(|s| s.datanet_id == share.datanet_id) {
                return Err(AttributionError::DuplicateDatanet {
                    datanet_id: share.datanet_id,
                });
            }
            sum += u64::from(share.weight_bps);
        }
        if sum != u64::from(BPS_DENOMINATOR) {
            return Err(AttributionError::AttributionSum { sum });
        }
        Ok(())
    }

    /// Spreads `amount` over the datanets; parts round down and the dust is reported.
    pub fn apportion(&self, amount: Uint128) -> StdResult<Apportioned> {
        let mut parts = Vec::with_capacity(self.0.len());
        let mut total = Uint128::zero();
        for share in &self.0 {
            let part = apply_bps(amount, share.weight_bps)?;
            total = total.checked_add(part)?;
            parts.push((share.datanet_id, part));
        }
        Ok(Apportioned {
            parts,
            dust: amount.checked_sub(total)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(shares: &[(u64, u16)]) -> Attribution {
        Attribution(
            shares
                .iter()
                .map(|&(datanet_id, weight_bps)| AttributionShare {
                    datanet_id,
                    weight_bps,
                })
                .collect(),
        )
    }

    #[test]
    fn valid_vector_apportions_exactly() {
        let a = attr(&[(1, 3_334), (2, 3_333), (3, 3_333)]);
        a.validate().unwrap();
        let out = a.apportion(Uint128::new(100)).unwrap();
        assert_eq!(
            out.parts,
            vec![
                (1, Uint128::new(33)),
                (2, Uint128::new(33)),
                (3, Uint128::new(33))
            ]
        );
        assert_eq!(out.dust, Uint128::new(1));
    }

    #[test]
    fn rejects_bad_vectors_with_specific_errors() {
        assert_eq!(
            attr(&[]).validate(),
            Err(AttributionError::AttributionSize { count: 0, max: 16 })
        );
        let seventeen: Vec<(u64, u16)> = (1..=17).map(|i| (i, 1)).collect();
        assert_eq!(
            attr(&seventeen).validate(),
            Err(AttributionError::AttributionSize { count: 17, max: 16 })
        );
        assert_eq!(
            attr(&[(1, 5_000), (1, 5_000)]).validate(),
            Err(AttributionError::DuplicateDatanet { datanet_id: 1 })
        );
        assert_eq!(
            attr(&[(1, 10_000), (2, 0)]).validate(),
            Err(AttributionError::ZeroShare { datanet_id: 2 })
        );
        assert_eq!(
            attr(&[(1, 5_000), (2, 4_999)]).validate(),
            Err(AttributionError::AttributionSum { sum: 9_999 })
        );
        assert_eq!(
            attr(&[(1, u16::MAX), (2, u16::MAX)]).validate(),
            Err(AttributionError::AttributionSum { sum: 131_070 })
        );
    }

    #[test]
    fn sixteen_datanets_are_the_most_a_vector_holds() {
        let sixteen: Vec<(u64, u16)> = (1..=16).map(|i| (i, 625)).collect();
        let a = attr(&sixteen);
        assert_eq!(a.validate(), Ok(()));
        let out = a.apportion(Uint128::new(1_000)).unwrap();
        assert_eq!(out.parts.len(), 16);
        assert!(out
            .parts
            .iter()
            .zip(1..)
            .all(|(&(id, part), want)| id == want && part == Uint128::new(62)));
        // 16 × 62 = 992: 8 units of dust.
        assert_eq!(out.dust, Uint128::new(8));
        // A single datanet takes everything, with no dust.
        let whole = attr(&[(7, 10_000)]);
        assert_eq!(whole.validate(), Ok(()));
        assert_eq!(
            whole.apportion(Uint128::new(999)).unwrap(),
            Apportioned {
                parts: vec![(7, Uint128::new(999))],
                dust: Uint128::zero()
            }
        );
    }
}
