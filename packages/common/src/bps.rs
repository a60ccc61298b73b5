//! Basis points: shares of a whole expressed in ten-thousandths.

use cosmwasm_std::{StdError, StdResult, Uint128, Uint256};

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

/// `amount × bps / 10 000`, rounded up: a fee taken in the protocol's favour, never 0 for a
/// non-zero amount at a non-zero rate. Exact (256-bit product); an error only when the result
/// does not fit a `Uint128` (possible only for `bps` above 10 000).
pub fn apply_bps_ceil(amount: Uint128, bps: Bps) -> StdResult<Uint128> {
    let product = Uint256::from(amount)
        .checked_mul(Uint256::from(bps))
        .map_err(|e| StdError::generic_err(e.to_string()))?;
    let denominator = Uint256::from(BPS_DENOMINATOR);
    let floor = product / denominator;
    let quotient = if (product % denominator).is_zero() {
        floor
    } else {
        floor
            .checked_add(Uint256::one())
            .map_err(|e| StdError::generic_err(e.to_string()))?
    };
    Uint128::try_from(quotient).map_err(|e| StdError::generic_err(e.to_string()))
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

    #[test]
    fn apply_bps_ceil_rounds_up_and_never_overflows() {
        let ceil = |a: u128, bps| apply_bps_ceil(Uint128::new(a), bps).unwrap().u128();
        // 19 at 5 % is 0.95: the fee is 1, never 0 (apply_bps gives 0).
        assert_eq!(ceil(19, 500), 1);
        assert_eq!(ceil(190, 500), 10);
        assert_eq!(ceil(200, 500), 10);
        assert_eq!(ceil(1, 1), 1);
        assert_eq!(ceil(0, 500), 0);
        assert_eq!(ceil(1_000, 0), 0);
        assert_eq!(ceil(u128::MAX, 10_000), u128::MAX);
        assert_eq!(ceil(u128::MAX, 5_000), u128::MAX / 2 + 1);
        assert!(apply_bps_ceil(Uint128::MAX, u16::MAX).is_err());
    }
}
