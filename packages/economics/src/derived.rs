//! The payment of a derived model, as model licensing computes it (its README, "Derived
//! models"): the fee's model-owner share `o` and datanets share `d` are the creator value; each
//! party X — the paying model first, then each ancestor with a share — receives
//! `⌊o · share(X) / 10 000⌋` for its owner and `⌊d · share(X) / 10 000⌋` for its data, spread by
//! X's attribution (each part rounded down). What these roundings lose goes to the treasury.
//! The hosts' share is not creator value: it goes whole to whoever served the payment (the
//! paying model's signing host, or its owner without a receipt), never to an ancestor.

use cosmwasm_std::Uint128;
use openledger_common::bps::{apply_bps, Bps};
use openledger_common::FeeSplit;

use crate::split::{attribution_of, ServedBy};
use crate::Result;

/// One party of a derived model's payment: its share of the creator value (bps) and the
/// attribution its data part is spread by (datanet, bps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// Its share of the creator value, in bps (the shares of all parties sum to 10 000).
    pub share_bps: Bps,
    /// Its datanets, by weight.
    pub attribution: Vec<(u64, Bps)>,
}

/// What one payment of a derived model pays. `Σ owners + hosts + Σ datanets + stakers +
/// treasury` equals the fee exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DerivedSplit {
    /// Each party's owner amount, in party order.
    pub owners: Vec<u128>,
    /// The hosts' share, whole (credited in model licensing to `served_by`).
    pub hosts: u128,
    /// Who is credited `hosts`: the paying model's signing host, or its owner.
    pub served_by: ServedBy,
    /// Each party's datanet parts, in party order, each in attribution order.
    pub datanets: Vec<Vec<(u64, u128)>>,
    /// The stakers' share.
    pub stakers: u128,
    /// The treasury's own share (without dust).
    pub treasury_share: u128,
    /// The split's, the royalties' and the attributions' rounding dust (to the treasury).
    pub dust: u128,
}

impl DerivedSplit {
    /// What the treasury receives: its share and the dust.
    pub fn treasury(&self) -> u128 {
        self.treasury_share + self.dust
    }

    /// What model licensing credits the paying model's owner: its owner amount, and the hosts'
    /// share when it served the payment.
    pub fn owner_credit(&self) -> u128 {
        let own = self.owners.first().copied().unwrap_or(0);
        match self.served_by {
            ServedBy::Owner => own + self.hosts,
            ServedBy::Host(_) => own,
        }
    }

    /// What model licensing keeps as earnings: the paying model's owner amount and the hosts'
    /// share (the ancestors' owners are credited in the reward pool).
    pub fn credited(&self) -> u128 {
        self.owners.first().copied().unwrap_or(0) + self.hosts
    }

    /// What model licensing sends to the reward pool: the fee less what it credits.
    pub fn to_pool(&self, fee: u128) -> u128 {
        fee - self.credited()
    }
}

/// Splits one payment of `fee` of a model whose parties (itself first) are `parties`, served
/// by `served_by`.
pub fn derived_payment(
    split: &FeeSplit,
    fee: u128,
    parties: &[Party],
    served_by: ServedBy,
) -> Result<DerivedSplit> {
    let base = split.split(Uint128::new(fee))?;
    let (o, d) = (base.model_owner, base.datanets);
    let mut out = DerivedSplit {
        hosts: base.hosts.u128(),
        served_by,
        stakers: base.stakers.u128(),
        ..DerivedSplit::default()
    };
    let mut placed = Uint128::zero();
    for p in parties {
        let owner = apply_bps(o, p.share_bps)?;
        let data = apply_bps(d, p.share_bps)?;
        let spread = attribution_of(&p.attribution).apportion(data)?;
        placed = placed
            .checked_add(owner)?
            .checked_add(data.checked_sub(spread.dust)?)?;
        out.owners.push(owner.u128());
        out.datanets.push(
            spread
                .parts
                .into_iter()
                .map(|(id, amount)| (id, amount.u128()))
                .collect(),
        );
    }
    out.treasury_share = base.treasury.checked_sub(base.dust)?.u128();
    out.dust = Uint128::new(fee)
        .checked_sub(base.stakers)?
        .checked_sub(base.hosts)?
        .checked_sub(base.treasury)?
        .checked_sub(placed)?
        .checked_add(base.dust)?
        .u128();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_diamond_pays_every_party_exactly() {
        // Model licensing's README: C keeps 5 000, A 700, P1 1 600, P2 2 700; a fee of 10 000.
        let party = |share_bps, id| Party {
            share_bps,
            attribution: vec![(id, 10_000)],
        };
        let parties = [
            party(5_000, 4),
            party(700, 1),
            party(1_600, 2),
            party(2_700, 3),
        ];
        let s = derived_payment(&FeeSplit::default(), 10_000, &parties, ServedBy::Owner).unwrap();
        assert_eq!(s.owners, vec![1_000, 140, 320, 540]);
        assert_eq!(
            s.datanets,
            vec![
                vec![(4, 2_500)],
                vec![(1, 350)],
                vec![(2, 800)],
                vec![(3, 1_350)]
            ]
        );
        assert_eq!((s.stakers, s.treasury_share, s.dust), (2_000, 1_000, 0));
        assert_eq!(
            (s.hosts, s.owner_credit(), s.to_pool(10_000)),
            (0, 1_000, 9_000)
        );
    }

    #[test]
    fn roundings_go_to_the_treasury() {
        // Fee 1 001: o = 200, d = 500, stakers 200, treasury 100 + 1. Shares 8 000 / 2 000: the
        // model 160 + 400 (spread 60/40: 240 + 160), its parent 40 + 100 (all to datanet 3).
        let parties = [
            Party {
                share_bps: 8_000,
                attribution: vec![(1, 6_000), (2, 4_000)],
            },
            Party {
                share_bps: 2_000,
                attribution: vec![(3, 10_000)],
            },
        ];
        let s = derived_payment(&FeeSplit::default(), 1_001, &parties, ServedBy::Owner).unwrap();
        assert_eq!(s.owners, vec![160, 40]);
        assert_eq!(s.datanets, vec![vec![(1, 240), (2, 160)], vec![(3, 100)]]);
        assert_eq!((s.stakers, s.treasury_share, s.dust), (200, 100, 1));
    }

    #[test]
    fn the_hosts_share_goes_whole_to_the_paying_models_host() {
        // Fee 999 under datanets 40 %, owner 20 %, hosts 10 %, stakers 20 %, treasury 10 %:
        // o = 199, d = 399, hosts 99, stakers 199, treasury 99 + split dust 4. The model keeps
        // 8 000 bps: owner 159, data 319; its parent 2 000: owner 39, data 79. Royalty dust
        // 1 + 1. The ancestors share only o and d: all 99 go to the model's host.
        let split = FeeSplit {
            datanets_bps: 4_000,
            hosts_bps: 1_000,
            ..FeeSplit::default()
        };
        let parties = [
            Party {
                share_bps: 8_000,
                attribution: vec![(2, 10_000)],
            },
            Party {
                share_bps: 2_000,
                attribution: vec![(1, 10_000)],
            },
        ];
        let signed =
            derived_payment(&split, 999, &parties, ServedBy::Host("h".to_string())).unwrap();
        assert_eq!(
            signed,
            DerivedSplit {
                owners: vec![159, 39],
                hosts: 99,
                served_by: ServedBy::Host("h".to_string()),
                datanets: vec![vec![(2, 319)], vec![(1, 79)]],
                stakers: 199,
                treasury_share: 99,
                dust: 6,
            }
        );
        assert_eq!(signed.treasury(), 105);
        assert_eq!(
            (
                signed.owner_credit(),
                signed.credited(),
                signed.to_pool(999)
            ),
            (159, 258, 741)
        );
        let parts: u128 = signed.owners.iter().sum::<u128>()
            + signed.hosts
            + signed
                .datanets
                .iter()
                .flatten()
                .map(|(_, a)| a)
                .sum::<u128>()
            + signed.stakers
            + signed.treasury();
        assert_eq!(parts, 999);

        let unsigned = derived_payment(&split, 999, &parties, ServedBy::Owner).unwrap();
        assert_eq!(
            unsigned,
            DerivedSplit {
                served_by: ServedBy::Owner,
                ..signed
            }
        );
        assert_eq!((unsigned.owner_credit(), unsigned.to_pool(999)), (258, 741));
    }

    #[test]
    fn derived_payments_match_model_licensings_quote() {
        use cosmwasm_std::Addr;
        use model_licensing::split::{quote, AncestorPayout, Payout};
        use openledger_common::msg::model_licensing::LineageEntry;
        let split = FeeSplit {
            datanets_bps: 4_000,
            model_owner_bps: 1_500,
            hosts_bps: 1_500,
            ..FeeSplit::default()
        };
        split.validate().unwrap();
        let parties = [
            Party {
                share_bps: 6_300,
                attribution: vec![(1, 3_334), (2, 6_666)],
            },
            Party {
                share_bps: 2_700,
                attribution: vec![(3, 10_000)],
            },
            Party {
                share_bps: 1_000,
                attribution: vec![(4, 5_000), (1, 5_000)],
            },
        ];
        let payout = Payout {
            own_share_bps: 6_300,
            own: vec![(1, 1, 3_334), (2, 1, 6_666)],
            ancestors: parties[1..]
                .iter()
                .enumerate()
                .map(|(i, p)| AncestorPayout {
                    model_id: i as u64 + 10,
                    owner: Addr::unchecked(format!("ancestor-{i}")),
                    share_bps: p.share_bps,
                    lineage: p
                        .attribution
                        .iter()
                        .map(|&(datanet_id, weight_bps)| LineageEntry {
                            datanet_id,
                            version: 2,
                            weight_bps,
                        })
                        .collect(),
                })
                .collect(),
        };
        for fee in [1u128, 7, 99, 999, 1_001, 123_457, u64::MAX as u128] {
            let ours = derived_payment(&split, fee, &parties, ServedBy::Owner).unwrap();
            let q = quote(&split, Uint128::new(fee), &payout).unwrap();
            assert_eq!(ours.owners[0], q.split.model_owner.u128(), "fee {fee}");
            assert_eq!(ours.hosts, q.split.hosts.u128(), "fee {fee}");
            assert_eq!(ours.stakers, q.split.stakers.u128(), "fee {fee}");
            assert_eq!(ours.treasury(), q.split.treasury.u128(), "fee {fee}");
            assert_eq!(
                ours.owners[1..].to_vec(),
                q.royalties
                    .iter()
                    .map(|r| r.owner_amount.u128())
                    .collect::<Vec<_>>(),
                "fee {fee}"
            );
            let data: u128 = ours.datanets.iter().flatten().map(|(_, a)| a).sum();
            assert_eq!(data, q.split.datanets.u128(), "fee {fee}");
        }
    }
}
