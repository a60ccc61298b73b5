use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi, MockQuerier};
use cosmwasm_std::{
    coins, from_json, to_json_binary, Addr, CosmosMsg, Env, MemoryStorage, OwnedDeps, Storage,
    Uint128, Uint256, WasmMsg,
};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use cw_utils::PaymentError;
use openledger_common::msg::reward_pool::{
    Allocation, AttributionMode, ConfigResponse, DatanetPoolResponse, ExecuteMsg, InstantiateMsg,
    MigrateMsg, PositionResponse, QueryMsg, ReceiveMsg, SolvencyResponse, StakerResponse,
    StakingPoolResponse, UnbondingEntry, WeightUpdate, MAX_STAKING_REWARD_PERIOD,
    MAX_UNBONDING_PERIOD, MIN_STAKING_REWARD_PERIOD,
};
use openledger_common::HookError;

use crate::contract::{execute, instantiate, query};
use crate::ContractError;

type Deps = OwnedDeps<MemoryStorage, MockApi, MockQuerier>;

struct Actors {
    owner: Addr,
    token: Addr,
    registry: Addr,
    alice: Addr,
    bob: Addr,
}

const UNBONDING: u64 = 100;

fn setup() -> (Deps, Actors) {
    let mut deps = mock_dependencies();
    let api = deps.api;
    let a = Actors {
        owner: api.addr_make("owner"),
        token: api.addr_make("open"),
        registry: api.addr_make("registry"),
        alice: api.addr_make("alice"),
        bob: api.addr_make("bob"),
    };
    instantiate_pool(&mut deps, &a.owner, &a.token, Some(&a.registry), UNBONDING).unwrap();
    (deps, a)
}

/// Instantiates a pool owned by `owner` (the sender) paying in `token`, with `registry` (if
/// any) and `unbonding_period`.
pub(crate) fn instantiate_pool(
    deps: &mut Deps,
    owner: &Addr,
    token: &Addr,
    registry: Option<&Addr>,
    unbonding_period: u64,
) -> Result<cosmwasm_std::Response, ContractError> {
    instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(owner, &[]),
        InstantiateMsg {
            owner: None,
            token: token.to_string(),
            registry: registry.map(Addr::to_string),
            unbonding_period,
            curators_bps: None,
        },
    )
}

fn exec(
    deps: &mut Deps,
    env: Env,
    sender: &Addr,
    msg: ExecuteMsg,
) -> Result<cosmwasm_std::Response, ContractError> {
    execute(deps.as_mut(), env, message_info(sender, &[]), msg)
}

/// `exec` at `mock_env()`.
fn call(
    deps: &mut Deps,
    sender: &Addr,
    msg: ExecuteMsg,
) -> Result<cosmwasm_std::Response, ContractError> {
    exec(deps, mock_env(), sender, msg)
}

fn hook(
    deps: &mut Deps,
    a: &Actors,
    from: &Addr,
    amount: u128,
    msg: &ReceiveMsg,
) -> Result<cosmwasm_std::Response, ContractError> {
    hook_at(deps, a, 0, from, amount, msg)
}

fn register_msg(datanet_id: u64, mode: AttributionMode) -> ExecuteMsg {
    ExecuteMsg::RegisterDatanet { datanet_id, mode }
}

fn weights_msg(datanet_id: u64, updates: Vec<WeightUpdate>) -> ExecuteMsg {
    ExecuteMsg::UpdateWeights {
        datanet_id,
        updates,
    }
}

fn register(deps: &mut Deps, a: &Actors, id: u64, mode: AttributionMode) {
    call(deps, &a.registry, register_msg(id, mode)).unwrap();
}

/// `claim_staking_rewards` by `who` at `at(secs)`.
fn claim_staking_at(
    deps: &mut Deps,
    secs: u64,
    who: &Addr,
) -> Result<cosmwasm_std::Response, ContractError> {
    exec(deps, at(secs), who, ExecuteMsg::ClaimStakingRewards {})
}

fn weights(deps: &mut Deps, a: &Actors, id: u64, w: &[(&Addr, u64)]) {
    let updates = w
        .iter()
        .map(|(addr, weight)| WeightUpdate {
            address: addr.to_string(),
            weight: *weight,
        })
        .collect();
    call(deps, &a.registry, weights_msg(id, updates)).unwrap();
    publish(deps, a, id);
}

/// The registry publishes the datanet's next version with the weights the pool holds: fees
/// without a version reach exactly that set.
fn publish(deps: &mut Deps, a: &Actors, id: u64) {
    let p = pool(deps, id);
    call(
        deps,
        &a.registry,
        ExecuteMsg::PublishVersion {
            datanet_id: id,
            version: p.versions + 1,
            total_weight: p.total_weight,
        },
    )
    .unwrap();
}

fn datanet_alloc(id: u64, amount: u128) -> Allocation {
    Allocation::Datanet {
        id,
        amount: Uint128::new(amount),
        version: None,
    }
}

fn treasury_alloc(amount: u128) -> Allocation {
    Allocation::Treasury {
        amount: Uint128::new(amount),
    }
}

fn stakers_alloc(amount: u128) -> Allocation {
    Allocation::Stakers {
        amount: Uint128::new(amount),
    }
}

fn position(deps: &Deps, id: u64, addr: &Addr) -> PositionResponse {
    from_json(
        query(
            deps.as_ref(),
            mock_env(),
            QueryMsg::Position {
                datanet_id: id,
                address: addr.to_string(),
            },
        )
        .unwrap(),
    )
    .unwrap()
}

fn pool(deps: &Deps, id: u64) -> DatanetPoolResponse {
    from_json(
        query(
            deps.as_ref(),
            mock_env(),
            QueryMsg::DatanetPool { datanet_id: id },
        )
        .unwrap(),
    )
    .unwrap()
}

/// A `distribute` hook of `amount` over `allocations`, sent by the owner.
fn distribute(
    deps: &mut Deps,
    a: &Actors,
    amount: u128,
    allocations: Vec<Allocation>,
) -> Result<cosmwasm_std::Response, ContractError> {
    hook(
        deps,
        a,
        &a.owner,
        amount,
        &ReceiveMsg::Distribute { allocations },
    )
}

/// The single cw20 transfer a response carries: (recipient, amount).
fn transfer_of(res: &cosmwasm_std::Response) -> (String, u128) {
    assert_eq!(res.messages.len(), 1);
    match &res.messages[0].msg {
        CosmosMsg::Wasm(WasmMsg::Execute { msg, .. }) => match from_json(msg).unwrap() {
            Cw20ExecuteMsg::Transfer { recipient, amount } => (recipient, amount.u128()),
            other => panic!("unexpected cw20 message {other:?}"),
        },
        other => panic!("unexpected message {other:?}"),
    }
}

fn treasury(deps: &Deps) -> u128 {
    crate::state::TREASURY.load(&deps.storage).unwrap().u128()
}

/// The default staking reward period.
const PERIOD: u64 = openledger_common::msg::reward_pool::DEFAULT_STAKING_REWARD_PERIOD;

/// `mock_env()` `secs` seconds later.
fn at(secs: u64) -> Env {
    let mut env = mock_env();
    env.block.time = env.block.time.plus_seconds(secs);
    env
}

/// `hook` at `at(secs)`.
fn hook_at(
    deps: &mut Deps,
    a: &Actors,
    secs: u64,
    from: &Addr,
    amount: u128,
    msg: &ReceiveMsg,
) -> Result<cosmwasm_std::Response, ContractError> {
    exec(
        deps,
        at(secs),
        &a.token,
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: from.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(msg).unwrap(),
        }),
    )
}

#[test]
fn distribute_credits_by_weight_and_newcomer_earns_nothing_retroactively() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    weights(&mut deps, &a, 1, &[(&a.alice, 300)]);
    distribute(&mut deps, &a, 900, vec![datanet_alloc(1, 900)]).unwrap();
    // Bob joins after the first distribution.
    weights(&mut deps, &a, 1, &[(&a.bob, 600)]);
    assert_eq!(position(&deps, 1, &a.bob).claimable, Uint128::zero());
    distribute(&mut deps, &a, 900, vec![datanet_alloc(1, 900)]).unwrap();
    assert_eq!(
        position(&deps, 1, &a.alice).claimable,
        Uint128::new(900 + 300)
    );
    assert_eq!(position(&deps, 1, &a.bob).claimable, Uint128::new(600));

    let res = call(&mut deps, &a.alice, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 1_200));
    assert_eq!(
        call(&mut deps, &a.alice, ExecuteMsg::Claim { datanet_ids: None }).unwrap_err(),
        ContractError::NothingToClaim
    );
    let p = pool(&deps, 1);
    assert_eq!(
        (
            p.total_distributed.u128(),
            p.total_claimed.u128(),
            p.total_weight
        ),
        (1_800, 1_200, 900)
    );
}

#[test]
fn weight_removal_keeps_earned_rewards() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    weights(&mut deps, &a, 1, &[(&a.alice, 1), (&a.bob, 1)]);
    distribute(&mut deps, &a, 100, vec![datanet_alloc(1, 100)]).unwrap();
    weights(&mut deps, &a, 1, &[(&a.alice, 0)]);
    distribute(&mut deps, &a, 100, vec![datanet_alloc(1, 100)]).unwrap();
    assert_eq!(position(&deps, 1, &a.alice).claimable, Uint128::new(50));
    assert_eq!(position(&deps, 1, &a.bob).claimable, Uint128::new(150));
}

#[test]
fn zero_weight_datanet_and_empty_staking_send_to_treasury() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    distribute(
        &mut deps,
        &a,
        60,
        vec![datanet_alloc(1, 10), stakers_alloc(20), treasury_alloc(30)],
    )
    .unwrap();
    assert_eq!(treasury(&deps), 60);
}

#[test]
fn influence_datanet_accrues_to_bucket() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 7, AttributionMode::Influence);
    distribute(&mut deps, &a, 40, vec![datanet_alloc(7, 40)]).unwrap();
    assert_eq!(pool(&deps, 7).unallocated, Uint128::new(40));
    let err = call(
        &mut deps,
        &a.registry,
        ExecuteMsg::UpdateWeights {
            datanet_id: 7,
            updates: vec![WeightUpdate {
                address: a.alice.to_string(),
                weight: 10,
            }],
        },
    )
    .unwrap_err();
    assert_eq!(err, ContractError::NotWeightMode { id: 7 });
}

#[test]
fn distribute_rejects_bad_allocations_with_specific_errors() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    let d = |allocations| ReceiveMsg::Distribute { allocations };
    assert_eq!(
        hook(&mut deps, &a, &a.owner, 100, &d(vec![datanet_alloc(1, 99)])).unwrap_err(),
        ContractError::AllocationSumMismatch {
            sent: Uint128::new(100),
            allocated: Uint128::new(99)
        }
    );
    assert_eq!(
        hook(
            &mut deps,
            &a,
            &a.owner,
            100,
            &d(vec![datanet_alloc(1, 101)])
        )
        .unwrap_err(),
        ContractError::AllocationSumMismatch {
            sent: Uint128::new(100),
            allocated: Uint128::new(101)
        }
    );
    assert_eq!(
        hook(&mut deps, &a, &a.owner, 100, &d(vec![])).unwrap_err(),
        ContractError::AllocationCount { got: 0, max: 32 }
    );
    let many: Vec<_> = (0..33)
        .map(|_| Allocation::Treasury {
            amount: Uint128::one(),
        })
        .collect();
    assert_eq!(
        hook(&mut deps, &a, &a.owner, 33, &d(many)).unwrap_err(),
        ContractError::AllocationCount { got: 33, max: 32 }
    );
    assert_eq!(
        hook(
            &mut deps,
            &a,
            &a.owner,
            5,
            &d(vec![
                datanet_alloc(1, 5),
                Allocation::Treasury {
                    amount: Uint128::zero()
                }
            ])
        )
        .unwrap_err(),
        ContractError::ZeroAllocation { index: 1 }
    );
    assert_eq!(
        hook(&mut deps, &a, &a.owner, 5, &d(vec![datanet_alloc(9, 5)])).unwrap_err(),
        ContractError::UnknownDatanet { id: 9 }
    );
    assert_eq!(treasury(&deps), 0);
}

#[test]
fn receive_refuses_other_tokens_unknown_hooks_and_native_coins() {
    let (mut deps, a) = setup();
    let wrapper = Cw20ReceiveMsg {
        sender: a.alice.to_string(),
        amount: Uint128::new(10),
        msg: to_json_binary(&ReceiveMsg::Stake {}).unwrap(),
    };
    let fake = deps.api.addr_make("fake-token");
    assert_eq!(
        call(&mut deps, &fake, ExecuteMsg::Receive(wrapper.clone())).unwrap_err(),
        ContractError::Hook(HookError::UnexpectedToken {
            expected: a.token.to_string(),
            received: fake.to_string()
        })
    );
    // A wallet calling the hook directly is refused the same way.
    assert!(matches!(
        call(&mut deps, &a.alice, ExecuteMsg::Receive(wrapper.clone())).unwrap_err(),
        ContractError::Hook(HookError::UnexpectedToken { .. })
    ));
    let unknown = Cw20ReceiveMsg {
        msg: cosmwasm_std::Binary::from(br#"{"buy":{}}"#.to_vec()),
        ..wrapper.clone()
    };
    assert!(matches!(
        call(&mut deps, &a.token, ExecuteMsg::Receive(unknown)).unwrap_err(),
        ContractError::Hook(HookError::InvalidHook { .. })
    ));
    let err = execute(
        deps.as_mut(),
        mock_env(),
        message_info(&a.alice, &coins(5, "inj")),
        ExecuteMsg::Claim { datanet_ids: None },
    )
    .unwrap_err();
    assert_eq!(err, ContractError::Payment(PaymentError::NonPayable {}));
}

#[test]
fn only_registry_registers_and_updates_weights() {
    let (mut deps, a) = setup();
    assert_eq!(
        call(
            &mut deps,
            &a.alice,
            register_msg(1, AttributionMode::Weight)
        )
        .unwrap_err(),
        ContractError::NotRegistry {
            action: "register datanets".into(),
            sender: a.alice.to_string()
        }
    );
    register(&mut deps, &a, 1, AttributionMode::Weight);
    assert_eq!(
        call(
            &mut deps,
            &a.registry,
            register_msg(1, AttributionMode::Weight)
        )
        .unwrap_err(),
        ContractError::DatanetExists { id: 1 }
    );
    let upd = |w: &[(&Addr, u64)]| ExecuteMsg::UpdateWeights {
        datanet_id: 1,
        updates: w
            .iter()
            .map(|(a, w)| WeightUpdate {
                address: a.to_string(),
                weight: *w,
            })
            .collect(),
    };
    assert_eq!(
        call(&mut deps, &a.owner, upd(&[(&a.alice, 5)])).unwrap_err(),
        ContractError::NotRegistry {
            action: "update weights".into(),
            sender: a.owner.to_string()
        }
    );
    assert_eq!(
        call(&mut deps, &a.registry, upd(&[(&a.alice, 5), (&a.alice, 6)])).unwrap_err(),
        ContractError::DuplicateAddress {
            address: a.alice.to_string()
        }
    );
    let fifty_one: Vec<WeightUpdate> = (0..51)
        .map(|i| WeightUpdate {
            address: deps.api.addr_make(&format!("c{i}")).to_string(),
            weight: 1,
        })
        .collect();
    assert_eq!(
        call(&mut deps, &a.registry, weights_msg(1, fifty_one)).unwrap_err(),
        ContractError::TooManyUpdates { got: 51, max: 50 }
    );
    // Upper-case and foreign-prefix addresses are refused by validation.
    let upper = a.alice.to_string().to_uppercase();
    let foreign = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du".to_string();
    for bad in [upper, foreign] {
        let err = call(
            &mut deps,
            &a.registry,
            ExecuteMsg::UpdateWeights {
                datanet_id: 1,
                updates: vec![WeightUpdate {
                    address: bad.clone(),
                    weight: 1,
                }],
            },
        )
        .unwrap_err();
        assert!(
            matches!(err, ContractError::InvalidAddress { ref field, ref address, .. } if field == "contributor" && *address == bad),
            "{err:?}"
        );
    }
    assert_eq!(pool(&deps, 1).total_weight, 0);
}

#[test]
fn claim_limits_and_duplicates() {
    let (mut deps, a) = setup();
    let ids: Vec<u64> = (1..=31).collect();
    assert_eq!(
        call(
            &mut deps,
            &a.alice,
            ExecuteMsg::Claim {
                datanet_ids: Some(ids)
            }
        )
        .unwrap_err(),
        ContractError::TooManyDatanets { got: 31, max: 30 }
    );
    assert_eq!(
        call(
            &mut deps,
            &a.alice,
            ExecuteMsg::Claim {
                datanet_ids: Some(vec![2, 2])
            }
        )
        .unwrap_err(),
        ContractError::DuplicateDatanet { id: 2 }
    );
}

#[test]
fn staking_rewards_unbonding_and_timing() {
    let (mut deps, a) = setup();
    hook(&mut deps, &a, &a.alice, 100, &ReceiveMsg::Stake {}).unwrap();
    hook(&mut deps, &a, &a.bob, 300, &ReceiveMsg::Stake {}).unwrap();
    distribute(&mut deps, &a, 40, vec![stakers_alloc(40)]).unwrap();
    // The 40 stream over the staking reward period: nothing is released yet.
    assert_eq!(
        call(&mut deps, &a.alice, ExecuteMsg::ClaimStakingRewards {},).unwrap_err(),
        ContractError::NothingToClaim
    );
    let res = claim_staking_at(&mut deps, PERIOD, &a.alice).unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 10));

    assert_eq!(
        call(
            &mut deps,
            &a.alice,
            ExecuteMsg::Unstake {
                amount: Uint128::new(101)
            }
        )
        .unwrap_err(),
        ContractError::InsufficientStake {
            staked: Uint128::new(100),
            requested: Uint128::new(101)
        }
    );
    let env = at(PERIOD);
    let t0 = env.block.time.seconds();
    exec(
        &mut deps,
        env.clone(),
        &a.alice,
        ExecuteMsg::Unstake {
            amount: Uint128::new(60),
        },
    )
    .unwrap();
    // Unstaked tokens stop earning at once.
    hook_at(
        &mut deps,
        &a,
        PERIOD,
        &a.owner,
        34,
        &ReceiveMsg::Distribute {
            allocations: vec![stakers_alloc(34)],
        },
    )
    .unwrap();
    let s: StakerResponse = from_json(
        query(
            deps.as_ref(),
            at(2 * PERIOD),
            QueryMsg::Staker {
                address: a.alice.to_string(),
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(s.staked, Uint128::new(40));
    assert_eq!(s.claimable_rewards, Uint128::new(4));
    assert_eq!(
        s.unbonding,
        vec![UnbondingEntry {
            amount: Uint128::new(60),
            release_at: t0 + UNBONDING
        }]
    );

    // t - 1: not yet; t: released (the bound is inclusive).
    let early = at(PERIOD + UNBONDING - 1);
    assert_eq!(
        exec(&mut deps, early, &a.alice, ExecuteMsg::WithdrawUnbonded {}).unwrap_err(),
        ContractError::NothingUnbonded {
            next_release: Some(t0 + UNBONDING)
        }
    );
    let on_time = at(PERIOD + UNBONDING);
    let res = exec(
        &mut deps,
        on_time.clone(),
        &a.alice,
        ExecuteMsg::WithdrawUnbonded {},
    )
    .unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 60));
    assert_eq!(
        exec(
            &mut deps,
            on_time,
            &a.alice,
            ExecuteMsg::WithdrawUnbonded {}
        )
        .unwrap_err(),
        ContractError::NothingUnbonded { next_release: None }
    );
}

#[test]
fn unbonding_entries_are_capped() {
    let (mut deps, a) = setup();
    hook(&mut deps, &a, &a.alice, 100, &ReceiveMsg::Stake {}).unwrap();
    for _ in 0..16 {
        call(
            &mut deps,
            &a.alice,
            ExecuteMsg::Unstake {
                amount: Uint128::one(),
            },
        )
        .unwrap();
    }
    assert_eq!(
        call(
            &mut deps,
            &a.alice,
            ExecuteMsg::Unstake {
                amount: Uint128::one()
            }
        )
        .unwrap_err(),
        ContractError::TooManyUnbonding { max: 16 }
    );
}

#[test]
fn treasury_withdrawal_is_owner_only_and_bounded() {
    let (mut deps, a) = setup();
    distribute(&mut deps, &a, 50, vec![treasury_alloc(50)]).unwrap();
    let w = |amount| ExecuteMsg::WithdrawTreasury {
        amount: Uint128::new(amount),
        recipient: None,
    };
    assert_eq!(
        call(&mut deps, &a.alice, w(1)).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    assert_eq!(
        call(&mut deps, &a.owner, w(51)).unwrap_err(),
        ContractError::InsufficientTreasury {
            available: Uint128::new(50),
            requested: Uint128::new(51)
        }
    );
    let res = call(&mut deps, &a.owner, w(50)).unwrap();
    assert_eq!(transfer_of(&res), (a.owner.to_string(), 50));
    assert_eq!(treasury(&deps), 0);
}

#[test]
fn empty_weight_updates_and_empty_config_updates_are_refused() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    assert_eq!(
        call(&mut deps, &a.registry, weights_msg(1, vec![])).unwrap_err(),
        ContractError::EmptyUpdates
    );
    assert_eq!(
        call(
            &mut deps,
            &a.owner,
            ExecuteMsg::UpdateConfig {
                registry: None,
                unbonding_period: None,
                staking_reward_period: None,
                curators_bps: None,
            }
        )
        .unwrap_err(),
        ContractError::NothingToUpdate
    );
}

#[test]
fn a_zero_weight_closes_the_range_which_keeps_earning_from_its_versions() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    register(&mut deps, &a, 2, AttributionMode::Weight);
    // Version 1 of datanet 1: alice 1, bob 2. Version 1 of datanet 2: alice 5.
    weights(&mut deps, &a, 1, &[(&a.alice, 1), (&a.bob, 2)]);
    weights(&mut deps, &a, 2, &[(&a.alice, 5)]);
    // 100 for version 1 over weights 1 + 2: alice is owed 33.33…, bob 66.66….
    distribute(&mut deps, &a, 100, vec![datanet_alloc(1, 100)]).unwrap();
    // Alice's weight goes to zero in version 2: her range of version 1 closes and stays.
    weights(&mut deps, &a, 1, &[(&a.alice, 0)]);
    let ranges = |deps: &Deps, id: u64| -> Vec<(u32, Option<u32>, u64)> {
        crate::versions::RANGES
            .prefix((&a.alice, id))
            .range(&deps.storage, None, None, cosmwasm_std::Order::Ascending)
            .map(|r| r.map(|(from, r)| (from, r.to, r.weight)))
            .collect::<cosmwasm_std::StdResult<_>>()
            .unwrap()
    };
    assert_eq!(ranges(&deps, 1), vec![(1, Some(2), 1)]);
    let res = call(&mut deps, &a.alice, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 33));
    // A later fee for version 1 still reaches her: ⅓ of 3 plus the third of a unit she kept.
    distribute(&mut deps, &a, 3, vec![datanet_version_alloc(1, 3, 1)]).unwrap();
    let res = call(&mut deps, &a.alice, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 1));
    // A fee for version 2 (the latest) reaches bob only.
    distribute(&mut deps, &a, 6, vec![datanet_alloc(1, 6)]).unwrap();
    assert_eq!(
        call(&mut deps, &a.alice, ExecuteMsg::Claim { datanet_ids: None }).unwrap_err(),
        ContractError::NothingToClaim
    );
    let res = call(&mut deps, &a.bob, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
    assert_eq!(transfer_of(&res), (a.bob.to_string(), 66 + 2 + 6));
    // In datanet 2, a weight set and unset before the next version is published leaves no
    // range: only the closed range of version 1 stays.
    for w in [0, 3, 0] {
        let update = vec![WeightUpdate {
            address: a.alice.to_string(),
            weight: w,
        }];
        call(&mut deps, &a.registry, weights_msg(2, update)).unwrap();
    }
    assert_eq!(ranges(&deps, 2), vec![(1, Some(2), 5)]);
    assert_eq!(pool(&deps, 2).total_weight, 0);
}

fn datanet_version_alloc(id: u64, amount: u128, version: u32) -> Allocation {
    Allocation::Datanet {
        id,
        amount: Uint128::new(amount),
        version: Some(version),
    }
}

#[test]
fn registry_calls_are_refused_while_no_registry_is_set() {
    let mut deps = mock_dependencies();
    let owner = deps.api.addr_make("owner");
    let token = deps.api.addr_make("open");
    instantiate_pool(&mut deps, &owner, &token, None, UNBONDING).unwrap();
    assert_eq!(
        call(&mut deps, &owner, register_msg(1, AttributionMode::Weight),).unwrap_err(),
        ContractError::RegistryNotSet
    );
    assert!(!crate::state::DATANETS.has(&deps.storage, 1));
}

#[test]
fn claim_skips_listed_datanets_without_a_position_and_refuses_unknown_ones() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    register(&mut deps, &a, 2, AttributionMode::Weight);
    weights(&mut deps, &a, 1, &[(&a.alice, 1)]);
    weights(&mut deps, &a, 2, &[(&a.bob, 1)]);
    distribute(
        &mut deps,
        &a,
        30,
        vec![datanet_alloc(1, 10), datanet_alloc(2, 20)],
    )
    .unwrap();
    assert_eq!(
        call(
            &mut deps,
            &a.alice,
            ExecuteMsg::Claim {
                datanet_ids: Some(vec![7, 1]),
            },
        )
        .unwrap_err(),
        ContractError::UnknownDatanet { id: 7 }
    );
    // Datanet 2 is listed but alice holds nothing there: only datanet 1 pays.
    let res = call(
        &mut deps,
        &a.alice,
        ExecuteMsg::Claim {
            datanet_ids: Some(vec![2, 1]),
        },
    )
    .unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 10));
    assert_eq!(pool(&deps, 1).total_claimed, Uint128::new(10));
    assert_eq!(pool(&deps, 2).total_claimed, Uint128::zero());
    let totals = crate::state::TOTALS.load(&deps.storage).unwrap();
    assert_eq!(totals.contributor_outstanding, Uint128::new(20));
    // Bob's 20 in datanet 2 are untouched by alice's claim.
    let res = call(&mut deps, &a.bob, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
    assert_eq!(transfer_of(&res), (a.bob.to_string(), 20));
    let totals = crate::state::TOTALS.load(&deps.storage).unwrap();
    assert_eq!(totals.contributor_outstanding, Uint128::zero());
}

#[test]
fn zero_unstake_and_empty_staking_claims_are_refused() {
    let (mut deps, a) = setup();
    assert_eq!(
        call(
            &mut deps,
            &a.alice,
            ExecuteMsg::Unstake {
                amount: Uint128::zero()
            }
        )
        .unwrap_err(),
        ContractError::ZeroAmount
    );
    // Never staked: nothing to claim.
    assert_eq!(
        call(&mut deps, &a.alice, ExecuteMsg::ClaimStakingRewards {}).unwrap_err(),
        ContractError::NothingToClaim
    );
    // Staked but nothing distributed since: still nothing, and the stake is untouched.
    hook(&mut deps, &a, &a.alice, 10, &ReceiveMsg::Stake {}).unwrap();
    assert_eq!(
        call(&mut deps, &a.alice, ExecuteMsg::ClaimStakingRewards {}).unwrap_err(),
        ContractError::NothingToClaim
    );
    let staker = crate::state::STAKERS.load(&deps.storage, &a.alice).unwrap();
    assert_eq!(staker.weight, Uint128::new(10));
    assert_eq!(staker.claimed, Uint128::zero());
}

#[test]
fn withdraw_unbonded_pays_matured_entries_and_keeps_the_waiting_ones() {
    let (mut deps, a) = setup();
    hook(&mut deps, &a, &a.alice, 100, &ReceiveMsg::Stake {}).unwrap();
    let t0 = mock_env().block.time.seconds();
    let unstake = |amount| ExecuteMsg::Unstake {
        amount: Uint128::new(amount),
    };
    exec(&mut deps, at(0), &a.alice, unstake(30)).unwrap();
    exec(&mut deps, at(10), &a.alice, unstake(20)).unwrap();
    exec(&mut deps, at(50), &a.alice, unstake(5)).unwrap();
    // At t0 + UNBONDING + 10 the first two have matured, the third has not.
    let res = exec(
        &mut deps,
        at(UNBONDING + 10),
        &a.alice,
        ExecuteMsg::WithdrawUnbonded {},
    )
    .unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 50));
    assert_eq!(
        crate::state::UNBONDING
            .load(&deps.storage, &a.alice)
            .unwrap(),
        vec![UnbondingEntry {
            amount: Uint128::new(5),
            release_at: t0 + 50 + UNBONDING
        }]
    );
    let staking = crate::state::STAKING.load(&deps.storage).unwrap();
    assert_eq!(staking.total_unbonding, Uint128::new(5));
    assert_eq!(staking.total_staked, Uint128::new(45));
    assert_eq!(
        exec(
            &mut deps,
            at(UNBONDING + 49),
            &a.alice,
            ExecuteMsg::WithdrawUnbonded {}
        )
        .unwrap_err(),
        ContractError::NothingUnbonded {
            next_release: Some(t0 + 50 + UNBONDING)
        }
    );
    let res = exec(
        &mut deps,
        at(UNBONDING + 50),
        &a.alice,
        ExecuteMsg::WithdrawUnbonded {},
    )
    .unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 5));
    assert!(!crate::state::UNBONDING.has(&deps.storage, &a.alice));
    let staking = crate::state::STAKING.load(&deps.storage).unwrap();
    assert_eq!(staking.total_unbonding, Uint128::zero());
}

#[test]
fn treasury_cannot_be_withdrawn_as_zero_or_to_the_pool_the_token_or_the_registry() {
    let (mut deps, a) = setup();
    distribute(&mut deps, &a, 50, vec![treasury_alloc(50)]).unwrap();
    let w = |amount, recipient: Option<&Addr>| ExecuteMsg::WithdrawTreasury {
        amount: Uint128::new(amount),
        recipient: recipient.map(|r| r.to_string()),
    };
    assert_eq!(
        call(&mut deps, &a.owner, w(0, None)).unwrap_err(),
        ContractError::ZeroAmount
    );
    let pool_addr = mock_env().contract.address;
    let refused = |address: &Addr, reason: &str| ContractError::InvalidAddress {
        field: "recipient".to_string(),
        address: address.to_string(),
        reason: reason.to_string(),
    };
    assert_eq!(
        call(&mut deps, &a.owner, w(10, Some(&pool_addr))).unwrap_err(),
        refused(&pool_addr, "the reward pool itself cannot be the recipient")
    );
    assert_eq!(
        call(&mut deps, &a.owner, w(10, Some(&a.token))).unwrap_err(),
        refused(&a.token, "the fee token contract cannot be the recipient")
    );
    assert_eq!(
        call(&mut deps, &a.owner, w(10, Some(&a.registry))).unwrap_err(),
        refused(&a.registry, "the datanet registry cannot be the recipient")
    );
    assert_eq!(treasury(&deps), 50);
    // Any other address may receive it.
    let res = call(&mut deps, &a.owner, w(20, Some(&a.bob))).unwrap();
    assert_eq!(transfer_of(&res), (a.bob.to_string(), 20));
    assert_eq!(treasury(&deps), 30);
}

#[test]
fn registry_cannot_be_set_to_the_pool_or_the_token_and_config_updates_apply() {
    let (mut deps, a) = setup();
    let pool_addr = mock_env().contract.address;
    let set_registry = |r: &Addr| ExecuteMsg::UpdateConfig {
        registry: Some(r.to_string()),
        unbonding_period: None,
        staking_reward_period: None,
        curators_bps: None,
    };
    assert_eq!(
        call(&mut deps, &a.owner, set_registry(&pool_addr)).unwrap_err(),
        ContractError::InvalidAddress {
            field: "registry".to_string(),
            address: pool_addr.to_string(),
            reason: "the reward pool itself cannot be the registry".to_string(),
        }
    );
    assert_eq!(
        call(&mut deps, &a.owner, set_registry(&a.token)).unwrap_err(),
        ContractError::InvalidAddress {
            field: "registry".to_string(),
            address: a.token.to_string(),
            reason: "the fee token contract cannot be the registry".to_string(),
        }
    );
    assert_eq!(
        call(&mut deps, &a.alice, set_registry(&a.bob)).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    let config = crate::state::CONFIG.load(&deps.storage).unwrap();
    assert_eq!(config.registry, Some(a.registry.clone()));
    assert_eq!(config.unbonding_period, UNBONDING);
    call(
        &mut deps,
        &a.owner,
        ExecuteMsg::UpdateConfig {
            registry: Some(a.bob.to_string()),
            unbonding_period: Some(7),
            staking_reward_period: None,
            curators_bps: None,
        },
    )
    .unwrap();
    let config = crate::state::CONFIG.load(&deps.storage).unwrap();
    assert_eq!(config.registry, Some(a.bob.clone()));
    assert_eq!(config.unbonding_period, 7);
    // The old registry lost its rights, the new one has them.
    assert_eq!(
        call(
            &mut deps,
            &a.registry,
            register_msg(1, AttributionMode::Weight),
        )
        .unwrap_err(),
        ContractError::NotRegistry {
            action: "register datanets".to_string(),
            sender: a.registry.to_string(),
        }
    );
    call(&mut deps, &a.bob, register_msg(1, AttributionMode::Weight)).unwrap();
    // The new unbonding period applies to the next unstake.
    hook(&mut deps, &a, &a.alice, 10, &ReceiveMsg::Stake {}).unwrap();
    let res = call(
        &mut deps,
        &a.alice,
        ExecuteMsg::Unstake {
            amount: Uint128::new(10),
        },
    )
    .unwrap();
    let release_at = res
        .attributes
        .iter()
        .find(|attr| attr.key == "release_at")
        .unwrap();
    assert_eq!(
        release_at.value,
        (mock_env().block.time.seconds() + 7).to_string()
    );
}

#[test]
fn ownership_transfer_hands_the_treasury_to_the_new_owner() {
    let (mut deps, a) = setup();
    distribute(&mut deps, &a, 5, vec![treasury_alloc(5)]).unwrap();
    call(
        &mut deps,
        &a.owner,
        ExecuteMsg::UpdateOwnership(openledger_common::OwnershipAction::TransferOwnership {
            new_owner: a.bob.to_string(),
            expiry: None,
        }),
    )
    .unwrap();
    let res = call(
        &mut deps,
        &a.bob,
        ExecuteMsg::UpdateOwnership(openledger_common::OwnershipAction::AcceptOwnership),
    )
    .unwrap();
    assert!(res
        .attributes
        .iter()
        .any(|attr| attr.key == "owner" && attr.value == a.bob.as_str()));
    let w = ExecuteMsg::WithdrawTreasury {
        amount: Uint128::new(5),
        recipient: None,
    };
    assert_eq!(
        call(&mut deps, &a.owner, w.clone()).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    let res = call(&mut deps, &a.bob, w).unwrap();
    assert_eq!(transfer_of(&res), (a.bob.to_string(), 5));
}

#[test]
fn the_limits_of_allocations_weight_updates_and_claimed_datanets_are_inclusive() {
    let (mut deps, a) = setup();
    for id in 1..=30 {
        register(&mut deps, &a, id, AttributionMode::Weight);
        weights(&mut deps, &a, id, &[(&a.alice, 1)]);
    }
    // 30 datanets + 2 treasury parts: exactly MAX_ALLOCATIONS (32) allocations.
    let mut allocations: Vec<Allocation> = (1..=30).map(|id| datanet_alloc(id, 10)).collect();
    allocations.push(treasury_alloc(1));
    allocations.push(treasury_alloc(2));
    hook(
        &mut deps,
        &a,
        &a.owner,
        303,
        &ReceiveMsg::Distribute { allocations },
    )
    .unwrap();
    assert_eq!(treasury(&deps), 3);
    // Exactly MAX_CLAIM_DATANETS (30) ids in one claim.
    let res = call(
        &mut deps,
        &a.alice,
        ExecuteMsg::Claim {
            datanet_ids: Some((1..=30).collect()),
        },
    )
    .unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 300));
    // Exactly MAX_WEIGHT_UPDATES (50) updates in one call.
    let many: Vec<Addr> = (0..50)
        .map(|i| deps.api.addr_make(&format!("c{i}")))
        .collect();
    let updates: Vec<(&Addr, u64)> = many.iter().map(|addr| (addr, 2)).collect();
    weights(&mut deps, &a, 1, &updates);
    assert_eq!(pool(&deps, 1).total_weight, 101);
}

#[test]
fn a_closed_range_holding_exactly_one_unit_pays_it() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    weights(&mut deps, &a, 1, &[(&a.alice, 1), (&a.bob, 1)]);
    distribute(&mut deps, &a, 2, vec![datanet_alloc(1, 2)]).unwrap();
    // Alice's weight goes to zero with exactly one whole unit settled: it is still hers.
    weights(&mut deps, &a, 1, &[(&a.alice, 0)]);
    let stored = crate::versions::RANGES
        .load(&deps.storage, (&a.alice, 1, 1))
        .unwrap();
    assert_eq!((stored.weight, stored.to), (1, Some(2)));
    let res = call(&mut deps, &a.alice, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 1));
    let stored = crate::versions::RANGES
        .load(&deps.storage, (&a.alice, 1, 1))
        .unwrap();
    assert_eq!(
        (stored.accrued_scaled, stored.claimed),
        (Uint256::zero(), Uint128::one())
    );
}

fn stake_alloc(amount: u128) -> ReceiveMsg {
    ReceiveMsg::Distribute {
        allocations: vec![stakers_alloc(amount)],
    }
}

fn staker_at(deps: &Deps, secs: u64, who: &Addr) -> StakerResponse {
    from_json(
        query(
            deps.as_ref(),
            at(secs),
            QueryMsg::Staker {
                address: who.to_string(),
            },
        )
        .unwrap(),
    )
    .unwrap()
}

/// The solvency report at `at(secs)` (the token reports a balance of 0: only the liabilities
/// matter here).
fn solvency_at(deps: &mut Deps, secs: u64) -> SolvencyResponse {
    deps.querier.update_wasm(|_| {
        cosmwasm_std::SystemResult::Ok(cosmwasm_std::ContractResult::Ok(
            to_json_binary(&cw20::BalanceResponse {
                balance: Uint128::zero(),
            })
            .unwrap(),
        ))
    });
    from_json(query(deps.as_ref(), at(secs), QueryMsg::Solvency {}).unwrap()).unwrap()
}

#[test]
fn periods_are_bounded_at_instantiate_and_in_update_config() {
    let mut deps = mock_dependencies();
    let owner = deps.api.addr_make("owner");
    let token = deps.api.addr_make("open");
    // 0.2.0 took any period: u64::MAX made every unstake overflow, locking every stake.
    assert_eq!(
        instantiate_pool(&mut deps, &owner, &token, None, u64::MAX).unwrap_err(),
        ContractError::InvalidUnbondingPeriod {
            period: u64::MAX,
            max: MAX_UNBONDING_PERIOD
        }
    );
    instantiate_pool(&mut deps, &owner, &token, None, MAX_UNBONDING_PERIOD).unwrap();

    let (mut deps, a) = setup();
    let update = |unbonding_period, staking_reward_period| ExecuteMsg::UpdateConfig {
        registry: None,
        unbonding_period,
        staking_reward_period,
        curators_bps: None,
    };
    let before = crate::state::CONFIG.load(&deps.storage).unwrap();
    assert_eq!(before.staking_reward_period, PERIOD);
    for (msg, err) in [
        (
            update(Some(MAX_UNBONDING_PERIOD + 1), None),
            ContractError::InvalidUnbondingPeriod {
                period: MAX_UNBONDING_PERIOD + 1,
                max: MAX_UNBONDING_PERIOD,
            },
        ),
        (
            update(None, Some(0)),
            ContractError::InvalidStakingRewardPeriod {
                period: 0,
                min: MIN_STAKING_REWARD_PERIOD,
                max: MAX_STAKING_REWARD_PERIOD,
            },
        ),
        (
            update(None, Some(MAX_STAKING_REWARD_PERIOD + 1)),
            ContractError::InvalidStakingRewardPeriod {
                period: MAX_STAKING_REWARD_PERIOD + 1,
                min: MIN_STAKING_REWARD_PERIOD,
                max: MAX_STAKING_REWARD_PERIOD,
            },
        ),
        // A valid value next to an invalid one changes nothing.
        (
            update(Some(5), Some(u64::MAX)),
            ContractError::InvalidStakingRewardPeriod {
                period: u64::MAX,
                min: MIN_STAKING_REWARD_PERIOD,
                max: MAX_STAKING_REWARD_PERIOD,
            },
        ),
    ] {
        assert_eq!(call(&mut deps, &a.owner, msg).unwrap_err(), err);
        assert_eq!(crate::state::CONFIG.load(&deps.storage).unwrap(), before);
    }
    let res = call(
        &mut deps,
        &a.owner,
        update(Some(MAX_UNBONDING_PERIOD), Some(MAX_STAKING_REWARD_PERIOD)),
    )
    .unwrap();
    assert!(res
        .attributes
        .iter()
        .any(|x| x.key == "staking_reward_period"
            && x.value == MAX_STAKING_REWARD_PERIOD.to_string()));
    let c: ConfigResponse =
        from_json(query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap()).unwrap();
    assert_eq!(
        (c.unbonding_period, c.staking_reward_period),
        (MAX_UNBONDING_PERIOD, MAX_STAKING_REWARD_PERIOD)
    );
    call(&mut deps, &a.owner, update(None, Some(1))).unwrap();
    // The shortest period: 10 units to one staker are all released one second later.
    hook(&mut deps, &a, &a.alice, 5, &ReceiveMsg::Stake {}).unwrap();
    hook(&mut deps, &a, &a.owner, 10, &stake_alloc(10)).unwrap();
    assert_eq!(staker_at(&deps, 0, &a.alice).claimable_rewards.u128(), 0);
    assert_eq!(staker_at(&deps, 1, &a.alice).claimable_rewards.u128(), 10);
}

#[test]
fn a_lower_reward_period_shortens_the_running_stream_and_a_higher_one_waits_for_the_next() {
    let (mut deps, a) = setup();
    hook(&mut deps, &a, &a.alice, 10, &ReceiveMsg::Stake {}).unwrap();
    hook(&mut deps, &a, &a.owner, 1_000, &stake_alloc(1_000)).unwrap();
    let t0 = mock_env().block.time.seconds();
    let owner = a.owner.clone();
    let set_period = |deps: &mut Deps, dt: u64, p: u64| {
        exec(
            deps,
            at(dt),
            &owner,
            ExecuteMsg::UpdateConfig {
                registry: None,
                unbonding_period: None,
                staking_reward_period: Some(p),
                curators_bps: None,
            },
        )
        .unwrap()
    };
    // At t0 + 10, ⌊1 000 · 10 / 604 800⌋ = 0 released: the rest (1 000) now ends at t0 + 110.
    let res = set_period(&mut deps, 10, 100);
    assert!(res
        .attributes
        .iter()
        .any(|x| x.key == "stream_end" && x.value == (t0 + 110).to_string()));
    let staking = crate::state::STAKING.load(&deps.storage).unwrap();
    assert_eq!(
        (staking.stream.start, staking.stream.end),
        (t0 + 10, t0 + 110)
    );
    // Half-way through the shortened stream: ⌊1 000 · 50 / 100⌋ = 500 released.
    assert_eq!(staker_at(&deps, 60, &a.alice).claimable_rewards.u128(), 500);
    // 500 more at t0 + 60 with 50 s left and a 100 s period: the end is their amount-weighted
    // average, ⌊(500 · 50 + 500 · 100) / 1 000⌋ = 75 s from now.
    let res = hook_at(&mut deps, &a, 60, &a.owner, 500, &stake_alloc(500)).unwrap();
    let stream_end = t0 + 60 + 75;
    assert!(res
        .attributes
        .iter()
        .any(|x| x.key == "stream_end" && x.value == stream_end.to_string()));
    assert!(res
        .attributes
        .iter()
        .any(|x| x.key == "streamed" && x.value == "500"));
    // A higher period leaves the running stream's end as it is.
    set_period(&mut deps, 70, 1_000);
    let p: StakingPoolResponse =
        from_json(query(deps.as_ref(), at(70), QueryMsg::StakingPool {}).unwrap()).unwrap();
    assert_eq!(p.stream_end, stream_end);
    assert_eq!(
        staker_at(&deps, 75, &a.alice).claimable_rewards.u128(),
        500 + 1_000 * 15 / 75
    );
    assert_eq!(
        staker_at(&deps, 60 + 75, &a.alice).claimable_rewards.u128(),
        1_500
    );
}

#[test]
fn removed_contributors_keep_their_remainders_for_later_fees_of_their_versions() {
    let (mut deps, a) = setup();
    let carol = deps.api.addr_make("carol");
    register(&mut deps, &a, 1, AttributionMode::Weight);
    weights(&mut deps, &a, 1, &[(&a.alice, 1), (&a.bob, 1), (&carol, 1)]);
    // 1 unit over three weights: each holds ⌊10^18 / 3⌋ scaled, and the unit is counted as owed
    // (rounded up) with 1 scaled unit held by nobody.
    distribute(&mut deps, &a, 1, vec![datanet_alloc(1, 1)]).unwrap();
    let held = |deps: &Deps, who: &Addr| {
        let mut r = crate::versions::RANGES
            .load(&deps.storage, (who, 1, 1))
            .unwrap();
        let p = crate::state::DATANETS.load(&deps.storage, 1).unwrap();
        crate::versions::settle(&deps.storage, &p, 1, 1, &mut r).unwrap();
        r.accrued_scaled
    };
    let totals = |deps: &Deps| {
        let t = crate::state::TOTALS.load(&deps.storage).unwrap();
        (t.contributor_outstanding.u128(), t.dropped_scaled)
    };
    assert_eq!(totals(&deps), (1, Uint256::one()));
    // All three leave in versions 2 and 3: they stay contributors of version 1, so their
    // thirds stay theirs (0.2.0 dropped them; 0.3.0 before version scoping sent them to the
    // treasury).
    weights(&mut deps, &a, 1, &[(&a.alice, 0), (&a.bob, 0)]);
    weights(&mut deps, &a, 1, &[(&carol, 0)]);
    assert_eq!(totals(&deps), (1, Uint256::one()));
    assert_eq!(treasury(&deps), 0);
    let third = Uint256::from(333_333_333_333_333_333u128);
    assert_eq!(held(&deps, &a.alice), third);
    // 2 more for version 1: ⌊2·10^18 / 3⌋ each, 2 credited, 2 scaled held by nobody. Each now
    // holds 10^18 − 1: not a whole unit yet.
    distribute(&mut deps, &a, 2, vec![datanet_version_alloc(1, 2, 1)]).unwrap();
    assert_eq!(totals(&deps), (3, Uint256::from(3u8)));
    let almost = Uint256::from(999_999_999_999_999_999u128);
    for who in [&a.alice, &a.bob, &carol] {
        assert_eq!(held(&deps, who), almost);
    }
    let s = solvency_at(&mut deps, 0);
    assert_eq!(
        (
            s.liabilities.contributor_rewards.u128(),
            s.remainders.contributors
        ),
        (3, Uint256::from(3u8))
    );
    // 3 more: one unit each, and each pays 1 of its 1.999….
    distribute(&mut deps, &a, 3, vec![datanet_version_alloc(1, 3, 1)]).unwrap();
    for who in [&a.alice, &a.bob, &carol] {
        let res = call(&mut deps, who, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
        assert_eq!(transfer_of(&res), (who.to_string(), 1));
    }
    assert_eq!(totals(&deps), (3, Uint256::from(3u8)));
}

#[test]
fn stakers_who_leave_hand_their_remainders_to_the_treasury() {
    let (mut deps, a) = setup();
    hook(&mut deps, &a, &a.alice, 1, &ReceiveMsg::Stake {}).unwrap();
    hook(&mut deps, &a, &a.bob, 2, &ReceiveMsg::Stake {}).unwrap();
    hook(&mut deps, &a, &a.owner, 100, &stake_alloc(100)).unwrap();
    // All 100 released at the end of the period: ⌊100·10^18 / 3⌋ per unit of stake; 100 are
    // credited (rounded up), 1 scaled unit held by nobody.
    let inc = 33_333_333_333_333_333_333u128;
    let unstake = |amount| ExecuteMsg::Unstake {
        amount: Uint128::new(amount),
    };
    exec(&mut deps, at(PERIOD), &a.alice, unstake(1)).unwrap();
    let res = claim_staking_at(&mut deps, PERIOD, &a.alice).unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 33));
    // She left with a third of a unit: her position is gone, the remainder counted as unheld.
    assert!(!crate::state::STAKERS.has(&deps.storage, &a.alice));
    let staking = crate::state::STAKING.load(&deps.storage).unwrap();
    assert_eq!(
        staking.dropped_scaled,
        Uint256::from(1 + (inc - 33 * 10u128.pow(18)))
    );
    exec(&mut deps, at(PERIOD), &a.bob, unstake(2)).unwrap();
    let res = claim_staking_at(&mut deps, PERIOD, &a.bob).unwrap();
    assert_eq!(transfer_of(&res), (a.bob.to_string(), 66));
    // 1 + ⅓ + ⅔ (scaled, exactly 10^18): one unit for the treasury. 0.2.0 kept it owed.
    assert!(res
        .attributes
        .iter()
        .any(|x| x.key == "remainders_to_treasury" && x.value == "1"));
    assert_eq!(treasury(&deps), 1);
    let s = solvency_at(&mut deps, PERIOD);
    assert_eq!(s.liabilities.staking_rewards, Uint128::zero());
    assert_eq!(s.remainders.stakers, Uint256::zero());
    let p: StakingPoolResponse =
        from_json(query(deps.as_ref(), at(PERIOD), QueryMsg::StakingPool {}).unwrap()).unwrap();
    assert_eq!(
        (
            p.total_distributed.u128(),
            p.total_claimed.u128(),
            p.total_forfeited.u128()
        ),
        (100, 99, 1)
    );
}

#[test]
fn what_the_stream_releases_while_nobody_stakes_belongs_to_the_treasury() {
    let (mut deps, a) = setup();
    hook(&mut deps, &a, &a.alice, 10, &ReceiveMsg::Stake {}).unwrap();
    hook(&mut deps, &a, &a.owner, 1_000, &stake_alloc(1_000)).unwrap();
    // Half-way she leaves with the 500 released so far.
    exec(
        &mut deps,
        at(PERIOD / 2),
        &a.alice,
        ExecuteMsg::Unstake {
            amount: Uint128::new(10),
        },
    )
    .unwrap();
    assert_eq!(
        staker_at(&deps, PERIOD, &a.alice).claimable_rewards.u128(),
        500
    );
    // The other 500 are released to nobody: the treasury, as the queries already show.
    let s = solvency_at(&mut deps, PERIOD);
    assert_eq!(
        (
            s.liabilities.treasury.u128(),
            s.liabilities.staking_stream.u128(),
            s.liabilities.staking_rewards.u128()
        ),
        (500, 0, 500)
    );
    assert_eq!(treasury(&deps), 0);
    // With nothing staked, a new stakers allocation goes to the treasury at once (as in 0.2.0).
    let res = hook_at(&mut deps, &a, PERIOD, &a.owner, 7, &stake_alloc(7)).unwrap();
    assert!(res
        .attributes
        .iter()
        .any(|x| x.key == "stakers" && x.value == "0"));
    assert_eq!(treasury(&deps), 507);
    let res = exec(
        &mut deps,
        at(PERIOD),
        &a.owner,
        ExecuteMsg::WithdrawTreasury {
            amount: Uint128::new(507),
            recipient: None,
        },
    )
    .unwrap();
    assert_eq!(transfer_of(&res), (a.owner.to_string(), 507));
}

#[test]
fn migrate_from_0_2_0_keeps_stakes_positions_and_accumulators_and_streams_what_comes_next() {
    let (mut deps, a) = setup();
    // The state of a 0.2.0 pool: alice 100 and bob 300 staked, 40 distributed to stakers at
    // once, contributor totals without remainders, a config without a reward period.
    let stakers = |w: u128| crate::state::Position {
        weight: Uint128::new(w),
        ..crate::state::Position::default()
    };
    crate::state::STAKERS
        .save(&mut deps.storage, &a.alice, &stakers(100))
        .unwrap();
    crate::state::STAKERS
        .save(&mut deps.storage, &a.bob, &stakers(300))
        .unwrap();
    deps.storage.set(
        b"staking",
        br#"{"total_staked":"400","total_unbonding":"0","reward_per_stake":"100000000000000000","total_distributed":"40","total_claimed":"0"}"#,
    );
    deps.storage.set(
        b"totals",
        br#"{"contributor_outstanding":"0","influence_outstanding":"0"}"#,
    );
    let config = format!(
        r#"{{"token":"{}","registry":"{}","unbonding_period":{UNBONDING}}}"#,
        a.token, a.registry
    );
    deps.storage.set(b"config", config.as_bytes());
    cw2::set_contract_version(&mut deps.storage, crate::CONTRACT_NAME, "0.2.0").unwrap();
    // Readable before the migration already.
    assert_eq!(staker_at(&deps, 0, &a.bob).claimable_rewards.u128(), 30);
    let res = crate::contract::migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    assert!(res
        .attributes
        .iter()
        .any(|x| x.key == "staking_reward_period" && x.value == PERIOD.to_string()));
    let stored = String::from_utf8(deps.storage.get(b"config").unwrap()).unwrap();
    assert!(stored.contains(&format!(r#""staking_reward_period":{PERIOD}"#)));
    let staking = crate::state::STAKING.load(&deps.storage).unwrap();
    assert_eq!(
        (
            staking.total_distributed.u128(),
            staking.reward_per_stake,
            staking.stream.end
        ),
        (40, Uint256::from(100_000_000_000_000_000u128), 0)
    );
    // What 0.2.0 credited is claimable at once, as before.
    let res = call(&mut deps, &a.alice, ExecuteMsg::ClaimStakingRewards {}).unwrap();
    assert_eq!(transfer_of(&res), (a.alice.to_string(), 10));
    // The next allocation streams: 400 over the period, a quarter released after a quarter.
    hook(&mut deps, &a, &a.owner, 400, &stake_alloc(400)).unwrap();
    assert_eq!(
        (
            staker_at(&deps, PERIOD / 4, &a.alice)
                .claimable_rewards
                .u128(),
            staker_at(&deps, PERIOD / 4, &a.bob)
                .claimable_rewards
                .u128()
        ),
        (25, 30 + 75)
    );
    let s = solvency_at(&mut deps, PERIOD / 4);
    assert_eq!(
        (
            s.liabilities.staking_rewards.u128(),
            s.liabilities.staking_stream.u128()
        ),
        (30 + 100, 300)
    );
}

#[path = "version_tests.rs"]
mod version_tests;
