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
}
