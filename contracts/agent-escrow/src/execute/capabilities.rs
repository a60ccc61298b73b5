//! Capability tags of agents and evaluators, and the index `agents_by_capability` and
//! `evaluators_by_capability` page through.

use cosmwasm_std::{Addr, Storage};
use cw_storage_plus::Map;
use openledger_common::msg::agent_escrow::{MAX_CAPABILITIES, MAX_TAG_LEN};

use crate::error::ContractError;

/// Checks one tag: 1..=`MAX_TAG_LEN` lower-case ASCII letters, digits or `-`.
pub fn check_tag(tag: &str) -> Result<(), ContractError> {
    let valid = !tag.is_empty()
        && tag.len() <= MAX_TAG_LEN
        && tag
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(ContractError::InvalidTag {
            tag: tag.to_string(),
            max: MAX_TAG_LEN as u64,
        })
    }
}

/// Checks a capability list: at most `MAX_CAPABILITIES` distinct valid tags.
pub fn check_capabilities(tags: &[String]) -> Result<(), ContractError> {
    if tags.len() > MAX_CAPABILITIES {
        return Err(ContractError::TooManyCapabilities {
            count: tags.len() as u64,
            max: MAX_CAPABILITIES as u64,
        });
    }
    for (i, tag) in tags.iter().enumerate() {
        check_tag(tag)?;
        if tags[..i].contains(tag) {
            return Err(ContractError::DuplicateCapability { tag: tag.clone() });
        }
    }
    Ok(())
}

/// Replaces `address`'s entries in a capability index: `old` out, `new` in (at most 16 writes).
pub fn reindex(
    storage: &mut dyn Storage,
    index: &Map<(&str, &Addr), ()>,
    address: &Addr,
    old: &[String],
    new: &[String],
) -> Result<(), ContractError> {
    for tag in old.iter().filter(|t| !new.contains(t)) {
        index.remove(storage, (tag.as_str(), address));
    }
    for tag in new.iter().filter(|t| !old.contains(t)) {
        index.save(storage, (tag.as_str(), address), &())?;
    }
    Ok(())
}
