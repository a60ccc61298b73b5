//! The fee split of a model payment, as model licensing computes it (`split::quote`): the
//! protocol's [`FeeSplit`] rounds each share down and gives the dust to the treasury, then the
//! datanets' share is spread by the payment's attribution, each part rounded down, its dust to
//! the treasury too.

use std::collections::BTreeMap;

use cosmwasm_std::Uint128;
use openledger_common::attribution::{Attribution, AttributionShare};
use openledger_common::bps::Bps;
use openledger_common::FeeSplit;

use crate::Result;

/// What one payment of `fee` pays each party. The parts add up to the fee exactly:
/// `model_owner + stakers + datanets_total() + treasury() == fee`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentSplit {
    /// The fee paid.
    pub fee: u128,
    /// The model owner's share (credited as earnings in model licensing).
    pub model_owner: u128,
    /// The stakers' share.
    pub stakers: u128,
    /// The datanets' share of the split, before it is spread by attribution.
    pub datanets_share: u128,
    /// What each datanet receives of `datanets_share`, in attribution order.
    pub datanets: Vec<(u64, u128)>,
    /// The treasury's own share (without dust).
    pub treasury_share: u128,
    /// The split's rounding dust (to the treasury).
    pub split_dust: u128,
    /// The attribution's rounding dust (to the treasury).
    pub attribution_dust: u128,
}

impl PaymentSplit {
    /// What the datanets receive in total (`datanets_share` less the attribution's dust).
    pub fn datanets_total(&self) -> u128 {
        self.datanets_share - self.attribution_dust
    }

    /// Both rounding dusts.
    pub fn dust(&self) -> u128 {
        self.split_dust + self.attribution_dust
    }

    /// What the treasury receives: its share and both dusts.
    pub fn treasury(&self) -> u128 {
        self.treasury_share + self.dust()
    }

    /// What model licensing sends to the reward pool: everything but the owner's share.
    pub fn to_pool(&self) -> u128 {
        self.fee - self.model_owner
    }
}

/// Splits one payment of `fee` whose attribution is `attribution` (datanet, bps).
pub fn split_payment(
    split: &FeeSplit,
    fee: u128,
    attribution: &[(u64, Bps)],
) -> Result<PaymentSplit> {
    let parts = split.split(Uint128::new(fee))?;
    let spread = attribution_of(attribution).apportion(parts.datanets)?;
    Ok(PaymentSplit {
        fee,
        model_owner: parts.model_owner.u128(),
        stakers: parts.stakers.u128(),
        datanets_share: parts.datanets.u128(),
        datanets: spread
            .parts
            .into_iter()
            .map(|(id, amount)| (id, amount.u128()))
            .collect(),
        treasury_share: parts.treasury.checked_sub(parts.dust)?.u128(),
        split_dust: parts.dust.u128(),
        attribution_dust: spread.dust.u128(),
    })
}

/// The attribution vector of (datanet, bps) pairs.
pub fn attribution_of(pairs: &[(u64, Bps)]) -> Attribution {
    Attribution(
        pairs
            .iter()
            .map(|&(datanet_id, weight_bps)| AttributionShare {
                datanet_id,
                weight_bps,
            })
            .collect(),
    )
}

/// The (datanet, bps) pairs of an attribution vector, for [`split_payment`].
pub fn shares(attribution: &[AttributionShare]) -> Vec<(u64, Bps)> {
    attribution
        .iter()
        .map(|s| (s.datanet_id, s.weight_bps))
        .collect()
}

/// The splits of several payments added up: what one message paying them moves (model
/// licensing sends one `distribute` for all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payments {
    /// Sum of the fees.
    pub fees: u128,
    /// Sum of the model owners' shares.
    pub model_owner: u128,
    /// Sum of the stakers' shares.
    pub stakers: u128,
    /// Sum of the datanets' shares before attribution.
    pub datanets_share: u128,
    /// What each datanet receives, by ascending id.
    pub datanets: BTreeMap<u64, u128>,
    /// Sum of the treasury's own shares.
    pub treasury_share: u128,
    /// Sum of the rounding dusts (split and attribution).
    pub dust: u128,
}

impl Payments {
    /// The payments of `items` (fee, attribution) under `split`.
    pub fn of(split: &FeeSplit, items: &[(u128, Vec<(u64, Bps)>)]) -> Result<Self> {
        let mut total = Payments::default();
        for (fee, attribution) in items {
            total.add(&split_payment(split, *fee, attribution)?)?;
        }
        Ok(total)
    }

    /// Adds one payment's split.
    pub fn add(&mut self, p: &PaymentSplit) -> Result<()> {
        self.fees = crate::add(self.fees, p.fee)?;
        self.model_owner = crate::add(self.model_owner, p.model_owner)?;
        self.stakers = crate::add(self.stakers, p.stakers)?;
        self.datanets_share = crate::add(self.datanets_share, p.datanets_share)?;
        for &(id, amount) in &p.datanets {
            let entry = self.datanets.entry(id).or_default();
            *entry = crate::add(*entry, amount)?;
        }
        self.treasury_share = crate::add(self.treasury_share, p.treasury_share)?;
        self.dust = crate::add(self.dust, p.dust())?;
        Ok(())
    }

    /// What the datanets receive in total.
    pub fn datanets_total(&self) -> u128 {
        self.datanets.values().sum()
    }

    /// What the treasury receives: the shares and the dust.
    pub fn treasury(&self) -> u128 {
        self.treasury_share + self.dust
    }

    /// What model licensing sends to the reward pool: everything but the owners' shares.
    pub fn to_pool(&self) -> u128 {
        self.fees - self.model_owner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_splits_as_model_licensing_quotes_it() {
        // The contract's own figures (model-licensing split.rs): 1 001 over 3 334/3 333/3 333
        // bps pays the datanets 166 each (attribution dust 2), the owner and the stakers 200,
        // the treasury 100 + 1 split dust + 2 attribution dust.
        let p = split_payment(
            &FeeSplit::default(),
            1_001,
            &[(1, 3_334), (2, 3_333), (3, 3_333)],
        )
        .unwrap();
        assert_eq!(
            p,
            PaymentSplit {
                fee: 1_001,
                model_owner: 200,
                stakers: 200,
                datanets_share: 500,
                datanets: vec![(1, 166), (2, 166), (3, 166)],
                treasury_share: 100,
                split_dust: 1,
                attribution_dust: 2,
            }
        );
        assert_eq!(p.datanets_total(), 498);
        assert_eq!(p.treasury(), 103);
        assert_eq!(p.to_pool(), 801);
        assert_eq!(
            p.model_owner + p.stakers + p.datanets_total() + p.treasury(),
            p.fee
        );
    }

    #[test]
    fn payments_add_up_per_datanet_and_in_total() {
        let lineage = vec![(1, 6_000), (2, 4_000)];
        let items = vec![
            (1_000, lineage.clone()),
            (7, lineage),
            (999, vec![(2, 10_000)]),
        ];
        let p = Payments::of(&FeeSplit::default(), &items).unwrap();
        // 1 000: datanets 500 → 300 / 200; 7: datanets 3 → 1 / 1 (dust 1), owner 1, stakers
        // 1, treasury 0 + split dust 2; 999: datanets 499 → datanet 2, owner 199, stakers 199,
        // treasury 99 + split dust 3.
        assert_eq!(p.fees, 2_006);
        assert_eq!(p.datanets, BTreeMap::from([(1, 301), (2, 700)]));
        assert_eq!((p.model_owner, p.stakers), (400, 400));
        assert_eq!(
            (p.datanets_share, p.treasury_share, p.dust),
            (1_002, 199, 6)
        );
        assert_eq!(
            p.model_owner + p.stakers + p.datanets_total() + p.treasury(),
            p.fees
        );
        assert_eq!(p.to_pool(), 1_606);
    }

    #[test]
    fn splits_match_model_licensings_quote() {
        let split = FeeSplit::default();
        for shares in [
            vec![(1u64, 6_000u16), (2, 4_000)],
            vec![(3, 3_334), (1, 3_333), (2, 3_333)],
        ] {
            for fee in [0u128, 1, 3, 7, 99, 1_000, 1_001, 123_457, u64::MAX as u128] {
                let ours = split_payment(&split, fee, &shares).unwrap();
                let payout = model_licensing::split::Payout::underived(
                    shares.iter().map(|&(id, w)| (id, 1, w)).collect(),
                );
                let q = model_licensing::split::quote(&split, Uint128::new(fee), &payout).unwrap();
                let theirs: Vec<(u64, u128)> = q
                    .datanets
                    .iter()
                    .map(|d| (d.datanet_id, d.amount.u128()))
                    .collect();
                assert_eq!(ours.datanets, theirs, "fee {fee}");
                assert_eq!(ours.datanets_total(), q.split.datanets.u128());
                assert_eq!(ours.model_owner, q.split.model_owner.u128());
                assert_eq!(ours.stakers, q.split.stakers.u128());
                assert_eq!(ours.treasury(), q.split.treasury.u128());
                assert_eq!(ours.split_dust, q.split.dust.u128());
                assert_eq!(ours.attribution_dust, q.attribution_dust.u128());
            }
        }
    }

    #[test]
    fn attribution_vectors_convert_to_pairs() {
        let v = [AttributionShare {
            datanet_id: 4,
            weight_bps: 10_000,
        }];
        assert_eq!(shares(&v), vec![(4, 10_000)]);
    }
}
