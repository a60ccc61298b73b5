//! Processes: the node's (launch, liveness, stop), the chain binary's steps, the lock that
//! serialises commands on one home, and who listens on a port.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

use super::config::Config;
use super::{die, msg, Outcome};

/// Runs the chain binary quietly and returns its output (stdout, then stderr); on failure fails
/// with one line naming `what` and the last line of its output.
pub fn run_step(what: &str, bin: &Path, args: &[&str]) -> Outcome<String> {
    let out = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| die(format!("{what} failed: {e}")))?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        let last = text.lines().rev().find(|l| !l.trim().is_empty());
        return Err(die(format!(
            "{what} failed: {}",
            last.unwrap_or("no output")
        )));
    }
    Ok(text)
}

/// The first string value of `"key":"value"` in `text`.
pub fn json_string(text: &str, key: &str) -> Option<String> {
    let start = text.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let rest = &text[start..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Is this pid a live (non-zombie) process?
pub fn alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat
        .rfind(')')
        .and_then(|i| stat[i + 1..].split_whitespace().next());
    matches!(state, Some(s) if s != "Z" && s != "X")
}

/// The pid of this home's node if it runs (pid file + matching command line).
pub fn node_pid(cfg: &Config) -> Option<u32> {
    let text = std::fs::read_to_string(cfg.pid_file()).ok()?;
    let first = text.lines().next()?;
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let pid: u32 = first.parse().ok()?;
    if !alive(pid) {
        return None;
    }
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let args = String::from_utf8_lossy(&raw).replace('\0', " ");
    let start = args.find(" start ")?;
    let home = format!("--home {} ", cfg.home.display());
    args[start..].contains(&home).then_some(pid)
}

/// The latest block height, from the binary's `status` (fails if the RPC does not answer).
pub fn rpc_height(cfg: &Config, bin: &Path) -> Option<u64> {
    let status = rpc_status(cfg, bin)?;
    let h = json_string(&status, "latest_block_height")?;
    if h.is_empty() || !h.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    h.parse().ok()
}

/// The RPC's `/status` (JSON), as the binary prints it.
pub fn rpc_status(cfg: &Config, bin: &Path) -> Option<String> {
    let out = Command::new(bin)
        .args(["status", "--node", &cfg.node])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Prints the last 25 lines of the node's log.
pub fn show_log_tail(cfg: &Config) {
    let Ok(log) = std::fs::read(cfg.log_file()) else {
        return;
    };
    msg(format!("last lines of {}:", cfg.log_file().display()));
    let log = String::from_utf8_lossy(&log);
    let lines: Vec<&str> = log.lines().collect();
    for line in &lines[lines.len().saturating_sub(25)..] {
        eprintln!("[chain] | {line}");
    }
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([sig, &pid.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Waits up to `rounds` × 0.2 s for `pid` to end; true if it did.
fn ended_within(pid: u32, rounds: u32) -> bool {
    for _ in 0..rounds {
        if !alive(pid) {
            return true;
        }
        sleep(Duration::from_millis(200));
    }
    !alive(pid)
}

/// Stops the node: SIGTERM, SIGKILL after 10 s; removes the pid file.
pub fn stop_node(cfg: &Config, pid: u32) -> Outcome<()> {
    signal(pid, "-TERM");
    if !ended_within(pid, 50) {
        msg(format!(
            "node (pid {pid}) still running after 10 s; sending SIGKILL"
        ));
        signal(pid, "-KILL");
        if !ended_within(pid, 25) {
            return Err(die(format!("could not stop the node (pid {pid})")));
        }
    }
    let _ = std::fs::remove_file(cfg.pid_file());
    Ok(())
}

/// Starts the node detached from this process (its own session, its own log); writes and
/// returns its pid.
pub fn launch_node(cfg: &Config, bin: &Path) -> Outcome<u32> {
    let log_file = cfg.log_file();
    if log_file.is_file() {
        let _ = std::fs::rename(&log_file, cfg.home.join("node.log.prev"));
    }
    let _ = std::fs::remove_file(cfg.pid_file());
    let no_start = |e: std::io::Error| {
        die(format!(
            "the node did not start ({e}; see {})",
            log_file.display()
        ))
    };
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_file)
        .map_err(no_start)?;
    let home = cfg.home.display().to_string();
    let args = [
        "start",
        "--home",
        &home,
        "--minimum-gas-prices",
        "0inj",
        "--log-level",
        &cfg.log_level,
        "--log-no-color",
    ];
    // `setsid` execs in place (a spawned child never leads a process group), so the pid is the
    // node's (the PyPI wrapper execs the real binary too).
    let mut cmd = if on_path("setsid") {
        let mut c = Command::new("setsid");
        c.arg(bin);
        c
    } else {
        let mut c = Command::new(bin);
        c.process_group(0);
        c
    };
    let child = cmd
        .args(args)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(no_start)?)
        .stderr(log)
        .spawn()
        .map_err(no_start)?;
    let pid = child.id();
    std::fs::write(cfg.pid_file(), format!("{pid}\n")).map_err(no_start)?;
    Ok(pid)
}

fn on_path(name: &str) -> bool {
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&dirs).any(|d| d.join(name).is_file())
}

/// What listens on `port` ("name pid N", "another process, on ADDR"), or `None` if it is free.
pub fn port_user(port: u16) -> Option<String> {
    let filter = format!("sport = :{port}");
    match Command::new("ss")
        .args(["-Hltnp", &filter])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let line = text.lines().next().filter(|l| !l.is_empty())?;
            Some(listener_of(line))
        }
        Err(_) => {
            let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
            std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1))
                .ok()
                .map(|_| "another process".to_string())
        }
    }
}

/// "name pid N" from a line of `ss -p`, or the line's local address.
fn listener_of(line: &str) -> String {
    let user = line.find("users:((\"").and_then(|i| {
        let rest = &line[i + 9..];
        let name = &rest[..rest.find('"')?];
        let pid_at = rest.find(",pid=")? + 5;
        let digits: String = rest[pid_at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some(format!("{name} pid {digits}"))
    });
    user.unwrap_or_else(|| {
        let local = line.split_whitespace().nth(3).unwrap_or("");
        format!("another process, on {local}")
    })
}

/// The addresses `pid` listens on other than 127.0.0.1 (empty if `ss` cannot tell).
pub fn non_loopback_listeners(pid: u32) -> Vec<String> {
    let Ok(out) = Command::new("ss")
        .arg("-Htulnp")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return Vec::new();
    };
    let tag = format!("pid={pid},");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(&tag))
        .filter_map(|l| l.split_whitespace().nth(4))
        .filter(|a| !a.starts_with("127.0.0.1:"))
        .map(str::to_string)
        .collect()
}

/// Holds the lock of one home until dropped (or the process ends): a `flock` process that
/// holds the lock file while its `cat` reads this process's pipe.
pub struct Lock {
    _holder: Option<Child>,
}

/// `flock` on `file` running `cat` behind a pipe; true once the lock is held.
fn try_flock(file: &Path, wait: &[&str]) -> Option<(Child, bool)> {
    let mut child = Command::new("flock")
        .args(wait)
        .arg(file)
        .arg("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // cat echoes this byte once flock holds the lock; flock exits without it otherwise.
    let _ = child.stdin.as_mut().map(|s| s.write_all(b"\n"));
    let mut byte = [0u8; 1];
    let held = child
        .stdout
        .as_mut()
        .map(|s| s.read(&mut byte).unwrap_or(0) == 1)
        .unwrap_or(false);
    Some((child, held))
}

/// Serialises start/stop/reset on one home (the lock file lives outside the repository).
pub fn take_lock(cfg: &Config) -> Outcome<Lock> {
    let tmp = std::env::var("TMPDIR")
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "/tmp".into());
    let sum = cksum(cfg.home.display().to_string().as_bytes());
    let file = PathBuf::from(format!("{tmp}/openledger-chain.{}.{sum}.lock", uid()));
    // Created (and emptied) as the shell's `exec 9>FILE` did.
    if File::create(&file).is_err() {
        return Err(die(format!(
            "cannot create the lock file {}",
            file.display()
        )));
    }
    let Some((mut child, held)) = try_flock(&file, &["-n"]) else {
        return Ok(Lock { _holder: None }); // no flock on this machine: nothing to serialise with
    };
    if held {
        return Ok(Lock {
            _holder: Some(child),
        });
    }
    let _ = child.wait();
    msg(format!(
        "another scripts/chain.sh is working on {}; waiting for it",
        cfg.home.display()
    ));
    match try_flock(&file, &["-w", "300"]) {
        Some((child, true)) => Ok(Lock {
            _holder: Some(child),
        }),
        _ => Err(die(format!(
            "timed out waiting for the other scripts/chain.sh ({})",
            file.display()
        ))),
    }
}

/// This process's user id.
fn uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(0)
}

/// The POSIX `cksum` checksum of `data` (CRC-32/CKSUM over the data and its length).
pub fn cksum(data: &[u8]) -> u32 {
    fn feed(mut crc: u32, byte: u8) -> u32 {
        crc ^= u32::from(byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04C1_1DB7
            } else {
                crc << 1
            };
        }
        crc
    }
    let mut crc = data.iter().fold(0u32, |c, b| feed(c, *b));
    let mut len = data.len();
    while len > 0 {
        crc = feed(crc, (len & 0xff) as u8);
        len >>= 8;
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cksum_matches_the_posix_tool() {
        assert_eq!(cksum(b""), 4294967295);
        assert_eq!(cksum(b"123456789"), 930766865);
        assert_eq!(
            cksum(b"/work/main/.localchain"),
            cksum_tool("/work/main/.localchain")
        );
    }

    fn cksum_tool(text: &str) -> u32 {
        let mut child = Command::new("cksum")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        text.split(' ').next().unwrap().parse().unwrap()
    }

    #[test]
    fn listeners_are_named_by_process() {
        let line = r#"LISTEN 0 4096 127.0.0.1:46657 0.0.0.0:* users:(("openledger",pid=42,fd=3))"#;
        assert_eq!(listener_of(line), "openledger pid 42");
        assert_eq!(
            listener_of("LISTEN 0 4096 127.0.0.1:46657 0.0.0.0:*"),
            "another process, on 127.0.0.1:46657"
        );
    }

    #[test]
    fn json_strings_are_found_by_key() {
        let status = r#"{"node_info":{"network":"c-1"},"sync_info":{"latest_block_height":"12"}}"#;
        assert_eq!(
            json_string(status, "latest_block_height").as_deref(),
            Some("12")
        );
        assert_eq!(json_string(status, "network").as_deref(), Some("c-1"));
        assert_eq!(json_string(status, "missing"), None);
    }

    #[test]
    fn this_process_is_alive() {
        assert!(alive(std::process::id()));
    }
}
