//! The node's home: its state, its initialisation (a funded key per actor, genesis, gentx) and
//! its configuration (127.0.0.1-only listeners, the servers the protocol does not need off).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::config::{actors, Config, FUNDS, KEYRING, MONIKER, SELF_DELEGATION};
use super::process::{alive, json_string, run_step};
use super::{die, msg, Outcome};

/// What is at the home's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeState {
    /// Nothing, or an empty folder.
    None,
    /// A complete home made by this tool.
    Ready,
    /// Something else.
    Foreign,
}

/// What is at `cfg.home`.
pub fn home_state(cfg: &Config) -> HomeState {
    if !cfg.home.exists() {
        HomeState::None
    } else if cfg.marker().is_file() {
        HomeState::Ready
    } else if cfg.home.is_dir() && is_empty_dir(&cfg.home) {
        HomeState::None
    } else {
        HomeState::Foreign
    }
}

/// Is `dir` a folder without entries?
pub fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// Fails unless the home is absent, empty, or a complete home of `cfg.chain_id`.
pub fn check_home(cfg: &Config) -> Outcome<()> {
    let home = cfg.home.display();
    match home_state(cfg) {
        HomeState::None => Ok(()),
        HomeState::Ready => {
            let marker = std::fs::read_to_string(cfg.marker()).unwrap_or_default();
            let home_id = marker
                .lines()
                .find_map(|l| l.strip_prefix("chain_id="))
                .unwrap_or("");
            if home_id == cfg.chain_id {
                Ok(())
            } else {
                Err(die(format!(
                    "{home} holds chain '{home_id}', not CHAIN_ID={}; run 'scripts/chain.sh reset' or set CHAIN_ID={home_id}",
                    cfg.chain_id
                )))
            }
        }
        HomeState::Foreign => Err(die(format!(
            "{home} exists but is not a complete chain home made by this script; move it away or pick another CHAIN_HOME"
        ))),
    }
}

/// Removes `HOME.partial.PID` folders whose process is gone.
pub fn remove_stale_partials(cfg: &Config) {
    let (Some(parent), Some(name)) = (cfg.home.parent(), cfg.home.file_name()) else {
        return;
    };
    let prefix = format!("{}.partial.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(suffix) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        if !entry.path().is_dir() {
            continue;
        }
        let live = !suffix.is_empty()
            && suffix.bytes().all(|b| b.is_ascii_digit())
            && suffix.parse().map(alive).unwrap_or(false);
        if !live {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A home being built; removed when dropped before `keep`.
struct Partial(Option<PathBuf>);

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Builds the whole home in a sibling temporary folder and renames it into place at the end, so
/// an interrupted initialisation never leaves a home that a later start would trust.
pub fn init_home(cfg: &Config, bin: &Path) -> Outcome<()> {
    let tmp = PathBuf::from(format!(
        "{}.partial.{}",
        cfg.home.display(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut partial = Partial(Some(tmp.clone()));
    let io = |what: &str, e: std::io::Error| die(format!("{what}: {e}"));
    if let Some(parent) = cfg.home.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io("mkdir", e))?;
    }
    msg(format!(
        "initialising {} in {} ({} funded keys)",
        cfg.chain_id,
        cfg.home.display(),
        actors().count()
    ));
    let t = tmp.display().to_string();
    let id = cfg.chain_id.as_str();
    run_step(
        "init",
        bin,
        &["init", MONIKER, "--chain-id", id, "--home", &t],
    )?;
    add_keys(bin, &tmp, id)?;
    let gentx = [
        "genesis",
        "gentx",
        "validator",
        SELF_DELEGATION,
        "--chain-id",
        id,
        KEYRING[0],
        KEYRING[1],
        "--home",
        &t,
    ];
    run_step("gentx", bin, &gentx)?;
    run_step(
        "collect-gentxs",
        bin,
        &["genesis", "collect-gentxs", "--home", &t],
    )?;
    let genesis = format!("{t}/config/genesis.json");
    run_step(
        "genesis validate",
        bin,
        &["genesis", "validate", &genesis, "--home", &t],
    )?;
    configure_home(cfg, &tmp)?;
    let marker = format!("chain_id={id}\ncreated={}\n", utc_now());
    std::fs::write(tmp.join(".openledger-chain"), marker).map_err(|e| io("marker", e))?;
    if cfg.home.is_dir() {
        // Only ever an empty folder here.
        std::fs::remove_dir(&cfg.home).map_err(|e| io("rmdir", e))?;
    }
    if cfg.home.exists() {
        return Err(die(format!(
            "{} appeared while initialising; not replacing it",
            cfg.home.display()
        )));
    }
    // A rename within one folder: the home appears complete or not at all.
    std::fs::rename(&tmp, &cfg.home).map_err(|e| io("mv", e))?;
    partial.0 = None;
    Ok(())
}

/// One key per actor, each funded at genesis; `keys.jsonl` keeps what `keys add` printed.
fn add_keys(bin: &Path, tmp: &Path, chain_id: &str) -> Outcome<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let t = tmp.display().to_string();
    let mut jsonl = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(tmp.join("keys.jsonl"))
        .map_err(|e| die(format!("keys.jsonl: {e}")))?;
    for name in actors() {
        let args = [
            "keys", "add", name, KEYRING[0], KEYRING[1], "--home", &t, "--output", "json",
        ];
        let out = run_step(&format!("keys add {name}"), bin, &args)?;
        let addr = json_string(&out, "address").unwrap_or_default();
        if !addr.starts_with("inj1") {
            return Err(die(format!("keys add {name} printed no inj1 address")));
        }
        for line in out.lines().filter(|l| l.starts_with('{')) {
            writeln!(jsonl, "{line}").map_err(|e| die(format!("keys.jsonl: {e}")))?;
        }
        let account = [
            "genesis",
            "add-genesis-account",
            &addr,
            FUNDS,
            "--chain-id",
            chain_id,
            "--home",
            &t,
        ];
        run_step(&format!("add-genesis-account {name}"), bin, &account)?;
    }
    Ok(())
}

/// Sets `key = value` (a TOML literal) at the first `key =` line of `[section]` ("" = the top);
/// `false` if the file or the key is not there.
pub fn set_toml(file: &Path, section: &str, key: &str, value: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(file) else {
        return false;
    };
    let mut current = String::new();
    let mut done = false;
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            current = trimmed
                .trim_end()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string();
        }
        let is_key = trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if !done && current == section && is_key {
            out.push_str(&format!("{key} = {value}\n"));
            done = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    done && std::fs::write(file, out).is_ok()
}

/// Binds every listener to 127.0.0.1 and switches off the servers the protocol does not need.
/// Run on every start, so a changed CHAIN_RPC_PORT takes effect.
pub fn configure_home(cfg: &Config, home: &Path) -> Outcome<()> {
    let rpc = format!("\"tcp://127.0.0.1:{}\"", cfg.port("RPC"));
    let p2p = format!("\"tcp://127.0.0.1:{}\"", cfg.port("P2P"));
    let api = format!("\"tcp://127.0.0.1:{}\"", cfg.port("REST API"));
    let grpc = format!("\"127.0.0.1:{}\"", cfg.port("gRPC"));
    let chain_id = format!("\"{}\"", cfg.chain_id);
    let node = format!("\"{}\"", cfg.node);
    // (file, section, key, value, must): a core setting must be there; the others may be
    // missing in another version of the binary.
    let settings: [(&str, &str, &str, &str, bool); 35] = [
        ("config", "rpc", "laddr", &rpc, true),
        ("config", "rpc", "pprof_laddr", "\"\"", true),
        ("config", "p2p", "laddr", &p2p, true),
        ("config", "p2p", "external_address", "\"\"", true),
        ("config", "p2p", "seeds", "\"\"", true),
        ("config", "p2p", "persistent_peers", "\"\"", true),
        ("config", "p2p", "pex", "false", true),
        ("config", "consensus", "timeout_commit", "\"500ms\"", true),
        ("config", "consensus", "timeout_propose", "\"1s\"", true),
        ("config", "instrumentation", "prometheus", "false", true),
        (
            "config",
            "instrumentation",
            "prometheus_listen_addr",
            "\"127.0.0.1:26660\"",
            true,
        ),
        ("config", "grpc", "laddr", "\"\"", false),
        ("config", "grpc.privileged", "laddr", "\"\"", false),
        ("app", "", "minimum-gas-prices", "\"0inj\"", true),
        ("app", "api", "enable", "true", true),
        ("app", "api", "address", &api, true),
        ("app", "api", "enabled-unsafe-cors", "false", true),
        ("app", "grpc", "enable", "true", true),
        ("app", "grpc", "address", &grpc, true),
        ("app", "grpc-web", "enable", "false", false),
        ("app", "json-rpc", "enable", "false", false),
        ("app", "json-rpc", "address", "\"127.0.0.1:8545\"", false),
        ("app", "json-rpc", "ws-address", "\"127.0.0.1:8546\"", false),
        ("app", "json-rpc", "enable-indexer", "false", false),
        ("app", "json-rpc", "metrics", "false", false),
        (
            "app",
            "json-rpc",
            "metrics-address",
            "\"127.0.0.1:6065\"",
            false,
        ),
        ("app", "json-rpc-debug", "enable", "false", false),
        (
            "app",
            "json-rpc-debug",
            "address",
            "\"127.0.0.1:8547\"",
            false,
        ),
        ("app", "injective-websocket", "address", "\"\"", false),
        ("app", "chainstream", "server", "\"\"", false),
        ("app", "metrics", "metrics-enabled", "false", false),
        ("app", "metrics", "tracing-enabled", "false", false),
        ("client", "", "chain-id", &chain_id, false),
        ("client", "", "keyring-backend", "\"test\"", false),
        ("client", "", "node", &node, false),
    ];
    for (file, section, key, value, must) in settings {
        let path = home.join("config").join(format!("{file}.toml"));
        if !set_toml(&path, section, key, value) && must {
            return Err(die(format!(
                "cannot set [{section}] {key} in {} (unexpected config format)",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Now in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    utc(secs)
}

/// `secs` after the Unix epoch in UTC as `YYYY-MM-DDTHH:MM:SSZ` (the civil calendar).
fn utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_follow_the_calendar() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_798_830_013), "2027-01-01T19:00:13Z");
    }

    #[test]
    fn toml_keys_are_set_in_their_section_only() {
        let dir = std::env::temp_dir().join(format!("olc-toml-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(
            &file,
            "laddr = \"top\"\n[rpc]\nladdr = \"x\"\nladdr_other = 1\n[p2p]\n  laddr  = \"y\"\n",
        )
        .unwrap();
        assert!(set_toml(&file, "p2p", "laddr", "\"z\""));
        assert!(set_toml(&file, "rpc", "laddr", "\"r\""));
        assert!(!set_toml(&file, "rpc", "missing", "1"));
        assert!(!set_toml(&dir.join("none.toml"), "", "a", "1"));
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text,
            "laddr = \"top\"\n[rpc]\nladdr = \"r\"\nladdr_other = 1\n[p2p]\nladdr = \"z\"\n"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
