//! The suite builder shared by the cross-contract tests: one cw-multi-test app with the
//! contracts of the suite stored, instantiated and wired, named accounts, and a ledger the
//! tests keep themselves to check every party's balance after every step.

pub mod models;

use std::collections::BTreeMap;

use anyhow::Result as AnyResult;
use cosmwasm_std::{to_json_binary, Addr, Empty, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use openledger_common::msg::{datanet_registry as registry, reward_pool as pool};
use serde::de::DeserializeOwned;
use serde::Serialize;

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

/// Total OPEN minted at the start of every suite.
pub const SUPPLY: u128 = 1_000_000_000_000;
/// Unbonding period of the suite's pool, in seconds.
pub const UNBONDING_PERIOD: u64 = 7 * 24 * 3600;

pub struct Suite {
    pub app: App,
    /// Holds the whole supply at the start and deploys everything.
    pub deployer: Addr,
    pub token: Addr,
    pub registry: Addr,
    pub pool: Addr,
    /// Expected OPEN balance of every account the test touched (the test's own ledger).
    pub ledger: BTreeMap<Addr, u128>,
}

impl Default for Suite {
    fn default() -> Self {
        Self::new(Uint128::zero())
    }
}

impl Suite {
    /// A suite whose registry charges `creation_fee` per datanet.
    pub fn new(creation_fee: Uint128) -> Self {
        let mut app = App::default();
        let deployer = app.api().addr_make("deployer");
        let token_id = app.store_code(token_contract());
        let registry_id = app.store_code(registry_contract());
        let pool_id = app.store_code(pool_contract());
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
                Some(deployer.to_string()),
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
                },
                &[],
                "pool",
                Some(deployer.to_string()),
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
                    creation_fee,
                },
                &[],
                "registry",
                Some(deployer.to_string()),
            )
            .unwrap();
        app.execute_contract(
            deployer.clone(),
            pool.clone(),
            &pool::ExecuteMsg::UpdateConfig {
                registry: Some(registry.to_string()),
                unbonding_period: None,
            },
            &[],
        )
        .unwrap();
        let mut ledger = BTreeMap::new();
        ledger.insert(deployer.clone(), SUPPLY);
        ledger.insert(registry.clone(), 0);
        ledger.insert(pool.clone(), 0);
        Suite {
            app,
            deployer,
            token,
            registry,
            pool,
            ledger,
        }
    }

    /// A named account.
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    /// Gives `who` `amount` OPEN from the deployer.
    pub fn fund(&mut self, who: &Addr, amount: u128) {
        self.app
            .execute_contract(
                self.deployer.clone(),
                self.token.clone(),
                &Cw20ExecuteMsg::Transfer {
                    recipient: who.to_string(),
                    amount: Uint128::new(amount),
                },
                &[],
            )
            .unwrap();
        self.moved(&self.deployer.clone(), who, amount);
    }

    /// Records in the ledger that `amount` moved from `from` to `to`.
    pub fn moved(&mut self, from: &Addr, to: &Addr, amount: u128) {
        let f = self.ledger.entry(from.clone()).or_insert(0);
        *f = f.checked_sub(amount).expect("ledger: overdraft");
        *self.ledger.entry(to.clone()).or_insert(0) += amount;
    }

    pub fn balance(&self, who: &Addr) -> u128 {
        let r: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.token,
                &Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .unwrap();
        r.balance.u128()
    }

    /// Asserts that every account in the ledger holds exactly what the ledger says, that the
    /// ledger still sums to the supply, and that both contracts are solvent.
    pub fn check(&self) {
        for (who, expected) in &self.ledger {
            assert_eq!(self.balance(who), *expected, "balance of {who}");
        }
        assert_eq!(self.ledger.values().sum::<u128>(), SUPPLY, "ledger sum");
        let s: pool::SolvencyResponse = self.query_pool(&pool::QueryMsg::Solvency {});
        assert!(s.solvent, "pool insolvent: {s:?}");
        assert_eq!(s.balance.u128(), self.ledger[&self.pool]);
        let r: registry::RegistrySolvencyResponse =
            self.query_registry(&registry::QueryMsg::Solvency {});
        assert!(r.solvent, "registry insolvent: {r:?}");
        assert_eq!(r.balance.u128(), self.ledger[&self.registry]);
    }

    /// A cw20 `send` of OPEN from `from` to `contract` carrying `hook`. The ledger is not
    /// updated: the caller records where the tokens ended up.
    pub fn send<T: Serialize>(
        &mut self,
        from: &Addr,
        contract: &Addr,
        amount: u128,
        hook: &T,
    ) -> AnyResult<AppResponse> {
        self.app.execute_contract(
            from.clone(),
            self.token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: contract.to_string(),
                amount: Uint128::new(amount),
                msg: to_json_binary(hook)?,
            },
            &[],
        )
    }

    pub fn registry_exec(
        &mut self,
        from: &Addr,
        msg: &registry::ExecuteMsg,
    ) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(from.clone(), self.registry.clone(), msg, &[])
    }

    pub fn pool_exec(&mut self, from: &Addr, msg: &pool::ExecuteMsg) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(from.clone(), self.pool.clone(), msg, &[])
    }

    pub fn query_registry<T: DeserializeOwned>(&self, msg: &registry::QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.registry, msg)
            .unwrap()
    }

    pub fn query_pool<T: DeserializeOwned>(&self, msg: &pool::QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.pool, msg).unwrap()
    }

    /// Treasury balance in the pool.
    pub fn treasury(&self) -> u128 {
        let s: pool::SolvencyResponse = self.query_pool(&pool::QueryMsg::Solvency {});
        s.liabilities.treasury.u128()
    }

    /// Advances the chain by `seconds` (and one block).
    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += 1;
        });
    }
}

/// The error a failed execution carries, downcast to the contract's error type.
pub fn err<E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(
    res: AnyResult<AppResponse>,
) -> E {
    res.expect_err("expected the execution to fail")
        .downcast::<E>()
        .expect("error of another type")
}

/// A deterministic SHA-256 hex digest standing for a piece of data.
pub fn data_hash(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(seed.as_bytes()))
}
