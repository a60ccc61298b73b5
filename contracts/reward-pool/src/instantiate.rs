//! `instantiate`: the pool's settings and empty totals.

use cosmwasm_std::{DepsMut, MessageInfo, Response, Uint128};
use openledger_common::msg::reward_pool::{InstantiateMsg, DEFAULT_STAKING_REWARD_PERIOD};
use openledger_common::validate_addr;

use crate::curators::check_curators_bps;
use crate::error::ContractError;
use crate::execute::admin::check_unbonding_period;
use crate::state::{
    AttributionConfig, BondTotals, Config, StakingPool, Totals, ATTRIBUTION_CONFIG, BOND_TOTALS,
    CONFIG, STAKING, TOTALS, TREASURY,
};
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

/// Records the cw2 version and the owner (default: the sender), checks and stores the
/// settings (the curators' share 0 when omitted), and starts every total at zero (the staking
/// reward period at its default).
pub fn instantiate(
    deps: DepsMut,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let owner = msg.owner.as_deref().unwrap_or(info.sender.as_str());
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner))?;
    check_unbonding_period(msg.unbonding_period)?;
    let curators_bps = msg.curators_bps.unwrap_or(0);
    check_curators_bps(curators_bps)?;
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        registry: msg
            .registry
            .map(|r| validate_addr(deps.api, "registry", &r))
            .transpose()?,
        unbonding_period: msg.unbonding_period,
        staking_reward_period: DEFAULT_STAKING_REWARD_PERIOD,
        curators_bps,
    };
    CONFIG.save(deps.storage, &config)?;
    TREASURY.save(deps.storage, &Uint128::zero())?;
    TOTALS.save(deps.storage, &Totals::default())?;
    STAKING.save(deps.storage, &StakingPool::default())?;
    ATTRIBUTION_CONFIG.save(deps.storage, &AttributionConfig::default())?;
    BOND_TOTALS.save(deps.storage, &BondTotals::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token.as_str())
        .add_attribute(
            "registry",
            config.registry.as_ref().map_or("", |r| r.as_str()),
        )
        .add_attribute("unbonding_period", config.unbonding_period.to_string())
        .add_attribute(
            "staking_reward_period",
            config.staking_reward_period.to_string(),
        )
        .add_attribute("curators_bps", curators_bps.to_string()))
}
