//! Errors of the model: arithmetic that does not fit, and settlements the escrow refuses.

use cosmwasm_std::{ConversionOverflowError, DivideByZeroError, OverflowError, StdError};
use thiserror::Error;

/// Why the model could not compute a figure.
#[derive(Error, Debug, PartialEq)]
pub enum EconomicsError {
    /// An error of the common package's arithmetic (basis points, fee split, attribution).
    #[error(transparent)]
    Std(#[from] StdError),

    /// A sum or product that does not fit.
    #[error(transparent)]
    Overflow(#[from] OverflowError),

    /// A scaled figure that does not fit 128 bits.
    #[error(transparent)]
    Conversion(#[from] ConversionOverflowError),

    /// A division by zero (a distribution over no weight).
    #[error(transparent)]
    DivideByZero(#[from] DivideByZeroError),

    /// A ruling whose settled part does not cover the milestone's costs (model fees, and the
    /// net amount delegated and the overseers' fees of a milestone that spent them) and its own
    /// protocol fee (the escrow's `AgentShareBelowCosts`).
    #[error("a ruling settles {settled}, below its costs {model_fees} (model fees, delegated, overseers) plus its protocol fee {protocol_fee}")]
    BelowCosts {
        /// The amount settled for the agent.
        settled: u128,
        /// The milestone's costs: its model fees, plus what it delegated and paid its overseers.
        model_fees: u128,
        /// The protocol fee of the settled amount.
        protocol_fee: u128,
    },

    /// A holder the accumulator knows nothing of.
    #[error("{holder} holds no weight")]
    UnknownHolder {
        /// The holder, as displayed.
        holder: String,
    },

    /// A fee for a version that was not published.
    #[error("version {version} was not published")]
    UnknownVersion {
        /// The version named.
        version: u32,
    },

    /// A figure that left its range (a claim above what was earned, a count above u32).
    #[error("a figure left its range")]
    OutOfRange,
}
