//! cw20 helpers: checking who delivers a `Receive`, decoding the hook it carries, and building
//! `transfer` / `send` messages.

use cosmwasm_std::{to_json_binary, Addr, Api, Binary, CosmosMsg, StdResult, Uint128, WasmMsg};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use serde::de::DeserializeOwned;
use serde::Serialize;
use thiserror::Error;

use crate::validate::{validate_addr, AddressError};

/// A cw20 `Receive` a contract refuses.
#[derive(Error, Debug, PartialEq)]
pub enum HookError {
    /// Delivered by another contract than the configured token.
    #[error("cw20 hook from {received} refused: this contract only takes the token {expected}")]
    UnexpectedToken {
        /// The configured token.
        expected: String,
        /// The contract that delivered the hook.
        received: String,
    },

    /// The hook message is not one of the contract's.
    #[error("cw20 hook message not understood: {reason}")]
    InvalidHook {
        /// Why it could not be decoded.
        reason: String,
    },

    /// Nothing was sent.
    #[error("cw20 hook with a zero amount refused: send a positive amount")]
    ZeroAmount,
}

/// A validated cw20 `Receive`: who sent how much of the expected token, and what for.
#[derive(Debug, Clone, PartialEq)]
pub struct Received<T> {
    /// The account that sent the tokens (the `sender` of the cw20 `send`), unchecked by the
    /// token beyond being its account: it is an address the token itself authenticated.
    pub sender: String,
    /// The amount received, never zero (cw20-base 2.x lets zero sends through, so
    /// `receive` refuses them).
    pub amount: Uint128,
    /// The decoded hook message.
    pub msg: T,
}

/// Accepts a `Receive` only from `token`, only with a positive amount, and decodes its hook
/// message.
pub fn receive<T: DeserializeOwned>(
    token: &Addr,
    caller: &Addr,
    wrapper: Cw20ReceiveMsg,
) -> Result<Received<T>, HookError> {
    if caller != token {
        return Err(HookError::UnexpectedToken {
            expected: token.to_string(),
            received: caller.to_string(),
        });
    }
    if wrapper.amount.is_zero() {
        return Err(HookError::ZeroAmount);
    }
    let msg = cosmwasm_std::from_json(&wrapper.msg).map_err(|e| HookError::InvalidHook {
        reason: e.to_string(),
    })?;
    Ok(Received {
        sender: wrapper.sender,
        amount: wrapper.amount,
        msg,
    })
}

/// A cw20 `Receive` accepted from the contract's token, with the payer's address validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Paid<T> {
    /// The account that sent the tokens (the `sender` of the cw20 `send`), validated.
    pub payer: Addr,
    /// The amount received, never zero.
    pub amount: Uint128,
    /// The decoded hook message.
    pub msg: T,
}

/// What every contract's cw20 hook starts with: [`receive`] (only from `token`, a positive
/// amount, a hook message it understands), then the payer validated as the field `sender`.
pub fn receive_paid<T, E>(
    api: &dyn Api,
    token: &Addr,
    caller: &Addr,
    wrapper: Cw20ReceiveMsg,
) -> Result<Paid<T>, E>
where
    T: DeserializeOwned,
    E: From<HookError> + From<AddressError>,
{
    let received = receive::<T>(token, caller, wrapper)?;
    Ok(Paid {
        payer: validate_addr(api, "sender", &received.sender)?,
        amount: received.amount,
        msg: received.msg,
    })
}

/// A cw20 `transfer` of `amount` of `token` to `recipient`.
pub fn transfer_msg(token: &Addr, recipient: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(&Cw20ExecuteMsg::Transfer {
            recipient: recipient.to_string(),
            amount,
        })?,
        funds: vec![],
    }
    .into())
}

/// A cw20 `send` of `amount` of `token` to `contract`, carrying `hook` as its message.
pub fn send_msg<T: Serialize>(
    token: &Addr,
    contract: &Addr,
    amount: Uint128,
    hook: &T,
) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: token.to_string(),
        msg: to_json_binary(&Cw20ExecuteMsg::Send {
            contract: contract.to_string(),
            amount,
            msg: to_json_binary(hook)?,
        })?,
        funds: vec![],
    }
    .into())
}

/// Encodes a hook message the way a wallet puts it into a cw20 `send`.
pub fn encode_hook<T: Serialize>(hook: &T) -> StdResult<Binary> {
    to_json_binary(hook)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_schema::cw_serde;
    use cosmwasm_std::testing::MockApi;

    #[cw_serde]
    enum Hook {
        Ping { n: u8 },
    }

    #[test]
    fn receive_checks_token_and_decodes() {
        let token = Addr::unchecked("token");
        let wrapper = Cw20ReceiveMsg {
            sender: "alice".into(),
            amount: Uint128::new(5),
            msg: encode_hook(&Hook::Ping { n: 3 }).unwrap(),
        };
        let got: Received<Hook> = receive(&token, &token, wrapper.clone()).unwrap();
        assert_eq!(got.msg, Hook::Ping { n: 3 });
        assert_eq!((got.sender.as_str(), got.amount.u128()), ("alice", 5));

        let err = receive::<Hook>(&token, &Addr::unchecked("other"), wrapper).unwrap_err();
        assert_eq!(
            err,
            HookError::UnexpectedToken {
                expected: "token".into(),
                received: "other".into()
            }
        );
        let bad = Cw20ReceiveMsg {
            sender: "alice".into(),
            amount: Uint128::new(5),
            msg: Binary::from(br#"{"pong":{}}"#.to_vec()),
        };
        assert!(matches!(
            receive::<Hook>(&token, &token, bad),
            Err(HookError::InvalidHook { .. })
        ));
        let zero = Cw20ReceiveMsg {
            sender: "alice".into(),
            amount: Uint128::zero(),
            msg: encode_hook(&Hook::Ping { n: 1 }).unwrap(),
        };
        assert_eq!(
            receive::<Hook>(&token, &token, zero),
            Err(HookError::ZeroAmount)
        );
    }

    crate::contract_error! {
        /// A contract's errors, for the test.
        pub enum ContractError {}
    }

    #[test]
    fn receive_paid_validates_the_payer() {
        let api = MockApi::default();
        let token = api.addr_make("token");
        let alice = api.addr_make("alice");
        let wrapper = |sender: &str| Cw20ReceiveMsg {
            sender: sender.into(),
            amount: Uint128::new(5),
            msg: encode_hook(&Hook::Ping { n: 3 }).unwrap(),
        };
        let paid: Paid<Hook> =
            receive_paid::<_, ContractError>(&api, &token, &token, wrapper(alice.as_str()))
                .unwrap();
        assert_eq!(
            paid,
            Paid {
                payer: alice.clone(),
                amount: Uint128::new(5),
                msg: Hook::Ping { n: 3 },
            }
        );
        let other = api.addr_make("other");
        assert_eq!(
            receive_paid::<Hook, ContractError>(&api, &token, &other, wrapper(alice.as_str())),
            Err(ContractError::Hook(HookError::UnexpectedToken {
                expected: token.to_string(),
                received: other.to_string(),
            }))
        );
        let Err(ContractError::InvalidAddress { field, address, .. }) =
            receive_paid::<Hook, ContractError>(&api, &token, &token, wrapper("Alice"))
        else {
            panic!("an invalid payer must be refused");
        };
        assert_eq!((field.as_str(), address.as_str()), ("sender", "Alice"));
    }
    #[test]
    fn transfer_and_send_messages_carry_token_recipient_amount_and_hook() {
        let token = Addr::unchecked("token");
        let bob = Addr::unchecked("bob");
        let pool = Addr::unchecked("pool");
        assert_eq!(
            transfer_msg(&token, &bob, Uint128::new(42)).unwrap(),
            CosmosMsg::Wasm(WasmMsg::Execute {
                contract_addr: "token".into(),
                msg: Binary::from(br#"{"transfer":{"recipient":"bob","amount":"42"}}"#.to_vec()),
                funds: vec![],
            })
        );
        let hook = Hook::Ping { n: 7 };
        let encoded = encode_hook(&hook).unwrap();
        assert_eq!(encoded, Binary::from(br#"{"ping":{"n":7}}"#.to_vec()));
        let sent = send_msg(&token, &pool, Uint128::new(9), &hook).unwrap();
        let CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr,
            msg,
            funds,
        }) = sent
        else {
            panic!("not a wasm execute: {sent:?}");
        };
        assert_eq!((contract_addr.as_str(), funds.len()), ("token", 0));
        assert_eq!(
            cosmwasm_std::from_json::<Cw20ExecuteMsg>(&msg).unwrap(),
            Cw20ExecuteMsg::Send {
                contract: "pool".into(),
                amount: Uint128::new(9),
                msg: encoded,
            }
        );
    }
}
