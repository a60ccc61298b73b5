//! Queries through the chain's binary: smart queries, stored code, contracts and accounts.

use anyhow::{bail, Context, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::{find_number, normalize_checksum, number, Chain};

impl Chain {
    /// A smart query, decoded into `R`.
    pub fn query<Q: Serialize, R: DeserializeOwned>(&self, contract: &str, msg: &Q) -> Result<R> {
        let json = serde_json::to_string(msg)?;
        let v = self.run(
            &[
                "q",
                "wasm",
                "contract-state",
                "smart",
                contract,
                &json,
                "--node",
                &self.cfg.node,
            ],
            true,
        )?;
        serde_json::from_value(v["data"].clone())
            .with_context(|| format!("unexpected query response {}", v["data"]))
    }

    /// The checksum (lower-case hex) of stored code, or `None` if there is no such code.
    pub fn code_checksum(&self, code_id: u64) -> Result<Option<String>> {
        let id = code_id.to_string();
        match self.run(
            &["q", "wasm", "code-info", &id, "--node", &self.cfg.node],
            true,
        ) {
            Ok(v) => {
                let raw = v["checksum"]
                    .as_str()
                    .or_else(|| v["data_hash"].as_str())
                    .unwrap_or_default();
                Ok(Some(normalize_checksum(raw)))
            }
            Err(_) => Ok(None),
        }
    }

    /// `(code_id, label)` of a contract, or `None` if there is no contract at that address.
    pub fn contract_info(&self, address: &str) -> Result<Option<(u64, String)>> {
        match self.run(
            &["q", "wasm", "contract", address, "--node", &self.cfg.node],
            true,
        ) {
            Ok(v) => {
                let info = &v["contract_info"];
                let code_id = match &info["code_id"] {
                    Value::String(s) => s.parse()?,
                    Value::Number(n) => n.as_u64().unwrap_or_default(),
                    _ => bail!("contract {address}: no code id in {v}"),
                };
                Ok(Some((
                    code_id,
                    info["label"].as_str().unwrap_or_default().to_string(),
                )))
            }
            Err(_) => Ok(None),
        }
    }

    /// Every stored code: `(code_id, checksum hex, creator)`, in id order.
    pub fn list_codes(&self) -> Result<Vec<(u64, String, String)>> {
        let mut out = Vec::new();
        for info in self.paged(&["q", "wasm", "list-code"], "code_infos")? {
            let id = number(&info["code_id"])
                .with_context(|| format!("list-code: no code id in {info}"))?;
            let raw = info["data_hash"]
                .as_str()
                .or_else(|| info["checksum"].as_str())
                .unwrap_or_default();
            out.push((
                id,
                normalize_checksum(raw),
                info["creator"].as_str().unwrap_or_default().to_string(),
            ));
        }
        Ok(out)
    }

    /// Addresses of every contract instantiated from (or migrated to) `code_id`.
    pub fn contracts_by_code(&self, code_id: u64) -> Result<Vec<String>> {
        let id = code_id.to_string();
        let all = self.paged(&["q", "wasm", "list-contract-by-code", &id], "contracts")?;
        Ok(all
            .iter()
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect())
    }

    /// The items under `list` of every page a paginated query (`args`) answers, 100 a page.
    fn paged(&self, args: &[&str], list: &str) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut page_key: Option<String> = None;
        loop {
            let mut all = args.to_vec();
            all.extend(["--node", &self.cfg.node]);
            if let Some(k) = &page_key {
                all.extend(["--page-key", k.as_str()]);
            }
            all.extend(["--limit", "100"]);
            let v = self.run(&all, true)?;
            out.extend(v[list].as_array().cloned().unwrap_or_default());
            match v["pagination"]["next_key"].as_str() {
                Some(k) if !k.is_empty() => page_key = Some(k.to_string()),
                _ => return Ok(out),
            }
        }
    }

    /// `(code_id, label, creator)` of a contract, or `None` if there is no contract there.
    pub fn contract_details(&self, address: &str) -> Result<Option<(u64, String, String)>> {
        match self.run(
            &["q", "wasm", "contract", address, "--node", &self.cfg.node],
            true,
        ) {
            Ok(v) => {
                let info = &v["contract_info"];
                let code_id = number(&info["code_id"])
                    .with_context(|| format!("contract {address}: no code id in {v}"))?;
                Ok(Some((
                    code_id,
                    info["label"].as_str().unwrap_or_default().to_string(),
                    info["creator"].as_str().unwrap_or_default().to_string(),
                )))
            }
            Err(_) => Ok(None),
        }
    }

    /// `(account_number, sequence)` of an account.
    pub fn account(&self, address: &str) -> Result<(u64, u64)> {
        let v = self
            .run(
                &["q", "auth", "account", address, "--node", &self.cfg.node],
                true,
            )
            .with_context(|| format!("account {address}"))?;
        let find = |key: &str| find_number(&v, key);
        Ok((
            find("account_number").unwrap_or(0),
            find("sequence").unwrap_or(0),
        ))
    }
}
