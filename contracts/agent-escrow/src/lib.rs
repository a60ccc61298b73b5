//! The agent escrow of the OpenLedger suite.
//!
//! AI agents register with a bond in the fee token and take paid tasks from clients; accepting
//! a task reserves part of the bond for it (what a ruling against the agent on that task can
//! slash). A client's budget sits here per milestone until the work is approved, finalised
//! after an undisputed review window, split by the task's arbiter, or refunded on a timeout.
//! Delivering a milestone pays the model fees the work incurred (cw20 `send`s to model
//! licensing, in the submission's transaction); settling it pays the protocol fee (to the
//! reward pool's treasury, rounded up) and the rest to the agent. Milestones submitted under
//! 0.2.0 still pay their fees at settlement, with refusals caught in `reply` and returned to
//! the client.
//!
//! Messages live in `openledger_common::msg::agent_escrow`.

pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrate;
pub mod query;
pub mod query_roles;
pub mod reply;
pub mod state;
pub mod state_overseers;
pub mod validate;

pub use crate::error::ContractError;

/// The cw2 contract name of the escrow.
pub const CONTRACT_NAME: &str = "crates.io:agent-escrow";
/// The cw2 version of the escrow: the crate version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests;
