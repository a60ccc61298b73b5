//! The suite builder shared by the cross-contract tests: one cw-multi-test app with the
//! contracts of the suite stored, instantiated and wired, named accounts, and a ledger the
//! tests keep themselves to check every party's balance after every step.

pub mod escrow;
pub mod models;
pub mod pool_helpers;
pub mod sim;

use std::collections::BTreeMap;

use anyhow::Result as AnyResult;
use cosmwasm_std::{to_json_binary, Addr, Empty, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use openledger_common::msg::{datanet_registry as registry, reward_pool as pool};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            open_token::contract::execute,
            open_token::contract::instantiate,
            open_token::contract::query,
        )
        .with_migrate(open_token::contract::migrate),
    )
}

pub fn registry_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            datanet_registry::contract::execute,
            datanet_registry::contract::instantiate,
            datanet_registry::contract::query,
        )
        .with_migrate(datanet_registry::contract::migrate),
    )
}

pub fn pool_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            reward_pool::contract::execute,
            reward_pool::contract::instantiate,
            reward_pool::contract::query,
        )
        .with_migrate(reward_pool::contract::migrate),
    )
}

/// Total OPEN minted at the start of every suite.
pub const SUPPLY: u128 = 1_000_000_000_000;
/// Unbonding period of the suite's pool, in seconds.
pub const UNBONDING_PERIOD: u64 = 7 * 24 * 3600;

pub struct Suite {
    pub app: App,
    /// Holds the whole supply at the start and deploys everything.
    pub deployer: Addr,
    pub token: Addr,
    pub registry: Addr,
    pub pool: Addr,
    /// Expected OPEN balance of every account the test touched (the test's own ledger).
    pub ledger: BTreeMap<Addr, u128>,
}

impl Default for Suite {
    fn default() -> Self {
        Self::new(Uint128::zero())
    }
}

impl Suite {
    /// A suite whose registry charges `creation_fee` per datanet.
    pub fn new(creation_fee: Uint128) -> Self {
        let mut app = App::default();
        let deployer = app.api().addr_make("deployer");
        let token_id = app.store_code(token_contract());
        let registry_id = app.store_code(registry_contract());
        let pool_id = app.store_code(pool_contract());
        let token = app
            .instantiate_contract(
                token_id,
                deployer.clone(),
                &open_token::InstantiateMsg {
                    name: "OpenLedger".into(),
                    symbol: "OPEN".into(),
                    decimals: 6,
                    initial_balances: vec![Cw20Coin {
                        address: deployer.to_string(),
                        amount: Uint128::new(SUPPLY),
                    }],
                    mint: None,
                    marketing: None,
                },
                &[],
                "open",
                Some(deployer.to_string()),
            )
            .unwrap();
        let pool = app
            .instantiate_contract(
                pool_id,
                deployer.clone(),
                &pool::InstantiateMsg {
                    owner: None,
                    token: token.to_string(),
                    registry: None,
                    unbonding_period: UNBONDING_PERIOD,
                },
                &[],
                "pool",
                Some(deployer.to_string()),
            )
            .unwrap();
        let registry = app
            .instantiate_contract(
                registry_id,
                deployer.clone(),
                &registry::InstantiateMsg {
                    owner: None,
                    token: token.to_string(),
                    reward_pool: pool.to_string(),
                    creation_fee,
                },
                &[],
                "registry",
                Some(deployer.to_string()),
            )
            .unwrap();
        app.execute_contract(
            deployer.clone(),
            pool.clone(),
            &pool::ExecuteMsg::UpdateConfig {
                registry: Some(registry.to_string()),
                unbonding_period: None,
                staking_reward_period: None,
            },
            &[],
        )
        .unwrap();
        let mut ledger = BTreeMap::new();
        ledger.insert(deployer.clone(), SUPPLY);
        ledger.insert(registry.clone(), 0);
        ledger.insert(pool.clone(), 0);
        Suite {
            app,
            deployer,
            token,
            registry,
            pool,
            ledger,
        }
    }

    /// A named account.
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    /// Gives `who` `amount` OPEN from the deployer.
    pub fn fund(&mut self, who: &Addr, amount: u128) {
        self.app
            .execute_contract(
                self.deployer.clone(),
                self.token.clone(),
                &Cw20ExecuteMsg::Transfer {
                    recipient: who.to_string(),
                    amount: Uint128::new(amount),
                },
                &[],
            )
            .unwrap();
        self.moved(&self.deployer.clone(), who, amount);
    }

    /// Records in the ledger that `amount` moved from `from` to `to`.
    pub fn moved(&mut self, from: &Addr, to: &Addr, amount: u128) {
        let f = self.ledger.entry(from.clone()).or_insert(0);
        *f = f.checked_sub(amount).expect("ledger: overdraft");
        *self.ledger.entry(to.clone()).or_insert(0) += amount;
    }

    pub fn balance(&self, who: &Addr) -> u128 {
        let r: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.token,
                &Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .unwrap();
        r.balance.u128()
    }

    /// Asserts that every account in the ledger holds exactly what the ledger says, that the
    /// ledger still sums to the supply, and that both contracts are solvent.
    pub fn check(&self) {
        for (who, expected) in &self.ledger {
            assert_eq!(self.balance(who), *expected, "balance of {who}");
        }
        assert_eq!(self.ledger.values().sum::<u128>(), SUPPLY, "ledger sum");
        let s: pool::SolvencyResponse = self.query_pool(&pool::QueryMsg::Solvency {});
        assert!(s.solvent, "pool insolvent: {s:?}");
        assert_eq!(s.balance.u128(), self.ledger[&self.pool]);
        let r: registry::RegistrySolvencyResponse =
            self.query_registry(&registry::QueryMsg::Solvency {});
        assert!(r.solvent, "registry insolvent: {r:?}");
        assert_eq!(r.balance.u128(), self.ledger[&self.registry]);
    }

    /// A cw20 `send` of OPEN from `from` to `contract` carrying `hook`. The ledger is not
    /// updated: the caller records where the tokens ended up.
    pub fn send<T: Serialize>(
        &mut self,
        from: &Addr,
        contract: &Addr,
        amount: u128,
        hook: &T,
    ) -> AnyResult<AppResponse> {
        self.app.execute_contract(
            from.clone(),
            self.token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: contract.to_string(),
                amount: Uint128::new(amount),
                msg: to_json_binary(hook)?,
            },
            &[],
        )
    }

    pub fn registry_exec(
        &mut self,
        from: &Addr,
        msg: &registry::ExecuteMsg,
    ) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(from.clone(), self.registry.clone(), msg, &[])
    }

    pub fn pool_exec(&mut self, from: &Addr, msg: &pool::ExecuteMsg) -> AnyResult<AppResponse> {
        self.app
            .execute_contract(from.clone(), self.pool.clone(), msg, &[])
    }

    pub fn query_registry<T: DeserializeOwned>(&self, msg: &registry::QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.registry, msg)
            .unwrap()
    }

    pub fn query_pool<T: DeserializeOwned>(&self, msg: &pool::QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.pool, msg).unwrap()
    }

    /// Treasury balance in the pool.
    pub fn treasury(&self) -> u128 {
        let s: pool::SolvencyResponse = self.query_pool(&pool::QueryMsg::Solvency {});
        s.liabilities.treasury.u128()
    }

    /// Advances the chain by `seconds` (and one block).
    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += 1;
        });
    }
}

/// Everything an attack must leave as it was: the raw storage of the token and of every
/// contract in the ledger, and every ledger account's OPEN and native balances.
#[derive(Debug, PartialEq)]
pub struct Frozen {
    pub storage: BTreeMap<Addr, Vec<cosmwasm_std::Record>>,
    pub open: BTreeMap<Addr, u128>,
    pub native: BTreeMap<Addr, Vec<cosmwasm_std::Coin>>,
}

impl Suite {
    /// The state an attack must not change (see [`Frozen`]).
    pub fn frozen(&self) -> Frozen {
        let mut storage = BTreeMap::new();
        storage.insert(self.token.clone(), self.app.dump_wasm_raw(&self.token));
        let mut open = BTreeMap::new();
        let mut native = BTreeMap::new();
        for who in self.ledger.keys() {
            if self.app.contract_data(who).is_ok() {
                storage.insert(who.clone(), self.app.dump_wasm_raw(who));
            }
            open.insert(who.clone(), self.balance(who));
            // All denominations, whichever an attack attached: deprecated on chains (an
            // unbounded query), exact in cw-multi-test's bank.
            #[allow(deprecated)]
            native.insert(
                who.clone(),
                self.app.wrap().query_all_balances(who).unwrap(),
            );
        }
        Frozen {
            storage,
            open,
            native,
        }
    }

    /// Runs `attempt`, which must fail, and asserts that it changed no contract's storage and
    /// no party's balance (OPEN or native), and that the ledger still holds. Returns the error.
    pub fn refused(
        &mut self,
        attempt: impl FnOnce(&mut Suite) -> AnyResult<AppResponse>,
    ) -> anyhow::Error {
        let before = self.frozen();
        let err = match attempt(self) {
            Ok(res) => panic!("the attack succeeded: {res:?}"),
            Err(err) => err,
        };
        assert_eq!(self.frozen(), before, "a refused attempt changed state");
        self.check();
        err
    }
}

/// [`Suite::refused`], with the error downcast to the contract's error type.
pub fn refused<E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(
    s: &mut Suite,
    attempt: impl FnOnce(&mut Suite) -> AnyResult<AppResponse>,
) -> E {
    s.refused(attempt)
        .downcast::<E>()
        .expect("error of another type")
}

/// The error a failed execution carries, downcast to the contract's error type.
pub fn err<E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(
    res: AnyResult<AppResponse>,
) -> E {
    res.expect_err("expected the execution to fail")
        .downcast::<E>()
        .expect("error of another type")
}

/// A deterministic SHA-256 hex digest standing for a piece of data.
pub fn data_hash(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(seed.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// Influence attribution: datanets in influence mode, attestors, attribution trees.
// ---------------------------------------------------------------------------------------------

/// Everything the pool reports about influence attribution that an attack must leave as it
/// was: solvency (balance and liabilities), a datanet's roots, and what the named accounts have
/// claimed and bonded.
#[derive(Debug, PartialEq)]
pub struct InfluenceSnapshot {
    pub solvency: pool::SolvencyResponse,
    pub roots: pool::AttributionRootResponse,
    pub claimed: Vec<pool::ClaimedResponse>,
    pub attestors: Vec<pool::AttestorResponse>,
}

impl Suite {
    /// `owner` creates a datanet in influence mode (no creation fee expected); returns its id.
    pub fn create_influence_datanet(&mut self, owner: &Addr, name: &str) -> u64 {
        let res = self
            .registry_exec(
                owner,
                &registry::ExecuteMsg::CreateDatanet(registry::NewDatanet {
                    name: name.into(),
                    description: format!("{name}: rewarded by measured influence"),
                    metadata_uri: format!("ipfs://{name}"),
                    curators: vec![],
                    policy: registry::ContributionPolicy::Open,
                    contribution_bond: Uint128::zero(),
                    attribution_mode: registry::AttributionMode::Influence,
                }),
            )
            .unwrap();
        res.events
            .iter()
            .flat_map(|e| &e.attributes)
            .find(|a| a.key == "datanet_id")
            .and_then(|a| a.value.parse().ok())
            .expect("create_datanet reports the datanet id")
    }

    /// The deployer sends `amount` to datanet `datanet_id`'s bucket (ledger updated).
    pub fn fund_datanet(&mut self, datanet_id: u64, amount: u128) {
        let (deployer, pool) = (self.deployer.clone(), self.pool.clone());
        self.send(
            &deployer,
            &pool,
            amount,
            &pool::ReceiveMsg::Distribute {
                allocations: vec![pool::Allocation::Datanet {
                    id: datanet_id,
                    amount: Uint128::new(amount),
                }],
            },
        )
        .unwrap();
        self.moved(&deployer, &pool, amount);
    }

    /// The owner approves `attestor`, which receives `bond` OPEN and bonds it (ledger updated).
    pub fn add_attestor(&mut self, attestor: &Addr, bond: u128) {
        let deployer = self.deployer.clone();
        self.pool_exec(
            &deployer,
            &pool::ExecuteMsg::UpdateAttestors {
                add: vec![attestor.to_string()],
                remove: vec![],
            },
        )
        .unwrap();
        self.fund(attestor, bond);
        let pool = self.pool.clone();
        self.send(attestor, &pool, bond, &pool::ReceiveMsg::BondAttestor {})
            .unwrap();
        self.moved(attestor, &pool, bond);
    }

    /// `attestor` posts `tree`'s root as `epoch`.
    pub fn post_root(
        &mut self,
        attestor: &Addr,
        epoch: u64,
        tree: &AttributionTree,
    ) -> AnyResult<AppResponse> {
        self.pool_exec(
            attestor,
            &pool::ExecuteMsg::PostAttributionRoot {
                datanet_id: tree.datanet_id,
                epoch,
                root: tree.root(),
                cumulative_total: Uint128::new(tree.total),
            },
        )
    }

    /// `who` claims its leaf of `tree` against `epoch` (ledger not updated).
    pub fn claim_attribution(
        &mut self,
        who: &Addr,
        epoch: u64,
        tree: &AttributionTree,
    ) -> AnyResult<AppResponse> {
        let (amount, proof) = tree.proof(who.as_str());
        self.pool_exec(
            who,
            &pool::ExecuteMsg::ClaimAttribution {
                datanet_id: tree.datanet_id,
                epoch,
                cumulative_amount: Uint128::new(amount),
                proof,
            },
        )
    }

    /// What `who` has claimed from datanet `datanet_id`.
    pub fn attribution_claimed(&self, datanet_id: u64, who: &Addr) -> u128 {
        let r: pool::ClaimedResponse = self.query_pool(&pool::QueryMsg::Claimed {
            datanet_id,
            address: who.to_string(),
        });
        r.claimed.u128()
    }

    /// The pool's attribution state of datanet `datanet_id` as seen by `accounts`.
    pub fn influence_snapshot(&self, datanet_id: u64, accounts: &[&Addr]) -> InfluenceSnapshot {
        InfluenceSnapshot {
            solvency: self.query_pool(&pool::QueryMsg::Solvency {}),
            roots: self.query_pool(&pool::QueryMsg::AttributionRoot { datanet_id }),
            claimed: accounts
                .iter()
                .map(|a| {
                    self.query_pool(&pool::QueryMsg::Claimed {
                        datanet_id,
                        address: a.to_string(),
                    })
                })
                .collect(),
            attestors: accounts
                .iter()
                .map(|a| {
                    self.query_pool(&pool::QueryMsg::Attestor {
                        address: a.to_string(),
                    })
                })
                .collect(),
        }
    }
}

/// An attribution tree (format v1, built by `openledger_common::merkle`, the code of the
/// `attribution-tree` tool) over `(address, cumulative_amount)` entries of one datanet.
pub struct AttributionTree {
    pub datanet_id: u64,
    pub tree: openledger_common::merkle::MerkleTree,
    /// Cumulative amount per address.
    pub amounts: std::collections::HashMap<String, u128>,
    /// Sum of the amounts.
    pub total: u128,
}

impl AttributionTree {
    pub fn new(datanet_id: u64, entries: &[openledger_common::merkle::Entry]) -> Self {
        let tree = openledger_common::merkle::MerkleTree::from_entries(datanet_id, entries)
            .expect("distinct addresses");
        let amounts = entries
            .iter()
            .map(|e| (e.address.clone(), e.cumulative_amount))
            .collect();
        let total = entries.iter().map(|e| e.cumulative_amount).sum();
        AttributionTree {
            datanet_id,
            tree,
            amounts,
            total,
        }
    }

    /// The root, as the pool takes it.
    pub fn root(&self) -> cosmwasm_std::HexBinary {
        cosmwasm_std::HexBinary::from(self.tree.root().as_slice())
    }

    /// `address`'s cumulative amount and proof.
    pub fn proof(&self, address: &str) -> (u128, Vec<cosmwasm_std::HexBinary>) {
        let amount = *self
            .amounts
            .get(address)
            .unwrap_or_else(|| panic!("{address} is not in the tree"));
        let leaf = openledger_common::merkle::leaf_hash(self.datanet_id, address, amount).unwrap();
        let proof = self
            .tree
            .proof(&leaf)
            .expect("leaf in tree")
            .iter()
            .map(|h| cosmwasm_std::HexBinary::from(h.as_slice()))
            .collect();
        (amount, proof)
    }
}

/// `n` entries: `real` first, then synthetic addresses with amounts 1..=`max_amount` drawn
/// from `seed` (splitmix64, as `attribution-tree generate`): row `i`'s amount depends only on
/// the seed and `i`, so two calls that differ only in the real entries' amounts differ only in
/// those rows.
pub fn influence_entries(
    n: usize,
    real: &[(&Addr, u128)],
    seed: u64,
    max_amount: u64,
) -> Vec<openledger_common::merkle::Entry> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..n)
        .map(|i| {
            let drawn = u128::from(next() % max_amount + 1);
            match real.get(i) {
                Some((a, v)) => openledger_common::merkle::Entry {
                    address: a.to_string(),
                    cumulative_amount: *v,
                },
                None => openledger_common::merkle::Entry {
                    address: format!("synthetic{i:08}"),
                    cumulative_amount: drawn,
                },
            }
        })
        .collect()
}
