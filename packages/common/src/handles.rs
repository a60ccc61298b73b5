//! Typed handles: each wraps a contract's address and builds its messages and queries, so a
//! caller never writes another contract's JSON by hand.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_binary, Addr, CosmosMsg, QuerierWrapper, StdResult, Uint128, WasmMsg};
use cw20::{BalanceResponse, Cw20QueryMsg};
use serde::Serialize;

use crate::attribution::DatanetId;
use crate::hook::send_msg;
use crate::msg::datanet_registry::{self, VersionResponse};
use crate::msg::model_licensing::{self, InferencePayment, ModelId, ModelResponse};
use crate::msg::reward_pool::{self, Allocation, AttributionMode, WeightUpdate};

fn execute_msg<T: Serialize>(contract: &Addr, msg: &T) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

/// The fee token (a cw20).
#[cw_serde]
pub struct TokenHandle(pub Addr);

impl TokenHandle {
    /// `holder`'s balance.
    pub fn balance(&self, querier: &QuerierWrapper, holder: &Addr) -> StdResult<Uint128> {
        let res: BalanceResponse = querier.query_wasm_smart(
            &self.0,
            &Cw20QueryMsg::Balance {
                address: holder.to_string(),
            },
        )?;
        Ok(res.balance)
    }

    /// A `transfer` to `recipient`.
    pub fn transfer(&self, recipient: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
        crate::hook::transfer_msg(&self.0, recipient, amount)
    }
}

/// The reward pool.
#[cw_serde]
pub struct RewardPoolHandle(pub Addr);

impl RewardPoolHandle {
    /// Sends `amount` of `token` to the pool with a `distribute` over `allocations`.
    pub fn distribute(
        &self,
        token: &Addr,
        amount: Uint128,
        allocations: Vec<Allocation>,
    ) -> StdResult<CosmosMsg> {
        send_msg(
            token,
            &self.0,
            amount,
            &reward_pool::ReceiveMsg::Distribute { allocations },
        )
    }

    /// Sends `amount` of `token` to the treasury.
    pub fn to_treasury(&self, token: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
        self.distribute(token, amount, vec![Allocation::Treasury { amount }])
    }

    /// Registers a datanet (registry only).
    pub fn register_datanet(
        &self,
        datanet_id: DatanetId,
        mode: AttributionMode,
    ) -> StdResult<CosmosMsg> {
        execute_msg(
            &self.0,
            &reward_pool::ExecuteMsg::RegisterDatanet { datanet_id, mode },
        )
    }

    /// Sets a datanet's curator set (registry only).
    pub fn set_curators(
        &self,
        datanet_id: DatanetId,
        curators: Vec<String>,
    ) -> StdResult<CosmosMsg> {
        execute_msg(
            &self.0,
            &reward_pool::ExecuteMsg::SetCurators {
                datanet_id,
                curators,
            },
        )
    }

    /// Reports a datanet's newly published version and its total weight (registry only).
    pub fn publish_version(
        &self,
        datanet_id: DatanetId,
        version: u32,
        total_weight: u64,
    ) -> StdResult<CosmosMsg> {
        execute_msg(
            &self.0,
            &reward_pool::ExecuteMsg::PublishVersion {
                datanet_id,
                version,
                total_weight,
            },
        )
    }

    /// Reports contributors' new total weights in a datanet (registry only).
    pub fn update_weights(
        &self,
        datanet_id: DatanetId,
        updates: Vec<WeightUpdate>,
    ) -> StdResult<CosmosMsg> {
        execute_msg(
            &self.0,
            &reward_pool::ExecuteMsg::UpdateWeights {
                datanet_id,
                updates,
            },
        )
    }
}

/// Model licensing.
#[cw_serde]
pub struct ModelLicensingHandle(pub Addr);

impl ModelLicensingHandle {
    /// A model's public record.
    pub fn model(&self, querier: &QuerierWrapper, model_id: ModelId) -> StdResult<ModelResponse> {
        querier.query_wasm_smart(&self.0, &model_licensing::QueryMsg::Model { model_id })
    }

    /// Sends `fee` of `token` to model licensing to pay one inference.
    pub fn pay_inference(
        &self,
        token: &Addr,
        fee: Uint128,
        payment: InferencePayment,
    ) -> StdResult<CosmosMsg> {
        send_msg(
            token,
            &self.0,
            fee,
            &model_licensing::ReceiveMsg::PayInference(payment),
        )
    }
}

/// The datanet registry.
#[cw_serde]
pub struct RegistryHandle(pub Addr);

impl RegistryHandle {
    /// A published version of a datanet (an error when it was never published).
    pub fn version(
        &self,
        querier: &QuerierWrapper,
        datanet_id: DatanetId,
        version: u32,
    ) -> StdResult<VersionResponse> {
        querier.query_wasm_smart(
            &self.0,
            &datanet_registry::QueryMsg::Version {
                datanet_id,
                version,
            },
        )
    }
}

impl RegistryHandle {
    /// How many versions a datanet has published (an error when it does not exist). Reads
    /// only that field of the `datanet` answer, so it keeps working as the answer grows.
    pub fn version_count(&self, querier: &QuerierWrapper, datanet_id: DatanetId) -> StdResult<u32> {
        #[derive(serde::Deserialize)]
        struct VersionCount {
            version_count: u32,
        }
        let answer: VersionCount = querier
            .query_wasm_smart(&self.0, &datanet_registry::QueryMsg::Datanet { datanet_id })?;
        Ok(answer.version_count)
    }

    /// A datanet's curators as the registry lists them (an error when it does not exist).
    /// Reads only that field of the `datanet` answer.
    pub fn curators(
        &self,
        querier: &QuerierWrapper,
        datanet_id: DatanetId,
    ) -> StdResult<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Curators {
            curators: Vec<String>,
        }
        let answer: Curators = querier
            .query_wasm_smart(&self.0, &datanet_registry::QueryMsg::Datanet { datanet_id })?;
        Ok(answer.curators)
    }
}
