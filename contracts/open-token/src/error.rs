//! The errors of OPEN.

use cosmwasm_std::StdError;
use openledger_common::MigrateError;
use thiserror::Error;

/// Errors of the OPEN token: those of cw20-base, plus the migration checks.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    /// A storage or serialisation error.
    #[error("{0}")]
    Std(#[from] StdError),

    /// An error of cw20-base (balances, allowances, minting, ...).
    #[error("{0}")]
    Cw20(#[from] cw20_base::ContractError),

    /// `migrate` refused: another contract's state, or a downgrade.
    #[error("{0}")]
    Migrate(#[from] MigrateError),

    /// OPEN takes no native coins: cw20-base would keep them, stranded in the token contract.
    #[error("OPEN takes no native coins; {sent} were sent with the message")]
    NativeCoinsRefused { sent: String },
}
