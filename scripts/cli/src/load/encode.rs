//! The protobuf bytes of a signed transaction in the chain binary's JSON form, built with the
//! Cosmos SDK's own types (`cosmos-sdk-proto`, `prost`) for the shapes the load signs:
//! `MsgExecuteContract`s, one signer in direct mode. Checked against the binary's
//! `tx encode` before use.

use anyhow::{ensure, Context, Result};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{
    mode_info, AuthInfo, Fee, ModeInfo, SignerInfo, TxBody, TxRaw,
};
use cosmos_sdk_proto::cosmwasm::wasm::v1::MsgExecuteContract;
use cosmos_sdk_proto::prost::Message;
use cosmos_sdk_proto::Any;
use cosmwasm_std::Binary;
use serde_json::Value;

use crate::chain::number;

/// The only message type the load sends.
const EXECUTE: &str = "/cosmwasm.wasm.v1.MsgExecuteContract";
/// `SIGN_MODE_DIRECT`.
const SIGN_MODE_DIRECT: i32 = 1;

fn str_of<'v>(v: &'v Value, what: &str) -> Result<&'v str> {
    v.as_str()
        .with_context(|| format!("{what} is not a string: {v}"))
}

fn base64(v: &Value, what: &str) -> Result<Vec<u8>> {
    Ok(Binary::from_base64(str_of(v, what)?)?.to_vec())
}

fn list(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

fn coins(v: &Value) -> Result<Vec<Coin>> {
    list(v)
        .iter()
        .map(|c| {
            Ok(Coin {
                denom: str_of(&c["denom"], "denom")?.to_string(),
                amount: str_of(&c["amount"], "amount")?.to_string(),
            })
        })
        .collect()
}

fn body(tx: &Value) -> Result<TxBody> {
    let mut messages = vec![];
    for m in list(&tx["body"]["messages"]) {
        let ty = str_of(&m["@type"], "message type")?;
        ensure!(ty == EXECUTE, "cannot encode a {ty}");
        let msg = MsgExecuteContract {
            sender: str_of(&m["sender"], "sender")?.to_string(),
            contract: str_of(&m["contract"], "contract")?.to_string(),
            msg: serde_json::to_vec(&m["msg"])?,
            funds: coins(&m["funds"])?,
        };
        messages.push(Any {
            type_url: ty.to_string(),
            value: msg.encode_to_vec(),
        });
    }
    Ok(TxBody {
        messages,
        memo: tx["body"]["memo"].as_str().unwrap_or_default().to_string(),
        timeout_height: number(&tx["body"]["timeout_height"]).unwrap_or(0),
        ..TxBody::default()
    })
}

fn signer_info(si: &Value) -> Result<SignerInfo> {
    let pk = &si["public_key"];
    // Every key type the chain signs with (secp256k1, eth_secp256k1) is `bytes key = 1`.
    let key = PubKey {
        key: base64(&pk["key"], "public key")?,
    };
    let mode = str_of(&si["mode_info"]["single"]["mode"], "sign mode")?;
    ensure!(mode == "SIGN_MODE_DIRECT", "cannot encode sign mode {mode}");
    Ok(SignerInfo {
        public_key: Some(Any {
            type_url: str_of(&pk["@type"], "public key type")?.to_string(),
            value: key.encode_to_vec(),
        }),
        mode_info: Some(ModeInfo {
            sum: Some(mode_info::Sum::Single(mode_info::Single {
                mode: SIGN_MODE_DIRECT,
            })),
        }),
        sequence: number(&si["sequence"]).unwrap_or(0),
    })
}

fn auth_info(tx: &Value) -> Result<AuthInfo> {
    let f = &tx["auth_info"]["fee"];
    Ok(AuthInfo {
        signer_infos: list(&tx["auth_info"]["signer_infos"])
            .iter()
            .map(signer_info)
            .collect::<Result<_>>()?,
        fee: Some(Fee {
            amount: coins(&f["amount"])?,
            gas_limit: number(&f["gas_limit"]).unwrap_or(0),
            payer: f["payer"].as_str().unwrap_or_default().to_string(),
            granter: f["granter"].as_str().unwrap_or_default().to_string(),
        }),
        ..AuthInfo::default()
    })
}

/// The `TxRaw` bytes (base64) of a signed transaction in the chain binary's JSON form.
pub(super) fn encode_tx(tx: &Value) -> Result<String> {
    let raw = TxRaw {
        body_bytes: body(tx)?.encode_to_vec(),
        auth_info_bytes: auth_info(tx)?.encode_to_vec(),
        signatures: list(&tx["signatures"])
            .iter()
            .map(|s| base64(s, "signature"))
            .collect::<Result<_>>()?,
    };
    Ok(Binary::from(raw.encode_to_vec()).to_base64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encoding_omits_defaults_and_orders_fields() {
        let tx = json!({
            "body": {"messages": [{"@type": "/cosmwasm.wasm.v1.MsgExecuteContract",
                "sender": "a", "contract": "b", "msg": {"x": 1}, "funds": []}],
                "memo": "", "timeout_height": "0"},
            "auth_info": {"signer_infos": [{"public_key": {"@type": "/k", "key": "AQ=="},
                "mode_info": {"single": {"mode": "SIGN_MODE_DIRECT"}}, "sequence": "2"}],
                "fee": {"amount": [{"denom": "d", "amount": "5"}], "gas_limit": "7",
                    "payer": "", "granter": ""}},
            "signatures": ["Ag=="]
        });
        let bytes = Binary::from_base64(&encode_tx(&tx).unwrap()).unwrap();
        let msg = [&[0x0a, 1, b'a', 0x12, 1, b'b', 0x1a, 7][..], br#"{"x":1}"#].concat();
        let ty = b"/cosmwasm.wasm.v1.MsgExecuteContract";
        let any = [
            &[0x0a, ty.len() as u8][..],
            ty,
            &[0x12, msg.len() as u8],
            &msg,
        ]
        .concat();
        let body = [&[0x0a, any.len() as u8][..], &any].concat();
        let pk_any = [&[0x0a, 2, b'/', b'k', 0x12, 3, 0x0a, 1, 1][..]].concat();
        let info = [
            &[0x0a, pk_any.len() as u8][..],
            &pk_any,
            &[0x12, 4, 0x0a, 2, 0x08, 1, 0x18, 2],
        ]
        .concat();
        let fee = [0x0a, 6, 0x0a, 1, b'd', 0x12, 1, b'5', 0x10, 7];
        let auth = [
            &[0x0a, info.len() as u8][..],
            &info,
            &[0x12, fee.len() as u8],
            &fee,
        ]
        .concat();
        let want = [
            &[0x0a, body.len() as u8][..],
            &body,
            &[0x12, auth.len() as u8],
            &auth,
            &[0x1a, 1, 2],
        ]
        .concat();
        assert_eq!(bytes.as_slice(), want.as_slice());
    }

    #[test]
    fn refuses_other_messages_and_sign_modes() {
        let tx = json!({"body": {"messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend"}]}});
        assert_eq!(
            encode_tx(&tx).unwrap_err().to_string(),
            "cannot encode a /cosmos.bank.v1beta1.MsgSend"
        );
    }
}
