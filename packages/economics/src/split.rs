//! The fee split of a model payment, as model licensing computes it (`split::quote` and its
//! `Ledger`): the protocol's [`FeeSplit`] rounds each share down and gives the dust to the
//! treasury, then the datanets' share is spread by the payment's attribution, each part rounded
//! down, its dust to the treasury too. The hosts' share goes whole to whoever served the
//! payment ([`ServedBy`]): the host whose key signed its receipt, or the model's owner when
//! there is no receipt (and for every licence purchase). Model licensing credits the owner's
//! and the hosts' parts as earnings and sends the rest to the reward pool.

use std::collections::BTreeMap;

use cosmwasm_std::Uint128;
use openledger_common::attribution::{Attribution, AttributionShare};
use openledger_common::bps::Bps;
use openledger_common::FeeSplit;

use crate::Result;

/// Who is credited the hosts' part of a payment in model licensing.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServedBy {
    /// No host signed a receipt (a payment with the lineage weights, a licence purchase): the
    /// model's owner served it and is credited the hosts' part next to its owner share.
    #[default]
    Owner,
    /// The host whose key verified the payment's receipt signature, by address.
    Host(String),
}

/// What one payment of `fee` pays each party. The parts add up to the fee exactly:
/// `model_owner + hosts + stakers + datanets_total() + treasury() == fee`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentSplit {
    /// The fee paid.
    pub fee: u128,
    /// The model owner's share (credited as earnings in model licensing).
    pub model_owner: u128,
    /// The hosts' share (credited as earnings in model licensing to `served_by`).
    pub hosts: u128,
    /// Who is credited `hosts`.
    pub served_by: ServedBy,
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

    /// What model licensing credits the model's owner: its share, and the hosts' part when it
    /// served the payment.
    pub fn owner_credit(&self) -> u128 {
        match self.served_by {
            ServedBy::Owner => self.model_owner + self.hosts,
            ServedBy::Host(_) => self.model_owner,
        }
    }

    /// The host credited the hosts' part and that part; `None` when the owner served the
    /// payment.
    pub fn host_credit(&self) -> Option<(&str, u128)> {
        match &self.served_by {
            ServedBy::Owner => None,
            ServedBy::Host(host) => Some((host.as_str(), self.hosts)),
        }
    }

    /// What model licensing keeps as earnings: the owner's share and the hosts' part.
    pub fn credited(&self) -> u128 {
        self.model_owner + self.hosts
    }

    /// What model licensing sends to the reward pool: everything but the owner's share and the
    /// hosts' part.
    pub fn to_pool(&self) -> u128 {
        self.fee - self.credited()
    }
}

/// Splits one payment of `fee` whose attribution is `attribution` (datanet, bps), served by
/// `served_by`.
pub fn split_payment(
    split: &FeeSplit,
    fee: u128,
    attribution: &[(u64, Bps)],
    served_by: ServedBy,
) -> Result<PaymentSplit> {
    let parts = split.split(Uint128::new(fee))?;
    let spread = attribution_of(attribution).apportion(parts.datanets)?;
    Ok(PaymentSplit {
        fee,
        model_owner: parts.model_owner.u128(),
        hosts: parts.hosts.u128(),
        served_by,
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

/// One payment of a message: its fee, its attribution (datanet, bps) and who served it.
pub type PaymentItem = (u128, Vec<(u64, Bps)>, ServedBy);

/// The splits of several payments added up: what one message paying them moves (model
/// licensing sends one `distribute` for all of them and credits each host once).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payments {
    /// Sum of the fees.
    pub fees: u128,
    /// Sum of the model owners' shares.
    pub model_owner: u128,
    /// Sum of the hosts' parts (to hosts and to owners).
    pub hosts_share: u128,
    /// The hosts' parts credited to each host that signed receipts, by address.
    pub hosts: BTreeMap<String, u128>,
    /// The hosts' parts credited to the models' owners (payments without a receipt).
    pub served_by_owners: u128,
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
    /// The payments of `items` under `split`.
    pub fn of(split: &FeeSplit, items: &[PaymentItem]) -> Result<Self> {
        let mut total = Payments::default();
        for (fee, attribution, served_by) in items {
            total.add(&split_payment(split, *fee, attribution, served_by.clone())?)?;
        }
        Ok(total)
    }

    /// Adds one payment's split.
    pub fn add(&mut self, p: &PaymentSplit) -> Result<()> {
        self.fees = crate::add(self.fees, p.fee)?;
        self.model_owner = crate::add(self.model_owner, p.model_owner)?;
        self.hosts_share = crate::add(self.hosts_share, p.hosts)?;
        match &p.served_by {
            ServedBy::Owner => {
                self.served_by_owners = crate::add(self.served_by_owners, p.hosts)?;
            }
            ServedBy::Host(host) if p.hosts > 0 => {
                let entry = self.hosts.entry(host.clone()).or_default();
                *entry = crate::add(*entry, p.hosts)?;
            }
            ServedBy::Host(_) => {}
        }
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

    /// What the models' owners are credited: their shares and the hosts' parts they served.
    pub fn owners_credit(&self) -> u128 {
        self.model_owner + self.served_by_owners
    }

    /// What model licensing keeps as earnings: the owners' shares and every hosts' part.
    pub fn credited(&self) -> u128 {
        self.model_owner + self.hosts_share
    }

    /// What model licensing sends to the reward pool: everything but the earnings it credits.
    pub fn to_pool(&self) -> u128 {
        self.fees - self.credited()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A split with a hosts' share: datanets 40 %, owner 20 %, hosts 10 %, stakers 20 %,
    /// treasury 10 %.
    fn hosts_split() -> FeeSplit {
        FeeSplit {
            datanets_bps: 4_000,
            hosts_bps: 1_000,
            ..FeeSplit::default()
        }
    }

    fn host(name: &str) -> ServedBy {
        ServedBy::Host(name.to_string())
    }

    #[test]
    fn a_payment_splits_as_model_licensing_quotes_it() {
        // The contract's own figures (model-licensing split.rs): 1 001 over 3 334/3 333/3 333
        // bps pays the datanets 166 each (attribution dust 2), the owner and the stakers 200,
        // the treasury 100 + 1 split dust + 2 attribution dust.
        let p = split_payment(
            &FeeSplit::default(),
            1_001,
            &[(1, 3_334), (2, 3_333), (3, 3_333)],
            ServedBy::Owner,
        )
        .unwrap();
        assert_eq!(
            p,
            PaymentSplit {
                fee: 1_001,
                model_owner: 200,
                hosts: 0,
                served_by: ServedBy::Owner,
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
        assert_eq!((p.owner_credit(), p.host_credit()), (200, None));
        assert_eq!(
            p.model_owner + p.hosts + p.stakers + p.datanets_total() + p.treasury(),
            p.fee
        );
    }

    #[test]
    fn a_hosts_share_goes_to_the_signing_host_or_else_to_the_owner() {
        // 1 001 under hosts_split(): datanets 400 → 133 × 3 (attribution dust 1), owner 200,
        // hosts 100, stakers 200, treasury 100 + split dust 1 + attribution dust 1.
        let thirds = [(1, 3_334), (2, 3_333), (3, 3_333)];
        let signed = split_payment(&hosts_split(), 1_001, &thirds, host("h1")).unwrap();
        assert_eq!(
            signed,
            PaymentSplit {
                fee: 1_001,
                model_owner: 200,
                hosts: 100,
                served_by: host("h1"),
                stakers: 200,
                datanets_share: 400,
                datanets: vec![(1, 133), (2, 133), (3, 133)],
                treasury_share: 100,
                split_dust: 1,
                attribution_dust: 1,
            }
        );
        assert_eq!(signed.treasury(), 102);
        assert_eq!(signed.credited(), 300);
        assert_eq!(signed.to_pool(), 701);
        assert_eq!(signed.owner_credit(), 200);
        assert_eq!(signed.host_credit(), Some(("h1", 100)));
        assert_eq!(
            signed.model_owner
                + signed.hosts
                + signed.stakers
                + signed.datanets_total()
                + signed.treasury(),
            signed.fee
        );

        let unsigned = split_payment(&hosts_split(), 1_001, &thirds, ServedBy::Owner).unwrap();
        assert_eq!(
            unsigned,
            PaymentSplit {
                served_by: ServedBy::Owner,
                ..signed
            }
        );
        assert_eq!(
            (unsigned.owner_credit(), unsigned.host_credit()),
            (300, None)
        );
        assert_eq!(unsigned.to_pool(), 701);
    }

    #[test]
    fn payments_add_up_per_datanet_and_in_total() {
        let lineage = vec![(1, 6_000), (2, 4_000)];
        let items = vec![
            (1_000, lineage.clone(), ServedBy::Owner),
            (7, lineage, ServedBy::Owner),
            (999, vec![(2, 10_000)], ServedBy::Owner),
        ];
        let p = Payments::of(&FeeSplit::default(), &items).unwrap();
        // 1 000: datanets 500 → 300 / 200; 7: datanets 3 → 1 / 1 (dust 1), owner 1, stakers
        // 1, treasury 0 + split dust 2; 999: datanets 499 → datanet 2, owner 199, stakers 199,
        // treasury 99 + split dust 3.
        assert_eq!(p.fees, 2_006);
        assert_eq!(p.datanets, BTreeMap::from([(1, 301), (2, 700)]));
        assert_eq!((p.model_owner, p.stakers), (400, 400));
        assert_eq!((p.hosts_share, p.served_by_owners), (0, 0));
        assert_eq!(p.hosts, BTreeMap::new());
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
    fn payments_credit_each_host_once_and_the_owners_the_rest() {
        let lineage = vec![(1, 6_000), (2, 4_000)];
        let items = vec![
            (1_000, lineage.clone(), host("h1")),
            (7, lineage, ServedBy::Owner),
            (999, vec![(2, 10_000)], host("h2")),
            (1_000, vec![(1, 10_000)], host("h1")),
            (1_000, vec![(2, 10_000)], ServedBy::Owner),
        ];
        let p = Payments::of(&hosts_split(), &items).unwrap();
        // 1 000 (h1): datanets 400 → 240 / 160, owner 200, hosts 100, stakers 200, treasury
        // 100. 7 (owner): datanets 2 → 1 / 0 (dust 1), owner 1, hosts 0, stakers 1, treasury
        // 0 + split dust 3. 999 (h2): datanets 399 → datanet 2, owner 199, hosts 99, stakers
        // 199, treasury 99 + split dust 4. 1 000 (h1): datanets 400 → datanet 1, the rest as
        // the first. 1 000 (owner): datanets 400 → datanet 2, owner 200 + hosts 100.
        assert_eq!(p.fees, 4_006);
        assert_eq!(p.datanets, BTreeMap::from([(1, 641), (2, 959)]));
        assert_eq!((p.model_owner, p.stakers), (800, 800));
        assert_eq!(p.hosts_share, 399);
        assert_eq!(
            p.hosts,
            BTreeMap::from([("h1".to_string(), 200), ("h2".to_string(), 99)])
        );
        assert_eq!(p.served_by_owners, 100);
        assert_eq!(
            (p.datanets_share, p.treasury_share, p.dust),
            (1_601, 399, 8)
        );
        assert_eq!(
            (p.owners_credit(), p.credited(), p.to_pool()),
            (900, 1_199, 2_807)
        );
        assert_eq!(
            p.owners_credit()
                + p.hosts.values().sum::<u128>()
                + p.stakers
                + p.datanets_total()
                + p.treasury(),
            p.fees
        );
    }

    #[test]
    fn splits_match_model_licensings_quote() {
        for split in [FeeSplit::default(), hosts_split()] {
            for shares in [
                vec![(1u64, 6_000u16), (2, 4_000)],
                vec![(3, 3_334), (1, 3_333), (2, 3_333)],
            ] {
                for fee in [0u128, 1, 3, 7, 99, 1_000, 1_001, 123_457, u64::MAX as u128] {
                    let ours = split_payment(&split, fee, &shares, ServedBy::Owner).unwrap();
                    let payout = model_licensing::split::Payout::underived(
                        shares.iter().map(|&(id, w)| (id, 1, w)).collect(),
                    );
                    let q =
                        model_licensing::split::quote(&split, Uint128::new(fee), &payout).unwrap();
                    let theirs: Vec<(u64, u128)> = q
                        .datanets
                        .iter()
                        .map(|d| (d.datanet_id, d.amount.u128()))
                        .collect();
                    assert_eq!(ours.datanets, theirs, "fee {fee}");
                    assert_eq!(ours.datanets_total(), q.split.datanets.u128());
                    assert_eq!(ours.model_owner, q.split.model_owner.u128());
                    assert_eq!(ours.hosts, q.split.hosts.u128());
                    assert_eq!(ours.stakers, q.split.stakers.u128());
                    assert_eq!(ours.treasury(), q.split.treasury.u128());
                    assert_eq!(ours.split_dust, q.split.dust.u128());
                    assert_eq!(ours.attribution_dust, q.attribution_dust.u128());
                }
            }
        }
    }

    #[test]
    fn payments_match_model_licensings_ledger() {
        use cosmwasm_std::Addr;
        use model_licensing::split::{quote, Ledger, Payout};
        let (owner, h1, h2) = (
            Addr::unchecked("owner"),
            Addr::unchecked("h1"),
            Addr::unchecked("h2"),
        );
        let items: Vec<PaymentItem> = vec![
            (1_003, vec![(1, 6_000), (2, 4_000)], host("h1")),
            (19, vec![(2, 10_000)], ServedBy::Owner),
            (777, vec![(1, 3_334), (2, 6_666)], host("h2")),
            (1_003, vec![(1, 10_000)], host("h1")),
        ];
        let ours = Payments::of(&hosts_split(), &items).unwrap();
        let mut ledger = Ledger::default();
        for (fee, attribution, served_by) in &items {
            let payout = Payout::underived(attribution.iter().map(|&(d, w)| (d, 1, w)).collect());
            let q = quote(&hosts_split(), Uint128::new(*fee), &payout).unwrap();
            let host = match served_by {
                ServedBy::Owner => None,
                ServedBy::Host(h) if h == "h1" => Some(&h1),
                ServedBy::Host(_) => Some(&h2),
            };
            ledger.add(&owner, host, &q).unwrap();
        }
        let theirs_hosts: BTreeMap<String, u128> = ledger
            .hosts
            .iter()
            .filter(|(a, _)| *a != owner)
            .map(|(a, x)| (a.to_string(), x.u128()))
            .collect();
        let theirs_owner_served = ledger
            .hosts
            .iter()
            .find(|(a, _)| *a == owner)
            .map_or(0, |(_, x)| x.u128());
        assert_eq!(ours.hosts, theirs_hosts);
        assert_eq!(ours.served_by_owners, theirs_owner_served);
        assert_eq!(ours.model_owner, ledger.owners_total().unwrap().u128());
        assert_eq!(ours.credited(), ledger.credited_total().unwrap().u128());
        assert_eq!(ours.stakers, ledger.stakers.u128());
        assert_eq!(ours.treasury(), ledger.treasury.u128());
        assert_eq!(
            ours.datanets_total(),
            ledger.datanets_total().unwrap().u128()
        );
        assert_eq!(
            ours.to_pool(),
            (ledger.fees - ledger.credited_total().unwrap()).u128()
        );
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
