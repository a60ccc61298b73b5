//! Helpers every attack class shares, whatever contract it targets: a second cw20 that
//! impersonates OPEN, raw and forged cw20 sends, native coins for an attacker, the wire JSON of
//! cw-ownable's two-step ownership and the messages of its errors.

use anyhow::Result as AnyResult;
use cosmwasm_std::{coins, Addr, Api, Binary, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{AppResponse, Executor};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::{token_contract, Suite};

/// cw-ownable: the sender is not the current owner.
pub const NOT_OWNER: &str = "Caller is not the contract's current owner";
/// cw-ownable: ownership was renounced.
pub const NO_OWNER: &str = "Contract ownership has been renounced";
/// cw-ownable: the sender is not the pending owner.
pub const NOT_PENDING_OWNER: &str = "Caller is not the contract's pending owner";
/// cw-ownable: nothing to accept.
pub const TRANSFER_NOT_FOUND: &str = "There isn't a pending ownership transfer";
/// cw-ownable: the offer ran out.
pub const TRANSFER_EXPIRED: &str = "A pending ownership transfer exists but it has expired";

/// The `update_ownership` message of any contract, from cw-ownable's wire JSON of `action`.
pub fn update_ownership<M: DeserializeOwned>(action: Value) -> M {
    serde_json::from_value(json!({ "update_ownership": action })).expect("an ownership action")
}

/// The `update_ownership` message that offers the contract to `new_owner` until `expiry`.
pub fn transfer_ownership<M: DeserializeOwned>(new_owner: &str, expiry: Option<Value>) -> M {
    update_ownership(json!({
        "transfer_ownership": { "new_owner": new_owner, "expiry": expiry }
    }))
}

impl Suite {
    /// A second cw20 of OPEN's code, name and symbol (another contract), whose whole supply
    /// of `supply` units `holder` holds.
    pub fn fake_token(&mut self, holder: &Addr, supply: u128) -> Addr {
        let code = self.app.store_code(token_contract());
        self.app
            .instantiate_contract(
                code,
                holder.clone(),
                &open_token::InstantiateMsg {
                    name: "Fake OPEN".into(),
                    symbol: "OPEN".into(),
                    decimals: 6,
                    initial_balances: vec![Cw20Coin {
                        address: holder.to_string(),
                        amount: Uint128::new(supply),
                    }],
                    mint: None,
                    marketing: None,
                },
                &[],
                "fake-open",
                None,
            )
            .unwrap()
    }

    /// The balance of `who` in the cw20 `token`.
    pub fn balance_in(&self, token: &Addr, who: &Addr) -> u128 {
        let r: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                token,
                &Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .unwrap();
        r.balance.u128()
    }

    /// A cw20 `send` of `amount` of `token` from `from` to `contract` carrying the hook bytes
    /// `msg` as they are (the ledger is not updated).
    pub fn send_raw(
        &mut self,
        token: &Addr,
        from: &Addr,
        contract: &Addr,
        amount: u128,
        msg: Binary,
    ) -> AnyResult<AppResponse> {
        self.app.execute_contract(
            from.clone(),
            token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: contract.to_string(),
                amount: Uint128::new(amount),
                msg,
            },
            &[],
        )
    }

    /// Gives `who` 1 000 of the native `denom` and puts it in the ledger, so that its balances
    /// are watched.
    pub fn give_native(&mut self, who: &Addr, denom: &str) {
        self.app.init_modules(|router, _, storage| {
            router
                .bank
                .init_balance(storage, who, coins(1_000, denom))
                .unwrap()
        });
        self.ledger.entry(who.clone()).or_insert(0);
    }

    /// Why `addr_validate` refuses `address`.
    pub fn invalid_address_reason(&self, address: &str) -> String {
        self.app
            .api()
            .addr_validate(address)
            .unwrap_err()
            .to_string()
    }
}

/// The variants every contract error of the suite shares (declared by
/// `openledger_common::contract_error!`), read back whatever the contract.
pub trait SharedError: std::fmt::Debug {
    /// The `(field, address)` of an `InvalidAddress` error, `None` for any other error.
    fn invalid_address(&self) -> Option<(&str, &str)>;
}

macro_rules! shared_error {
    ($($contract:ident),*) => {$(
        impl SharedError for $contract::ContractError {
            fn invalid_address(&self) -> Option<(&str, &str)> {
                match self {
                    $contract::ContractError::InvalidAddress { field, address, .. } => {
                        Some((field.as_str(), address.as_str()))
                    }
                    _ => None,
                }
            }
        }
    )*};
}

shared_error!(datanet_registry, reward_pool, model_licensing, agent_escrow);

/// Asserts that `e` is the `InvalidAddress` error of `field` holding `address` (whatever
/// reason the chain gave).
pub fn assert_invalid_address<E: SharedError>(e: E, field: &str, address: &str) {
    match e.invalid_address() {
        Some(got) => assert_eq!(got, (field, address)),
        None => panic!("expected InvalidAddress, got {e:?}"),
    }
}
