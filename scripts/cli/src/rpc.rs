//! Smart queries straight over the node's CometBFT RPC (`abci_query` of
//! `/cosmwasm.wasm.v1.Query/SmartContractState`), without starting the chain's binary: a few
//! milliseconds instead of a process per query, for callers that query a lot (the story checks
//! every balance after every step). Only plain `tcp://` or `http://` node addresses are
//! supported; callers fall back to `Chain::query` otherwise.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::{anyhow, bail, ensure, Context, Result};
use cosmwasm_std::Binary;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub struct Rpc {
    /// `host:port`.
    addr: String,
}

impl Rpc {
    /// From a node address `tcp://host:port` or `http://host:port`.
    pub fn from_node(node: &str) -> Option<Self> {
        let rest = node
            .strip_prefix("tcp://")
            .or_else(|| node.strip_prefix("http://"))?;
        let addr = rest.trim_end_matches('/');
        (!addr.is_empty() && !addr.contains('/')).then(|| Rpc {
            addr: addr.to_string(),
        })
    }

    /// A smart query of `contract`, decoded into `R`.
    pub fn smart<Q: Serialize, R: DeserializeOwned>(&self, contract: &str, msg: &Q) -> Result<R> {
        let query = serde_json::to_vec(msg)?;
        let mut request = Vec::with_capacity(contract.len() + query.len() + 8);
        field(&mut request, 1, contract.as_bytes());
        field(&mut request, 2, &query);
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": 1,
            "method": "abci_query",
            "params": {
                "path": "/cosmwasm.wasm.v1.Query/SmartContractState",
                "data": hex::encode(&request),
                "height": "0",
                "prove": false,
            },
        });
        let reply = self.post(&serde_json::to_vec(&body)?)?;
        let v: Value = serde_json::from_slice(&reply).context("unparsable RPC reply")?;
        if let Some(e) = v.get("error") {
            bail!("RPC error: {e}");
        }
        let response = &v["result"]["response"];
        let code = response["code"].as_u64().unwrap_or(0);
        ensure!(
            code == 0,
            "query of {contract} failed (code {code}): {}",
            response["log"].as_str().unwrap_or_default()
        );
        let value = Binary::from_base64(response["value"].as_str().unwrap_or_default())
            .context("the RPC reply's value is not base64")?;
        let data = read_bytes_field(value.as_slice(), 1)?;
        serde_json::from_slice(&data).with_context(|| {
            format!(
                "unexpected query response {}",
                String::from_utf8_lossy(&data)
            )
        })
    }

    /// A JSON-RPC call of the node (`broadcast_tx_sync`, `tx`, `status`, ...): its `result`.
    pub fn call(&self, method: &str, params: Value) -> Result<Value> {
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": 1,
            "method": method,
            "params": params,
        });
        let reply = self.post(&serde_json::to_vec(&body)?)?;
        let mut v: Value = serde_json::from_slice(&reply).context("unparsable RPC reply")?;
        if let Some(e) = v.get("error") {
            bail!("RPC {method}: {e}");
        }
        Ok(v["result"].take())
    }

    /// One HTTP/1.0 POST (no chunked replies), the reply's body.
    fn post(&self, body: &[u8]) -> Result<Vec<u8>> {
        let mut stream = TcpStream::connect(&self.addr)
            .with_context(|| format!("cannot reach the node's RPC at {}", self.addr))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_write_timeout(Some(Duration::from_secs(30)))?;
        let head = format!(
            "POST / HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        stream.write_all(body)?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply)?;
        let split = reply
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| anyhow!("malformed HTTP reply from {}", self.addr))?;
        let status = String::from_utf8_lossy(&reply[..split]);
        ensure!(
            status.lines().next().is_some_and(|l| l.contains(" 200")),
            "the node's RPC answered {}",
            status.lines().next().unwrap_or_default()
        );
        Ok(reply[split + 4..].to_vec())
    }
}

pub(crate) fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A length-delimited protobuf field.
pub(crate) fn field(out: &mut Vec<u8>, number: u64, bytes: &[u8]) {
    varint(out, (number << 3) | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn read_varint(buf: &[u8], pos: &mut usize) -> Result<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*pos).context("truncated protobuf")?;
        *pos += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Ok(n);
        }
    }
    bail!("protobuf varint too long")
}

/// The first length-delimited field `number` of a protobuf message.
fn read_bytes_field(buf: &[u8], number: u64) -> Result<Vec<u8>> {
    let mut pos = 0;
    while pos < buf.len() {
        let key = read_varint(buf, &mut pos)?;
        match key & 7 {
            0 => {
                read_varint(buf, &mut pos)?;
            }
            2 => {
                let len = usize::try_from(read_varint(buf, &mut pos)?)?;
                let end = pos.checked_add(len).context("protobuf length overflow")?;
                let bytes = buf.get(pos..end).context("truncated protobuf")?;
                if key >> 3 == number {
                    return Ok(bytes.to_vec());
                }
                pos = end;
            }
            1 => pos += 8,
            5 => pos += 4,
            t => bail!("unsupported protobuf wire type {t}"),
        }
    }
    bail!("the query response has no field {number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protobuf_round_trip() {
        let mut buf = Vec::new();
        field(&mut buf, 1, b"inj1contract");
        field(&mut buf, 2, &[b'x'; 300]);
        assert_eq!(read_bytes_field(&buf, 1).unwrap(), b"inj1contract");
        assert_eq!(read_bytes_field(&buf, 2).unwrap(), vec![b'x'; 300]);
        assert!(read_bytes_field(&buf, 3).is_err());
    }

    #[test]
    fn node_addresses() {
        assert_eq!(
            Rpc::from_node("tcp://127.0.0.1:36657").unwrap().addr,
            "127.0.0.1:36657"
        );
        assert!(Rpc::from_node("https://rpc.example.com:443").is_none());
    }
}
