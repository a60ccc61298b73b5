//! The story's arithmetic helpers: how amounts print, and the stake plan that keeps every
//! staking reward whole.

use anyhow::{bail, Result};
use openledger_common::attribution::AttributionShare;

/// Every stakers' allocation of the story is a multiple of this (a fifth of a 1 000 fee).
pub(super) const STAKE_QUANTUM: u128 = 200;

/// `10000` → `10 000`.
pub(super) fn units(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A signed amount with its sign and thousands separators (`+1 000`, `-25`).
pub(super) fn signed(n: i128) -> String {
    let sign = if n < 0 { "-" } else { "+" };
    format!("{sign}{}", units(n.unsigned_abs()))
}

/// Basis points as a percentage (`70 %`, `33.34 %`).
pub(super) fn percent(bps: u128) -> String {
    if bps % 100 == 0 {
        format!("{} %", bps / 100)
    } else {
        format!("{:.2} %", bps as f64 / 100.0)
    }
}

/// The attribution vector over datanets `a` and `b` with the weights `bps`.
pub(super) fn vector(a: u64, b: u64, bps: [u16; 2]) -> Vec<AttributionShare> {
    vec![
        AttributionShare {
            datanet_id: a,
            weight_bps: bps[0],
        },
        AttributionShare {
            datanet_id: b,
            weight_bps: bps[1],
        },
    ]
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The story's new stakes `[d1, d2]` and the pool's total stake `T` during the payments, such
/// that every staking reward of the story is a whole number of units:
/// - `T = 2^a·5^b` divides `STAKE_QUANTUM·10^18`, so each increment `⌊a·10^18 / T⌋` is exact;
/// - each story staker's whole stake `w_i` is a multiple of `T / gcd(T, STAKE_QUANTUM)`, so
///   `w_i · a / T` is whole for every allocation `a` (a multiple of the quantum).
///
/// `others` is what other accounts stake, `held` what the two stakers already stake, `least`
/// the least each adds. The smallest such `T` is taken.
pub(super) fn stake_plan(
    others: u128,
    held: [u128; 2],
    least: [u128; 2],
) -> Result<(u128, [u128; 2])> {
    let mut totals: Vec<u128> = Vec::new();
    for a in 0..=21u32 {
        for b in 0..=20u32 {
            if let Some(t) = 2u128
                .checked_pow(a)
                .and_then(|x| x.checked_mul(5u128.pow(b)))
            {
                if t <= 1_000_000_000_000_000 {
                    totals.push(t);
                }
            }
        }
    }
    totals.sort_unstable();
    for t in totals {
        let step = t / gcd(t, STAKE_QUANTUM);
        let Some(free) = t.checked_sub(others) else {
            continue;
        };
        if free % step != 0 {
            continue;
        }
        let w1 = (held[0] + least[0]).div_ceil(step) * step;
        let Some(w2) = free.checked_sub(w1) else {
            continue;
        };
        if w2 < held[1] + least[1] {
            continue;
        }
        return Ok((t, [w1 - held[0], w2 - held[1]]));
    }
    bail!(
        "no stake plan makes the staking rewards whole: other accounts stake {others}, which no \
         total of the form 2^a·5^b leaves a multiple of the stakers' step; unstake them or tell \
         the story on a chain of its own"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use openledger_economics::REWARD_SCALE;

    #[test]
    fn stake_plan_on_a_fresh_pool_is_three_to_one() {
        assert_eq!(
            stake_plan(0, [0, 0], [3_000, 1_000]).unwrap(),
            (4_000, [3_000, 1_000])
        );
    }

    #[test]
    fn stake_plan_makes_every_reward_whole() {
        for (others, held) in [
            (0u128, [4_000u128, 0u128]),
            (0, [7_000, 1_000]),
            (400, [123, 77]),
            (5_000, [10_001, 3]),
        ] {
            let (t, d) = stake_plan(others, held, [3_000, 1_000]).unwrap();
            let w = [held[0] + d[0], held[1] + d[1]];
            assert_eq!(others + w[0] + w[1], t);
            assert!(d[0] >= 3_000 && d[1] >= 1_000);
            for a in [200u128, 1_000, 2_000, 400] {
                let inc = a * REWARD_SCALE / t;
                assert_eq!(inc * t, a * REWARD_SCALE, "T {t} a {a}");
                for wi in w {
                    assert_eq!((wi * inc) % REWARD_SCALE, 0, "T {t} w {wi} a {a}");
                }
            }
        }
    }

    #[test]
    fn stake_plan_refuses_what_cannot_be_whole() {
        // 1 unit staked by someone else: no 2^a·5^b total leaves a multiple of the step.
        assert!(stake_plan(1, [0, 0], [3_000, 1_000]).is_err());
    }

    #[test]
    fn amounts_are_grouped() {
        assert_eq!(units(0), "0");
        assert_eq!(units(1_000), "1 000");
        assert_eq!(units(1_234_567), "1 234 567");
        assert_eq!(signed(-2_500), "-2 500");
        assert_eq!(percent(7_000), "70 %");
    }
}
