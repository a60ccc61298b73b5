//! The fee split, shared by inference payments, licence purchases and `fee_quote`, and the
//! ledger that aggregates the splits of one message into a single `distribute`.

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, OverflowError, StdResult, Uint128};
use openledger_common::attribution::{Attribution, DatanetId};
use openledger_common::fee::FeeSplit;
use openledger_common::msg::model_licensing::{DatanetShare, FeeQuoteResponse};
use openledger_common::msg::reward_pool::{Allocation, MAX_ALLOCATIONS};

use crate::error::ContractError;

/// Splits `fee` with the protocol split, then spreads the datanets' amount by `attribution`.
///
/// The result adds up exactly: `split.datanets + split.model_owner + split.stakers +
/// split.treasury == fee`, where `split.datanets` is what the datanets receive (the sum of
/// `datanets`) and `split.treasury` holds the treasury's share, the split's rounding dust
/// (`split.dust`) and the attribution's rounding dust (`attribution_dust`).
pub fn quote(
    fee_split: &FeeSplit,
    fee: Uint128,
    attribution: &Attribution,
) -> StdResult<FeeQuoteResponse> {
    let mut split = fee_split.split(fee)?;
    let spread = attribution.apportion(split.datanets)?;
    split.datanets = split.datanets.checked_sub(spread.dust)?;
    split.treasury = split.treasury.checked_add(spread.dust)?;
    Ok(FeeQuoteResponse {
        fee,
        split,
        datanets: spread
            .parts
            .into_iter()
            .map(|(datanet_id, amount)| DatanetShare { datanet_id, amount })
            .collect(),
        attribution_dust: spread.dust,
    })
}

/// The splits of every payment of one message, aggregated: one `distribute` to the reward pool
/// and one earnings credit per model owner.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ledger {
    /// Sum of the fees.
    pub fees: Uint128,
    /// Per datanet, ascending ids.
    pub datanets: BTreeMap<DatanetId, Uint128>,
    /// Stakers' total.
    pub stakers: Uint128,
    /// Treasury's total (shares and dust).
    pub treasury: Uint128,
    /// Model-owner credits, first-seen order, each owner once.
    pub owners: Vec<(Addr, Uint128)>,
}

impl Ledger {
    /// Adds one payment's split, whose owner share goes to `owner`.
    pub fn add(&mut self, owner: &Addr, q: &FeeQuoteResponse) -> Result<(), OverflowError> {
        self.fees = self.fees.checked_add(q.fee)?;
        for share in &q.datanets {
            let entry = self.datanets.entry(share.datanet_id).or_default();
            *entry = entry.checked_add(share.amount)?;
        }
        self.stakers = self.stakers.checked_add(q.split.stakers)?;
        self.treasury = self.treasury.checked_add(q.split.treasury)?;
        match self.owners.iter_mut().find(|(a, _)| a == owner) {
            Some(entry) => entry.1 = entry.1.checked_add(q.split.model_owner)?,
            None => self.owners.push((owner.clone(), q.split.model_owner)),
        }
        Ok(())
    }

    /// Total credited to model owners.
    pub fn owners_total(&self) -> Result<Uint128, OverflowError> {
        self.owners
            .iter()
            .try_fold(Uint128::zero(), |acc, (_, a)| acc.checked_add(*a))
    }

    /// Total sent to the reward pool.
    pub fn datanets_total(&self) -> Result<Uint128, OverflowError> {
        self.datanets
            .values()
            .try_fold(Uint128::zero(), |acc, a| acc.checked_add(*a))
    }

    /// The pool's allocations: datanets by ascending id, then stakers, then treasury, zero
    /// amounts left out (the pool refuses them). Refused when the datanets alone would not fit
    /// one `distribute` next to the stakers and the treasury.
    pub fn allocations(&self) -> Result<Vec<Allocation>, ContractError> {
        let max = MAX_ALLOCATIONS - 2;
        let datanets = self.datanets.values().filter(|a| !a.is_zero()).count();
        if datanets > max {
            return Err(ContractError::TooManyDatanets {
                got: datanets as u64,
                max: max as u64,
            });
        }
        let mut out: Vec<Allocation> = self
            .datanets
            .iter()
            .filter(|(_, a)| !a.is_zero())
            .map(|(&id, &amount)| Allocation::Datanet { id, amount })
            .collect();
        if !self.stakers.is_zero() {
            out.push(Allocation::Stakers {
                amount: self.stakers,
            });
        }
        if !self.treasury.is_zero() {
            out.push(Allocation::Treasury {
                amount: self.treasury,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openledger_common::attribution::AttributionShare;

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
    fn quote_adds_up_to_the_fee_for_any_amount() {
        let split = FeeSplit::default();
        let a = attr(&[(1, 3_334), (2, 3_333), (3, 3_333)]);
        for fee in [1u128, 2, 3, 7, 99, 1_000, 1_001, 123_457, u64::MAX as u128] {
            let q = quote(&split, Uint128::new(fee), &a).unwrap();
            let s = &q.split;
            assert_eq!(
                s.datanets + s.model_owner + s.stakers + s.treasury,
                Uint128::new(fee),
                "fee {fee}"
            );
            let spread: Uint128 = q.datanets.iter().map(|d| d.amount).sum();
            assert_eq!(spread, s.datanets, "fee {fee}");
            assert!(q.attribution_dust < Uint128::new(3));
            assert!(s.dust < Uint128::new(4));
        }
        // 1001: datanets 500 (167, 166, 166; dust 1), owner 200, stakers 200, treasury 100 + 1
        // split dust + 1 attribution dust.
        let q = quote(&split, Uint128::new(1_001), &a).unwrap();
        assert_eq!(
            q.datanets
                .iter()
                .map(|d| d.amount.u128())
                .collect::<Vec<_>>(),
            vec![166, 166, 166]
        );
        assert_eq!(q.attribution_dust, Uint128::new(2));
        assert_eq!(q.split.datanets, Uint128::new(498));
        assert_eq!(q.split.treasury, Uint128::new(103));
        assert_eq!(q.split.dust, Uint128::new(1));
    }

    #[test]
    fn ledger_refuses_more_datanets_than_one_distribute_holds() {
        let mut ledger = Ledger::default();
        for id in 1..=31u64 {
            ledger.datanets.insert(id, Uint128::one());
        }
        assert_eq!(
            ledger.allocations().unwrap_err(),
            ContractError::TooManyDatanets { got: 31, max: 30 }
        );
        ledger.datanets.insert(31, Uint128::zero());
        ledger.treasury = Uint128::one();
        let allocations = ledger.allocations().unwrap();
        assert_eq!(allocations.len(), 31);
        assert_eq!(
            allocations.last(),
            Some(&Allocation::Treasury {
                amount: Uint128::one()
            })
        );
    }
}
