//! The OpenLedger reward pool.
//!
//! Holds the fee token and pays it out, pull-based and O(1) per claim:
//! - contributor rewards of weight-mode datanets, through one reward-per-weight accumulator per
//!   datanet fed by the registry's weight updates;
//! - influence-mode datanets' shares, kept in a bucket per datanet and paid out by attested,
//!   challengeable Merkle roots of cumulative entitlements (`attribution`), O(log n) per claim;
//! - staking rewards, streamed over a reward period into a reward-per-stake accumulator (a
//!   reward rate: a stake earns only while it is staked), with an unbonding period;
//! - the treasury, withdrawn by the owner;
//! - curators' share of their datanets' income, through one earned-per-curator counter per
//!   datanet and a snapshot per curator (`curators`), O(1) per allocation.
//!
//! Layout: `contract` holds the entry points; `instantiate`, `execute/` (one file per group
//! of operations), `query` and `migrate` the handlers; `state` the stored types with their
//! loaders; `math` the accumulator and stream arithmetic; `attribution` the root, proof and
//! challenge reads that handlers and queries share; `versions` the version-scoped rewards and
//! account credits; `curators` the curators' counters, snapshots and sets; `earnings` the
//! queries of what contributors, curators and accounts earned.

pub mod attribution;
pub mod contract;
pub mod curators;
pub mod earnings;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod math;
pub mod migrate;
pub mod query;
pub mod state;
pub mod versions;

#[cfg(test)]
mod attribution_tests;
#[cfg(test)]
mod tests;

pub use crate::error::ContractError;

/// The cw2 contract name.
pub const CONTRACT_NAME: &str = "crates.io:reward-pool";
/// The cw2 version: the crate version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
