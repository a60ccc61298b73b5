//! The payment of a derived model, as model licensing computes it (its README, "Derived
//! models"): the fee's model-owner share `o` and datanets share `d` are the creator value; each
//! party X — the paying model first, then each ancestor with a share — receives
//! `⌊o · share(X) / 10 000⌋` for its owner and `⌊d · share(X) / 10 000⌋` for its data, spread by
//! X's attribution (each part rounded down). What these roundings lose goes to the treasury.

use cosmwasm_std::Uint128;
use openledger_common::bps::{apply_bps, Bps};
use openledger_common::FeeSplit;

use crate::split::attribution_of;
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

/// What one payment of a derived model pays. `Σ owners + Σ datanets + stakers + treasury`
/// equals the fee exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DerivedSplit {
    /// Each party's owner amount, in party order.
    pub owners: Vec<u128>,
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
}

/// Splits one payment of `fee` of a model whose parties (itself first) are `parties`.
pub fn derived_payment(split: &FeeSplit, fee: u128, parties: &[Party]) -> Result<DerivedSplit> {
    let base = split.split(Uint128::new(fee))?;
    let (o, d) = (base.model_owner, base.datanets);
    let mut out = DerivedSplit {
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
        let s = derived_payment(&FeeSplit::default(), 10_000, &parties).unwrap();
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
        let s = derived_payment(&FeeSplit::default(), 1_001, &parties).unwrap();
        assert_eq!(s.owners, vec![160, 40]);
        assert_eq!(s.datanets, vec![vec![(1, 240), (2, 160)], vec![(3, 100)]]);
        assert_eq!((s.stakers, s.treasury_share, s.dust), (200, 100, 1));
    }
}
