//! The common package of the OpenLedger suite.
//!
//! Every contract's messages and responses live here, so a contract, a test, the deploy tool
//! and an integrator's schema all speak the same types. Besides messages it holds the shared
//! domain types (ids, basis points, fee splits, attribution vectors) with their validation,
//! pagination limits, cw20 hook helpers, the cw2 migration check, ownership steps, the
//! schema writer of every contract and typed handles that build each contract's messages and
//! queries.

pub mod attribution;
pub mod bps;
pub mod checked;
pub mod curation;
pub mod error;
pub mod fee;
pub mod handles;
pub mod hook;
pub mod item_owner;
pub mod merkle;
pub mod migrate;
pub mod msg;
pub mod ownership;
pub mod pagination;
pub mod schema;
pub mod validate;
pub mod version_tree;
pub mod wire;

pub use attribution::{Attribution, AttributionError, AttributionShare};
pub use bps::{Bps, BPS_DENOMINATOR};
pub use checked::Checked;
pub use fee::{FeeSplit, FeeSplitAmounts, FeeSplitError};
pub use hook::HookError;
pub use migrate::MigrateError;
pub use ownership::OwnershipAction;
pub use pagination::{page_limit, PaginationError, DEFAULT_LIMIT, MAX_LIMIT};
pub use validate::{
    normalize_hash, reserved_name, validate_addr, validate_bps, validate_text, AddressError,
    ValidationError,
};

/// 10^18: the fixed-point scale of every reward-per-weight accumulator (the reward pool's, and
/// the reference model's of the tests and tools).
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000;
