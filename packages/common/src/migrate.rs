//! The cw2 check every `migrate` of the suite runs first.

use cosmwasm_std::{Response, StdError, Storage};
use thiserror::Error;

/// A migration the cw2 record refuses.
#[derive(Error, Debug, PartialEq)]
pub enum MigrateError {
    /// The cw2 record could not be read or written.
    #[error("{0}")]
    Std(#[from] StdError),

    /// The stored contract is another contract than the new code.
    #[error("cannot migrate a {stored} contract with {expected} code")]
    WrongContract {
        /// The stored contract name.
        stored: String,
        /// The new code's contract name.
        expected: String,
    },

    /// The new code is older than the stored version.
    #[error("cannot migrate from version {stored} to the older version {new}")]
    Downgrade {
        /// The stored version.
        stored: String,
        /// The new code's version.
        new: String,
    },

    /// A version that semver cannot read.
    #[error("version {version} is not a semantic version")]
    InvalidVersion {
        /// The version as found.
        version: String,
    },
}

fn parse(version: &str) -> Result<semver::Version, MigrateError> {
    semver::Version::parse(version).map_err(|_| MigrateError::InvalidVersion {
        version: version.to_string(),
    })
}

/// Checks that the stored cw2 record names `name` and a version not newer than `version`,
/// then records `version`. Returns the version migrated from.
pub fn ensure_upgrade(
    storage: &mut dyn Storage,
    name: &str,
    version: &str,
) -> Result<String, MigrateError> {
    let stored = cw2::get_contract_version(storage)?;
    if stored.contract != name {
        return Err(MigrateError::WrongContract {
            stored: stored.contract,
            expected: name.to_string(),
        });
    }
    if parse(&stored.version)? > parse(version)? {
        return Err(MigrateError::Downgrade {
            stored: stored.version,
            new: version.to_string(),
        });
    }
    cw2::set_contract_version(storage, name, version)?;
    Ok(stored.version)
}

/// [`ensure_upgrade`], then the response every migration of the suite starts from: the
/// attributes `action = migrate`, `from_version` and `to_version`.
pub fn upgrade(
    storage: &mut dyn Storage,
    name: &str,
    version: &str,
) -> Result<Response, MigrateError> {
    let from = ensure_upgrade(storage, name, version)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from)
        .add_attribute("to_version", version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;

    #[test]
    fn upgrade_rules() {
        let mut store = MockStorage::new();
        cw2::set_contract_version(&mut store, "crates.io:a", "1.2.0").unwrap();
        assert_eq!(
            ensure_upgrade(&mut store, "crates.io:b", "1.3.0"),
            Err(MigrateError::WrongContract {
                stored: "crates.io:a".into(),
                expected: "crates.io:b".into()
            })
        );
        assert_eq!(
            ensure_upgrade(&mut store, "crates.io:a", "1.1.9"),
            Err(MigrateError::Downgrade {
                stored: "1.2.0".into(),
                new: "1.1.9".into()
            })
        );
        assert_eq!(
            ensure_upgrade(&mut store, "crates.io:a", "x"),
            Err(MigrateError::InvalidVersion {
                version: "x".into()
            })
        );
        // Same version (a re-run) and newer versions pass and are recorded.
        assert_eq!(
            ensure_upgrade(&mut store, "crates.io:a", "1.2.0"),
            Ok("1.2.0".into())
        );
        assert_eq!(
            ensure_upgrade(&mut store, "crates.io:a", "1.10.0"),
            Ok("1.2.0".into())
        );
        assert_eq!(cw2::get_contract_version(&store).unwrap().version, "1.10.0");
    }

    #[test]
    fn upgrade_returns_the_migration_attributes() {
        let mut store = MockStorage::new();
        cw2::set_contract_version(&mut store, "crates.io:a", "0.2.0").unwrap();
        let res = upgrade(&mut store, "crates.io:a", "0.3.0").unwrap();
        let attrs: Vec<(&str, &str)> = res
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            attrs,
            [
                ("action", "migrate"),
                ("from_version", "0.2.0"),
                ("to_version", "0.3.0")
            ]
        );
        assert_eq!(
            upgrade(&mut store, "crates.io:a", "0.1.0"),
            Err(MigrateError::Downgrade {
                stored: "0.3.0".into(),
                new: "0.1.0".into()
            })
        );
    }
}
