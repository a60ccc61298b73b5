//! cw-multi-test behind [`Backend`]: the five contracts stored, instantiated and wired with the
//! messages the deploy tool sends with its default settings ([`SuiteConfig`]), actors as
//! `addr_make(name)`, each executed message in a block of its own (5 s later, as
//! `next_block`), and time that passes only when asked.

use std::cell::RefCell;

use anyhow::{anyhow, Result};
use cosmwasm_std::Addr;
use cw_multi_test::{App, Executor};
use openledger_tests::{escrow::escrow_contract, models::model_contract};
use serde::Serialize;
use serde_json::Value;

use super::{Backend, Contracts, Executed};
use crate::deploy::suite::{wire_pool_msg, SuiteConfig};

/// The suite on cw-multi-test.
pub struct MockBackend {
    app: RefCell<App>,
    contracts: Contracts,
}

/// Stores `code` and instantiates it as `admin` with `msg`.
fn instantiate<T: Serialize>(
    app: &mut App,
    code: Box<dyn cw_multi_test::Contract<cosmwasm_std::Empty>>,
    admin: &Addr,
    msg: &T,
    label: &str,
) -> Result<String> {
    let id = app.store_code(code);
    let addr = app.instantiate_contract(id, admin.clone(), msg, &[], label, Some(admin.into()))?;
    Ok(addr.into_string())
}

impl MockBackend {
    /// A fresh suite, deployed as the deploy tool deploys it with its defaults.
    pub fn deploy() -> Result<Self> {
        let cfg = SuiteConfig::default();
        let mut app = App::default();
        let deployer = app.api().addr_make("deployer");
        let arbiter = app.api().addr_make("arbiter");
        let token = instantiate(
            &mut app,
            openledger_tests::token_contract(),
            &deployer,
            &cfg.token_msg(deployer.as_str()),
            "open_token",
        )?;
        let pool = instantiate(
            &mut app,
            openledger_tests::pool_contract(),
            &deployer,
            &cfg.pool_msg(&token),
            "reward_pool",
        )?;
        let registry = instantiate(
            &mut app,
            openledger_tests::registry_contract(),
            &deployer,
            &cfg.registry_msg(&token, &pool),
            "datanet_registry",
        )?;
        let models = instantiate(
            &mut app,
            model_contract(),
            &deployer,
            &cfg.models_msg(&token, &registry, &pool),
            "model_licensing",
        )?;
        let escrow = instantiate(
            &mut app,
            escrow_contract(),
            &deployer,
            &cfg.escrow_msg(&token, &models, &pool, arbiter.as_str()),
            "agent_escrow",
        )?;
        let wire = wire_pool_msg(&registry);
        app.execute_contract(deployer, Addr::unchecked(&pool), &wire, &[])?;
        Ok(MockBackend {
            app: RefCell::new(app),
            contracts: Contracts {
                token,
                registry,
                pool,
                models,
                escrow,
            },
        })
    }
}

impl Backend for MockBackend {
    fn describe(&self) -> String {
        format!("cw-multi-test ({})", self.chain_id())
    }

    fn chain_id(&self) -> String {
        self.app.borrow().block_info().chain_id
    }

    fn address(&self, actor: &str) -> Result<String> {
        Ok(self.app.borrow().api().addr_make(actor).into_string())
    }

    fn contracts(&self) -> &Contracts {
        &self.contracts
    }

    fn execute_json(&self, actor: &str, contract: &str, msg: Value) -> Result<Executed> {
        let sender = Addr::unchecked(self.address(actor)?);
        let mut app = self.app.borrow_mut();
        let res = app.execute_contract(sender, Addr::unchecked(contract), &msg, &[])?;
        app.update_block(cw_multi_test::next_block);
        let events = res
            .events
            .into_iter()
            .map(|e| {
                let attrs = e.attributes.into_iter().map(|a| (a.key, a.value)).collect();
                (e.ty, attrs)
            })
            .collect();
        Ok(Executed {
            hash: String::new(),
            gas_used: 0,
            events,
        })
    }

    fn query_json(&self, contract: &str, msg: Value) -> Result<Value> {
        self.app
            .borrow()
            .wrap()
            .query_wasm_smart(contract, &msg)
            .map_err(|e| anyhow!("query of {contract} failed: {e}"))
    }

    fn block_time(&self) -> Result<u64> {
        Ok(self.app.borrow().block_info().time.seconds())
    }

    fn advance(&self, seconds: u64) -> Result<()> {
        self.app.borrow_mut().update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += 1;
        });
        Ok(())
    }
}
