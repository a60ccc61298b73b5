//! Messages of the agent escrow: bonded agents, milestone tasks, reviews, disputes, timeouts and
//! settlement.
//!
//! Times are whole seconds since the Unix epoch (block time, rounded down to the second);
//! windows are durations in seconds. A window of `w` seconds opened at `t0` is open while
//! `t0 ≤ now < t0 + w`: the action it guards is refused from `t0 + w` on, and the action that
//! ends it (finalize, refund) is allowed from `t0 + w` on (inclusive).

mod execute;
mod query;
mod types;

pub use execute::*;
pub use query::*;
pub use types::*;
