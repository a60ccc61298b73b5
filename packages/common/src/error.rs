//! The error variants every contract of the suite shares, written once.
//!
//! [`contract_error!`](crate::contract_error) declares a contract's `ContractError` with the
//! shared variants first (`Std`, the wrapped library errors, `Validation`, `InvalidAddress`) and
//! the contract's own domain variants after them, so the same mistake gives the same message in
//! every contract. A contract using it depends on `thiserror`, `cosmwasm-std`, `cw-utils` and
//! `cw-ownable`, as every contract of the suite does.

/// Declares `pub enum ContractError` with the suite's shared variants followed by the given
/// domain variants, derives `thiserror::Error`, `Debug` and `PartialEq`, and converts an
/// [`AddressError`](crate::AddressError) into `InvalidAddress`:
///
/// ```ignore
/// openledger_common::contract_error! {
///     /// Errors of the registry.
///     pub enum ContractError {
///         #[error("datanet {id} does not exist")]
///         DatanetNotFound { id: u64 },
///     }
/// }
/// ```
#[macro_export]
macro_rules! contract_error {
    (
        $(#[$meta:meta])*
        pub enum ContractError {
            $($domain:tt)*
        }
    ) => {
        $(#[$meta])*
        #[derive(::thiserror::Error, Debug, PartialEq)]
        pub enum ContractError {
            /// An error of the standard library of CosmWasm (storage, serialization, math).
            #[error("{0}")]
            Std(#[from] ::cosmwasm_std::StdError),

            /// Funds sent where none, or other ones, are expected.
            #[error("{0}")]
            Payment(#[from] ::cw_utils::PaymentError),

            /// The contract's two-step ownership (cw-ownable).
            #[error("{0}")]
            Ownership(#[from] ::cw_ownable::OwnershipError),

            /// A checked arithmetic step overflowed.
            #[error("{0}")]
            Overflow(#[from] ::cosmwasm_std::OverflowError),

            /// A cw20 hook that is not acceptable (wrong token, zero amount, bad message).
            #[error("{0}")]
            Hook(#[from] $crate::HookError),

            /// A page limit out of bounds.
            #[error("{0}")]
            Pagination(#[from] $crate::PaginationError),

            /// A migration that is refused (another contract, a downgrade).
            #[error("{0}")]
            Migrate(#[from] $crate::MigrateError),

            /// A field of a message that fails a check shared by every contract.
            #[error(transparent)]
            Validation(#[from] $crate::ValidationError),

            /// An address that is not a valid, normalized address of this chain.
            #[error("invalid {field} address '{address}': {reason}")]
            InvalidAddress {
                /// The field that held it.
                field: String,
                /// The address as given.
                address: String,
                /// Why the chain refused it.
                reason: String,
            },

            $($domain)*
        }

        impl From<$crate::AddressError> for ContractError {
            fn from(e: $crate::AddressError) -> Self {
                ContractError::InvalidAddress {
                    field: e.field,
                    address: e.address,
                    reason: e.reason,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::{OverflowError, OverflowOperation, StdError};

    use crate::{AddressError, ValidationError};

    crate::contract_error! {
        /// A contract's errors, for the test.
        pub enum ContractError {
            /// A domain error.
            #[error("thing {id} does not exist")]
            NotFound { id: u64 },
        }
    }

    #[test]
    fn shared_and_domain_variants() {
        let e: ContractError = StdError::generic_err("boom").into();
        assert_eq!(e.to_string(), "Generic error: boom");
        let e: ContractError = OverflowError::new(OverflowOperation::Add).into();
        assert_eq!(
            e,
            ContractError::Overflow(OverflowError::new(OverflowOperation::Add))
        );
        let e: ContractError = ValidationError::InvalidBps {
            field: "slash_bps".into(),
            bps: 10_001,
        }
        .into();
        assert_eq!(
            e.to_string(),
            "slash_bps is 10001 bps, at most 10000 is allowed"
        );
        let e: ContractError = AddressError {
            field: "owner".into(),
            address: "X".into(),
            reason: "bad".into(),
        }
        .into();
        assert_eq!(e.to_string(), "invalid owner address 'X': bad");
        assert_eq!(
            ContractError::NotFound { id: 7 }.to_string(),
            "thing 7 does not exist"
        );
    }
}
