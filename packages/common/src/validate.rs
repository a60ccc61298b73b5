//! Validation shared by every contract.

use cosmwasm_std::{Addr, Api};
use thiserror::Error;

/// An address that is not a valid, normalized address of this chain (wrong prefix, upper
/// case, bad checksum, ...). Contracts turn it into their own `InvalidAddress` variant.
#[derive(Error, Debug, PartialEq)]
#[error("invalid {field} address '{address}': {reason}")]
pub struct AddressError {
    /// Which field held it.
    pub field: String,
    /// The address as given.
    pub address: String,
    /// Why the chain refused it.
    pub reason: String,
}

/// Validates `address` (given in `field`) with the chain's `addr_validate`, which refuses
/// upper-case, foreign-prefix and malformed addresses.
pub fn validate_addr(api: &dyn Api, field: &str, address: &str) -> Result<Addr, AddressError> {
    api.addr_validate(address).map_err(|e| AddressError {
        field: field.to_string(),
        address: address.to_string(),
        reason: e.to_string(),
    })
}

/// The name under which `addr` appears in `reserved` (name, address) pairs, the first match, if
/// any. Contracts use it to refuse wiring themselves, the token or a sibling contract into a
/// role where tokens or calls would be lost.
pub fn reserved_name<'a>(addr: &Addr, reserved: &[(&'a str, &Addr)]) -> Option<&'a str> {
    reserved
        .iter()
        .find(|(_, other)| *other == addr)
        .map(|(name, _)| *name)
}

/// A mistake in a message that every contract checks the same way, with the same message.
/// Each contract wraps it (`ContractError::Validation`), so a wallet gets the same JSON for the
/// same mistake everywhere.
#[derive(Error, Debug, PartialEq)]
pub enum ValidationError {
    /// A text field outside its length bounds.
    #[error("{field} must be {min} to {max} bytes long")]
    InvalidText {
        /// The field.
        field: String,
        /// Shortest allowed, in bytes.
        min: u64,
        /// Longest allowed, in bytes.
        max: u64,
    },

    /// A field that must hold a SHA-256 in hex does not.
    #[error("{field} `{value}` is not a SHA-256: expected exactly 64 hex characters")]
    InvalidHash {
        /// The field.
        field: String,
        /// The value as given.
        value: String,
    },

    /// A share above the whole.
    #[error("{field} is {bps} bps, at most 10000 is allowed")]
    InvalidBps {
        /// The field.
        field: String,
        /// The value as given.
        bps: u16,
    },

    /// An address given for a role that is one of the protocol's own contracts, where tokens
    /// or calls would be lost.
    #[error("{address} is the {contract} of the protocol and cannot be the {role}")]
    ReservedAddress {
        /// The role (the field) the address was given for.
        role: String,
        /// Which of the protocol's contracts it is.
        contract: String,
        /// The address.
        address: String,
    },
}

/// Refuses `addr`, given as the `role`, when it is one of the `reserved` (name, address) pairs
/// (the first match names it).
pub fn check_not_reserved(
    role: &str,
    addr: &Addr,
    reserved: &[(&str, &Addr)],
) -> Result<(), ValidationError> {
    match reserved_name(addr, reserved) {
        Some(contract) => Err(ValidationError::ReservedAddress {
            role: role.to_string(),
            contract: contract.to_string(),
            address: addr.to_string(),
        }),
        None => Ok(()),
    }
}

/// Checks that `value` is `min..=max` bytes long.
pub fn validate_text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), ValidationError> {
    if (min..=max).contains(&value.len()) {
        Ok(())
    } else {
        Err(ValidationError::InvalidText {
            field: field.to_string(),
            min: min as u64,
            max: max as u64,
        })
    }
}

/// Checks that `value` (given in `field`) is a SHA-256 in hex and returns it lower-case.
pub fn normalize_hash(field: &str, value: &str) -> Result<String, ValidationError> {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(ValidationError::InvalidHash {
            field: field.to_string(),
            value: value.to_string(),
        })
    }
}

/// Checks that `bps` (given in `field`) is at most the whole (10 000).
pub fn validate_bps(field: &str, bps: crate::Bps) -> Result<crate::Bps, ValidationError> {
    if bps <= crate::BPS_DENOMINATOR {
        Ok(bps)
    } else {
        Err(ValidationError::InvalidBps {
            field: field.to_string(),
            bps,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockApi;

    #[test]
    fn reserved_name_is_the_first_match() {
        let (a, b) = (Addr::unchecked("a"), Addr::unchecked("b"));
        let reserved = [("first", &a), ("second", &b), ("again", &a)];
        assert_eq!(reserved_name(&a, &reserved), Some("first"));
        assert_eq!(reserved_name(&b, &reserved), Some("second"));
        assert_eq!(reserved_name(&Addr::unchecked("c"), &reserved), None);
    }

    #[test]
    fn check_not_reserved_names_the_contract() {
        let (a, b) = (Addr::unchecked("a"), Addr::unchecked("b"));
        let reserved = [("token", &a)];
        assert_eq!(check_not_reserved("arbiter", &b, &reserved), Ok(()));
        let e = check_not_reserved("arbiter", &a, &reserved).unwrap_err();
        assert_eq!(
            e,
            ValidationError::ReservedAddress {
                role: "arbiter".into(),
                contract: "token".into(),
                address: "a".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "a is the token of the protocol and cannot be the arbiter"
        );
    }

    #[test]
    fn refuses_upper_case_and_foreign_prefix() {
        let api = MockApi::default();
        let good = api.addr_make("alice");
        assert_eq!(
            validate_addr(&api, "recipient", good.as_str()),
            Ok(good.clone())
        );
        let upper = good.as_str().to_uppercase();
        let e = validate_addr(&api, "recipient", &upper).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.address.as_str()),
            ("recipient", upper.as_str())
        );
        let foreign = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";
        assert_eq!(
            validate_addr(&api, "recipient", foreign)
                .unwrap_err()
                .address,
            foreign
        );
    }
    #[test]
    fn text_hash_and_bps_checks() {
        assert_eq!(validate_text("name", "ab", 1, 2), Ok(()));
        assert_eq!(
            validate_text("name", "", 1, 2),
            Err(ValidationError::InvalidText {
                field: "name".into(),
                min: 1,
                max: 2
            })
        );
        let upper = "AB".repeat(32);
        assert_eq!(normalize_hash("data_hash", &upper), Ok("ab".repeat(32)));
        assert_eq!(
            normalize_hash("data_hash", "abc").unwrap_err().to_string(),
            "data_hash `abc` is not a SHA-256: expected exactly 64 hex characters"
        );
        assert_eq!(validate_bps("slash_bps", 10_000), Ok(10_000));
        assert_eq!(
            validate_bps("slash_bps", 10_001),
            Err(ValidationError::InvalidBps {
                field: "slash_bps".into(),
                bps: 10_001
            })
        );
    }
}
