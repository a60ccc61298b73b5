//! The commands: start, stop, status, reset, accounts, env.

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::config::{actors, shell_quote, Config, KEYRING};
use super::home::{
    check_home, configure_home, home_state, init_home, is_empty_dir, remove_stale_partials,
    HomeState,
};
use super::process::{
    json_string, launch_node, node_pid, non_loopback_listeners, port_user, rpc_height, rpc_status,
    run_step, show_log_tail, stop_node, take_lock,
};
use super::{die, msg, ChainAction, Exit, Outcome};

/// Runs `action` on the chain `cfg` describes.
pub fn run(cfg: &Config, action: ChainAction) -> Outcome<()> {
    match action {
        ChainAction::Start => start(cfg),
        ChainAction::Stop => stop(cfg),
        ChainAction::Status => status(cfg),
        ChainAction::Reset => reset(cfg),
        ChainAction::Accounts => accounts(cfg),
        ChainAction::Env => env(cfg),
    }
}

/// Fails if something already listens on one of the node's ports.
fn check_ports(cfg: &Config) -> Outcome<()> {
    for p in &cfg.ports {
        if let Some(by) = port_user(p.number) {
            return Err(die(format!(
                "port {} ({}) is already in use (by {by}); set CHAIN_RPC_PORT to move all ports",
                p.number, p.what
            )));
        }
    }
    Ok(())
}

/// Waits until the node has made block 2 and, on a restart, a block beyond the first height
/// seen; on failure shows the log, stops the node and fails.
fn wait_for_blocks(cfg: &Config, bin: &Path, pid: u32) -> Outcome<()> {
    // None: a timeout beyond any clock, never reached.
    let deadline = Instant::now().checked_add(Duration::from_secs(cfg.start_timeout));
    let mut first = None;
    loop {
        if !super::process::alive(pid) {
            show_log_tail(cfg);
            let _ = std::fs::remove_file(cfg.pid_file());
            return Err(die(format!(
                "the node exited during startup (log: {})",
                cfg.log_file().display()
            )));
        }
        if let Some(h) = rpc_height(cfg, bin) {
            let first = *first.get_or_insert(h);
            if h >= 2 && h > first {
                return Ok(());
            }
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            show_log_tail(cfg);
            stop_node(cfg, pid)?;
            return Err(die(format!(
                "no blocks after {}s; stopped the node (log: {})",
                cfg.start_timeout,
                cfg.log_file().display()
            )));
        }
        sleep(Duration::from_millis(500));
    }
}

/// Fails (after stopping the node) if the node listens on anything but 127.0.0.1.
fn check_listeners(cfg: &Config, pid: u32) -> Outcome<()> {
    let bad = non_loopback_listeners(pid);
    if bad.is_empty() {
        return Ok(());
    }
    stop_node(cfg, pid)?;
    Err(die(format!(
        "the node listened on non-loopback addresses ({}); stopped it, check {}/config",
        bad.join(" "),
        cfg.home.display()
    )))
}

fn start(cfg: &Config) -> Outcome<()> {
    let _lock = take_lock(cfg)?;
    let bin = cfg.resolve_bin(false)?;
    if let Some(pid) = node_pid(cfg) {
        if let Some(h) = rpc_height(cfg, &bin) {
            msg(format!(
                "already running (pid {pid}, height {h}, chain {}, RPC {})",
                cfg.chain_id, cfg.node
            ));
            return Ok(());
        }
        msg(format!(
            "node (pid {pid}) is running but its RPC does not answer yet; waiting for blocks"
        ));
        wait_for_blocks(cfg, &bin, pid)?;
        msg(format!(
            "running (pid {pid}, chain {}, RPC {})",
            cfg.chain_id, cfg.node
        ));
        return Ok(());
    }
    check_home(cfg)?;
    check_ports(cfg)?;
    let bin = cfg.resolve_bin(true)?;
    remove_stale_partials(cfg);
    let _ = std::fs::remove_file(cfg.pid_file());
    let started = Instant::now();
    if home_state(cfg) == HomeState::None {
        init_home(cfg, &bin)?;
    }
    configure_home(cfg, &cfg.home)?;
    let pid = launch_node(cfg, &bin)?;
    msg(format!(
        "node started (pid {pid}, log {}); waiting for blocks",
        cfg.log_file().display()
    ));
    wait_for_blocks(cfg, &bin, pid)?;
    check_listeners(cfg, pid)?;
    let h = rpc_height(cfg, &bin).map_or_else(|| "?".to_string(), |h| h.to_string());
    msg(format!(
        "chain {} is producing blocks (height {h}) after {} s; RPC {}, gRPC 127.0.0.1:{}, API http://127.0.0.1:{}",
        cfg.chain_id,
        started.elapsed().as_secs(),
        cfg.node,
        cfg.port("gRPC"),
        cfg.port("REST API")
    ));
    Ok(())
}

fn stop(cfg: &Config) -> Outcome<()> {
    let _lock = take_lock(cfg)?;
    let Some(pid) = node_pid(cfg) else {
        let _ = std::fs::remove_file(cfg.pid_file());
        msg(format!("not running ({})", cfg.home.display()));
        return Ok(());
    };
    msg(format!("stopping the node (pid {pid})"));
    stop_node(cfg, pid)?;
    msg("stopped");
    Ok(())
}

fn status(cfg: &Config) -> Outcome<()> {
    let Some(pid) = node_pid(cfg) else {
        let state = match home_state(cfg) {
            HomeState::Ready => "initialised",
            HomeState::None => "not initialised",
            HomeState::Foreign => "foreign",
        };
        msg("status:   stopped");
        msg(format!("chain id: {}", cfg.chain_id));
        msg(format!("rpc:      {}", cfg.node));
        msg(format!("home:     {} ({state})", cfg.home.display()));
        return Err(Exit {
            code: 3,
            message: None,
        });
    };
    let bin = cfg.resolve_bin(false)?;
    let (Some(out), Some(h1)) = (rpc_status(cfg, &bin), rpc_height(cfg, &bin)) else {
        return Err(die(format!(
            "status:   running (pid {pid}) but the RPC at {} does not answer",
            cfg.node
        )));
    };
    let network = json_string(&out, "network").filter(|n| !n.is_empty());
    let mut h2 = h1;
    for _ in 0..10 {
        // up to ~5 s for the next block
        sleep(Duration::from_millis(500));
        h2 = rpc_height(cfg, &bin).unwrap_or(h1);
        if h2 > h1 {
            break;
        }
    }
    let producing = h2 > h1;
    if producing {
        msg(format!("status:   running (pid {pid}), producing blocks"));
    } else {
        msg(format!(
            "status:   running (pid {pid}) but NOT producing blocks (height stays {h1})"
        ));
    }
    msg(format!("height:   {h2}"));
    msg(format!(
        "chain id: {}",
        network.as_deref().unwrap_or(&cfg.chain_id)
    ));
    msg(format!("rpc:      {}", cfg.node));
    msg(format!("home:     {}", cfg.home.display()));
    if producing {
        Ok(())
    } else {
        Err(Exit {
            code: 1,
            message: None,
        })
    }
}

fn reset(cfg: &Config) -> Outcome<()> {
    let _lock = take_lock(cfg)?;
    if let Some(pid) = node_pid(cfg) {
        msg(format!("stopping the node (pid {pid})"));
        stop_node(cfg, pid)?;
    }
    remove_stale_partials(cfg);
    let home = &cfg.home;
    if !home.exists() {
        msg(format!(
            "nothing to reset ({} does not exist)",
            home.display()
        ));
        return Ok(());
    }
    let user_home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    if home == Path::new("/") || Some(home) == user_home.as_ref() || *home == cfg.repo {
        return Err(die(format!("refusing to delete {}", home.display())));
    }
    if !cfg.marker().is_file() && !home.join("config/genesis.json").is_file() && !is_empty_dir(home)
    {
        return Err(die(format!(
            "refusing to delete {}: it does not look like a chain home",
            home.display()
        )));
    }
    let removed = if home.is_dir() {
        std::fs::remove_dir_all(home)
    } else {
        std::fs::remove_file(home)
    };
    removed.map_err(|e| die(format!("cannot delete {}: {e}", home.display())))?;
    msg(format!("deleted {}", home.display()));
    Ok(())
}

fn accounts(cfg: &Config) -> Outcome<()> {
    if home_state(cfg) != HomeState::Ready {
        return Err(die(format!(
            "{} is not initialised; run 'scripts/chain.sh start' first",
            cfg.home.display()
        )));
    }
    let bin = cfg.resolve_bin(false)?;
    let home = cfg.home.display().to_string();
    let args = [
        "keys", "list", KEYRING[0], KEYRING[1], "--home", &home, "--output", "text",
    ];
    let out = run_step("keys list", &bin, &args)?;
    let lines: Vec<String> = ordered_keys(&out)
        .into_iter()
        .map(|(name, address)| format!("{name} {address}"))
        .collect();
    print_lines(&lines)
}

/// The keys of `keys list --output text` (YAML items `- address: ...` / `  name: ...`): the
/// protocol actors first, in order, then the others as listed.
fn ordered_keys(listing: &str) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let (mut name, mut addr) = (String::new(), String::new());
    let mut flush = |name: &mut String, addr: &mut String| {
        if !name.is_empty() {
            keys.retain(|(n, _)| n != name.as_str());
            keys.push((std::mem::take(name), std::mem::take(addr)));
        }
        name.clear();
        addr.clear();
    };
    for line in listing.lines() {
        let line = match line.strip_prefix("- ") {
            Some(rest) => {
                flush(&mut name, &mut addr);
                format!("  {rest}")
            }
            None => line.to_string(),
        };
        let second = || line.split_whitespace().nth(1).unwrap_or("").to_string();
        if line.starts_with("  address:") {
            addr = second();
        } else if line.starts_with("  name:") {
            name = second();
        }
    }
    flush(&mut name, &mut addr);
    let mut ordered: Vec<(String, String)> = actors()
        .filter_map(|a| keys.iter().find(|(n, _)| n == a).cloned())
        .collect();
    ordered.extend(keys.into_iter().filter(|(n, _)| !actors().any(|a| a == n)));
    ordered
}

fn env(cfg: &Config) -> Outcome<()> {
    let bin = cfg.resolve_bin(true)?;
    let vars = [
        ("CHAIN_BIN", bin.display().to_string()),
        ("CHAIN_HOME", cfg.home.display().to_string()),
        ("CHAIN_ID", cfg.chain_id.clone()),
        ("CHAIN_NODE", cfg.node.clone()),
    ];
    let lines: Vec<String> = vars
        .iter()
        .map(|(k, v)| format!("export {k}={}", shell_quote(v)))
        .collect();
    print_lines(&lines)
}

/// Writes `lines` to stdout; a closed stdout ends the command quietly with the status a shell
/// gives a writer killed by SIGPIPE.
fn print_lines(lines: &[String]) -> Outcome<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    lines
        .iter()
        .try_for_each(|l| writeln!(out, "{l}"))
        .and_then(|()| out.flush())
        .map_err(|_| Exit {
            code: 141,
            message: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_come_first_in_protocol_order() {
        let listing = "- address: inj1a\n  name: zed\n  type: local\n- address: inj1b\n  name: deployer\n- address: inj1c\n  name: curator1\n";
        let keys = ordered_keys(listing);
        let names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["deployer", "curator1", "zed"]);
        assert_eq!(keys[0].1, "inj1b");
    }
}
