//! The commands that need no chain binary: the contract list, fields of JSON documents (the
//! manifest, the chain binary's answers), smart and raw queries over the node's RPC, the
//! snapshots of the upgrade test, the quality tables, schema descriptions, and a port holder
//! for the tests of the local chain's start.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use serde_json::Value;

use crate::manifest::CONTRACTS;
use crate::rpc::Rpc;

/// Where the node's RPC listens unless `CHAIN_NODE` says otherwise.
const DEFAULT_NODE: &str = "tcp://127.0.0.1:36657";

/// The commands that need no chain binary.
#[derive(Subcommand, Debug)]
pub enum ToolCommand {
    /// Prints the suite's contract names, one a line, in deployment order.
    Contracts,
    /// Prints one field of a JSON document (FILE, or the first JSON document on standard input).
    ///
    /// PATH is dotted (`contracts.open_token.address`); a segment `*` takes every element of an
    /// array (one line each); `a|b` takes the first of the keys present. Strings print bare,
    /// other values as JSON, a missing field as an empty line.
    JsonField {
        /// The dotted path.
        path: String,
        /// The document (default: standard input).
        file: Option<PathBuf>,
        /// Prints the number of elements (or keys) at PATH instead.
        #[arg(long)]
        length: bool,
    },
    /// A smart query over the node's RPC: prints the answer as JSON (keys sorted).
    Query {
        /// The contract.
        contract: String,
        /// The query message, JSON.
        msg: String,
        /// The node's RPC address.
        #[arg(long, env = "CHAIN_NODE", default_value = DEFAULT_NODE)]
        node: String,
    },
    /// Prints a contract's cw2 record (`{"contract", "version"}`) read over the node's RPC.
    Cw2 {
        /// The contract.
        contract: String,
        /// The node's RPC address.
        #[arg(long, env = "CHAIN_NODE", default_value = DEFAULT_NODE)]
        node: String,
    },
    /// Every query answer of a deployed suite, written to OUT (the upgrade test's snapshot).
    Snapshot(crate::upgrade_check::SnapshotArgs),
    /// Compares two snapshots: identical but for the fields the current release adds.
    CompareSnapshots(crate::upgrade_check::CompareArgs),
    /// Writes the coverage table (docs/figures/coverage.md) from cargo llvm-cov's reports.
    CoverageTable(crate::quality::CoverageArgs),
    /// Writes the mutants table (docs/figures/mutants.md) from cargo mutants' runs.
    MutantsTable(crate::quality::MutantsArgs),
    /// Fills the descriptions third-party types lack in generated schemas.
    SchemaDescribe(crate::schema_describe::DescribeArgs),
    /// Listens on 127.0.0.1:PORT until killed (tests that need a busy port).
    HoldPort {
        /// The port.
        port: u16,
    },
}

impl ToolCommand {
    /// Runs the command.
    pub fn run(self) -> Result<()> {
        match self {
            ToolCommand::Contracts => {
                for c in CONTRACTS {
                    println!("{c}");
                }
                Ok(())
            }
            ToolCommand::JsonField { path, file, length } => json_field(&path, file, length),
            ToolCommand::Query {
                contract,
                msg,
                node,
            } => {
                let msg: Value = serde_json::from_str(&msg).context("the query is not JSON")?;
                let answer = rpc(&node)?
                    .smart_opt(&contract, &msg)?
                    .with_context(|| format!("{contract} refused the query {msg}"))?;
                println!("{}", sorted(&answer));
                Ok(())
            }
            ToolCommand::Cw2 { contract, node } => {
                println!("{}", sorted(&cw2(&rpc(&node)?, &contract)?));
                Ok(())
            }
            ToolCommand::Snapshot(a) => crate::upgrade_check::snapshot(&a),
            ToolCommand::CompareSnapshots(a) => crate::upgrade_check::compare(&a),
            ToolCommand::CoverageTable(a) => crate::quality::coverage_table(&a),
            ToolCommand::MutantsTable(a) => crate::quality::mutants_table(&a),
            ToolCommand::SchemaDescribe(a) => crate::schema_describe::run(&a),
            ToolCommand::HoldPort { port } => hold_port(port),
        }
    }
}

/// A client of the node's RPC at `node`.
pub fn rpc(node: &str) -> Result<Rpc> {
    Rpc::from_node(node).with_context(|| format!("{node} is not a tcp:// or http:// RPC address"))
}

/// The cw2 record of `contract` (stored under the raw key `contract_info`), `null` if none.
pub fn cw2(rpc: &Rpc, contract: &str) -> Result<Value> {
    match rpc.raw(contract, b"contract_info")? {
        Some(bytes) => serde_json::from_slice(&bytes).context("the cw2 record is not JSON"),
        None => Ok(Value::Null),
    }
}

/// `v` as compact JSON with its object keys sorted.
pub fn sorted(v: &Value) -> String {
    // serde_json's own map is ordered by key: a round trip through it sorts.
    serde_json::to_string(v).unwrap_or_default()
}

/// The first JSON document in `text` (some binaries print notes before it).
pub fn first_json(text: &str) -> Result<Value> {
    let start = text
        .find(['{', '['])
        .with_context(|| format!("no JSON in: {}", text.trim()))?;
    let mut docs = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
    docs.next()
        .context("no JSON document")?
        .context("unparsable JSON")
}

/// The values at a dotted path (`*` maps over an array, `a|b` takes the first key present).
pub fn select<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![v];
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        current = current
            .into_iter()
            .flat_map(|v| -> Vec<&Value> {
                if segment == "*" {
                    return v.as_array().map(|a| a.iter().collect()).unwrap_or_default();
                }
                segment
                    .split('|')
                    .find_map(|k| v.get(k).filter(|x| !x.is_null()))
                    .into_iter()
                    .collect()
            })
            .collect();
    }
    current
}

fn json_field(path: &str, file: Option<PathBuf>, length: bool) -> Result<()> {
    let text = match &file {
        Some(f) => {
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?
        }
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s)?;
            s
        }
    };
    let doc = first_json(&text)?;
    let found = select(&doc, path);
    if length {
        let n = match found.first() {
            Some(Value::Array(a)) => a.len(),
            Some(Value::Object(o)) => o.len(),
            _ => 0,
        };
        println!("{n}");
        return Ok(());
    }
    if found.is_empty() && !path.contains('*') {
        println!();
    }
    for v in found {
        match v {
            Value::String(s) => println!("{s}"),
            other => println!("{other}"),
        }
    }
    Ok(())
}

fn hold_port(port: u16) -> Result<()> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    eprintln!("[hold-port] listening on 127.0.0.1:{port} until killed");
    for conn in listener.incoming() {
        drop(conn);
    }
    bail!("stopped listening on 127.0.0.1:{port}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_documents() {
        let doc = first_json(
            "gas estimate: 5\n{\"code\":0,\"a\":{\"b\":\"x\"},\"l\":[{\"h\":\"1\"},{\"c\":\"2\"}]}",
        )
        .unwrap();
        assert_eq!(select(&doc, "a.b"), vec![&Value::from("x")]);
        assert_eq!(select(&doc, "code"), vec![&Value::from(0)]);
        assert_eq!(
            select(&doc, "l.*.h|c"),
            vec![&Value::from("1"), &Value::from("2")]
        );
        assert!(select(&doc, "a.missing").is_empty());
        assert!(first_json("no json").is_err());
    }

    #[test]
    fn the_contract_list_is_the_deployment_order() {
        assert_eq!(CONTRACTS.first(), Some(&"open_token"));
        assert_eq!(CONTRACTS.len(), 5);
    }
}
