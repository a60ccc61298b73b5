//! The suite the cross-contract tests share: one cw-multi-test app with the contracts stored,
//! instantiated and wired (by [`SuiteBuilder`](crate::SuiteBuilder)), named accounts, and the
//! ledger the tests keep themselves to check every party's balance after every step; the state
//! an attack must leave as it was.

use std::collections::BTreeMap;

use anyhow::Result as AnyResult;
use cosmwasm_std::{to_json_binary, Addr, Uint128};
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{App, AppResponse, Executor};
use openledger_common::msg::{datanet_registry as registry, reward_pool as pool};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::SuiteBuilder;

/// Total OPEN minted at the start of every suite.
pub const SUPPLY: u128 = 1_000_000_000_000;
/// Unbonding period of the suite's pool, in seconds.
pub const UNBONDING_PERIOD: u64 = 7 * 24 * 3600;

/// The contracts of one cw-multi-test chain, the accounts' ledger, and the steps every test
/// takes on them. Built by [`SuiteBuilder`]; the fixtures of each area are views over it.
pub struct Suite {
    /// The chain.
    pub app: App,
    /// Holds the whole supply at the start and deploys everything.
    pub deployer: Addr,
    /// The OPEN token.
    pub token: Addr,
    /// The datanet registry.
    pub registry: Addr,
    /// The reward pool.
    pub pool: Addr,
    /// Model licensing, when the suite was built with it ([`Suite::models`]).
    pub models: Option<Addr>,
    /// The agent escrow, when the suite was built with it ([`Suite::escrow`]).
    pub escrow: Option<Addr>,
    /// Expected OPEN balance of every account the test touched (the test's own ledger).
    pub ledger: BTreeMap<Addr, u128>,
}

impl AsRef<Suite> for Suite {
    fn as_ref(&self) -> &Suite {
        self
    }
}

impl AsMut<Suite> for Suite {
    fn as_mut(&mut self) -> &mut Suite {
        self
    }
}

impl Default for Suite {
    /// The token, the pool and a registry without creation fee.
    fn default() -> Self {
        SuiteBuilder::new().build()
    }
}

impl Suite {
    /// The token, the pool and a registry charging `creation_fee` per datanet (a shorthand of
    /// [`SuiteBuilder::creation_fee`]).
    pub fn new(creation_fee: Uint128) -> Self {
        SuiteBuilder::new()
            .creation_fee(creation_fee.u128())
            .build()
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

    /// The OPEN balance of `who`.
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

    /// `from` executes `msg` on the registry (no funds).
    pub fn registry_exec(
        &mut self,
        from: &Addr,
        msg: &registry::ExecuteMsg,
    ) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(from.clone(), self.registry.clone(), msg, &[])
    }

    /// `from` executes `msg` on the pool (no funds).
    pub fn pool_exec(&mut self, from: &Addr, msg: &pool::ExecuteMsg) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(from.clone(), self.pool.clone(), msg, &[])
    }

    /// A smart query of the registry.
    pub fn query_registry<T: DeserializeOwned>(&self, msg: &registry::QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.registry, msg)
            .unwrap()
    }

    /// A smart query of the pool.
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

/// Everything an attack must leave as it was: the raw storage of the token and of every
/// contract in the ledger, and every ledger account's OPEN and native balances.
#[derive(Debug, PartialEq)]
pub struct Frozen {
    /// Raw storage of the token and of every contract in the ledger.
    pub storage: BTreeMap<Addr, Vec<cosmwasm_std::Record>>,
    /// OPEN balance of every ledger account.
    pub open: BTreeMap<Addr, u128>,
    /// Native balances (every denomination) of every ledger account.
    pub native: BTreeMap<Addr, Vec<cosmwasm_std::Coin>>,
}

impl Suite {
    /// The state an attack must not change (see [`Frozen`]).
    pub fn frozen(&self) -> Frozen {
        let mut storage = BTreeMap::new();
        storage.insert(self.token.clone(), self.app.dump_wasm_raw(&self.token));
        let mut open = BTreeMap::new();
        let mut native = BTreeMap::new();
        for who in self.ledger.keys() {
            if self.app.contract_data(who).is_ok() {
                storage.insert(who.clone(), self.app.dump_wasm_raw(who));
            }
            open.insert(who.clone(), self.balance(who));
            // All denominations, whichever an attack attached: deprecated on chains (an
            // unbounded query), exact in cw-multi-test's bank.
            #[allow(deprecated)]
            native.insert(
                who.clone(),
                self.app.wrap().query_all_balances(who).unwrap(),
            );
        }
        Frozen {
            storage,
            open,
            native,
        }
    }

    /// Runs `attempt`, which must fail, and asserts that it changed no contract's storage and
    /// no party's balance (OPEN or native), and that the ledger still holds. Returns the error.
    pub fn refused(
        &mut self,
        attempt: impl FnOnce(&mut Suite) -> AnyResult<AppResponse>,
    ) -> anyhow::Error {
        let before = self.frozen();
        let err = match attempt(self) {
            Ok(res) => panic!("the attack succeeded: {res:?}"),
            Err(err) => err,
        };
        assert_eq!(self.frozen(), before, "a refused attempt changed state");
        self.check();
        err
    }
}

/// [`Suite::refused`], with the error downcast to the contract's error type.
pub fn refused<E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(
    s: &mut Suite,
    attempt: impl FnOnce(&mut Suite) -> AnyResult<AppResponse>,
) -> E {
    s.refused(attempt)
        .downcast::<E>()
        .expect("error of another type")
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

/// The value of the first attribute `key` among the events of a response.
pub fn attr(res: &AppResponse, key: &str) -> String {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .value
        .clone()
}
