//! The reward pool learns each datanet's curators from the registry, on cw-multi-test with the
//! real pool and OPEN: `create_datanet` names them (after `register_datanet`), `update_curators`
//! sends the full new set whenever it changed, and the pool pays the set it was sent. Every
//! step checks the pool's `curators { datanet_id }` answer against the registry's `datanet`.

use cosmwasm_std::{to_json_binary, Addr, Empty, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, DatanetResponse, NewContribution,
    NewDatanet, ReviewDecision,
};
use openledger_common::msg::reward_pool::{
    self as pool, Allocation, CuratorInfo, CuratorsResponse,
};

/// The curators' share of every datanet allocation: 10 %.
const CURATORS_BPS: u16 = 1_000;
/// OPEN held by the payer at the start.
const SUPPLY: u128 = 1_000_000;

fn registry_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            datanet_registry::contract::execute,
            datanet_registry::contract::instantiate,
            datanet_registry::contract::query,
        )
        .with_migrate(datanet_registry::contract::migrate),
    )
}

fn pool_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        reward_pool::contract::execute,
        reward_pool::contract::instantiate,
        reward_pool::contract::query,
    ))
}

fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        open_token::contract::execute,
        open_token::contract::instantiate,
        open_token::contract::query,
    ))
}

struct World {
    app: App,
    token: Addr,
    pool: Addr,
    registry: Addr,
    owner: Addr,
    payer: Addr,
}

impl World {
    /// OPEN (all held by the payer), the pool paying curators `CURATORS_BPS`, and the registry
    /// (no creation fee), wired to each other.
    fn new() -> Self {
        let mut app = App::default();
        let owner = app.api().addr_make("owner");
        let payer = app.api().addr_make("payer");
        let token_code = app.store_code(token_contract());
        let pool_code = app.store_code(pool_contract());
        let registry_code = app.store_code(registry_contract());
        let token = app
            .instantiate_contract(
                token_code,
                owner.clone(),
                &open_token::InstantiateMsg {
                    name: "OpenLedger".into(),
                    symbol: "OPEN".into(),
                    decimals: 6,
                    initial_balances: vec![Cw20Coin {
                        address: payer.to_string(),
                        amount: Uint128::new(SUPPLY),
                    }],
                    mint: None,
                    marketing: None,
                },
                &[],
                "open",
                None,
            )
            .unwrap();
        let pool = app
            .instantiate_contract(
                pool_code,
                owner.clone(),
                &pool::InstantiateMsg {
                    owner: None,
                    token: token.to_string(),
                    registry: None,
                    unbonding_period: 0,
                    curators_bps: Some(CURATORS_BPS),
                },
                &[],
                "pool",
                None,
            )
            .unwrap();
        let registry = app
            .instantiate_contract(
                registry_code,
                owner.clone(),
                &registry::InstantiateMsg {
                    owner: None,
                    token: token.to_string(),
                    reward_pool: pool.to_string(),
                    creation_fee: Uint128::zero(),
                },
                &[],
                "registry",
                None,
            )
            .unwrap();
        app.execute_contract(
            owner.clone(),
            pool.clone(),
            &pool::ExecuteMsg::UpdateConfig {
                registry: Some(registry.to_string()),
                unbonding_period: None,
                staking_reward_period: None,
                curators_bps: None,
            },
            &[],
        )
        .unwrap();
        World {
            app,
            token,
            pool,
            registry,
            owner,
            payer,
        }
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn registry_exec(&mut self, sender: &Addr, msg: registry::ExecuteMsg) -> AppResponse {
        self.app
            .execute_contract(sender.clone(), self.registry.clone(), &msg, &[])
            .unwrap()
    }

    /// Creates a weight-mode datanet owned by the registry's owner, naming `curators`.
    fn create(&mut self, curators: &[&Addr]) -> (u64, AppResponse) {
        let owner = self.owner.clone();
        let res = self.registry_exec(
            &owner,
            registry::ExecuteMsg::CreateDatanet(NewDatanet {
                name: "notes".into(),
                description: String::new(),
                metadata_uri: String::new(),
                curators: curators.iter().map(|c| c.to_string()).collect(),
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::zero(),
                attribution_mode: AttributionMode::Weight,
            }),
        );
        let id = wasm_attr(&res, &self.registry, "datanet_id")
            .parse()
            .unwrap();
        (id, res)
    }

    fn update_curators(&mut self, datanet_id: u64, add: &[&Addr], remove: &[&Addr]) -> AppResponse {
        let owner = self.owner.clone();
        self.registry_exec(
            &owner,
            registry::ExecuteMsg::UpdateCurators {
                datanet_id,
                add: add.iter().map(|c| c.to_string()).collect(),
                remove: remove.iter().map(|c| c.to_string()).collect(),
            },
        )
    }

    fn pool_curators(&self, datanet_id: u64) -> CuratorsResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.pool, &pool::QueryMsg::Curators { datanet_id })
            .unwrap()
    }

    fn registry_curators(&self, datanet_id: u64) -> Vec<Addr> {
        let d: DatanetResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.registry, &registry::QueryMsg::Datanet { datanet_id })
            .unwrap();
        d.curators
    }

    /// Checks that the pool pays exactly the set the registry holds, in its order, with each
    /// curator's pending amount as given.
    fn assert_pool_curators(&self, datanet_id: u64, pending: &[(&Addr, u128)], earned: u128) {
        let answer = self.pool_curators(datanet_id);
        let expected: Vec<CuratorInfo> = pending
            .iter()
            .map(|(a, p)| CuratorInfo {
                address: (*a).clone(),
                pending: Uint128::new(*p),
            })
            .collect();
        assert_eq!(
            answer,
            CuratorsResponse {
                datanet_id,
                known: true,
                earned_per_curator: Uint128::new(earned),
                curators: expected,
            }
        );
        let in_pool: Vec<Addr> = answer.curators.into_iter().map(|c| c.address).collect();
        assert_eq!(in_pool, self.registry_curators(datanet_id));
    }

    /// One contribution by `who`, accepted, and the datanet's first version published.
    fn publish_one(&mut self, datanet_id: u64, who: &Addr) {
        let hash = format!("{:064x}", datanet_id);
        let res = self.registry_exec(
            who,
            registry::ExecuteMsg::Contribute(NewContribution {
                datanet_id,
                data_hash: hash,
                uri: "ipfs://data".into(),
                size_bytes: 1,
                license_note: None,
            }),
        );
        let contribution_id = wasm_attr(&res, &self.registry, "contribution_id")
            .parse()
            .unwrap();
        let owner = self.owner.clone();
        self.registry_exec(
            &owner,
            registry::ExecuteMsg::ReviewContributions {
                datanet_id,
                decisions: vec![ReviewDecision::Accept {
                    contribution_id,
                    weight: 10,
                }],
            },
        );
        self.registry_exec(&owner, registry::ExecuteMsg::PublishVersion { datanet_id });
    }

    /// The payer sends `amount` OPEN to the pool for the datanet's latest version.
    fn distribute(&mut self, datanet_id: u64, amount: u128) {
        let msg = pool::ReceiveMsg::Distribute {
            allocations: vec![Allocation::Datanet {
                id: datanet_id,
                amount: Uint128::new(amount),
                version: None,
            }],
        };
        let send = Cw20ExecuteMsg::Send {
            contract: self.pool.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(&msg).unwrap(),
        };
        self.app
            .execute_contract(self.payer.clone(), self.token.clone(), &send, &[])
            .unwrap();
    }

    fn balance(&self, who: &Addr) -> u128 {
        let b: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.token,
                &Cw20QueryMsg::Balance {
                    address: who.to_string(),
                },
            )
            .unwrap();
        b.balance.u128()
    }
}

/// The value of `key` in the wasm event of `contract`.
fn wasm_attr(res: &AppResponse, contract: &Addr, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .filter(|e| {
            e.attributes
                .iter()
                .any(|a| a.key == "_contract_address" && a.value == contract.as_str())
        })
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key} from {contract}"))
        .value
        .clone()
}

/// The `set_curators` calls the pool executed in `res`, as the `curators` count each reported.
fn set_curators_calls(res: &AppResponse, pool: &Addr) -> Vec<String> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .filter(|e| {
            e.attributes
                .iter()
                .any(|a| a.key == "_contract_address" && a.value == pool.as_str())
        })
        .filter(|e| {
            e.attributes
                .iter()
                .any(|a| a.key == "action" && a.value == "set_curators")
        })
        .map(|e| {
            let count = e.attributes.iter().find(|a| a.key == "curators");
            count.map(|a| a.value.clone()).unwrap_or_default()
        })
        .collect()
}

#[test]
fn create_datanet_tells_the_pool_its_curators() {
    let mut w = World::new();
    let (c1, c2) = (w.addr("curator-1"), w.addr("curator-2"));
    let owner = w.owner.clone();
    let res = w.registry_exec(
        &owner,
        registry::ExecuteMsg::CreateDatanet(NewDatanet {
            name: "notes".into(),
            description: String::new(),
            metadata_uri: String::new(),
            curators: vec![c1.to_string(), c2.to_string()],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Influence,
        }),
    );
    assert_eq!(set_curators_calls(&res, &w.pool), ["2"]);
    w.assert_pool_curators(1, &[(&c1, 0), (&c2, 0)], 0);

    // A datanet without curators: registered (so known, with no curator), no set_curators call.
    let (id, res) = w.create(&[]);
    assert_eq!(id, 2);
    assert_eq!(set_curators_calls(&res, &w.pool), Vec::<String>::new());
    w.assert_pool_curators(id, &[], 0);
}

#[test]
fn update_curators_sends_the_full_new_set_only_when_it_changed() {
    let mut w = World::new();
    let (c1, c2, c3) = (
        w.addr("curator-1"),
        w.addr("curator-2"),
        w.addr("curator-3"),
    );
    let (id, _) = w.create(&[]);

    let res = w.update_curators(id, &[&c1, &c2], &[]);
    assert_eq!(set_curators_calls(&res, &w.pool), ["2"]);
    w.assert_pool_curators(id, &[(&c1, 0), (&c2, 0)], 0);

    let res = w.update_curators(id, &[&c3], &[&c1]);
    assert_eq!(set_curators_calls(&res, &w.pool), ["2"]);
    w.assert_pool_curators(id, &[(&c2, 0), (&c3, 0)], 0);

    // Removing and adding back the same curator changes nothing: no call, same order.
    let res = w.update_curators(id, &[&c2], &[&c2]);
    assert_eq!(set_curators_calls(&res, &w.pool), Vec::<String>::new());
    w.assert_pool_curators(id, &[(&c2, 0), (&c3, 0)], 0);

    // Down to none: the pool is told the empty set.
    let res = w.update_curators(id, &[], &[&c2, &c3]);
    assert_eq!(set_curators_calls(&res, &w.pool), ["0"]);
    w.assert_pool_curators(id, &[], 0);
}

#[test]
fn the_pool_pays_the_set_the_registry_sent_and_a_leaving_curator_keeps_its_share() {
    let mut w = World::new();
    let (c1, c2, c3) = (
        w.addr("curator-1"),
        w.addr("curator-2"),
        w.addr("curator-3"),
    );
    let alice = w.addr("alice");
    let (id, res) = w.create(&[&c1, &c2]);
    assert_eq!(set_curators_calls(&res, &w.pool), ["2"]);
    w.publish_one(id, &alice);

    // 1 000 to the datanet: 10 % to its two curators, 50 each.
    w.distribute(id, 1_000);
    w.assert_pool_curators(id, &[(&c1, 50), (&c2, 50)], 50);

    // c1 leaves (its 50 become an account credit), c3 joins and earns from the next allocation.
    w.update_curators(id, &[&c3], &[&c1]);
    w.assert_pool_curators(id, &[(&c2, 50), (&c3, 0)], 50);
    w.distribute(id, 2_000);
    w.assert_pool_curators(id, &[(&c2, 150), (&c3, 100)], 150);

    // Each claims exactly its share; alice, the only contributor, the rest (900 + 1 800).
    for (who, paid) in [(&c1, 50u128), (&c2, 150), (&c3, 100), (&alice, 2_700)] {
        w.app
            .execute_contract(
                who.clone(),
                w.pool.clone(),
                &pool::ExecuteMsg::Claim { datanet_ids: None },
                &[],
            )
            .unwrap();
        assert_eq!(w.balance(who), paid);
    }
    w.assert_pool_curators(id, &[(&c2, 0), (&c3, 0)], 150);
    assert_eq!(w.balance(&w.payer), SUPPLY - 3_000);
    assert_eq!(w.balance(&w.pool), 0);
}
