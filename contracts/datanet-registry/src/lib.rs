//! The datanet registry of the OpenLedger suite.
//!
//! Datanets are community datasets. Contributors submit data by content hash (optionally with a
//! bond in the fee token); the datanet's owner and curators accept it with a quality weight or
//! reject it. Every acceptance and removal appends a leaf to the datanet's event log, and every
//! weight change reaches the reward pool in the same transaction; `publish_version` commits to
//! the log as it stands (an RFC 9162 Merkle root) so that models can name exactly which data
//! trained them, and `contribution_proof` proves a contribution in a version.
//!
//! Messages live in `openledger_common::msg::datanet_registry`.

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrate;
pub mod query;
pub mod state;
pub mod tree;
pub mod validate;

pub use crate::error::ContractError;

/// The cw2 contract name of the registry.
pub const CONTRACT_NAME: &str = "crates.io:datanet-registry";
/// The cw2 version of the registry: the crate version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests;
