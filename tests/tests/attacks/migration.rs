//! Adversarial migrations of the five contracts of the suite: onto the code of another
//! contract, from a stored cw2 version newer than the code (or unparsable, or missing), and by
//! an account that is not the admin. Each is refused with its exact error, leaves every
//! contract's raw storage, its code id and every balance as they were, and the world's
//! `check` holds at the end.

use cosmwasm_std::{Addr, Empty};
use cw_multi_test::Executor;
use openledger_common::MigrateError;
use openledger_tests::escrow::{world, World};

/// The five contracts of the suite.
#[derive(Clone, Copy, Debug, PartialEq)]
enum C {
    Token,
    Registry,
    Pool,
    Models,
    Escrow,
}

const ALL: [C; 5] = [C::Token, C::Registry, C::Pool, C::Models, C::Escrow];

impl C {
    fn name(self) -> &'static str {
        match self {
            C::Token => open_token::CONTRACT_NAME,
            C::Registry => datanet_registry::CONTRACT_NAME,
            C::Pool => reward_pool::CONTRACT_NAME,
            C::Models => model_licensing::CONTRACT_NAME,
            C::Escrow => agent_escrow::CONTRACT_NAME,
        }
    }

    fn version(self) -> &'static str {
        match self {
            C::Token => open_token::CONTRACT_VERSION,
            C::Registry => datanet_registry::CONTRACT_VERSION,
            C::Pool => reward_pool::CONTRACT_VERSION,
            C::Models => model_licensing::CONTRACT_VERSION,
            C::Escrow => agent_escrow::CONTRACT_VERSION,
        }
    }

    fn addr(self, w: &World) -> Addr {
        match self {
            C::Token => w.s.token.clone(),
            C::Registry => w.s.registry.clone(),
            C::Pool => w.s.pool.clone(),
            C::Models => w.models.clone(),
            C::Escrow => w.escrow.clone(),
        }
    }

    fn code_id(self, w: &World) -> u64 {
        w.s.app.contract_data(&self.addr(w)).unwrap().code_id
    }

    /// The migration error inside the error of this contract's code.
    fn migrate_error(self, e: anyhow::Error) -> MigrateError {
        let inner = match self {
            C::Token => match e.downcast::<open_token::ContractError>().unwrap() {
                open_token::ContractError::Migrate(m) => Some(m),
                _ => None,
            },
            C::Registry => match e.downcast::<datanet_registry::ContractError>().unwrap() {
                datanet_registry::ContractError::Migrate(m) => Some(m),
                _ => None,
            },
            C::Pool => match e.downcast::<reward_pool::ContractError>().unwrap() {
                reward_pool::ContractError::Migrate(m) => Some(m),
                _ => None,
            },
            C::Models => match e.downcast::<model_licensing::ContractError>().unwrap() {
                model_licensing::ContractError::Migrate(m) => Some(m),
                _ => None,
            },
            C::Escrow => match e.downcast::<agent_escrow::ContractError>().unwrap() {
                agent_escrow::ContractError::Migrate(m) => Some(m),
                _ => None,
            },
        };
        inner.expect("a migration error")
    }
}

/// The escrow world with some state in every contract: a task in progress with a submitted
/// milestone (escrow), model 1 (model licensing), two datanets (registry), balances (token)
/// and a configured pool.
fn populated() -> World {
    let mut w = world();
    let id = w.accepted(&[1_000, 2_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.check();
    w
}

/// `sender` migrates `victim` to `code`; must fail leaving everything as it was (storage of
/// every contract, balances, the victim's code id).
fn refused_migration(w: &mut World, sender: &Addr, victim: C, code: u64) -> anyhow::Error {
    let addr = victim.addr(w);
    let code_before = victim.code_id(w);
    let e = w.s.refused(|s| {
        s.app
            .migrate_contract(sender.clone(), addr.clone(), &Empty {}, code)
    });
    assert_eq!(victim.code_id(w), code_before, "the code id changed");
    w.check();
    e
}

/// Migrating `victim` onto the code of `code_of` is refused by that code's cw2 check.
fn wrong_code(victim: C, code_of: C) {
    let mut w = populated();
    let code = code_of.code_id(&w);
    let admin = w.s.deployer.clone();
    let e = refused_migration(&mut w, &admin, victim, code);
    assert_eq!(
        code_of.migrate_error(e),
        MigrateError::WrongContract {
            stored: victim.name().into(),
            expected: code_of.name().into()
        }
    );
    // Control: migrating onto its own code (same version) goes through.
    let own = victim.code_id(&w);
    let addr = victim.addr(&w);
    w.s.app
        .migrate_contract(admin, addr, &Empty {}, own)
        .unwrap();
    w.check();
}

/// Records `version` as the stored cw2 version of `victim` (through the suite's own guard,
/// which writes the cw2 record).
fn store_version(w: &mut World, victim: C, version: &str) {
    let addr = victim.addr(w);
    let mut storage = w.s.app.contract_storage_mut(&addr);
    openledger_common::migrate::ensure_upgrade(storage.as_mut(), victim.name(), version).unwrap();
}

/// A stored version newer than the code: migrating to the current code is a downgrade.
fn downgrade(victim: C) {
    let mut w = populated();
    store_version(&mut w, victim, "99.0.0");
    let code = victim.code_id(&w);
    let admin = w.s.deployer.clone();
    let e = refused_migration(&mut w, &admin, victim, code);
    assert_eq!(
        victim.migrate_error(e),
        MigrateError::Downgrade {
            stored: "99.0.0".into(),
            new: victim.version().into()
        }
    );
}

/// A non-admin migrates the contract onto its own code: cw-multi-test (like the chain) refuses
/// before the contract runs.
fn non_admin(victim: C, who: &str) {
    let mut w = populated();
    let code = victim.code_id(&w);
    let mallory = match who {
        "agent" => w.agent.clone(),
        "model-owner" => w.model_owner.clone(),
        "arbiter" => w.arbiter.clone(),
        other => w.s.addr(other),
    };
    let e = refused_migration(&mut w, &mallory, victim, code);
    let admin = w.s.deployer.clone();
    assert_eq!(
        e.root_cause().to_string(),
        format!("Only admin can migrate contract: {:?}", Some(admin))
    );
}

// ---------------------------------------------------------------------------------------------
// Onto the code of another contract
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_migration_token_to_every_other_code() {
    for other in ALL.into_iter().filter(|c| *c != C::Token) {
        wrong_code(C::Token, other);
    }
}

#[test]
fn attack_migration_registry_to_pool_code() {
    wrong_code(C::Registry, C::Pool);
}

#[test]
fn attack_migration_registry_to_token_code() {
    wrong_code(C::Registry, C::Token);
}

#[test]
fn attack_migration_pool_to_registry_code() {
    wrong_code(C::Pool, C::Registry);
}

#[test]
fn attack_migration_pool_to_escrow_code() {
    wrong_code(C::Pool, C::Escrow);
}

#[test]
fn attack_migration_models_to_escrow_code() {
    wrong_code(C::Models, C::Escrow);
}

#[test]
fn attack_migration_models_to_registry_code() {
    wrong_code(C::Models, C::Registry);
}

#[test]
fn attack_migration_escrow_to_models_code() {
    wrong_code(C::Escrow, C::Models);
}

#[test]
fn attack_migration_escrow_to_pool_code() {
    wrong_code(C::Escrow, C::Pool);
}

#[test]
fn attack_migration_every_pair_of_codes() {
    for victim in ALL {
        for other in ALL.into_iter().filter(|c| *c != victim) {
            wrong_code(victim, other);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Stored version newer than the code, unparsable or missing
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_migration_token_downgrade() {
    downgrade(C::Token);
}

#[test]
fn attack_migration_registry_downgrade() {
    downgrade(C::Registry);
}

#[test]
fn attack_migration_pool_downgrade() {
    downgrade(C::Pool);
}

#[test]
fn attack_migration_models_downgrade() {
    downgrade(C::Models);
}

#[test]
fn attack_migration_escrow_downgrade() {
    downgrade(C::Escrow);
}

/// One patch level newer is already a downgrade.
#[test]
fn attack_migration_escrow_downgrade_by_one_patch() {
    let mut w = populated();
    let current = semver_bump_patch(C::Escrow.version());
    store_version(&mut w, C::Escrow, &current);
    let code = C::Escrow.code_id(&w);
    let admin = w.s.deployer.clone();
    let e = refused_migration(&mut w, &admin, C::Escrow, code);
    assert_eq!(
        C::Escrow.migrate_error(e),
        MigrateError::Downgrade {
            stored: current,
            new: C::Escrow.version().into()
        }
    );
}

fn semver_bump_patch(v: &str) -> String {
    let mut parts: Vec<u64> = v.split('.').map(|p| p.parse().unwrap()).collect();
    parts[2] += 1;
    format!("{}.{}.{}", parts[0], parts[1], parts[2])
}

#[test]
fn attack_migration_models_unparsable_stored_version() {
    let mut w = populated();
    let addr = w.models.clone();
    w.s.app.contract_storage_mut(&addr).set(
        b"contract_info",
        br#"{"contract":"crates.io:model-licensing","version":"latest"}"#,
    );
    let code = C::Models.code_id(&w);
    let admin = w.s.deployer.clone();
    let e = refused_migration(&mut w, &admin, C::Models, code);
    assert_eq!(
        C::Models.migrate_error(e),
        MigrateError::InvalidVersion {
            version: "latest".into()
        }
    );
}

#[test]
fn attack_migration_escrow_without_a_cw2_record() {
    let mut w = populated();
    let addr = w.escrow.clone();
    w.s.app.contract_storage_mut(&addr).remove(b"contract_info");
    let code = C::Escrow.code_id(&w);
    let admin = w.s.deployer.clone();
    let e = refused_migration(&mut w, &admin, C::Escrow, code);
    assert!(matches!(C::Escrow.migrate_error(e), MigrateError::Std(_)));
}

// ---------------------------------------------------------------------------------------------
// By an account that is not the admin
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_migration_token_by_non_admin() {
    non_admin(C::Token, "mallory");
}

#[test]
fn attack_migration_registry_by_non_admin() {
    non_admin(C::Registry, "mallory");
}

#[test]
fn attack_migration_pool_by_non_admin() {
    non_admin(C::Pool, "mallory");
}

#[test]
fn attack_migration_models_by_its_model_owner() {
    non_admin(C::Models, "model-owner");
}

#[test]
fn attack_migration_escrow_by_its_agent() {
    non_admin(C::Escrow, "agent");
}

#[test]
fn attack_migration_escrow_by_the_default_arbiter() {
    non_admin(C::Escrow, "arbiter");
}

/// After the admin hands the admin role over, the previous admin can no longer migrate.
#[test]
fn attack_migration_models_by_the_previous_admin() {
    let mut w = populated();
    let (admin, heir, models) = (w.s.deployer.clone(), w.s.addr("heir"), w.models.clone());
    w.s.app
        .execute(
            admin.clone(),
            cosmwasm_std::WasmMsg::UpdateAdmin {
                contract_addr: models.to_string(),
                admin: heir.to_string(),
            }
            .into(),
        )
        .unwrap();
    let code = C::Models.code_id(&w);
    let e = refused_migration(&mut w, &admin, C::Models, code);
    assert_eq!(
        e.root_cause().to_string(),
        format!("Only admin can migrate contract: {:?}", Some(heir))
    );
}
