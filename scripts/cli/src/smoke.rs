//! The chain round trip of the test command: OPEN moves between two accounts on the real chain
//! and both balances are exactly what a local ledger predicts.

use std::path::Path;

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg};

use crate::chain::Chain;
use crate::manifest::Manifest;

fn balance(chain: &Chain, token: &str, addr: &str) -> Result<u128> {
    let r: BalanceResponse = chain.query(
        token,
        &Cw20QueryMsg::Balance {
            address: addr.to_string(),
        },
    )?;
    Ok(r.balance.u128())
}

pub fn run(chain: &Chain, repo: &Path, key: &str) -> Result<()> {
    let manifest = Manifest::of_chain(repo, chain)?;
    let token = manifest.address("open_token")?;
    let recipient_key = std::env::var("SMOKE_RECIPIENT").unwrap_or_else(|_| "contributor1".into());
    let from = chain.key_address(key)?;
    let to = chain.key_address(&recipient_key)?;
    let amount = 1_234_567u128;

    let (from_before, to_before) = (balance(chain, &token, &from)?, balance(chain, &token, &to)?);
    let expected_from = from_before
        .checked_sub(amount)
        .with_context(|| format!("{key} holds {from_before} OPEN units, less than {amount}"))?;
    let res = chain.execute(
        &token,
        &Cw20ExecuteMsg::Transfer {
            recipient: to.clone(),
            amount: Uint128::new(amount),
        },
        key,
        None,
    )?;
    let (from_after, to_after) = (balance(chain, &token, &from)?, balance(chain, &token, &to)?);
    ensure!(
        from_after == expected_from,
        "{key} holds {from_after} OPEN units after the transfer; expected {expected_from}"
    );
    ensure!(
        to_after == to_before + amount,
        "{recipient_key} holds {to_after} OPEN units after the transfer; expected {}",
        to_before + amount
    );
    eprintln!(
        "[smoke] transferred {amount} OPEN units {key} -> {recipient_key} (tx {}, gas {}): {key} {from_before} -> {from_after}, {recipient_key} {to_before} -> {to_after}",
        res.hash, res.gas_used
    );
    Ok(())
}
