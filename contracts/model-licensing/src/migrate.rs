//! Upgrades in place from 0.2.0 (or a newer stored version of this contract).
//!
//! - The id counter leaves the configuration: a configuration stored with `model_count` inside
//!   (`LEGACY_CONFIG`, as 0.2.0 wrote it) is split into `CONFIG` and `MODEL_COUNT`.
//! - Inference records of 0.2.0 (keyed by model and id) are not moved: one read finds whether
//!   there are any, and only then do payments also look there (a 0.2.0 record still blocks a
//!   replay by its own payer).
//! - Paying hosts needs nothing: a fee split stored without `hosts_bps` (0.2.0, 0.3.0) reads
//!   with a hosts' share of 0, and counters stored without `hosts_revenue` read it as 0, so a
//!   migrated deployment splits every fee exactly as before until `update_config` gives hosts a
//!   share.
//! - Derived models need nothing: a model has parents only when `ANCESTRY` holds an entry for
//!   it, written at registration, so every model stored before reads as a model without parents
//!   (depth 0, its whole creator value its own) and pays exactly as it did; its stored figures
//!   (model, counters, earnings) are read as they are.

use cosmwasm_std::{DepsMut, Order, Response, StdResult, Storage};
use openledger_common::migrate::upgrade;

use crate::error::ContractError;
use crate::state::{CONFIG, HAS_LEGACY_INFERENCES, LEGACY_CONFIG, LEGACY_INFERENCES, MODEL_COUNT};
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

/// Checks the stored cw2 record (same contract, no downgrade), moves the id counter out of a
/// configuration stored the old way and records whether 0.2.0 inference records exist.
pub fn migrate(deps: DepsMut) -> Result<Response, ContractError> {
    let res = upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    move_counter(deps.storage)?;
    let legacy = LEGACY_INFERENCES
        .keys_raw(deps.storage, None, None, Order::Ascending)
        .next()
        .is_some();
    HAS_LEGACY_INFERENCES.save(deps.storage, &legacy)?;
    Ok(res.add_attribute("legacy_inferences", legacy.to_string()))
}

/// Splits a configuration stored with its id counter inside into `CONFIG` and `MODEL_COUNT`;
/// nothing to do when it was already split.
fn move_counter(storage: &mut dyn Storage) -> StdResult<()> {
    if let Some(legacy) = LEGACY_CONFIG.may_load(storage)? {
        CONFIG.save(storage, &legacy.config)?;
        MODEL_COUNT.save(storage, &legacy.model_count)?;
        LEGACY_CONFIG.remove(storage);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::testing::{mock_dependencies, mock_env};
    use cosmwasm_std::Addr;
    use openledger_common::fee::FeeSplit;

    use super::*;
    use crate::state::{Config, LegacyConfig};

    /// The configuration exactly as 0.2.0 stored it under `config`.
    fn config_0_2_0(model_count: u64) -> String {
        format!(
            r#"{{"token":"tok","registry":"reg","reward_pool":"pool","fee_split":{{"datanets_bps":6000,"model_owner_bps":2000,"stakers_bps":1000,"treasury_bps":1000}},"model_count":{model_count}}}"#
        )
    }

    fn expected_config() -> Config {
        Config {
            token: Addr::unchecked("tok"),
            registry: Addr::unchecked("reg"),
            reward_pool: Addr::unchecked("pool"),
            fee_split: FeeSplit {
                datanets_bps: 6_000,
                model_owner_bps: 2_000,
                hosts_bps: 0,
                stakers_bps: 1_000,
                treasury_bps: 1_000,
            },
        }
    }

    #[test]
    fn migrate_moves_the_model_count_out_of_a_0_2_0_config() {
        let mut deps = mock_dependencies();
        cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.2.0").unwrap();
        deps.storage.set(b"config", config_0_2_0(7).as_bytes());
        assert_eq!(
            LEGACY_CONFIG.load(&deps.storage).unwrap(),
            LegacyConfig {
                config: expected_config(),
                model_count: 7
            }
        );

        let res = crate::contract::migrate(
            deps.as_mut(),
            mock_env(),
            openledger_common::msg::model_licensing::MigrateMsg {},
        )
        .unwrap();
        assert_eq!(res.attributes.len(), 4);
        assert_eq!(CONFIG.load(&deps.storage).unwrap(), expected_config());
        assert_eq!(MODEL_COUNT.load(&deps.storage).unwrap(), 7);
        assert_eq!(deps.storage.get(b"config"), None);
        let config = crate::query::config(deps.as_ref()).unwrap();
        assert_eq!(
            (config.model_count, config.token),
            (7, Addr::unchecked("tok"))
        );

        // A second run (same version) finds nothing to move and keeps the counter.
        migrate(deps.as_mut()).unwrap();
        assert_eq!(MODEL_COUNT.load(&deps.storage).unwrap(), 7);
        assert_eq!(CONFIG.load(&deps.storage).unwrap(), expected_config());
    }

    #[test]
    fn migrate_reads_a_0_3_0_config_with_no_hosts_share() {
        let mut deps = mock_dependencies();
        cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.3.0").unwrap();
        let stored = r#"{"token":"tok","registry":"reg","reward_pool":"pool","fee_split":{"datanets_bps":6000,"model_owner_bps":2000,"stakers_bps":1000,"treasury_bps":1000}}"#;
        deps.storage.set(b"cfg", stored.as_bytes());
        MODEL_COUNT.save(&mut deps.storage, &2).unwrap();

        migrate(deps.as_mut()).unwrap();
        // Nothing is rewritten: the stored bytes read with a hosts' share of 0.
        assert_eq!(deps.storage.get(b"cfg"), Some(stored.as_bytes().to_vec()));
        assert_eq!(CONFIG.load(&deps.storage).unwrap(), expected_config());
        let config = crate::query::config(deps.as_ref()).unwrap();
        assert_eq!((config.fee_split.hosts_bps, config.model_count), (0, 2));
        config.fee_split.validate().unwrap();
    }

    #[test]
    fn a_refused_migration_moves_nothing() {
        let mut deps = mock_dependencies();
        cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
        deps.storage.set(b"config", config_0_2_0(3).as_bytes());
        assert!(matches!(
            migrate(deps.as_mut()).unwrap_err(),
            ContractError::Migrate(openledger_common::MigrateError::Downgrade { .. })
        ));
        assert_eq!(MODEL_COUNT.may_load(&deps.storage).unwrap(), None);
        assert!(LEGACY_CONFIG.may_load(&deps.storage).unwrap().is_some());
    }
}
