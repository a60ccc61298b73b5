//! The datanet registry of the OpenLedger suite.
//!
//! Datanets are community datasets. Contributors submit data by content hash (optionally with a
//! bond in the fee token); the datanet's owner and curators accept it with a quality weight or
//! reject it. Every accepted contribution extends the datanet's rolling commitment and reaches
//! the reward pool as a weight change in the same transaction; `publish_version` freezes the
//! commitment so that models can name exactly which data trained them.
//!
//! Messages live in `openledger_common::msg::datanet_registry`.

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrate;
pub mod query;
pub mod state;
pub mod validate;

pub use crate::error::ContractError;

/// The cw2 contract name of the registry.
pub const CONTRACT_NAME: &str = "crates.io:datanet-registry";
/// The cw2 version of the registry: the crate version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests;
