//! The protocol's fee split: how every model fee is divided between datanets, the model owner,
//! the host that served the inference, stakers and the treasury.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Uint128;
use thiserror::Error;

use crate::bps::{apply_bps, Bps, BPS_DENOMINATOR};

/// The largest hosts' share a fee split may give, in basis points (20 %).
pub const MAX_HOSTS_BPS: Bps = 2_000;

/// How a fee is split, in basis points; the five shares sum to exactly 10 000 and the hosts'
/// share is at most [`MAX_HOSTS_BPS`].
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Eq)]
pub struct FeeSplit {
    /// Share for the datanets the model was trained on, spread by attribution.
    pub datanets_bps: Bps,
    /// Share for the model's owner.
    pub model_owner_bps: Bps,
    /// Share for the host that served the inference (the one whose key signed its receipt; the
    /// model's owner when there is no receipt, and for licence purchases). Absent in a split
    /// stored or sent before hosts were paid: it then reads as 0.
    #[serde(default)]
    pub hosts_bps: Bps,
    /// Share for OPEN stakers.
    pub stakers_bps: Bps,
    /// Share for the protocol treasury (which also receives the rounding dust).
    pub treasury_bps: Bps,
}

impl Default for FeeSplit {
    /// The protocol default: datanets 50 %, model owner 20 %, hosts 0 %, stakers 20 %,
    /// treasury 10 %.
    fn default() -> Self {
        FeeSplit {
            datanets_bps: 5_000,
            model_owner_bps: 2_000,
            hosts_bps: 0,
            stakers_bps: 2_000,
            treasury_bps: 1_000,
        }
    }
}

/// The amounts a fee split produces. `datanets + model_owner + hosts + stakers + treasury`
/// equals the fee exactly; `treasury` includes `dust`.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Eq)]
pub struct FeeSplitAmounts {
    /// Amount for the datanets (before it is spread over them by attribution).
    pub datanets: Uint128,
    /// Amount for the model owner.
    pub model_owner: Uint128,
    /// Amount for the host that served the inference (or the model's owner when no host
    /// signed a receipt).
    pub hosts: Uint128,
    /// Amount for stakers.
    pub stakers: Uint128,
    /// Amount for the treasury: its own share plus the rounding dust.
    pub treasury: Uint128,
    /// Rounding dust included in `treasury`; always below the number of shares (5).
    pub dust: Uint128,
}

/// Why a fee split is refused.
#[derive(Error, Debug, PartialEq)]
pub enum FeeSplitError {
    /// The five shares do not sum to 10 000 bps.
    #[error("fee split shares sum to {sum} bps; they must sum to exactly 10000")]
    SplitSum { sum: u32 },

    /// The hosts' share is above [`MAX_HOSTS_BPS`].
    #[error("the hosts' share is {hosts_bps} bps; it may be at most {max}")]
    HostsShareTooLarge { hosts_bps: Bps, max: Bps },
}

impl FeeSplit {
    /// Checks that the hosts' share is at most [`MAX_HOSTS_BPS`], then that the five shares
    /// sum to exactly 10 000 bps.
    pub fn validate(&self) -> Result<(), FeeSplitError> {
        if self.hosts_bps > MAX_HOSTS_BPS {
            return Err(FeeSplitError::HostsShareTooLarge {
                hosts_bps: self.hosts_bps,
                max: MAX_HOSTS_BPS,
            });
        }
        let sum = [
            self.datanets_bps,
            self.model_owner_bps,
            self.hosts_bps,
            self.stakers_bps,
            self.treasury_bps,
        ]
        .into_iter()
        .map(u32::from)
        .sum::<u32>();
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
        let hosts = apply_bps(fee, self.hosts_bps)?;
        let stakers = apply_bps(fee, self.stakers_bps)?;
        let treasury_share = apply_bps(fee, self.treasury_bps)?;
        let treasury = fee
            .checked_sub(datanets)?
            .checked_sub(model_owner)?
            .checked_sub(hosts)?
            .checked_sub(stakers)?;
        let dust = treasury.checked_sub(treasury_share)?;
        Ok(FeeSplitAmounts {
            datanets,
            model_owner,
            hosts,
            stakers,
            treasury,
            dust,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default split with a hosts' share of 1 000 bps taken from the datanets.
    fn with_hosts() -> FeeSplit {
        FeeSplit {
            datanets_bps: 4_000,
            hosts_bps: 1_000,
            ..FeeSplit::default()
        }
    }

    #[test]
    fn default_split_is_valid_and_exact() {
        let split = FeeSplit::default();
        split.validate().unwrap();
        assert_eq!(split.hosts_bps, 0);
        let parts = split.split(Uint128::new(1_000)).unwrap();
        assert_eq!(
            parts,
            FeeSplitAmounts {
                datanets: Uint128::new(500),
                model_owner: Uint128::new(200),
                hosts: Uint128::zero(),
                stakers: Uint128::new(200),
                treasury: Uint128::new(100),
                dust: Uint128::zero(),
            }
        );
    }

    #[test]
    fn a_hosts_share_is_split_like_the_others() {
        let split = with_hosts();
        split.validate().unwrap();
        assert_eq!(
            split.split(Uint128::new(1_000)).unwrap(),
            FeeSplitAmounts {
                datanets: Uint128::new(400),
                model_owner: Uint128::new(200),
                hosts: Uint128::new(100),
                stakers: Uint128::new(200),
                treasury: Uint128::new(100),
                dust: Uint128::zero(),
            }
        );
        // 9 × 0.4 = 3.6 → 3; 9 × 0.2 = 1.8 → 1 (twice); 9 × 0.1 = 0.9 → 0 (hosts); treasury
        // 0.9 → 0 + dust 4.
        assert_eq!(
            split.split(Uint128::new(9)).unwrap(),
            FeeSplitAmounts {
                datanets: Uint128::new(3),
                model_owner: Uint128::new(1),
                hosts: Uint128::zero(),
                stakers: Uint128::new(1),
                treasury: Uint128::new(4),
                dust: Uint128::new(4),
            }
        );
    }

    #[test]
    fn dust_goes_to_treasury_and_stays_below_share_count() {
        for split in [FeeSplit::default(), with_hosts()] {
            for fee in [0u128, 1, 3, 7, 9, 11, 19, 999, 1_001, 123_457, 1_999_999] {
                let p = split.split(Uint128::new(fee)).unwrap();
                assert_eq!(
                    p.datanets + p.model_owner + p.hosts + p.stakers + p.treasury,
                    Uint128::new(fee)
                );
                assert!(p.dust < Uint128::new(5), "fee {fee}: dust {}", p.dust);
            }
        }
        // 7 × 0.5 = 3.5 → 3; 7 × 0.2 = 1.4 → 1 (twice); treasury 0.7 → 0 + dust 2.
        let p = FeeSplit::default().split(Uint128::new(7)).unwrap();
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
            hosts_bps: 0,
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
        // The hosts' share counts in the sum.
        let hosts_added = FeeSplit {
            hosts_bps: 500,
            ..FeeSplit::default()
        };
        assert_eq!(
            hosts_added.validate(),
            Err(FeeSplitError::SplitSum { sum: 10_500 })
        );
    }

    #[test]
    fn rejects_a_hosts_share_above_the_bound() {
        let at_bound = FeeSplit {
            datanets_bps: 3_000,
            hosts_bps: MAX_HOSTS_BPS,
            ..FeeSplit::default()
        };
        at_bound.validate().unwrap();
        let above = FeeSplit {
            datanets_bps: 2_999,
            hosts_bps: MAX_HOSTS_BPS + 1,
            ..FeeSplit::default()
        };
        assert_eq!(
            above.validate(),
            Err(FeeSplitError::HostsShareTooLarge {
                hosts_bps: 2_001,
                max: 2_000
            })
        );
    }

    #[test]
    fn a_split_without_the_hosts_field_reads_as_no_hosts_share() {
        let stored = br#"{"datanets_bps":6000,"model_owner_bps":2000,"stakers_bps":1000,"treasury_bps":1000}"#;
        let split: FeeSplit = cosmwasm_std::from_json(stored).unwrap();
        assert_eq!(
            split,
            FeeSplit {
                datanets_bps: 6_000,
                model_owner_bps: 2_000,
                hosts_bps: 0,
                stakers_bps: 1_000,
                treasury_bps: 1_000,
            }
        );
        split.validate().unwrap();
        let written = String::from_utf8(cosmwasm_std::to_json_vec(&with_hosts()).unwrap()).unwrap();
        assert_eq!(
            written,
            r#"{"datanets_bps":4000,"model_owner_bps":2000,"hosts_bps":1000,"stakers_bps":2000,"treasury_bps":1000}"#
        );
        let misspelt = cosmwasm_std::from_json::<FeeSplit>(
            br#"{"datanets_bps":6000,"model_owner_bps":2000,"stakers_bps":1000,"treasury_bps":1000,"host_bps":0}"#,
        )
        .unwrap_err();
        assert!(
            misspelt.to_string().contains("unknown field `host_bps`"),
            "{misspelt}"
        );
    }
}
