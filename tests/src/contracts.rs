//! The code of every contract of the suite, wrapped for cw-multi-test (entry points, replies
//! and migrations), as the builder, the story's mock backend and the migration tests store it.

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, ContractWrapper};

/// The OPEN token (cw20-base with the suite's migration).
pub fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            open_token::contract::execute,
            open_token::contract::instantiate,
            open_token::contract::query,
        )
        .with_migrate(open_token::contract::migrate),
    )
}

/// The datanet registry.
pub fn registry_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            datanet_registry::contract::execute,
            datanet_registry::contract::instantiate,
            datanet_registry::contract::query,
        )
        .with_migrate(datanet_registry::contract::migrate),
    )
}

/// The reward pool.
pub fn pool_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            reward_pool::contract::execute,
            reward_pool::contract::instantiate,
            reward_pool::contract::query,
        )
        .with_migrate(reward_pool::contract::migrate),
    )
}

/// Model licensing.
pub fn model_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            model_licensing::contract::execute,
            model_licensing::contract::instantiate,
            model_licensing::contract::query,
        )
        .with_migrate(model_licensing::contract::migrate),
    )
}

/// The agent escrow (with its reply entry point).
pub fn escrow_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            agent_escrow::contract::execute,
            agent_escrow::contract::instantiate,
            agent_escrow::contract::query,
        )
        .with_reply(agent_escrow::contract::reply)
        .with_migrate(agent_escrow::contract::migrate),
    )
}
