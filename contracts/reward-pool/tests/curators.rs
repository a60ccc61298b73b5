//! Curators' share of their datanets' income, on cw-multi-test: the pool with the OPEN token and
//! a stand-in registry that answers the `datanet` query (the curators of a datanet stored before
//! curators were paid) and counts how often it is asked. Every test keeps its own ledger of what
//! each party is owed and checks it, with the pool's liabilities against its token balance,
//! after every step.

use std::cell::Cell;
use std::collections::BTreeMap;

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError,
    StdResult, Uint128,
};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use cw_storage_plus::Map;
use openledger_common::msg::datanet_registry;
use openledger_common::msg::reward_pool::{
    Allocation, AttributionMode, AttributionRootResponse, ConfigResponse, CuratorInfo,
    CuratorsResponse, EarningSource, EarningsResponse, ExecuteMsg, InstantiateMsg, MigrateMsg,
    PendingReward, PendingRewardsResponse, QueryMsg, ReceiveMsg, SolvencyResponse, SourceEarnings,
    WeightUpdate, MAX_CLAIM_RANGES, MAX_CURATORS_BPS,
};
use reward_pool::ContractError;

// ---------------------------------------------------------------------------------------------
// The stand-in registry.

/// What the stand-in registry is told: the curators it lists for a datanet, or to forget it.
#[cw_serde]
enum RegistryMsg {
    /// Lists `curators` for `datanet_id`.
    SetDatanet {
        datanet_id: u64,
        curators: Vec<String>,
    },
    /// Forgets `datanet_id`: its `datanet` query fails from now on.
    Forget { datanet_id: u64 },
}

/// The fields of the registry's `datanet` answer the pool reads.
#[cw_serde]
struct DatanetAnswer {
    id: u64,
    curators: Vec<String>,
    version_count: u32,
}

const LISTED: Map<u64, Vec<String>> = Map::new("listed");

thread_local! {
    /// How many `datanet` queries the stand-in registry answered on this test's thread.
    static REGISTRY_QUERIES: Cell<u32> = const { Cell::new(0) };
}

fn registry_instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn registry_execute(
    deps: DepsMut,
    _: Env,
    _: MessageInfo,
    msg: RegistryMsg,
) -> StdResult<Response> {
    match msg {
        RegistryMsg::SetDatanet {
            datanet_id,
            curators,
        } => LISTED.save(deps.storage, datanet_id, &curators)?,
        RegistryMsg::Forget { datanet_id } => LISTED.remove(deps.storage, datanet_id),
    }
    Ok(Response::new())
}

fn registry_query(deps: Deps, _: Env, msg: datanet_registry::QueryMsg) -> StdResult<Binary> {
    match msg {
        datanet_registry::QueryMsg::Datanet { datanet_id } => {
            REGISTRY_QUERIES.with(|c| c.set(c.get() + 1));
            let curators = LISTED.load(deps.storage, datanet_id)?;
            to_json_binary(&DatanetAnswer {
                id: datanet_id,
                curators,
                version_count: 1,
            })
        }
        _ => Err(StdError::generic_err(
            "the stand-in registry answers `datanet` only",
        )),
    }
}

fn registry_queries() -> u32 {
    REGISTRY_QUERIES.with(Cell::get)
}

fn registry_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        registry_execute,
        registry_instantiate,
        registry_query,
    ))
}

fn pool_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            reward_pool::contract::execute,
            reward_pool::contract::instantiate,
            reward_pool::contract::query,
        )
        .with_migrate(reward_pool::contract::migrate),
    )
}

fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        open_token::contract::execute,
        open_token::contract::instantiate,
        open_token::contract::query,
    ))
}

// ---------------------------------------------------------------------------------------------
// The world and the test's ledger.

/// The OPEN supply, all held by the payer at the start.
const SUPPLY: u128 = 1_000_000_000_000;

/// How a datanet's contributors' part is held, as the ledger follows it.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Weight mode with a published version: owed to its contributors.
    Published,
    /// Weight mode without a published version: the treasury takes it.
    Unpublished,
    /// Influence mode: its bucket.
    Influence,
}

/// What the test expects the pool to owe.
#[derive(Default)]
struct Ledger {
    /// The curators' share, in basis points.
    bps: u128,
    /// Each datanet's curator set as the pool should know it.
    sets: BTreeMap<u64, Vec<Addr>>,
    /// How each datanet's contributor part is held.
    kinds: BTreeMap<u64, Kind>,
    /// What each current curator is owed, per (curator, datanet).
    curators: BTreeMap<(Addr, u64), u128>,
    /// Each datanet's earned-per-curator counter.
    counters: BTreeMap<u64, u128>,
    /// Account credits not claimed, per address.
    credits: BTreeMap<Addr, u128>,
    /// What each address earned as curator in each datanet, moved to its credits (claimed or
    /// not).
    credited: BTreeMap<(Addr, u64), u128>,
    /// Weight-mode contributor rewards credited and not claimed.
    contributors: u128,
    /// Influence buckets' contents, per datanet.
    buckets: BTreeMap<u64, u128>,
    /// The treasury.
    treasury: u128,
    /// What each address received from the pool.
    paid: BTreeMap<Addr, u128>,
}

impl Ledger {
    /// Moves everything `who` earned as curator in `ids` (every datanet when `None`) to its
    /// credits, then pays its credits: returns what a claim pays it as a curator.
    fn claim_as_curator(&mut self, who: &Addr, ids: Option<&[u64]>) -> u128 {
        let keys: Vec<(Addr, u64)> = self
            .curators
            .keys()
            .filter(|(a, id)| a == who && ids.map_or(true, |ids| ids.contains(id)))
            .cloned()
            .collect();
        for key in keys {
            let owed = std::mem::take(self.curators.get_mut(&key).unwrap());
            *self.credits.entry(who.clone()).or_default() += owed;
            *self.credited.entry(key).or_default() += owed;
        }
        let paid = self.credits.remove(who).unwrap_or_default();
        *self.paid.entry(who.clone()).or_default() += paid;
        paid
    }
}

struct World {
    app: App,
    token: Addr,
    pool: Addr,
    registry: Addr,
    owner: Addr,
    payer: Addr,
    pool_code: u64,
    ledger: Ledger,
}

impl World {
    /// A pool paying curators `curators_bps` (instantiated with the field omitted when
    /// `None`), wired to the stand-in registry.
    fn new(curators_bps: Option<u16>) -> Self {
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
        let registry = app
            .instantiate_contract(
                registry_code,
                owner.clone(),
                &Empty {},
                &[],
                "registry",
                None,
            )
            .unwrap();
        let pool = app
            .instantiate_contract(
                pool_code,
                owner.clone(),
                &InstantiateMsg {
                    owner: None,
                    token: token.to_string(),
                    registry: Some(registry.to_string()),
                    unbonding_period: 0,
                    curators_bps,
                },
                &[],
                "pool",
                Some(owner.to_string()),
            )
            .unwrap();
        let ledger = Ledger {
            bps: u128::from(curators_bps.unwrap_or(0)),
            ..Ledger::default()
        };
        let w = World {
            app,
            token,
            pool,
            registry,
            owner,
            payer,
            pool_code,
            ledger,
        };
        w.check();
        w
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn q<T: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.pool, msg).unwrap()
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

    /// `msg` to the pool from `sender`; a refusal is returned as the pool's error.
    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        self.app
            .execute_contract(sender.clone(), self.pool.clone(), msg, &[])
            .map_err(|e| e.downcast::<ContractError>().unwrap())
    }

    /// A registry-only message, from the registry.
    fn registry_exec(&mut self, msg: &ExecuteMsg) -> AppResponse {
        let registry = self.registry.clone();
        self.exec(&registry, msg).unwrap()
    }

    fn register(&mut self, id: u64, kind: Kind) {
        let mode = match kind {
            Kind::Influence => AttributionMode::Influence,
            Kind::Published | Kind::Unpublished => AttributionMode::Weight,
        };
        self.registry_exec(&ExecuteMsg::RegisterDatanet {
            datanet_id: id,
            mode,
        });
        self.ledger.kinds.insert(id, kind);
        self.ledger.sets.insert(id, vec![]);
        self.ledger.counters.insert(id, 0);
        self.check();
    }

    /// Sets weights in datanet `id` and publishes its next version with them.
    fn publish(&mut self, id: u64, weights: &[(&Addr, u64)], version: u32) {
        self.registry_exec(&ExecuteMsg::UpdateWeights {
            datanet_id: id,
            updates: weights
                .iter()
                .map(|(a, w)| WeightUpdate {
                    address: a.to_string(),
                    weight: *w,
                })
                .collect(),
        });
        let total: u64 = self
            .q::<openledger_common::msg::reward_pool::DatanetPoolResponse>(&QueryMsg::DatanetPool {
                datanet_id: id,
            })
            .total_weight;
        self.registry_exec(&ExecuteMsg::PublishVersion {
            datanet_id: id,
            version,
            total_weight: total,
        });
        self.ledger.kinds.insert(id, Kind::Published);
        self.check();
    }

    fn set_curators_msg(id: u64, curators: &[&Addr]) -> ExecuteMsg {
        ExecuteMsg::SetCurators {
            datanet_id: id,
            curators: curators.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// The registry sets datanet `id`'s curators; the ledger moves leavers' earnings to their
    /// credits and starts joiners at nothing.
    fn set_curators(&mut self, id: u64, curators: &[&Addr]) -> AppResponse {
        let res = self.registry_exec(&Self::set_curators_msg(id, curators));
        let new: Vec<Addr> = curators.iter().map(|a| (*a).clone()).collect();
        let old = self.ledger.sets.insert(id, new.clone()).unwrap_or_default();
        for leaver in old.iter().filter(|a| !new.contains(a)) {
            let owed = self.ledger.curators.remove(&(leaver.clone(), id)).unwrap();
            *self.ledger.credits.entry(leaver.clone()).or_default() += owed;
            *self
                .ledger
                .credited
                .entry((leaver.clone(), id))
                .or_default() += owed;
        }
        for joiner in new.iter().filter(|a| !old.contains(a)) {
            self.ledger.curators.insert((joiner.clone(), id), 0);
        }
        self.check();
        res
    }

    /// The payer sends `amount` with `allocations`.
    fn send(
        &mut self,
        amount: u128,
        allocations: Vec<Allocation>,
    ) -> Result<AppResponse, ContractError> {
        let payer = self.payer.clone();
        self.app
            .execute_contract(
                payer,
                self.token.clone(),
                &Cw20ExecuteMsg::Send {
                    contract: self.pool.to_string(),
                    amount: Uint128::new(amount),
                    msg: to_json_binary(&ReceiveMsg::Distribute { allocations }).unwrap(),
                },
                &[],
            )
            .map_err(|e| e.downcast::<ContractError>().unwrap())
    }

    /// A fee of `amount` for datanet `id` (its latest version). The ledger takes the curators'
    /// share (`⌊⌊amount × bps / 10 000⌋ / n⌋` each, computed here on its own) and puts the rest
    /// where the datanet's contributors' part goes; returns (per curator, rest).
    fn fee(&mut self, id: u64, amount: u128) -> (AppResponse, u128, u128) {
        let res = self
            .send(
                amount,
                vec![Allocation::Datanet {
                    id,
                    amount: Uint128::new(amount),
                    version: None,
                }],
            )
            .unwrap();
        let set = self.ledger.sets.get(&id).cloned().unwrap_or_default();
        let n = set.len() as u128;
        // No curator: nothing taken.
        let per = (amount * self.ledger.bps / 10_000)
            .checked_div(n)
            .unwrap_or(0);
        for c in &set {
            *self.ledger.curators.get_mut(&(c.clone(), id)).unwrap() += per;
        }
        *self.ledger.counters.get_mut(&id).unwrap() += per;
        let rest = amount - per * n;
        match self.ledger.kinds[&id] {
            Kind::Published => self.ledger.contributors += rest,
            Kind::Unpublished => self.ledger.treasury += rest,
            Kind::Influence => *self.ledger.buckets.entry(id).or_default() += rest,
        }
        assert_eq!(
            attr(&res, &format!("datanet_{id}")),
            Some(match self.ledger.kinds[&id] {
                Kind::Unpublished => "0".to_string(),
                _ => rest.to_string(),
            })
        );
        assert_eq!(
            attr(&res, &format!("datanet_{id}_curators")),
            (per > 0).then(|| (per * n).to_string())
        );
        self.check();
        (res, per, rest)
    }

    /// `claim` by `who`: what it transferred (0 for `NothingToClaim`).
    fn claim(&mut self, who: &Addr, datanet_ids: Option<Vec<u64>>) -> u128 {
        let before = self.balance(who);
        match self.exec(who, &ExecuteMsg::Claim { datanet_ids }) {
            Ok(_) => self.balance(who) - before,
            Err(ContractError::NothingToClaim) => 0,
            Err(e) => panic!("claim failed: {e}"),
        }
    }

    fn curators(&self, id: u64) -> CuratorsResponse {
        self.q(&QueryMsg::Curators { datanet_id: id })
    }

    fn solvency(&self) -> SolvencyResponse {
        self.q(&QueryMsg::Solvency {})
    }

    /// Checks the pool against the ledger: its liabilities reconcile exactly to its token
    /// balance, each kind is what the ledger says, every datanet's curators are owed what the
    /// ledger says, and everybody holds what the pool paid them.
    fn check(&self) {
        let s = self.solvency();
        let l = &self.ledger;
        assert_eq!(s.balance, s.total_liabilities, "{s:?}");
        assert!(s.solvent);
        let sum = |it: &mut dyn Iterator<Item = u128>| it.sum::<u128>();
        assert_eq!(
            (
                s.liabilities.curator_earnings.u128(),
                s.liabilities.account_credits.u128(),
                s.liabilities.contributor_rewards.u128(),
                s.liabilities.influence_buckets.u128(),
                s.liabilities.treasury.u128(),
            ),
            (
                sum(&mut l.curators.values().copied()),
                sum(&mut l.credits.values().copied()),
                l.contributors,
                sum(&mut l.buckets.values().copied()),
                l.treasury,
            ),
            "{s:?}"
        );
        for (id, set) in &l.sets {
            let expected = CuratorsResponse {
                datanet_id: *id,
                known: true,
                earned_per_curator: Uint128::new(l.counters[id]),
                curators: set
                    .iter()
                    .map(|c| CuratorInfo {
                        address: c.clone(),
                        pending: Uint128::new(l.curators[&(c.clone(), *id)]),
                    })
                    .collect(),
            };
            assert_eq!(self.curators(*id), expected);
        }
        for (who, paid) in &l.paid {
            assert_eq!(self.balance(who), *paid, "{who}");
        }
    }
}

/// The value of attribute `key` of the pool's event in `res`.
fn attr(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

/// Every value of attribute `key` of the pool's event in `res`, in order.
fn attrs(res: &AppResponse, key: &str) -> Vec<String> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .filter(|a| a.key == key)
        .map(|a| a.value.clone())
        .collect()
}

fn curator_source(id: u64, earned: u128, pending: u128) -> SourceEarnings {
    SourceEarnings {
        source: EarningSource::Curator { datanet_id: id },
        earned: Uint128::new(earned),
        pending: Uint128::new(pending),
    }
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn one_two_and_three_curators_share_the_curators_cut_equally_and_claim_it() {
    let mut w = World::new(Some(1_000));
    let (alice, bob) = (w.addr("alice"), w.addr("bob"));
    let (c1, c2, c3) = (w.addr("curator1"), w.addr("curator2"), w.addr("curator3"));
    w.register(1, Kind::Unpublished);
    w.publish(1, &[(&alice, 1), (&bob, 3)], 1);
    assert_eq!(
        w.q::<ConfigResponse>(&QueryMsg::Config {}).curators_bps,
        1_000
    );

    // One curator: 10 % of 10 000.
    let res = w.set_curators(1, &[&c1]);
    assert_eq!(attrs(&res, "added"), vec![c1.to_string()]);
    assert_eq!(attr(&res, "curators"), Some("1".to_string()));
    assert_eq!(w.fee(1, 10_000).1, 1_000);
    // Two: 500 each.
    w.set_curators(1, &[&c1, &c2]);
    assert_eq!(w.fee(1, 10_000).1, 500);
    // Three: ⌊1 000 / 3⌋ = 333 each; the unit that does not divide stays with the contributors.
    w.set_curators(1, &[&c1, &c2, &c3]);
    let (_, per, rest) = w.fee(1, 10_000);
    assert_eq!((per, rest), (333, 9_001));

    assert_eq!(
        w.curators(1),
        CuratorsResponse {
            datanet_id: 1,
            known: true,
            earned_per_curator: Uint128::new(1_833),
            curators: vec![
                CuratorInfo {
                    address: c1.clone(),
                    pending: Uint128::new(1_833)
                },
                CuratorInfo {
                    address: c2.clone(),
                    pending: Uint128::new(833)
                },
                CuratorInfo {
                    address: c3.clone(),
                    pending: Uint128::new(333)
                },
            ],
        }
    );
    let pending: PendingRewardsResponse = w.q(&QueryMsg::PendingRewards {
        address: c1.to_string(),
        datanet_ids: None,
        start_after: None,
        limit: None,
    });
    assert_eq!(
        pending,
        PendingRewardsResponse {
            rewards: vec![PendingReward {
                datanet_id: 1,
                amount: Uint128::zero(),
                more_ranges: false,
                curator: Uint128::new(1_833),
            }],
            total: Uint128::zero(),
            curator_total: Uint128::new(1_833),
            credits: Uint128::zero(),
        }
    );

    // Each curator claims exactly its share; the contributors theirs, of 9 000 + 9 000 + 9 001.
    for (c, expected) in [(&c1, 1_833), (&c2, 833), (&c3, 333)] {
        let due = w.ledger.claim_as_curator(c, None);
        assert_eq!(due, expected);
        assert_eq!(w.claim(c, None), expected);
        w.check();
    }
    for (who, weight, expected) in [(&alice, 1, 6_750), (&bob, 3, 20_250)] {
        assert_eq!(27_001 * weight / 4, expected);
        assert_eq!(w.claim(who, None), expected);
        w.ledger.contributors -= expected;
        *w.ledger.paid.entry(who.clone()).or_default() += expected;
        w.check();
    }
    // The quarter and three quarters of a unit the contributors' positions keep.
    assert_eq!(w.solvency().liabilities.contributor_rewards.u128(), 1);

    // What c1 earned and claimed as curator of datanet 1.
    let e: EarningsResponse = w.q(&QueryMsg::Earnings {
        address: c1.to_string(),
        start_after_range: None,
        start_after_source: None,
        limit: None,
    });
    assert_eq!(e.sources, vec![curator_source(1, 1_833, 0)]);
    assert_eq!(
        (
            e.credits_earned.u128(),
            e.credits_claimed.u128(),
            e.credits_claimable.u128()
        ),
        (1_833, 1_833, 0)
    );
    assert_eq!(w.claim(&c1, None), 0);
}

#[test]
fn curator_shares_round_down_to_whole_units_whatever_the_datanet_does_with_the_rest() {
    let mut w = World::new(Some(1_500));
    let curators: Vec<Addr> = (1..=3).map(|i| w.addr(&format!("curator{i}"))).collect();
    let refs: Vec<&Addr> = curators.iter().collect();
    // An influence datanet (the rest fills its bucket) and a weight-mode one that has
    // published no version (the rest goes to the treasury).
    w.register(1, Kind::Influence);
    w.register(2, Kind::Unpublished);
    w.set_curators(1, &refs);
    w.set_curators(2, &refs);
    // (amount, per curator at 15 % over 3): 1 → ⌊0.15⌋ = 0; 7 → ⌊1.05⌋ = 1, ⌊1/3⌋ = 0;
    // 20 → 3, 1 each; 101 → ⌊15.15⌋ = 15, 5 each; 999 999 → ⌊149 999.85⌋ = 149 999,
    // ⌊49 999.67⌋ = 49 999 each; 1 000 003 → 150 000, 50 000 each.
    let cases = [
        (1, 0),
        (7, 0),
        (20, 1),
        (101, 5),
        (999_999, 49_999),
        (1_000_003, 50_000),
    ];
    let mut received = 0;
    for (amount, per) in cases {
        for id in [1, 2] {
            let (_, got, rest) = w.fee(id, amount);
            assert_eq!((got, rest), (per, amount - 3 * per), "{amount} to {id}");
        }
        received += amount - 3 * per;
    }
    let per_curator: u128 = cases.iter().map(|(_, p)| p).sum();
    assert_eq!(per_curator, 100_005);
    for c in &curators {
        assert_eq!(w.ledger.curators[&(c.clone(), 1)], per_curator);
        assert_eq!(w.ledger.curators[&(c.clone(), 2)], per_curator);
    }
    // The influence bucket received exactly the rests.
    let root: AttributionRootResponse = w.q(&QueryMsg::AttributionRoot { datanet_id: 1 });
    assert_eq!(
        (root.total_received.u128(), root.unallocated.u128()),
        (received, received)
    );
    assert_eq!(w.ledger.treasury, received);
    // A curator of both claims both in one transfer.
    let due = w.ledger.claim_as_curator(&curators[0], None);
    assert_eq!(due, 2 * per_curator);
    assert_eq!(w.claim(&curators[0], None), due);
    w.check();
}

#[test]
fn a_leaver_keeps_its_earnings_as_credit_and_a_joiner_earns_only_from_then_on() {
    let mut w = World::new(Some(2_000));
    let alice = w.addr("alice");
    let (c1, c2, c3) = (w.addr("curator1"), w.addr("curator2"), w.addr("curator3"));
    w.register(1, Kind::Unpublished);
    w.publish(1, &[(&alice, 1)], 1);
    w.set_curators(1, &[&c1, &c2]);
    assert_eq!(w.fee(1, 1_000).1, 100);

    // c1 leaves, c3 joins, c2 stays.
    let res = w.set_curators(1, &[&c2, &c3]);
    assert_eq!(attrs(&res, "removed"), vec![c1.to_string()]);
    assert_eq!(attrs(&res, "added"), vec![c3.to_string()]);
    assert_eq!(
        attr(&res, &format!("credited_{c1}")),
        Some("100".to_string())
    );
    assert_eq!(w.ledger.curators[&(c2.clone(), 1)], 100);
    assert_eq!(w.ledger.curators[&(c3.clone(), 1)], 0);
    assert_eq!(w.ledger.credits[&c1], 100);

    // Later income reaches c2 and c3, never c1.
    assert_eq!(w.fee(1, 1_000).1, 100);
    assert_eq!(
        (
            w.ledger.curators[&(c2.clone(), 1)],
            w.ledger.curators[&(c3.clone(), 1)],
            w.ledger.credits[&c1]
        ),
        (200, 100, 100)
    );
    let pending: PendingRewardsResponse = w.q(&QueryMsg::PendingRewards {
        address: c1.to_string(),
        datanet_ids: None,
        start_after: None,
        limit: None,
    });
    assert_eq!((pending.rewards, pending.credits.u128()), (vec![], 100));
    let e: EarningsResponse = w.q(&QueryMsg::Earnings {
        address: c1.to_string(),
        start_after_range: None,
        start_after_source: None,
        limit: None,
    });
    assert_eq!(e.sources, vec![curator_source(1, 100, 0)]);
    assert_eq!(e.credits_claimable.u128(), 100);

    // c1 comes back: it earns from now on, its credit stays as it was.
    w.set_curators(1, &[&c2, &c3, &c1]);
    assert_eq!(w.fee(1, 900).1, 60);
    let e: EarningsResponse = w.q(&QueryMsg::Earnings {
        address: c1.to_string(),
        start_after_range: None,
        start_after_source: None,
        limit: None,
    });
    assert_eq!(e.sources, vec![curator_source(1, 160, 60)]);
    let due = w.ledger.claim_as_curator(&c1, None);
    assert_eq!(due, 160);
    assert_eq!(w.claim(&c1, None), 160);
    w.check();

    // Everybody leaves: their earnings become credits and nothing more is taken.
    let res = w.set_curators(1, &[]);
    assert_eq!(
        attrs(&res, "removed"),
        vec![c2.to_string(), c3.to_string(), c1.to_string()]
    );
    assert_eq!(attr(&res, "curators"), Some("0".to_string()));
    assert_eq!(w.fee(1, 1_000).1, 0);
    assert_eq!((w.ledger.credits[&c2], w.ledger.credits[&c3]), (260, 160));
    for (c, expected) in [(&c2, 260), (&c3, 160)] {
        assert_eq!(w.ledger.claim_as_curator(c, None), expected);
        assert_eq!(w.claim(c, None), expected);
        w.check();
    }
}

#[test]
fn no_curators_or_a_zero_share_takes_nothing() {
    // A zero share: curators named, nothing taken, nobody asked.
    let mut w = World::new(None);
    let alice = w.addr("alice");
    let c1 = w.addr("curator1");
    assert_eq!(w.q::<ConfigResponse>(&QueryMsg::Config {}).curators_bps, 0);
    w.register(1, Kind::Unpublished);
    w.publish(1, &[(&alice, 1)], 1);
    w.set_curators(1, &[&c1]);
    let (res, per, rest) = w.fee(1, 1_000);
    assert_eq!((per, rest), (0, 1_000));
    assert_eq!(attr(&res, "datanet_1_curators"), None);
    assert_eq!(w.claim(&c1, None), 0);
    assert_eq!(w.claim(&alice, None), 1_000);
    w.ledger.contributors -= 1_000;
    w.ledger.paid.insert(alice.clone(), 1_000);
    w.check();

    // A share and no curators: nothing taken either, and the registry is not asked.
    let mut w = World::new(Some(MAX_CURATORS_BPS));
    let alice = w.addr("alice");
    let c1 = w.addr("curator1");
    w.register(1, Kind::Unpublished);
    w.publish(1, &[(&alice, 1)], 1);
    let asked = registry_queries();
    assert_eq!(w.fee(1, 1_000).1, 0);
    assert_eq!(registry_queries(), asked);
    // With a curator, 20 %; back to a zero share, nothing again.
    w.set_curators(1, &[&c1]);
    assert_eq!(w.fee(1, 1_000).1, 200);
    let owner = w.owner.clone();
    let res = w
        .exec(
            &owner,
            &ExecuteMsg::UpdateConfig {
                registry: None,
                unbonding_period: None,
                staking_reward_period: None,
                curators_bps: Some(0),
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "curators_bps"), Some("0".to_string()));
    w.ledger.bps = 0;
    assert_eq!(w.fee(1, 1_000).1, 0);
    assert_eq!(w.ledger.curators[&(c1.clone(), 1)], 200);
}

#[test]
fn the_curators_share_is_bounded_at_instantiate_and_in_update_config() {
    let mut w = World::new(Some(MAX_CURATORS_BPS));
    let owner = w.owner.clone();
    let pool_code = w.pool_code;
    let too_high = w
        .app
        .instantiate_contract(
            pool_code,
            owner.clone(),
            &InstantiateMsg {
                owner: None,
                token: w.token.to_string(),
                registry: None,
                unbonding_period: 0,
                curators_bps: Some(MAX_CURATORS_BPS + 1),
            },
            &[],
            "pool2",
            None,
        )
        .unwrap_err()
        .downcast::<ContractError>()
        .unwrap();
    assert_eq!(
        too_high,
        ContractError::InvalidCuratorsBps {
            bps: 2_001,
            max: 2_000
        }
    );
    let update = |bps| ExecuteMsg::UpdateConfig {
        registry: None,
        unbonding_period: None,
        staking_reward_period: None,
        curators_bps: Some(bps),
    };
    assert_eq!(
        w.exec(&owner, &update(u16::MAX)).unwrap_err(),
        ContractError::InvalidCuratorsBps {
            bps: u16::MAX,
            max: 2_000
        }
    );
    let stranger = w.addr("stranger");
    assert_eq!(
        w.exec(&stranger, &update(100)).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    assert_eq!(
        w.q::<ConfigResponse>(&QueryMsg::Config {}).curators_bps,
        2_000
    );
    w.exec(&owner, &update(1)).unwrap();
    assert_eq!(w.q::<ConfigResponse>(&QueryMsg::Config {}).curators_bps, 1);
    w.check();
}

#[test]
fn only_the_registry_sets_curators_and_bad_sets_are_refused() {
    let mut w = World::new(Some(1_000));
    let c1 = w.addr("curator1");
    w.register(1, Kind::Unpublished);
    w.set_curators(1, &[&c1]);
    for sender in [w.owner.clone(), c1.clone()] {
        assert_eq!(
            w.exec(&sender, &World::set_curators_msg(1, &[&sender]))
                .unwrap_err(),
            ContractError::NotRegistry {
                action: "set curators".to_string(),
                sender: sender.to_string(),
            }
        );
    }
    let many: Vec<Addr> = (0..17).map(|i| w.addr(&format!("c{i}"))).collect();
    let registry = w.registry.clone();
    let refs: Vec<&Addr> = many.iter().collect();
    assert_eq!(
        w.exec(&registry, &World::set_curators_msg(1, &refs))
            .unwrap_err(),
        ContractError::TooManyCurators { got: 17, max: 16 }
    );
    assert_eq!(
        w.exec(
            &registry,
            &World::set_curators_msg(1, &[&many[0], &c1, &many[0]])
        )
        .unwrap_err(),
        ContractError::DuplicateCurator {
            address: many[0].to_string()
        }
    );
    let invalid = "Not-An-Address";
    let reason = cosmwasm_std::Api::addr_validate(w.app.api(), invalid)
        .unwrap_err()
        .to_string();
    assert_eq!(
        w.exec(
            &registry,
            &ExecuteMsg::SetCurators {
                datanet_id: 1,
                curators: vec![c1.to_string(), invalid.to_string()],
            }
        )
        .unwrap_err(),
        ContractError::InvalidAddress {
            field: "curator".to_string(),
            address: invalid.to_string(),
            reason,
        }
    );
    assert_eq!(
        w.exec(&registry, &World::set_curators_msg(9, &[&c1]))
            .unwrap_err(),
        ContractError::UnknownDatanet { id: 9 }
    );
    // Nothing changed; sixteen curators, the most, are taken.
    w.check();
    w.set_curators(1, &refs[..16]);
    assert_eq!(w.fee(1, 16_000).1, 100);
}

#[test]
fn a_datanet_stored_before_curators_learns_its_set_from_the_registry_once() {
    let mut w = World::new(None);
    let alice = w.addr("alice");
    let (c1, c2, c3) = (w.addr("curator1"), w.addr("curator2"), w.addr("curator3"));
    w.register(1, Kind::Unpublished);
    w.publish(1, &[(&alice, 1)], 1);
    w.register(2, Kind::Influence);
    // The state 0.3.0 left: the config, the totals and the datanets' records without the
    // fields of curators.
    let config = format!(
        r#"{{"token":"{}","registry":"{}","unbonding_period":0,"staking_reward_period":604800}}"#,
        w.token, w.registry
    );
    let weight_datanet = r#"{"mode":"weight","total_weight":1,"reward_per_weight":"0","total_distributed":"0","total_claimed":"0","unallocated":"0","synced":true,"legacy_versions":0,"slots":1,"slots_sum":"0","legacy":false}"#;
    let influence_datanet = r#"{"mode":"influence","total_weight":0,"reward_per_weight":"0","total_distributed":"0","total_claimed":"0","unallocated":"0","synced":true,"legacy_versions":0,"slots":0,"slots_sum":"0","legacy":false}"#;
    let totals = r#"{"contributor_outstanding":"0","influence_outstanding":"0","dropped_scaled":"0","credits_outstanding":"0"}"#;
    {
        let mut storage = w.app.contract_storage_mut(&w.pool);
        storage.set(b"config", config.as_bytes());
        storage.set(b"totals", totals.as_bytes());
        storage.set(
            &reward_pool::state::DATANETS.key(1),
            weight_datanet.as_bytes(),
        );
        storage.set(
            &reward_pool::state::DATANETS.key(2),
            influence_datanet.as_bytes(),
        );
    }
    let owner = w.owner.clone();
    let (pool, code) = (w.pool.clone(), w.pool_code);
    w.app
        .migrate_contract(owner.clone(), pool, &MigrateMsg {}, code)
        .unwrap();
    // The migrated deployment keeps its figures: no share, sets unknown.
    assert_eq!(w.q::<ConfigResponse>(&QueryMsg::Config {}).curators_bps, 0);
    let unknown = |id| CuratorsResponse {
        datanet_id: id,
        known: false,
        earned_per_curator: Uint128::zero(),
        curators: vec![],
    };
    assert_eq!(w.curators(1), unknown(1));
    assert_eq!(w.curators(2), unknown(2));
    w.ledger.sets.clear();
    w.check();

    // With no share, a fee changes nothing and the registry is never asked.
    let registry = w.registry.clone();
    w.app
        .execute_contract(
            owner.clone(),
            registry.clone(),
            &RegistryMsg::SetDatanet {
                datanet_id: 1,
                curators: vec![c1.to_string(), c2.to_string()],
            },
            &[],
        )
        .unwrap();
    let asked = registry_queries();
    assert_eq!(w.fee(1, 1_000).1, 0);
    assert_eq!(registry_queries(), asked);
    assert_eq!(w.curators(1), unknown(1));

    // The owner turns the share on: the next fee learns datanet 1's set (one query) and pays it.
    w.exec(
        &owner,
        &ExecuteMsg::UpdateConfig {
            registry: None,
            unbonding_period: None,
            staking_reward_period: None,
            curators_bps: Some(1_000),
        },
    )
    .unwrap();
    w.ledger.bps = 1_000;
    w.ledger.sets.insert(1, vec![c1.clone(), c2.clone()]);
    w.ledger.curators.insert((c1.clone(), 1), 0);
    w.ledger.curators.insert((c2.clone(), 1), 0);
    let (res, per, _) = w.fee(1, 1_000);
    assert_eq!(per, 50);
    assert_eq!(registry_queries(), asked + 1);
    assert_eq!(attr(&res, "curators_learned_1"), Some("2".to_string()));
    assert!(w.curators(1).known);

    // It never asks again: the registry could not even answer now.
    w.app
        .execute_contract(
            owner.clone(),
            registry.clone(),
            &RegistryMsg::Forget { datanet_id: 1 },
            &[],
        )
        .unwrap();
    let (res, per, _) = w.fee(1, 1_000);
    assert_eq!(per, 50);
    assert_eq!(attr(&res, "curators_learned_1"), None);
    assert_eq!(registry_queries(), asked + 1);

    // The registry's set_curators settles datanet 2 without asking: c3 earns from then on.
    w.set_curators(2, &[&c3]);
    w.ledger.counters.insert(2, 0);
    assert_eq!(w.fee(2, 1_000).1, 100);
    assert_eq!(registry_queries(), asked + 1);
    for (c, expected) in [(&c1, 100), (&c2, 100), (&c3, 100)] {
        assert_eq!(w.ledger.claim_as_curator(c, None), expected);
        assert_eq!(w.claim(c, None), expected);
        w.check();
    }
}

#[test]
fn a_claim_settles_curator_positions_before_ranges_within_its_budget() {
    let mut w = World::new(Some(1_000));
    let alice = w.addr("alice");
    w.register(1, Kind::Unpublished);
    // Alice holds one range per version: her weight changes before each of 70 versions.
    for v in 1..=70u32 {
        w.publish(1, &[(&alice, u64::from(v))], v);
    }
    w.set_curators(1, &[&alice]);
    let (_, per, rest) = w.fee(1, 10_000);
    assert_eq!((per, rest), (1_000, 9_000));
    // One claim: her curator position first, then 63 of her 70 ranges (which hold nothing: the
    // fee was for version 70), so the claim's budget of 64 positions is spent.
    let before = w.balance(&alice);
    let res = w
        .exec(&alice, &ExecuteMsg::Claim { datanet_ids: None })
        .unwrap();
    assert_eq!(w.balance(&alice) - before, 1_000);
    assert_eq!(attr(&res, "curator_1"), Some("1000".to_string()));
    assert_eq!(
        attr(&res, "next_range"),
        Some(format!("1:{}", MAX_CLAIM_RANGES - 1))
    );
    assert_eq!(w.ledger.claim_as_curator(&alice, None), 1_000);
    w.check();
    // claim_ranges continues where the claim stopped and pays the range of version 70.
    let before = w.balance(&alice);
    w.exec(
        &alice,
        &ExecuteMsg::ClaimRanges {
            datanet_id: 1,
            start_after: Some(MAX_CLAIM_RANGES as u32 - 1),
            limit: None,
        },
    )
    .unwrap();
    // 9 000 over her weight of 70 in version 70: 70 · ⌊9 000 · 10^18 / 70⌋ is a hair under
    // 9 000 units, so she is paid 8 999 and the pool still owes the unit she is short of.
    assert_eq!(w.balance(&alice) - before, 8_999);
    w.ledger.contributors -= 8_999;
    *w.ledger.paid.get_mut(&alice).unwrap() += 8_999;
    w.check();
    assert_eq!(w.solvency().liabilities.contributor_rewards.u128(), 1);
}

#[test]
fn pending_rewards_and_earnings_page_through_curated_datanets() {
    let mut w = World::new(Some(1_000));
    let c1 = w.addr("curator1");
    let other = w.addr("curator2");
    for id in 1..=3 {
        w.register(id, Kind::Influence);
        w.set_curators(id, &[&c1, &other]);
        w.fee(id, 1_000 * u128::from(id));
    }
    // c1 leaves datanet 2 (its 100 become a credit) and earns a model owner's credit.
    w.set_curators(2, &[&other]);
    w.send(
        7,
        vec![Allocation::Account {
            address: c1.to_string(),
            amount: Uint128::new(7),
            source: EarningSource::ModelOwner { model_id: 5 },
        }],
    )
    .unwrap();
    *w.ledger.credits.get_mut(&c1).unwrap() += 7;
    w.check();

    let page = |w: &World, start_after, limit| -> PendingRewardsResponse {
        w.q(&QueryMsg::PendingRewards {
            address: c1.to_string(),
            datanet_ids: None,
            start_after,
            limit,
        })
    };
    let reward = |id, curator| PendingReward {
        datanet_id: id,
        amount: Uint128::zero(),
        more_ranges: false,
        curator: Uint128::new(curator),
    };
    let first = page(&w, None, Some(1));
    assert_eq!(first.rewards, vec![reward(1, 50)]);
    assert_eq!(first.credits.u128(), 107);
    let second = page(&w, Some(1), Some(1));
    assert_eq!(second.rewards, vec![reward(3, 150)]);
    assert_eq!(page(&w, Some(3), None).rewards, vec![]);
    let named: PendingRewardsResponse = w.q(&QueryMsg::PendingRewards {
        address: c1.to_string(),
        datanet_ids: Some(vec![3, 2, 1]),
        start_after: None,
        limit: None,
    });
    assert_eq!(
        (named.rewards, named.curator_total.u128()),
        (vec![reward(3, 150), reward(2, 0), reward(1, 50)], 200)
    );

    let sources = |w: &World, after: Option<EarningSource>| -> Vec<SourceEarnings> {
        w.q::<EarningsResponse>(&QueryMsg::Earnings {
            address: c1.to_string(),
            start_after_range: None,
            start_after_source: after,
            limit: Some(2),
        })
        .sources
    };
    let model = SourceEarnings {
        source: EarningSource::ModelOwner { model_id: 5 },
        earned: Uint128::new(7),
        pending: Uint128::zero(),
    };
    assert_eq!(
        sources(&w, None),
        vec![model.clone(), curator_source(1, 50, 50)]
    );
    assert_eq!(
        sources(&w, Some(EarningSource::Curator { datanet_id: 1 })),
        vec![curator_source(2, 100, 0), curator_source(3, 150, 150)]
    );
    assert_eq!(
        sources(&w, Some(EarningSource::Curator { datanet_id: 3 })),
        vec![]
    );

    // A claim naming datanet 3 settles that position only, and pays every credit.
    assert_eq!(w.claim(&c1, Some(vec![3])), 150 + 107);
    w.ledger.claim_as_curator(&c1, Some(&[3]));
    w.check();
    assert_eq!(
        sources(&w, Some(EarningSource::Curator { datanet_id: 1 })),
        vec![curator_source(2, 100, 0), curator_source(3, 150, 0)]
    );
    assert_eq!(w.claim(&c1, None), 50);
    w.ledger.claim_as_curator(&c1, None);
    w.check();
}
