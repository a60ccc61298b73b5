//! Every contract's messages and responses.

pub mod agent_escrow;
pub mod datanet_registry;
pub mod model_licensing;
pub mod reward_pool;
