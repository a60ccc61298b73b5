//! Model licensing of the OpenLedger suite.
//!
//! Models declare their lineage (the published datanet versions that trained them, with
//! weights), sell licence tiers and charge per inference. Every fee is split on-chain: the
//! model owner's share and the hosts' share are credited here (withdrawn with
//! `withdraw_earnings`), and the datanets' (by attribution), stakers' and treasury's shares go
//! to the reward pool as one cw20 `send` with `distribute` per message. A paid inference may
//! carry an attribution vector over the lineage signed by one of the model's hosts (a secp256k1
//! receipt): that host served it and is credited the hosts' share. Without one, the lineage
//! weights apply and the hosts' share goes to the model's owner, as for licence purchases.
//!
//! Every datanet share is for the version the lineage names. A model may derive from registered
//! models (`parents`, each owned by the registrant or licensed to it commercially, with a
//! royalty): its fees then also pay its ancestors' owners (credited in the reward pool) and
//! their lineage data, by shares fixed at registration (`ancestry`).
//!
//! Messages live in `openledger_common::msg::model_licensing`.

pub mod ancestry;
pub mod contract;
pub mod error;
pub mod execute;
pub mod instantiate;
pub mod migrate;
pub mod query;
pub mod split;
pub mod state;
pub mod validate;

pub use crate::error::ContractError;

/// The cw2 contract name of model licensing.
pub const CONTRACT_NAME: &str = "crates.io:model-licensing";
/// The cw2 version of model licensing: the crate version.
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests;
