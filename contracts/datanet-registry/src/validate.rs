//! Checks of the registry's own message fields: batch sizes and curator lists. Text and hashes
//! are checked by `openledger_common`'s `validate_text` and `normalize_hash`, whose
//! `ValidationError` the registry reports as `ContractError::Validation`.

use cosmwasm_std::{Addr, Api};
use openledger_common::msg::datanet_registry::MAX_CURATORS;
use openledger_common::validate_addr;

use crate::error::ContractError;

/// Checks that a batch of `len` items holds at most `max`.
pub fn check_batch(len: usize, max: usize) -> Result<(), ContractError> {
    if len > max {
        return Err(ContractError::BatchTooLarge {
            got: len as u64,
            max: max as u64,
        });
    }
    Ok(())
}

/// Checks that a datanet would have at most `MAX_CURATORS` curators (`got`).
pub fn check_curator_count(got: usize) -> Result<(), ContractError> {
    if got > MAX_CURATORS {
        return Err(ContractError::TooManyCurators {
            got: got as u64,
            max: MAX_CURATORS as u64,
        });
    }
    Ok(())
}

/// Adds `curator` to `curators`, refusing one already there.
pub fn push_curator(curators: &mut Vec<Addr>, curator: Addr) -> Result<(), ContractError> {
    if curators.contains(&curator) {
        return Err(ContractError::DuplicateCurator {
            address: curator.into_string(),
        });
    }
    curators.push(curator);
    Ok(())
}

/// Validates a curator list: at most `MAX_CURATORS`, valid addresses, each once.
pub fn validate_curators(api: &dyn Api, curators: &[String]) -> Result<Vec<Addr>, ContractError> {
    check_curator_count(curators.len())?;
    let mut out: Vec<Addr> = Vec::with_capacity(curators.len());
    for c in curators {
        push_curator(&mut out, validate_addr(api, "curators", c)?)?;
    }
    Ok(out)
}
