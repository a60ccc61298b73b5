//! The one way the tests build a [`Suite`]: the token, the pool and the registry always, model
//! licensing and the agent escrow on request, each stored, instantiated and wired in the same
//! order every time (so contract addresses do not depend on which fixture asked).
//! For example `SuiteBuilder::new().creation_fee(100).build()` for the registry's tests, or
//! `SuiteBuilder::new().with_escrow().build()` for the escrow world.

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Uint128};
use cw20::Cw20Coin;
use cw_multi_test::{App, Executor};
use openledger_common::fee::FeeSplit;
use openledger_common::msg::agent_escrow as escrow;
use openledger_common::msg::model_licensing as ml;
use openledger_common::msg::{datanet_registry as registry, reward_pool as pool};

use crate::contracts::{
    escrow_contract, model_contract, pool_contract, registry_contract, token_contract,
};
use crate::escrow::{ARBITRATION, FEE_BPS, MIN_BOND, SLASH_BPS, UNBONDING};
use crate::{Suite, SUPPLY, UNBONDING_PERIOD};

/// What the suite holds besides the token, the pool and the registry, and the registry's
/// creation fee. [`SuiteBuilder::build`] deploys it.
#[derive(Debug, Default, Clone)]
pub struct SuiteBuilder {
    creation_fee: u128,
    models: bool,
    fee_split: Option<FeeSplit>,
    escrow: bool,
}

impl SuiteBuilder {
    /// The token, the pool and a registry without creation fee.
    pub fn new() -> Self {
        Self::default()
    }

    /// The registry charges `fee` OPEN per datanet.
    pub fn creation_fee(mut self, fee: u128) -> Self {
        self.creation_fee = fee;
        self
    }

    /// Model licensing, wired to the registry and the pool, with the default fee split.
    pub fn with_models(mut self) -> Self {
        self.models = true;
        self
    }

    /// Model licensing with `split` instead of the default fee split.
    pub fn fee_split(mut self, split: FeeSplit) -> Self {
        self.models = true;
        self.fee_split = Some(split);
        self
    }

    /// The agent escrow (and model licensing, which it pays), with the suite's escrow terms
    /// (see [`crate::escrow`]) and the account `arbiter` as default arbiter.
    pub fn with_escrow(mut self) -> Self {
        self.models = true;
        self.escrow = true;
        self
    }

    /// Stores and instantiates the contracts: the token (the deployer holds the whole
    /// [`SUPPLY`]), the pool, the registry (then wired into the pool), model licensing, the
    /// escrow. The ledger follows every one of them from 0 OPEN.
    pub fn build(self) -> Suite {
        let mut app = App::default();
        let deployer = app.api().addr_make("deployer");
        let token_id = app.store_code(token_contract());
        let registry_id = app.store_code(registry_contract());
        let pool_id = app.store_code(pool_contract());
        let admin = Some(deployer.to_string());
        let token = app
            .instantiate_contract(
                token_id,
                deployer.clone(),
                &open_token::InstantiateMsg {
                    name: "OpenLedger".into(),
                    symbol: "OPEN".into(),
                    decimals: 6,
                    initial_balances: vec![Cw20Coin {
                        address: deployer.to_string(),
                        amount: Uint128::new(SUPPLY),
                    }],
                    mint: None,
                    marketing: None,
                },
                &[],
                "open",
                admin.clone(),
            )
            .unwrap();
        let pool = app
            .instantiate_contract(
                pool_id,
                deployer.clone(),
                &pool::InstantiateMsg {
                    owner: None,
                    token: token.to_string(),
                    registry: None,
                    unbonding_period: UNBONDING_PERIOD,
                    curators_bps: None,
                },
                &[],
                "pool",
                admin.clone(),
            )
            .unwrap();
        let registry = app
            .instantiate_contract(
                registry_id,
                deployer.clone(),
                &registry::InstantiateMsg {
                    owner: None,
                    token: token.to_string(),
                    reward_pool: pool.to_string(),
                    creation_fee: Uint128::new(self.creation_fee),
                },
                &[],
                "registry",
                admin,
            )
            .unwrap();
        app.execute_contract(
            deployer.clone(),
            pool.clone(),
            &pool::ExecuteMsg::UpdateConfig {
                registry: Some(registry.to_string()),
                unbonding_period: None,
                staking_reward_period: None,
                curators_bps: None,
            },
            &[],
        )
        .unwrap();
        let ledger = BTreeMap::from([
            (deployer.clone(), SUPPLY),
            (registry.clone(), 0),
            (pool.clone(), 0),
        ]);
        let mut s = Suite {
            app,
            deployer,
            token,
            registry,
            pool,
            models: None,
            escrow: None,
            ledger,
        };
        if self.models {
            let models = s.deploy_models(self.fee_split);
            s.models = Some(models.clone());
            if self.escrow {
                let arbiter = s.addr("arbiter");
                s.escrow = Some(s.deploy_escrow(&models, &arbiter));
            }
        }
        s
    }
}

impl Suite {
    /// Stores and instantiates model licensing wired to the suite's token, registry and pool,
    /// with `fee_split` (the default split when `None`); the ledger follows it. Returns its
    /// address.
    pub fn deploy_models(&mut self, fee_split: Option<FeeSplit>) -> Addr {
        let code = self.app.store_code(model_contract());
        let msg = ml::InstantiateMsg {
            owner: None,
            token: self.token.to_string(),
            registry: self.registry.to_string(),
            reward_pool: self.pool.to_string(),
            fee_split,
        };
        self.instantiate(code, &msg, "models")
    }

    /// Stores and instantiates an agent escrow with the suite's escrow terms, paying model
    /// fees to `models` and protocol fees to the pool, `arbiter` as default arbiter; the
    /// ledger follows it. Returns its address.
    pub fn deploy_escrow(&mut self, models: &Addr, arbiter: &Addr) -> Addr {
        let code = self.app.store_code(escrow_contract());
        let msg = escrow::InstantiateMsg {
            owner: None,
            token: self.token.to_string(),
            model_licensing: models.to_string(),
            reward_pool: self.pool.to_string(),
            min_agent_bond: Uint128::new(MIN_BOND),
            protocol_fee_bps: FEE_BPS,
            default_arbiter: arbiter.to_string(),
            arbitration_window: ARBITRATION,
            unbonding_period: UNBONDING,
            slash_bps: SLASH_BPS,
        };
        self.instantiate(code, &msg, "escrow")
    }

    /// Instantiates `code` as the deployer (also its admin) and puts it in the ledger.
    fn instantiate<T: serde::Serialize>(&mut self, code: u64, msg: &T, label: &str) -> Addr {
        let addr = self
            .app
            .instantiate_contract(
                code,
                self.deployer.clone(),
                msg,
                &[],
                label,
                Some(self.deployer.to_string()),
            )
            .unwrap();
        self.ledger.insert(addr.clone(), 0);
        addr
    }

    /// The address of model licensing; panics when the suite was built without it.
    pub fn models(&self) -> Addr {
        self.models
            .clone()
            .expect("a suite built with model licensing")
    }

    /// The address of the agent escrow; panics when the suite was built without it.
    pub fn escrow(&self) -> Addr {
        self.escrow.clone().expect("a suite built with the escrow")
    }
}
