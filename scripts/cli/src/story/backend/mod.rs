//! One scenario, two backends: the story (and any scenario written against [`Backend`]) runs
//! unchanged on the real chain ([`chain::ChainBackend`]) and on cw-multi-test
//! (`mock::MockBackend`, in `cargo test`).
//!
//! The trait is small on purpose: execute a message as a named actor, smart-query a contract,
//! read and advance the block time, and name the suite's contracts. Everything else (cw20
//! sends, balances, typed queries) is built on it in `impl dyn Backend`.

pub mod chain;
#[cfg(test)]
pub mod mock;

use anyhow::{Context, Result};
use cosmwasm_std::Uint128;
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The addresses of the suite's five contracts.
#[derive(Clone, Debug)]
pub struct Contracts {
    /// The OPEN cw20 token.
    pub token: String,
    /// The datanet registry.
    pub registry: String,
    /// The reward pool.
    pub pool: String,
    /// Model licensing.
    pub models: String,
    /// The agent escrow.
    pub escrow: String,
}

/// What one executed message left: its hash (empty on the mock), the gas it used (0 on the
/// mock) and its events.
#[derive(Clone, Debug)]
pub struct Executed {
    /// The transaction hash, when there is one.
    pub hash: String,
    /// Gas used (0 where gas is not metered).
    pub gas_used: u64,
    /// `(event type, [(key, value)])`, in emission order.
    pub events: Vec<(String, Vec<(String, String)>)>,
}

impl Executed {
    /// The first value of `key` in an event of type `ty`.
    pub fn attr(&self, ty: &str, key: &str) -> Option<String> {
        self.events
            .iter()
            .filter(|(t, _)| t == ty)
            .flat_map(|(_, attrs)| attrs.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// The `wasm` attribute `key` as a number.
    pub fn attr_u64(&self, key: &str) -> Result<u64> {
        self.attr("wasm", key)
            .with_context(|| format!("transaction {} has no wasm.{key} event", self.hash))?
            .parse()
            .with_context(|| format!("wasm.{key} is not a number"))
    }
}

/// One message to execute: `(actor, contract, message)`.
pub type Call = (String, String, Value);

/// Where a scenario runs.
pub trait Backend {
    /// How the scenario names where it runs: `chain-id (node)`.
    fn describe(&self) -> String;
    /// The chain id (signed into inference receipts).
    fn chain_id(&self) -> String;
    /// The address of a named actor (a key of the keyring on the chain).
    fn address(&self, actor: &str) -> Result<String>;
    /// The suite's contracts.
    fn contracts(&self) -> &Contracts;
    /// Executes `msg` on `contract` as `actor`.
    fn execute_json(&self, actor: &str, contract: &str, msg: Value) -> Result<Executed>;
    /// Executes independent messages (each actor at most once): at once on the chain, one
    /// after the other on the mock. Results in order.
    fn execute_all(&self, calls: Vec<Call>) -> Result<Vec<Executed>> {
        calls
            .into_iter()
            .map(|(actor, contract, msg)| self.execute_json(&actor, &contract, msg))
            .collect()
    }
    /// A smart query.
    fn query_json(&self, contract: &str, msg: Value) -> Result<Value>;
    /// A smart query by the fastest route available (used for the many checks).
    fn query_fast(&self, contract: &str, msg: Value) -> Result<Value> {
        self.query_json(contract, msg)
    }
    /// OPEN balances of `addrs`, in order.
    fn balances(&self, addrs: &[String]) -> Result<Vec<u128>> {
        addrs
            .iter()
            .map(|a| self.fast_balance_of(a))
            .collect::<Result<Vec<_>>>()
    }
    /// The latest block's time, in seconds.
    fn block_time(&self) -> Result<u64>;
    /// Lets `seconds` of block time pass (the mock moves its clock; the chain waits).
    fn advance(&self, seconds: u64) -> Result<()>;
    /// Makes sure the named actor exists and can pay for its transactions. On the chain, a key
    /// missing from the keyring is added and the deployer sends it the chain's native coin for
    /// gas when it runs low; the mock's actors always exist and pay no gas. Returns whether the
    /// actor was created.
    fn ensure_actor(&self, actor: &str) -> Result<bool> {
        self.address(actor).map(|_| false)
    }
    /// The `attribution-tree` tool the attestor runs, where the backend has one (the chain's
    /// does; the mock builds its trees in-process only).
    fn attribution_tool(&self) -> Option<crate::attribution_tree::TreeTool> {
        None
    }
    /// One OPEN balance by the fastest route.
    fn fast_balance_of(&self, addr: &str) -> Result<u128> {
        let msg = serde_json::to_value(Cw20QueryMsg::Balance {
            address: addr.to_string(),
        })?;
        let token = self.contracts().token.clone();
        let r: BalanceResponse = serde_json::from_value(self.query_fast(&token, msg)?)
            .with_context(|| format!("query the OPEN balance of {addr}"))?;
        Ok(r.balance.u128())
    }
}

impl dyn Backend + '_ {
    /// [`Self::exec`], naming the actor and what it did in the error.
    pub fn exec_ctx<T: Serialize>(
        &self,
        actor: &str,
        contract: &str,
        msg: &T,
        what: &str,
    ) -> Result<Executed> {
        self.exec(actor, contract, msg)
            .with_context(|| format!("{actor}: {what}"))
    }

    /// [`Self::send`], naming the actor and what it did in the error.
    pub fn send_ctx<T: Serialize>(
        &self,
        actor: &str,
        contract: &str,
        amount: u128,
        hook: &T,
        what: &str,
    ) -> Result<Executed> {
        self.send(actor, contract, amount, hook)
            .with_context(|| format!("{actor}: {what}"))
    }

    /// [`Self::query`], naming what was asked in the error.
    pub fn query_ctx<Q: Serialize, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
        what: &str,
    ) -> Result<R> {
        self.query(contract, msg)
            .with_context(|| format!("query {what}"))
    }

    /// Executes a typed message.
    pub fn exec<T: Serialize>(&self, actor: &str, contract: &str, msg: &T) -> Result<Executed> {
        self.execute_json(actor, contract, serde_json::to_value(msg)?)
    }

    /// A typed smart query.
    pub fn query<Q: Serialize, R: DeserializeOwned>(&self, contract: &str, msg: &Q) -> Result<R> {
        let v = self.query_json(contract, serde_json::to_value(msg)?)?;
        serde_json::from_value(v.clone()).with_context(|| format!("unexpected query response {v}"))
    }

    /// A typed smart query by the fastest route.
    pub fn query_quick<Q: Serialize, R: DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
    ) -> Result<R> {
        let v = self.query_fast(contract, serde_json::to_value(msg)?)?;
        serde_json::from_value(v.clone()).with_context(|| format!("unexpected query response {v}"))
    }

    /// The message of a cw20 `send` of OPEN to `contract` with `hook`.
    pub fn send_call<T: Serialize>(
        &self,
        actor: &str,
        contract: &str,
        amount: u128,
        hook: &T,
    ) -> Result<Call> {
        let msg = Cw20ExecuteMsg::Send {
            contract: contract.to_string(),
            amount: Uint128::new(amount),
            msg: cosmwasm_std::to_json_binary(hook)?,
        };
        Ok((
            actor.to_string(),
            self.contracts().token.clone(),
            serde_json::to_value(msg)?,
        ))
    }

    /// A cw20 `send` of OPEN from `actor` to `contract` with `hook`.
    pub fn send<T: Serialize>(
        &self,
        actor: &str,
        contract: &str,
        amount: u128,
        hook: &T,
    ) -> Result<Executed> {
        let (actor, token, msg) = self.send_call(actor, contract, amount, hook)?;
        self.execute_json(&actor, &token, msg)
    }

    /// A cw20 `transfer` of OPEN from `actor` to `to`.
    pub fn transfer(&self, actor: &str, to: &str, amount: u128) -> Result<Executed> {
        let token = self.contracts().token.clone();
        self.exec(
            actor,
            &token,
            &Cw20ExecuteMsg::Transfer {
                recipient: to.to_string(),
                amount: Uint128::new(amount),
            },
        )
    }
}
