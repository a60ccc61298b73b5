//! Basis points: shares of a whole expressed in ten-thousandths.

use cosmwasm_std::{StdError, StdResult, Uint128};

/// A share in basis points (1 bps = 0.01 %); 10 000 is the whole.
pub type Bps = u16;

/// The whole, in basis points.
pub const BPS_DENOMINATOR: u16 = 10_000;

/// `amount × bps / 10 000`, rounded down. Exact and overflow-checked: the product is taken in
/// 256 bits, so no amount that fits a `Uint128` can overflow.
pub fn apply_bps(amount: Uint128, bps: Bps) -> StdResult<Uint128> {
    amount
        .checked_multiply_ratio(bps, BPS_DENOMINATOR)
        .map_err(|e| StdError::generic_err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_bps_rounds_down_and_never_overflows() {
        assert_eq!(
            apply_bps(Uint128::new(10_001), 5_000).unwrap(),
            Uint128::new(5_000)
        );
        assert_eq!(apply_bps(Uint128::new(1), 9_999).unwrap(), Uint128::zero());
        assert_eq!(apply_bps(Uint128::MAX, 10_000).unwrap(), Uint128::MAX);
        assert_eq!(
            apply_bps(Uint128::MAX, 5_000).unwrap(),
            Uint128::new(u128::MAX / 2)
        );
    }
}
