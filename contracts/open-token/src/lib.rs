//! OPEN, the token of the OpenLedger suite.
//!
//! OPEN is a standard cw20 token: every message has the cw20-base 2.x wire format, so any cw20
//! wallet, explorer or contract works with it unchanged; OPEN's own copies of the execute and
//! query enums only add strictness (an unknown field is an error naming it). This crate turns
//! the cw20-base library into a contract of the suite with explicit entry points (a bare
//! `pub use` would export none), records its own cw2 name, and adds a checked `migrate`.

pub mod contract;
pub mod error;
pub mod msg;

pub use crate::error::ContractError;
pub use crate::msg::{ExecuteMsg, QueryMsg};
pub use cw20_base::msg::InstantiateMsg;

/// The cw2 contract name of OPEN.
pub const CONTRACT_NAME: &str = "crates.io:open-token";
/// The cw2 version of OPEN: the crate version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests;
