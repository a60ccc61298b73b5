//! The curators' cut of a datanet allocation, computed the same way by the reward pool and by
//! every off-chain ledger that mirrors it.
//!
//! Of an allocation `amount` to a datanet with `n` curators at a rate of `bps`, each curator
//! gets `per_curator = ⌊⌊amount × bps / 10 000⌋ / n⌋`; the rest, `amount − per_curator × n`,
//! reaches the datanet's contributors exactly as a whole allocation would without curators. No
//! curator, or a zero rate, takes nothing. Everything is in whole units: nothing is lost to
//! scaling and the parts add up to the amount.

use cosmwasm_std::{StdResult, Uint128};

use crate::bps::{apply_bps, Bps};

/// One datanet allocation split between its curators and its contributors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CuratorsCut {
    /// What each curator earns.
    pub per_curator: Uint128,
    /// What the curators earn together (`per_curator × curators`).
    pub curators: Uint128,
    /// What is left for the contributors (`amount − curators`).
    pub rest: Uint128,
}

/// Splits `amount` between `curators` curators at `bps` and the contributors (see the module
/// doc).
pub fn curators_cut(amount: Uint128, bps: Bps, curators: u32) -> StdResult<CuratorsCut> {
    if curators == 0 || bps == 0 {
        return Ok(CuratorsCut {
            rest: amount,
            ..CuratorsCut::default()
        });
    }
    let n = Uint128::from(curators);
    let per_curator = apply_bps(amount, bps)?.checked_div(n)?;
    let together = per_curator.checked_mul(n)?;
    Ok(CuratorsCut {
        per_curator,
        curators: together,
        rest: amount.checked_sub(together)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(amount: u128, bps: Bps, n: u32) -> (u128, u128, u128) {
        let c = curators_cut(Uint128::new(amount), bps, n).unwrap();
        (c.per_curator.u128(), c.curators.u128(), c.rest.u128())
    }

    #[test]
    fn cut_is_whole_units_and_adds_up() {
        // 1 000 at 10 %: 100 for the curators.
        assert_eq!(cut(1_000, 1_000, 1), (100, 100, 900));
        assert_eq!(cut(1_000, 1_000, 2), (50, 100, 900));
        // 100 / 3 = 33 each; the unit that does not divide stays with the contributors.
        assert_eq!(cut(1_000, 1_000, 3), (33, 99, 901));
        // 9 at 10 % is 0.9: nothing for the curators.
        assert_eq!(cut(9, 1_000, 1), (0, 0, 9));
        for amount in [0u128, 1, 7, 999, 12_345, u128::MAX] {
            for n in [1u32, 2, 3, 16] {
                let (per, together, rest) = cut(amount, 2_000, n);
                assert_eq!(per * u128::from(n), together);
                assert_eq!(together + rest, amount);
            }
        }
    }

    #[test]
    fn no_curators_or_zero_rate_takes_nothing() {
        assert_eq!(cut(1_000, 1_000, 0), (0, 0, 1_000));
        assert_eq!(cut(1_000, 0, 3), (0, 0, 1_000));
    }
}
