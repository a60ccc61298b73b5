//! The node's CometBFT RPC through `tendermint-rpc`, with the wasm module's query types from
//! `cosmos-sdk-proto`: smart and raw queries (`abci_query` of
//! `/cosmwasm.wasm.v1.Query/SmartContractState` and `RawContractState`) without starting the
//! chain's binary, a few milliseconds instead of a process per query, and the node calls the
//! load run makes (`status`, `broadcast_tx_sync`, `tx`, `consensus_params`). Only plain `tcp://`
//! or `http://` node addresses are supported; callers fall back to `Chain::query` otherwise.
//!
//! `tendermint-rpc` is asynchronous: every call runs on a small current-thread tokio runtime
//! owned by the `Rpc`, so its API stays synchronous.

use anyhow::{bail, ensure, Context, Result};
use cosmos_sdk_proto::cosmwasm::wasm::v1::{
    QueryRawContractStateRequest, QueryRawContractStateResponse, QuerySmartContractStateRequest,
    QuerySmartContractStateResponse,
};
use cosmos_sdk_proto::prost::Message;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tendermint_rpc::error::ErrorDetail;
use tendermint_rpc::{Client, HttpClient};

/// A client of one node's RPC endpoint.
pub struct Rpc {
    /// `host:port`.
    addr: String,
    client: HttpClient,
    runtime: tokio::runtime::Runtime,
}

impl Rpc {
    /// From a node address `tcp://host:port` or `http://host:port`.
    pub fn from_node(node: &str) -> Option<Self> {
        let rest = node
            .strip_prefix("tcp://")
            .or_else(|| node.strip_prefix("http://"))?;
        let addr = rest.trim_end_matches('/');
        if addr.is_empty() || addr.contains('/') {
            return None;
        }
        // No idle connection is kept: the runtime only runs while a call is made, so a pooled
        // connection that the node closed in between would not be noticed and the next request
        // on it would fail. A new connection per call costs well under a millisecond locally.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .ok()?;
        let url = format!("http://{addr}").parse().ok()?;
        let client = HttpClient::builder(url).client(http).build().ok()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        Some(Rpc {
            addr: addr.to_string(),
            client,
            runtime,
        })
    }

    /// An `abci_query` of the wasm module's gRPC method `method` with the encoded `request`:
    /// the response's value, or `None` when the query failed (no such contract or key, a
    /// contract error) with the node's log.
    fn abci(&self, method: &str, request: Vec<u8>) -> Result<std::result::Result<Vec<u8>, String>> {
        let path = format!("/cosmwasm.wasm.v1.Query/{method}");
        let res = self
            .runtime
            .block_on(self.client.abci_query(Some(path), request, None, false))
            .map_err(|e| self.transport("abci_query", e))?;
        if res.code.is_err() {
            return Ok(Err(format!("(code {}): {}", res.code.value(), res.log)));
        }
        Ok(Ok(res.value))
    }

    /// A smart query of `contract`, decoded into `R`.
    pub fn smart<Q: Serialize, R: DeserializeOwned>(&self, contract: &str, msg: &Q) -> Result<R> {
        let request = QuerySmartContractStateRequest {
            address: contract.to_string(),
            query_data: serde_json::to_vec(msg)?,
        };
        let value = match self.abci("SmartContractState", request.encode_to_vec())? {
            Ok(v) => v,
            Err(log) => bail!("query of {contract} failed {log}"),
        };
        let data = QuerySmartContractStateResponse::decode(value.as_slice())
            .context("the query response is not a QuerySmartContractStateResponse")?
            .data;
        serde_json::from_slice(&data).with_context(|| {
            format!(
                "unexpected query response {}",
                String::from_utf8_lossy(&data)
            )
        })
    }

    /// A smart query of `contract` as JSON, or `None` when the contract refuses it.
    pub fn smart_opt(&self, contract: &str, msg: &Value) -> Result<Option<Value>> {
        let request = QuerySmartContractStateRequest {
            address: contract.to_string(),
            query_data: serde_json::to_vec(msg)?,
        };
        let Ok(value) = self.abci("SmartContractState", request.encode_to_vec())? else {
            return Ok(None);
        };
        let data = QuerySmartContractStateResponse::decode(value.as_slice())?.data;
        Ok(Some(serde_json::from_slice(&data).with_context(|| {
            format!("unparsable answer {}", String::from_utf8_lossy(&data))
        })?))
    }

    /// The raw value stored under `key` by `contract`, or `None` when there is none.
    pub fn raw(&self, contract: &str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let request = QueryRawContractStateRequest {
            address: contract.to_string(),
            query_data: key.to_vec(),
        };
        let Ok(value) = self.abci("RawContractState", request.encode_to_vec())? else {
            return Ok(None);
        };
        let data = QueryRawContractStateResponse::decode(value.as_slice())?.data;
        Ok((!data.is_empty()).then_some(data))
    }

    /// A call of the node (`status`, `broadcast_tx_sync` with `{"tx": base64}`, `tx` with
    /// `{"hash": base64}`, `consensus_params`): its result as the node's JSON.
    pub fn call(&self, method: &str, params: Value) -> Result<Value> {
        let c = &self.client;
        let rt = &self.runtime;
        let out = match method {
            "status" => rt.block_on(c.status()).map(to_json),
            "consensus_params" => rt.block_on(c.latest_consensus_params()).map(to_json),
            "broadcast_tx_sync" => {
                let tx = base64_param(&params, "tx")?;
                rt.block_on(c.broadcast_tx_sync(tx)).map(to_json)
            }
            "tx" => {
                let hash = base64_param(&params, "hash")?;
                let hash = tendermint::Hash::from_bytes(tendermint::hash::Algorithm::Sha256, &hash)
                    .map_err(|e| anyhow::anyhow!("tx: bad hash: {e}"))?;
                let prove = params["prove"].as_bool().unwrap_or(false);
                rt.block_on(c.tx(hash, prove)).map(to_json)
            }
            _ => bail!("RPC method {method} is not supported by this client"),
        };
        out.map_err(|e| self.transport(method, e))?
    }

    /// An RPC error: a refusal the node answered, or "cannot reach" when it did not answer.
    fn transport(&self, method: &str, e: tendermint_rpc::Error) -> anyhow::Error {
        match e.detail() {
            ErrorDetail::Response(_) | ErrorDetail::Server(_) => {
                anyhow::anyhow!("RPC {method}: {e}")
            }
            _ => anyhow::anyhow!("cannot reach the node's RPC at {}: {e}", self.addr),
        }
    }
}

/// A `tendermint-rpc` response in the node's own JSON form.
fn to_json<T: Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).context("cannot represent the RPC response as JSON")
}

/// A base64 parameter's bytes.
fn base64_param(params: &Value, name: &str) -> Result<Vec<u8>> {
    let text = params[name]
        .as_str()
        .with_context(|| format!("the parameter {name} is missing"))?;
    let bytes = cosmwasm_std::Binary::from_base64(text)
        .with_context(|| format!("the parameter {name} is not base64"))?;
    ensure!(!bytes.is_empty(), "the parameter {name} is empty");
    Ok(bytes.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_encode_as_protobuf() {
        let q = QuerySmartContractStateRequest {
            address: "inj1contract".into(),
            query_data: vec![b'x'; 300],
        };
        let bytes = q.encode_to_vec();
        assert_eq!(&bytes[..2], &[0x0a, 12]);
        assert_eq!(
            QuerySmartContractStateRequest::decode(bytes.as_slice()).unwrap(),
            q
        );
    }

    #[test]
    fn node_addresses() {
        assert_eq!(
            Rpc::from_node("tcp://127.0.0.1:36657").unwrap().addr,
            "127.0.0.1:36657"
        );
        assert!(Rpc::from_node("https://rpc.example.com:443").is_none());
    }

    #[test]
    fn an_absent_node_cannot_be_reached() {
        let rpc = Rpc::from_node("tcp://127.0.0.1:9").unwrap();
        let err = format!("{:#}", rpc.call("status", Value::Null).unwrap_err());
        assert!(err.contains("cannot reach"), "{err}");
    }
}
