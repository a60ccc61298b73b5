//! Two-step ownership of a contract, as cw-ownable implements it, with a strict message.
//!
//! `cw_ownable::Action` accepts and ignores unknown fields, so `{"transfer_ownership":
//! {"new_owner": "…", "expiri": …}}` would offer ownership with no expiry at all. Every contract
//! of the suite takes [`OwnershipAction`] instead: the same JSON, refused with an error naming
//! the field when a field is unknown, converted into cw-ownable's action to run.

use cosmwasm_schema::cw_serde;

/// A step of the two-step transfer of a contract's ownership.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum OwnershipAction {
    /// The owner offers ownership to `new_owner`, who must accept it (before `expiry`, if set).
    TransferOwnership {
        /// The proposed owner.
        new_owner: String,
        /// When the offer lapses (never, when absent).
        expiry: Option<Expiration>,
    },
    /// The proposed owner accepts the offer and becomes the owner.
    AcceptOwnership,
    /// The owner gives up ownership for good: owner-only messages can never run again.
    RenounceOwnership,
}

impl From<OwnershipAction> for cw_ownable::Action {
    fn from(action: OwnershipAction) -> Self {
        match action {
            OwnershipAction::TransferOwnership { new_owner, expiry } => {
                cw_ownable::Action::TransferOwnership {
                    new_owner,
                    expiry: expiry.map(Into::into),
                }
            }
            OwnershipAction::AcceptOwnership => cw_ownable::Action::AcceptOwnership,
            OwnershipAction::RenounceOwnership => cw_ownable::Action::RenounceOwnership,
        }
    }
}

/// When an allowance or an ownership offer lapses: the JSON of `cw_utils::Expiration`, strict
/// (a field inside `never` is refused, not ignored).
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy)]
pub enum Expiration {
    /// From this block height on (inclusive).
    AtHeight(u64),
    /// From this block time on (inclusive).
    AtTime(cosmwasm_std::Timestamp),
    /// Never.
    Never {},
}

impl From<Expiration> for cw_utils::Expiration {
    fn from(e: Expiration) -> Self {
        match e {
            Expiration::AtHeight(h) => cw_utils::Expiration::AtHeight(h),
            Expiration::AtTime(t) => cw_utils::Expiration::AtTime(t),
            Expiration::Never {} => cw_utils::Expiration::Never {},
        }
    }
}
