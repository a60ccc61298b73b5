//! `openledger chain`: a real single-node Cosmos chain with CosmWasm (injectived, Cosmos SDK
//! 0.50) on this machine, for deploys and tests; `scripts/chain.sh` runs it.
//!
//! Every listener binds 127.0.0.1; servers the protocol does not need (EVM JSON-RPC and its
//! websocket, gRPC-web, pprof, Prometheus, CometBFT gRPC, injective websocket, chainstream) are
//! disabled. Keys use the "test" keyring backend inside `CHAIN_HOME`; `CHAIN_HOME/keys.jsonl`
//! keeps the output of `keys add` (address and mnemonic) for tools that sign on their own.
//! Messages go to stderr, prefixed `[chain]`; only `accounts` and `env` write to stdout.
//!
//! Environment (defaults in brackets): `CHAIN_HOME` [<repo>/.localchain], `CHAIN_ID`
//! [openledger-local-1], `CHAIN_RPC_PORT` [36657] (the other ports move with it by the same
//! offset: P2P = RPC-1 [36656], gRPC [39090], REST API [31317]), `CHAIN_P2P_PORT`,
//! `CHAIN_GRPC_PORT`, `CHAIN_API_PORT` (override one derived port), `CHAIN_BIN` (unset =
//! injectived from `scripts/tools.sh`, installed on first use), `CHAIN_START_TIMEOUT` [60],
//! `CHAIN_LOG_LEVEL` [info].

mod commands;
mod config;
mod home;
mod process;

use clap::Subcommand;

/// What `openledger chain` does.
#[derive(Subcommand, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainAction {
    /// Initialises CHAIN_HOME if needed (genesis with a funded key per protocol actor), starts
    /// the node in the background and waits until it produces blocks.
    Start,
    /// Stops the node (SIGTERM, then SIGKILL after 10 s).
    Stop,
    /// Running/stopped, height, chain id, RPC; exits 0 running and producing blocks, 1 running
    /// but not answering / not producing blocks, 3 stopped.
    Status,
    /// Stops the node and deletes CHAIN_HOME.
    Reset,
    /// Prints "name address" for every key (stdout).
    Accounts,
    /// Prints export lines for CHAIN_BIN, CHAIN_HOME, CHAIN_ID, CHAIN_NODE (stdout), for
    /// `eval "$(scripts/chain.sh env)"`.
    Env,
}

/// How a command ends early: a message for stderr (printed `[chain] ...`) and an exit code.
#[derive(Debug, PartialEq, Eq)]
pub struct Exit {
    /// The exit code.
    pub code: i32,
    /// The message, if any.
    pub message: Option<String>,
}

/// The result of a step of a command.
pub type Outcome<T> = Result<T, Exit>;

/// A failure: exit code 1 with `message`.
pub fn die(message: impl Into<String>) -> Exit {
    Exit {
        code: 1,
        message: Some(message.into()),
    }
}

/// Prints one message to stderr, prefixed `[chain]`.
pub fn msg(text: impl AsRef<str>) {
    eprintln!("[chain] {}", text.as_ref());
}

/// Runs `action` and returns the process's exit code.
pub fn run(action: ChainAction) -> i32 {
    let outcome = config::Config::from_env().and_then(|cfg| commands::run(&cfg, action));
    match outcome {
        Ok(()) => 0,
        Err(exit) => {
            if let Some(m) = exit.message {
                msg(m);
            }
            exit.code
        }
    }
}
