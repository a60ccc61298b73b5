//! The local chain's configuration, read from the environment, and its binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{die, Outcome};

/// The node's moniker.
pub const MONIKER: &str = "openledger-local";
/// What every actor's account holds at genesis.
pub const FUNDS: &str = "1000000000000000000000000inj,1000000000000000000000000stake";
/// The validator's self-delegation.
pub const SELF_DELEGATION: &str = "1000000000000000000000stake";
/// One funded key per actor of the protocol, space-separated; "validator" signs the gentx.
const ACTORS: &str = "deployer curator1 curator2 contributor1 contributor2 contributor3 \
    contributor4 model_owner host agent client arbiter attestor staker1 staker2 treasury validator";

/// The actors, in order.
pub fn actors() -> impl Iterator<Item = &'static str> {
    ACTORS.split_whitespace()
}
/// The keyring flags of every key command.
pub const KEYRING: [&str; 2] = ["--keyring-backend", "test"];

/// One port the node listens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// The port number.
    pub number: u16,
    /// What listens there (`RPC`, `P2P`, `gRPC`, `REST API`).
    pub what: &'static str,
}

/// The local chain's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The repository (the default home lives in it; `reset` never deletes it).
    pub repo: PathBuf,
    /// The node's home, absolute, without a trailing slash.
    pub home: PathBuf,
    /// The chain id.
    pub chain_id: String,
    /// RPC, P2P, gRPC and REST API ports, in that order.
    pub ports: [Port; 4],
    /// The RPC address, `tcp://127.0.0.1:RPC`.
    pub node: String,
    /// How long to wait for the first blocks.
    pub start_timeout: u64,
    /// The node's log level.
    pub log_level: String,
}

fn var(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.is_empty())
}

/// `text` as a port number 1-65535.
fn port(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|p| *p >= 1)
}

/// A port: `override_var` if set, else `base` moved by `offset`.
fn derived(offset: i64, base: i64, what: &'static str, override_var: &str) -> Outcome<Port> {
    let text = var(override_var).unwrap_or_else(|| base.saturating_add(offset).to_string());
    let rpc = var("CHAIN_RPC_PORT").unwrap_or_else(|| "36657".into());
    let number = port(&text).ok_or_else(|| {
        die(format!(
            "{what} port '{text}' is not a port number 1-65535 (CHAIN_RPC_PORT={rpc}); set {override_var}"
        ))
    })?;
    Ok(Port { number, what })
}

/// `path` made absolute against the working directory, trailing slashes removed.
fn absolute(path: &str) -> PathBuf {
    let mut text = if path.starts_with('/') {
        path.to_string()
    } else {
        let cwd = std::env::var("PWD")
            .ok()
            .filter(|p| p.starts_with('/'))
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        format!("{}/{path}", cwd.display())
    };
    while text.len() > 1 && text.ends_with('/') {
        text.pop();
    }
    PathBuf::from(text)
}

impl Config {
    /// Reads the configuration from the environment and checks it.
    pub fn from_env() -> Outcome<Self> {
        let repo = crate::repo_root();
        let home = match var("CHAIN_HOME") {
            Some(h) => absolute(&h),
            None => repo.join(".localchain"),
        };
        let rpc_text = var("CHAIN_RPC_PORT").unwrap_or_else(|| "36657".into());
        let rpc = port(&rpc_text).ok_or_else(|| {
            die(format!(
                "CHAIN_RPC_PORT must be a port number (1-65535), not '{rpc_text}'"
            ))
        })?;
        let timeout_text = var("CHAIN_START_TIMEOUT").unwrap_or_else(|| "60".into());
        let start_timeout = timeout_text
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| timeout_text.parse::<u64>().ok())
            .flatten()
            .ok_or_else(|| {
                die(format!(
                    "CHAIN_START_TIMEOUT must be a number of seconds, not '{timeout_text}'"
                ))
            })?;
        let offset = i64::from(rpc) - 36657;
        let ports = [
            Port {
                number: rpc,
                what: "RPC",
            },
            derived(offset, 36656, "P2P", "CHAIN_P2P_PORT")?,
            derived(offset, 39090, "gRPC", "CHAIN_GRPC_PORT")?,
            derived(offset, 31317, "REST API", "CHAIN_API_PORT")?,
        ];
        let mut numbers: Vec<u16> = ports.iter().map(|p| p.number).collect();
        numbers.sort_unstable();
        numbers.dedup();
        if numbers.len() != ports.len() {
            let list: Vec<String> = ports
                .iter()
                .map(|p| format!("{} {}", p.what, p.number))
                .collect();
            return Err(die(format!(
                "the node's ports must differ ({})",
                list.join(", ")
            )));
        }
        Ok(Config {
            repo,
            home,
            chain_id: var("CHAIN_ID").unwrap_or_else(|| "openledger-local-1".into()),
            node: format!("tcp://127.0.0.1:{rpc}"),
            ports,
            start_timeout,
            log_level: var("CHAIN_LOG_LEVEL").unwrap_or_else(|| "info".into()),
        })
    }

    /// The port of `what` (`RPC`, `P2P`, `gRPC`, `REST API`).
    pub fn port(&self, what: &str) -> u16 {
        self.ports
            .iter()
            .find(|p| p.what == what)
            .map(|p| p.number)
            .unwrap_or_default()
    }

    /// The node's pid file.
    pub fn pid_file(&self) -> PathBuf {
        self.home.join("node.pid")
    }

    /// The node's log.
    pub fn log_file(&self) -> PathBuf {
        self.home.join("node.log")
    }

    /// Written last by a complete initialisation.
    pub fn marker(&self) -> PathBuf {
        self.home.join(".openledger-chain")
    }

    /// The chain binary. `install`: install the default binary if it is missing.
    pub fn resolve_bin(&self, install: bool) -> Outcome<PathBuf> {
        let tools = self.repo.join("scripts/tools.sh");
        let default = default_bin(&tools)?;
        match var("CHAIN_BIN").filter(|b| *b != default) {
            Some(user) => user_bin(&user),
            None => {
                if install {
                    install_default(&tools)?;
                }
                Ok(PathBuf::from(default))
            }
        }
    }
}

/// The path `scripts/tools.sh` installs injectived at.
fn default_bin(tools: &Path) -> Outcome<String> {
    let out = Command::new("bash")
        .arg("-c")
        .arg(r#"source "$1" && printf '%s' "$CHAIN_BIN""#)
        .arg("tools")
        .arg(tools)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| die(format!("cannot run {}: {e}", tools.display())))?;
    let path = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || path.is_empty() {
        return Err(die(format!("{} names no chain binary", tools.display())));
    }
    Ok(path)
}

/// Installs the default chain binary if it is missing (its messages go to stderr).
fn install_default(tools: &Path) -> Outcome<()> {
    let ok = Command::new(tools)
        .arg("chain")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(die(
            "could not install the chain binary (see the messages above)",
        ))
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// The binary the caller named: a path, or a name looked up in `PATH`.
fn user_bin(user: &str) -> Outcome<PathBuf> {
    let not_found = || die(format!("chain binary not found: {user}"));
    let path = if user.contains('/') {
        PathBuf::from(user)
    } else {
        let dirs = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&dirs)
            .map(|d| d.join(user))
            .find(|p| is_executable(p))
            .ok_or_else(not_found)?
    };
    if !path.is_file() {
        return Err(not_found());
    }
    if !is_executable(&path) {
        return Err(die(format!(
            "chain binary is not executable: {}",
            path.display()
        )));
    }
    Ok(path)
}

/// `text` quoted for a POSIX shell like bash's `printf %q`: bare when safe, else escaped.
pub fn shell_quote(text: &str) -> String {
    if text.is_empty() {
        return "''".into();
    }
    if text.chars().any(|c| c.is_control()) {
        return format!("'{}'", text.replace('\'', r"'\''"));
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c.is_alphanumeric() || "_./:@%+=,-".contains(c)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_numbers_from_1_to_65535() {
        assert_eq!(port("36657"), Some(36657));
        assert_eq!(port("65535"), Some(65535));
        for bad in ["", "0", "65536", "-1", "12a", " 1"] {
            assert_eq!(port(bad), None, "{bad}");
        }
    }

    #[test]
    fn quoting_keeps_plain_paths_bare() {
        assert_eq!(shell_quote("/tmp/a-b_c.d/x:1"), "/tmp/a-b_c.d/x:1");
        assert_eq!(shell_quote("a b$c'"), r"a\ b\$c\'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a\nb'"), "'a\nb'\\'''");
    }

    #[test]
    fn homes_are_absolute_without_trailing_slashes() {
        assert_eq!(absolute("/tmp/h//"), PathBuf::from("/tmp/h"));
        assert_eq!(absolute("/"), PathBuf::from("/"));
        assert!(absolute("rel/").is_absolute());
        assert!(absolute("rel/").ends_with("rel"));
    }
}
