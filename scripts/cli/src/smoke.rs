//! The round trip of the test command: OPEN moves between two accounts and both balances are
//! exactly what a local ledger predicts. Written against the story's [`Backend`]: it runs on
//! the chain (`openledger smoke`) and on cw-multi-test.

use std::path::Path;

use anyhow::{ensure, Context, Result};

use crate::chain::Chain;
use crate::story::backend::chain::ChainBackend;
use crate::story::backend::Backend;

/// What the smoke test transfers.
const AMOUNT: u128 = 1_234_567;

/// `openledger smoke`: `key` transfers OPEN to `SMOKE_RECIPIENT` (default contributor1) on the
/// chain of the manifest.
pub fn run(chain: &Chain, repo: &Path, key: &str) -> Result<()> {
    let recipient = std::env::var("SMOKE_RECIPIENT").unwrap_or_else(|_| "contributor1".into());
    run_on(&ChainBackend::connect(chain, repo)?, key, &recipient)
}

/// `key` transfers OPEN to `recipient_key` on `b`; both balances are checked.
pub fn run_on(b: &dyn Backend, key: &str, recipient_key: &str) -> Result<()> {
    let from = b.address(key)?;
    let to = b.address(recipient_key)?;
    let (from_before, to_before) = (b.fast_balance_of(&from)?, b.fast_balance_of(&to)?);
    let expected_from = from_before
        .checked_sub(AMOUNT)
        .with_context(|| format!("{key} holds {from_before} OPEN units, less than {AMOUNT}"))?;
    let res = b.transfer(key, &to, AMOUNT)?;
    let (from_after, to_after) = (b.fast_balance_of(&from)?, b.fast_balance_of(&to)?);
    ensure!(
        from_after == expected_from,
        "{key} holds {from_after} OPEN units after the transfer; expected {expected_from}"
    );
    ensure!(
        to_after == to_before + AMOUNT,
        "{recipient_key} holds {to_after} OPEN units after the transfer; expected {}",
        to_before + AMOUNT
    );
    eprintln!(
        "[smoke] transferred {AMOUNT} OPEN units {key} -> {recipient_key} (tx {}, gas {}): {key} {from_before} -> {from_after}, {recipient_key} {to_before} -> {to_after}",
        res.hash, res.gas_used
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::story::backend::mock::MockBackend;

    #[test]
    fn the_smoke_transfer_holds_on_the_mock_backend() {
        let b = MockBackend::deploy().unwrap();
        super::run_on(&b, "deployer", "contributor1").unwrap();
    }
}
