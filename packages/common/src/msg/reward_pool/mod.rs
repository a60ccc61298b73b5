//! Messages of the reward pool: fee distribution, contributor rewards by weight, staking,
//! treasury, and influence attribution (attestors, attested Merkle roots, challenges, claims
//! with proofs; the tree format is in `crate::merkle`).

mod execute;
mod query;
mod types;

pub use execute::*;
pub use query::*;
pub use types::*;
