//! Every contract's messages and responses.

pub mod datanet_registry;
pub mod reward_pool;
