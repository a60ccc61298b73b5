//! The reference model of the OpenLedger economics, shared by the property tests, the story,
//! the load run and the benchmark: what every payment, distribution and settlement must move,
//! computed on plain `u128` amounts with checked arithmetic and the contracts' own rounding.
//!
//! - [`split`]: the fee split of a model payment (model owner, datanets by attribution, the
//!   hosts' share and who served the payment, stakers, treasury and dust), from the protocol's
//!   [`FeeSplit`] and
//!   [`Attribution::apportion`](openledger_common::attribution::Attribution::apportion);
//! - [`derived`]: the same for a derived model, whose creator value is shared with its
//!   ancestors (the hosts' share never is);
//! - [`accumulator`]: the reward pool's reward-per-weight accumulator at [`REWARD_SCALE`]
//!   (increments, credited units and dust, settled positions with their remainders) and the
//!   exact pro-rata share a holder is entitled to;
//! - [`settlement`]: the agent escrow's settlement of a milestone (protocol fee rounded up on
//!   what sub-tasks did not receive, model fees paid at delivery, the net amount delegated,
//!   the evaluator's and a bonded arbiter's fees, the agent's and the client's parts of a
//!   ruling) and what a milestone can still spend on models and sub-tasks;
//! - [`reputation`]: the free bond an agent's record requires to accept a task, and clients'
//!   ratings weighted by what each task paid.
//!
//! Every number comes from the common package: the scale ([`REWARD_SCALE`]), the default
//! split ([`FeeSplit::default`]), the basis-point helpers ([`openledger_common::bps`]) and the
//! escrow's reputation steps.
//! Nothing here is used by the contracts; it is what the tests and tools check them against.

pub mod accumulator;
pub mod derived;
pub mod error;
pub mod reputation;
pub mod settlement;
pub mod split;
pub mod versions;

pub use accumulator::{increment, pro_rata_scaled, Accumulator, Credit, Position};
pub use derived::{derived_payment, DerivedSplit, Party};
pub use error::EconomicsError;
pub use openledger_common::{FeeSplit, REWARD_SCALE};
pub use reputation::{bond_multiplier_bps, required_bond, Ratings};
pub use settlement::{
    available_for_model_fees, bond_reservation, milestone_fees, ruling_allowed,
    ruling_allowed_spent, settle, settle_spent, spendable, Outcome, Settlement, Spent,
};
pub use split::{
    attribution_of, shares, split_payment, PaymentItem, PaymentSplit, Payments, ServedBy,
};
pub use versions::VersionedRewards;

use cosmwasm_std::{OverflowError, OverflowOperation, Uint128};
use openledger_common::bps::{apply_bps, apply_bps_ceil, Bps};

/// Results of the model.
pub type Result<T> = std::result::Result<T, EconomicsError>;

/// `amount × bps / 10 000`, rounded down (shares of a split, the settled part of a ruling).
pub fn bps_floor(amount: u128, bps: Bps) -> Result<u128> {
    Ok(apply_bps(Uint128::new(amount), bps)?.u128())
}

/// `amount × bps / 10 000`, rounded up (the protocol's fees).
pub fn bps_ceil(amount: u128, bps: Bps) -> Result<u128> {
    Ok(apply_bps_ceil(Uint128::new(amount), bps)?.u128())
}

/// `a + b`, or an overflow error.
pub(crate) fn add(a: u128, b: u128) -> Result<u128> {
    a.checked_add(b)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Add).into())
}

/// `a − b`, or an overflow error.
pub(crate) fn sub(a: u128, b: u128) -> Result<u128> {
    a.checked_sub(b)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Sub).into())
}

/// `a × b`, or an overflow error.
pub(crate) fn mul(a: u128, b: u128) -> Result<u128> {
    a.checked_mul(b)
        .ok_or_else(|| OverflowError::new(OverflowOperation::Mul).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bps_rounds_down_or_up_as_the_contracts_do() {
        assert_eq!(bps_floor(1_001, 5_000).unwrap(), 500);
        assert_eq!(bps_ceil(1_001, 5_000).unwrap(), 501);
        assert_eq!(bps_floor(19, 500).unwrap(), 0);
        assert_eq!(bps_ceil(19, 500).unwrap(), 1);
        assert_eq!(bps_ceil(0, 500).unwrap(), 0);
        assert_eq!(bps_floor(u128::MAX, 10_000).unwrap(), u128::MAX);
        assert!(matches!(
            bps_ceil(u128::MAX, u16::MAX),
            Err(EconomicsError::Std(_))
        ));
    }

    #[test]
    fn the_scale_and_the_default_split_come_from_the_common_package() {
        assert_eq!(REWARD_SCALE, 10u128.pow(18));
        let split = FeeSplit::default();
        assert_eq!(
            (
                split.datanets_bps,
                split.model_owner_bps,
                split.hosts_bps,
                split.stakers_bps,
                split.treasury_bps
            ),
            (5_000, 2_000, 0, 2_000, 1_000)
        );
    }
}
