//! The protocol's fee split: how every model fee is divided between datanets, the model owner,
//! stakers and the treasury.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Uint128;
use thiserror::Error;

use crate::bps::{apply_bps, Bps, BPS_DENOMINATOR};

/// How a fee is split, in basis points; the four shares sum to exactly 10 000.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct FeeSplit {
    /// Share for the datanets the model was trained on, spread by attribution.
    pub datanets_bps: Bps,
    /// Share for the model's owner.
    pub model_owner_bps: Bps,
    /// Share for OPEN stakers.
    pub stakers_bps: Bps,
    /// Share for the protocol treasury (which also receives the rounding dust).
    pub treasury_bps: Bps,
}

impl Default for FeeSplit {
    /// The protocol default: datanets 50 %, model owner 20 %, stakers 20 %, treasury 10 %.
    fn default() -> Self {
        FeeSplit {
            datanets_bps: 5_000,
            model_owner_bps: 2_000,
            stakers_bps: 2_000,
            treasury_bps: 1_000,
        }
    }
}

/// The amounts a fee split produces. `datanets + model_owner + stakers + treasury` equals the
/// fee exactly; `treasury` includes `dust`.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct FeeSplitAmounts {
    /// Amount for the datanets (before it is spread over them by attribution).
    pub datanets: Uint128,
    /// Amount for the model owner.
    pub model_owner: Uint128,
    /// Amount for stakers.
    pub stakers: Uint128,
    /// Amount for the treasury: its own share plus the rounding dust.
    pub treasury: Uint128,
    /// Rounding dust included in `treasury`; always below the number of shares (4).
    pub dust: Uint128,
}

#[derive(Error, Debug, PartialEq)]
pub enum FeeSplitError {
    #[error("fee split shares sum to {sum} bps; they must sum to exactly 10000")]
    SplitSum { sum: u32 },
}

impl FeeSplit {
    /// Checks that the shares sum to exactly 10 000 bps.
    pub fn validate(&self) -> Result<(), FeeSplitError> {
        let sum = u32::from(self.datanets_bps)
            + u32::from(self.model_owner_bps)
            + u32::from(self.stakers_bps)
            + u32::from(self.treasury_bps);
        if sum != u32::from(BPS_DENOMINATOR) {
            return Err(FeeSplitError::SplitSum { sum });
        }
        Ok(())
    }

    /// Splits `fee`: each share is rounded down and the remainder (the dust) goes to the
    /// treasury, so the parts always add up to the fee. Requires a validated split.
    pub fn split(&self, fee: Uint128) -> cosmwasm_std::StdResult<FeeSplitAmounts> {
        let datanets = apply_bps(fee, self.datanets_bps)?;
        let model_owner = apply_bps(fee, self.model_owner_bps)?;
        let stakers = apply_bps(fee, self.stakers_bps)?;
        let treasury_share = apply_bps(fee, self.treasury_bps)?;
        let treasury = fee
            .checked_sub(datanets)?
            .checked_sub(model_owner)?
            .checked_sub(stakers)?;
        let dust = treasury.checked_sub(treasury_share)?;
        Ok(FeeSplitAmounts {
            datanets,
            model_owner,
            stakers,
            treasury,
            dust,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_split_is_valid_and_exact() {
        let split = FeeSplit::default();
        split.validate().unwrap();
        let parts = split.split(Uint128::new(1_000)).unwrap();
        assert_eq!(
            parts,
            FeeSplitAmounts {
                datanets: Uint128::new(500),
                model_owner: Uint128::new(200),
                stakers: Uint128::new(200),
                treasury: Uint128::new(100),
                dust: Uint128::zero(),
            }
        );
    }

    #[test]
    fn dust_goes_to_treasury_and_stays_below_share_count() {
        let split = FeeSplit::default();
        for fee in [0u128, 1, 3, 7, 9, 11, 999, 1_001, 123_457] {
            let p = split.split(Uint128::new(fee)).unwrap();
            assert_eq!(
                p.datanets + p.model_owner + p.stakers + p.treasury,
                Uint128::new(fee)
            );
            assert!(p.dust < Uint128::new(4), "fee {fee}: dust {}", p.dust);
        }
        // 7 × 0.5 = 3.5 → 3; 7 × 0.2 = 1.4 → 1 (twice); treasury 0.7 → 0 + dust 2.
        let p = split.split(Uint128::new(7)).unwrap();
        assert_eq!(
            (p.datanets.u128(), p.model_owner.u128(), p.stakers.u128()),
            (3, 1, 1)
        );
        assert_eq!((p.treasury.u128(), p.dust.u128()), (2, 2));
    }

    #[test]
    fn rejects_split_not_summing_to_whole() {
        let split = FeeSplit {
            datanets_bps: 5_000,
            model_owner_bps: 2_000,
            stakers_bps: 2_000,
            treasury_bps: 999,
        };
        assert_eq!(
            split.validate(),
            Err(FeeSplitError::SplitSum { sum: 9_999 })
        );
        let over = FeeSplit {
            treasury_bps: u16::MAX,
            ..FeeSplit::default()
        };
        assert_eq!(
            over.validate(),
            Err(FeeSplitError::SplitSum { sum: 74_535 })
        );
    }
}
