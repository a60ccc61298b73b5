//! The suite shared by the cross-contract tests: one builder ([`SuiteBuilder`]) for one
//! cw-multi-test app with the contracts of the suite stored, instantiated and wired, named
//! accounts, and a ledger the tests keep themselves to check every party's balance after every
//! step; the fixtures of each area (the escrow's [`escrow::World`], the attack setups) are views
//! over it.

pub mod attack;
mod builder;
mod contracts;
pub mod counting;
pub mod escrow;
mod influence;
pub mod malicious;
pub mod models;
pub mod pool_helpers;
pub mod sim;
mod suite;
pub mod workflow;

pub use builder::*;
pub use contracts::{pool_contract, registry_contract, token_contract};
pub use influence::*;
pub use suite::*;
