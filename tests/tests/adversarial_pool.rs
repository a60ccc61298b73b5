//! Adversarial suite of the reward pool and the OPEN token: one test per attack. Every refused
//! attack asserts its exact error and, through `refused`, that no contract's storage and no
//! party's OPEN or native balance changed; attacks accepted by design (a plain donation,
//! duplicate allocations, unbonding spam up to the cap) assert their exact outcome. Every test
//! ends with `Suite::check` (ledger, supply, solvency).

use cosmwasm_std::{coins, to_json_binary, Addr, Binary, HexBinary, Uint128};
use cw20::{Cw20Coin, Cw20ExecuteMsg, Cw20ReceiveMsg, Expiration};
use cw_multi_test::{AppResponse, Executor};
use cw_utils::PaymentError;
use openledger_common::msg::datanet_registry::{
    ContributionPolicy, ExecuteMsg as RegExec, NewContribution, NewDatanet, ReceiveMsg as RegHook,
    ReviewDecision,
};
use openledger_common::msg::reward_pool::{
    Allocation, AttestorResponse, AttributionMode, DatanetPoolResponse, ExecuteMsg as PoolExec,
    PendingRewardsResponse, QueryMsg as PoolQuery, ReceiveMsg as PoolHook, RootStatus,
    SolvencyResponse, StakerResponse, WeightUpdate, DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND,
    DEFAULT_CHALLENGE_WINDOW, DEFAULT_STAKING_REWARD_PERIOD,
};
use openledger_common::HookError;
use openledger_tests::{
    data_hash, influence_entries, refused, AttributionTree, Suite, UNBONDING_PERIOD,
};
use reward_pool::ContractError as PoolError;
use serde_json::json;

/// Native denomination of the bank-funded senders.
const DENOM: &str = "uinj";
const COSMOS_ADDR: &str = "cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";
/// Distributed to weight datanet 1 (alice holds all its weight).
const DATANET_REWARD: u128 = 1_000;
/// The staker's stake.
const STAKE: u128 = 5_000;
/// Distributed to stakers.
const STAKER_REWARD: u128 = 300;
/// Distributed to the treasury.
const TREASURY: u128 = 500;
/// Received by influence datanet 2.
const BUCKET: u128 = 20_000;
const ALICE_LEAF: u128 = 6_000;

struct World {
    s: Suite,
    /// Owner and curator of datanets 1 and 2.
    owner: Addr,
    alice: Addr,
    bob: Addr,
    staker: Addr,
    attestor: Addr,
    challenger: Addr,
    mallory: Addr,
    deployer: Addr,
    registry: Addr,
    /// Epoch 1 of datanet 2 (not posted yet): alice 6 000 and bob 3 000 among 16 leaves.
    tree: AttributionTree,
}

/// A wired suite with:
/// - weight datanet 1: alice holds all its weight (10) and has `DATANET_REWARD` to claim;
/// - influence datanet 2: its bucket holds `BUCKET`; an approved attestor bonded the minimum;
/// - the staker staked `STAKE` and has `STAKER_REWARD` to claim (streamed over the staking
///   reward period, which has passed); the treasury holds `TREASURY`.
fn world() -> World {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let (alice, bob, staker) = (s.addr("alice"), s.addr("bob"), s.addr("staker"));
    let (attestor, challenger, mallory) =
        (s.addr("attestor"), s.addr("challenger"), s.addr("mallory"));
    for who in [&owner, &alice, &bob, &mallory] {
        s.fund(who, 10_000);
    }
    s.fund(&staker, 2 * STAKE);
    s.fund(&challenger, 10 * DEFAULT_CHALLENGE_BOND.u128());
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(NewDatanet {
            name: "weights".into(),
            description: String::new(),
            metadata_uri: "ipfs://weights".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
    )
    .unwrap();
    s.registry_exec(
        &alice,
        &RegExec::Contribute(NewContribution {
            datanet_id: 1,
            data_hash: data_hash("alice"),
            uri: "ipfs://alice".into(),
            size_bytes: 1,
            license_note: None,
        }),
    )
    .unwrap();
    s.registry_exec(
        &owner,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: vec![ReviewDecision::Accept {
                contribution_id: 1,
                weight: 10,
            }],
        },
    )
    .unwrap();
    let datanet = s.create_influence_datanet(&owner, "influence");
    assert_eq!(datanet, 2);
    s.add_attestor(&attestor, DEFAULT_ATTESTOR_BOND.u128());
    let pool = s.pool.clone();
    s.send(&staker, &pool, STAKE, &PoolHook::Stake {}).unwrap();
    s.moved(&staker, &pool, STAKE);
    let deployer = s.deployer.clone();
    s.send(
        &deployer,
        &pool,
        DATANET_REWARD + STAKER_REWARD + TREASURY,
        &PoolHook::Distribute {
            allocations: vec![
                Allocation::Datanet {
                    id: 1,
                    amount: Uint128::new(DATANET_REWARD),
                },
                Allocation::Stakers {
                    amount: Uint128::new(STAKER_REWARD),
                },
                Allocation::Treasury {
                    amount: Uint128::new(TREASURY),
                },
            ],
        },
    )
    .unwrap();
    s.moved(&deployer, &pool, DATANET_REWARD + STAKER_REWARD + TREASURY);
    // The stakers' share streams over the staking reward period: all of it is released then.
    s.advance(DEFAULT_STAKING_REWARD_PERIOD);
    s.fund_datanet(2, BUCKET);
    let tree = AttributionTree::new(
        2,
        &influence_entries(16, &[(&alice, ALICE_LEAF), (&bob, 3_000)], 7, 100),
    );
    s.check();
    let registry = s.registry.clone();
    World {
        s,
        owner,
        alice,
        bob,
        staker,
        attestor,
        challenger,
        mallory,
        deployer,
        registry,
        tree,
    }
}

impl World {
    /// The attestor posts `tree` as epoch 1 of datanet 2; returns its `claimable_at`.
    fn post(&mut self) -> u64 {
        let attestor = self.attestor.clone();
        self.s.post_root(&attestor, 1, &self.tree).unwrap();
        self.s.app.block_info().time.seconds() + DEFAULT_CHALLENGE_WINDOW
    }

    /// The challenger challenges epoch 1 of datanet 2 with the minimum bond.
    fn challenge(&mut self) {
        let (challenger, pool) = (self.challenger.clone(), self.s.pool.clone());
        self.s
            .send(
                &challenger,
                &pool,
                DEFAULT_CHALLENGE_BOND.u128(),
                &PoolHook::ChallengeRoot {
                    datanet_id: 2,
                    epoch: 1,
                },
            )
            .unwrap();
        self.s
            .moved(&challenger, &pool, DEFAULT_CHALLENGE_BOND.u128());
    }

    /// Advances the chain to `at` (seconds since the epoch).
    fn advance_to(&mut self, at: u64) {
        let now = self.s.app.block_info().time.seconds();
        self.s.advance(at - now);
    }

    fn claim_alice(&self, epoch: u64, amount: u128) -> PoolExec {
        let (_, proof) = self.tree.proof(self.alice.as_str());
        PoolExec::ClaimAttribution {
            datanet_id: 2,
            epoch,
            cumulative_amount: Uint128::new(amount),
            proof,
        }
    }
}

fn solvency(s: &Suite) -> SolvencyResponse {
    s.query_pool(&PoolQuery::Solvency {})
}

fn staker_of(s: &Suite, who: &Addr) -> StakerResponse {
    s.query_pool(&PoolQuery::Staker {
        address: who.to_string(),
    })
}

fn attestor_of(s: &Suite, who: &Addr) -> AttestorResponse {
    s.query_pool(&PoolQuery::Attestor {
        address: who.to_string(),
    })
}

fn roots(s: &Suite) -> openledger_common::msg::reward_pool::AttributionRootResponse {
    s.query_pool(&PoolQuery::AttributionRoot { datanet_id: 2 })
}

fn ownership(action: serde_json::Value) -> PoolExec {
    serde_json::from_value(json!({ "update_ownership": action })).unwrap()
}

fn transfer_ownership(new_owner: &str, expiry: Option<serde_json::Value>) -> PoolExec {
    ownership(json!({
        "transfer_ownership": { "new_owner": new_owner, "expiry": expiry }
    }))
}

fn ownership_error(e: PoolError) -> String {
    match e {
        PoolError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

const NOT_OWNER: &str = "Caller is not the contract's current owner";
const NO_OWNER: &str = "Contract ownership has been renounced";
const NOT_PENDING_OWNER: &str = "Caller is not the contract's pending owner";
const TRANSFER_NOT_FOUND: &str = "There isn't a pending ownership transfer";
const TRANSFER_EXPIRED: &str = "A pending ownership transfer exists but it has expired";

fn invalid_address(e: PoolError, want_field: &str, want_address: &str) {
    match e {
        PoolError::InvalidAddress { field, address, .. } => {
            assert_eq!(
                (field.as_str(), address.as_str()),
                (want_field, want_address)
            );
        }
        other => panic!("expected InvalidAddress, got {other:?}"),
    }
}

/// The refusal of a protocol contract where it could never use the tokens or the role.
fn self_reference(field: &str, address: &str, what: &str) -> PoolError {
    PoolError::InvalidAddress {
        field: field.into(),
        address: address.into(),
        reason: format!("{what} cannot be the {field}"),
    }
}

fn not_registry(action: &str, sender: &Addr) -> PoolError {
    PoolError::NotRegistry {
        action: action.into(),
        sender: sender.to_string(),
    }
}

fn unexpected_token(s: &Suite, received: &Addr) -> PoolError {
    PoolError::Hook(HookError::UnexpectedToken {
        expected: s.token.to_string(),
        received: received.to_string(),
    })
}

fn is_invalid_hook(e: &PoolError) -> bool {
    matches!(e, PoolError::Hook(HookError::InvalidHook { .. }))
}

fn weights(datanet_id: u64, updates: Vec<(String, u64)>) -> PoolExec {
    PoolExec::UpdateWeights {
        datanet_id,
        updates: updates
            .into_iter()
            .map(|(address, weight)| WeightUpdate { address, weight })
            .collect(),
    }
}

fn distribute(allocations: Vec<Allocation>) -> PoolHook {
    PoolHook::Distribute { allocations }
}

fn to_datanet(id: u64, amount: u128) -> Allocation {
    Allocation::Datanet {
        id,
        amount: Uint128::new(amount),
    }
}

/// A second cw20 (same code as OPEN) holding 10 000 000 units for `holder`.
fn fake_token(s: &mut Suite, holder: &Addr) -> Addr {
    let code = s.app.store_code(openledger_tests::token_contract());
    s.app
        .instantiate_contract(
            code,
            holder.clone(),
            &open_token::InstantiateMsg {
                name: "Fake OPEN".into(),
                symbol: "OPEN".into(),
                decimals: 6,
                initial_balances: vec![Cw20Coin {
                    address: holder.to_string(),
                    amount: Uint128::new(10_000_000),
                }],
                mint: None,
                marketing: None,
            },
            &[],
            "fake-open",
            None,
        )
        .unwrap()
}

/// `from` sends `amount` of a fake OPEN to the pool with `hook`: refused as a wrong token,
/// nothing changes, and the fake balance of `from` is intact.
fn fake_token_refused(w: &mut World, from: &Addr, amount: u128, hook: &PoolHook) {
    let fake = fake_token(&mut w.s, from);
    let pool = w.s.pool.clone();
    let send = Cw20ExecuteMsg::Send {
        contract: pool.to_string(),
        amount: Uint128::new(amount),
        msg: to_json_binary(hook).unwrap(),
    };
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.app
            .execute_contract(from.clone(), fake.clone(), &send, &[])
    });
    assert_eq!(e, unexpected_token(&w.s, &fake));
    let b: cw20::BalanceResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(
                &fake,
                &cw20::Cw20QueryMsg::Balance {
                    address: from.to_string(),
                },
            )
            .unwrap();
    assert_eq!(b.balance.u128(), 10_000_000);
    w.s.check();
}

/// `caller` executes the pool's `receive` itself with a forged wrapper naming `payer`.
fn forged_receive_refused(
    w: &mut World,
    caller: &Addr,
    payer: &Addr,
    amount: u128,
    hook: &PoolHook,
) {
    let forged = Cw20ReceiveMsg {
        sender: payer.to_string(),
        amount: Uint128::new(amount),
        msg: to_json_binary(hook).unwrap(),
    };
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(caller, &PoolExec::Receive(forged))
    });
    assert_eq!(e, unexpected_token(&w.s, caller));
    w.s.check();
}

/// `from` delivers raw hook bytes through a real OPEN `send` to the pool.
fn raw_send(s: &mut Suite, from: &Addr, amount: u128, msg: &[u8]) -> anyhow::Result<AppResponse> {
    let (token, pool) = (s.token.clone(), s.pool.clone());
    s.app.execute_contract(
        from.clone(),
        token,
        &Cw20ExecuteMsg::Send {
            contract: pool.to_string(),
            amount: Uint128::new(amount),
            msg: Binary::from(msg.to_vec()),
        },
        &[],
    )
}

// ---------------------------------------------------------------------------------------------
// Receive from a wrong token, or a forged Cw20ReceiveMsg from a wallet: every hook
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_distribute_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    fake_token_refused(&mut w, &mallory, 100, &distribute(vec![to_datanet(1, 100)]));
}

#[test]
fn attack_wrong_token_stake_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    fake_token_refused(&mut w, &mallory, 1_000_000, &PoolHook::Stake {});
    assert!(staker_of(&w.s, &mallory).staked.is_zero());
}

#[test]
fn attack_wrong_token_bond_attestor_from_fake_cw20() {
    let mut w = world();
    let attestor = w.attestor.clone();
    fake_token_refused(&mut w, &attestor, 1_000_000, &PoolHook::BondAttestor {});
    assert_eq!(attestor_of(&w.s, &attestor).bond, DEFAULT_ATTESTOR_BOND);
}

#[test]
fn attack_wrong_token_challenge_root_from_fake_cw20() {
    // A worthless challenge would freeze an honest root.
    let mut w = world();
    w.post();
    let mallory = w.mallory.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    fake_token_refused(&mut w, &mallory, DEFAULT_CHALLENGE_BOND.u128(), &hook);
    assert_eq!(
        roots(&w.s).pending.unwrap().status,
        RootStatus::InChallengeWindow
    );
}

#[test]
fn attack_wrong_token_forged_distribute_from_wallet() {
    let mut w = world();
    let mallory = w.mallory.clone();
    forged_receive_refused(
        &mut w,
        &mallory,
        &mallory,
        1_000,
        &distribute(vec![to_datanet(2, 1_000)]),
    );
}

#[test]
fn attack_wrong_token_forged_stake_in_the_name_of_another() {
    let mut w = world();
    let (mallory, staker) = (w.mallory.clone(), w.staker.clone());
    forged_receive_refused(&mut w, &mallory, &staker, 1_000_000, &PoolHook::Stake {});
    assert_eq!(staker_of(&w.s, &staker).staked.u128(), STAKE);
}

#[test]
fn attack_wrong_token_forged_bond_attestor_by_the_attestor() {
    let mut w = world();
    let attestor = w.attestor.clone();
    forged_receive_refused(
        &mut w,
        &attestor,
        &attestor,
        1_000_000,
        &PoolHook::BondAttestor {},
    );
}

#[test]
fn attack_wrong_token_forged_challenge_root_from_wallet() {
    let mut w = world();
    w.post();
    let mallory = w.mallory.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    forged_receive_refused(
        &mut w,
        &mallory,
        &mallory,
        DEFAULT_CHALLENGE_BOND.u128(),
        &hook,
    );
}

#[test]
fn attack_wrong_token_forged_receive_from_the_registry_address() {
    // The registry is trusted for weights, not as a token.
    let mut w = world();
    let registry = w.registry.clone();
    forged_receive_refused(
        &mut w,
        &registry,
        &registry,
        500,
        &distribute(vec![Allocation::Treasury {
            amount: Uint128::new(500),
        }]),
    );
}

// ---------------------------------------------------------------------------------------------
// Unknown hook messages and malformed hook JSON
// ---------------------------------------------------------------------------------------------

fn hook_refused(w: &mut World, msg: &[u8]) {
    let alice = w.alice.clone();
    let e = refused::<PoolError>(&mut w.s, |s| raw_send(s, &alice, 100, msg));
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_malformed_json() {
    let mut w = world();
    hook_refused(&mut w, b"{\"stake\":{}");
}

#[test]
fn attack_hook_empty_message() {
    let mut w = world();
    hook_refused(&mut w, b"");
}

#[test]
fn attack_hook_of_the_registry_sent_to_the_pool() {
    let mut w = world();
    let msg = to_json_binary(&RegHook::Contribute(NewContribution {
        datanet_id: 1,
        data_hash: data_hash("x"),
        uri: "ipfs://x".into(),
        size_bytes: 1,
        license_note: None,
    }))
    .unwrap();
    hook_refused(&mut w, msg.as_slice());
}

#[test]
fn attack_hook_distribute_without_allocations_field() {
    let mut w = world();
    hook_refused(&mut w, br#"{"distribute":{}}"#);
}

#[test]
fn attack_hook_amount_as_a_json_number() {
    let mut w = world();
    hook_refused(
        &mut w,
        br#"{"distribute":{"allocations":[{"treasury":{"amount":100}}]}}"#,
    );
}

#[test]
fn attack_hook_unknown_allocation_kind() {
    let mut w = world();
    hook_refused(
        &mut w,
        br#"{"distribute":{"allocations":[{"attacker":{"amount":"100"}}]}}"#,
    );
}

#[test]
fn attack_hook_execute_message_inside_a_send() {
    let mut w = world();
    let msg = to_json_binary(&PoolExec::Claim { datanet_ids: None }).unwrap();
    hook_refused(&mut w, msg.as_slice());
}

// ---------------------------------------------------------------------------------------------
// Native coins attached to every execute message kind (pool and token)
// ---------------------------------------------------------------------------------------------

/// Each test: the bank-funded sender attaches one coin to an otherwise valid message to
/// `$contract`; it is refused with `$err` and nothing changes; the same message without coins
/// then gets its normal answer (`$then`).
macro_rules! native_coins_refused {
    ($name:ident, $sender:ident, $contract:ident, $msg:expr, $err:expr, $then:expr) => {
        #[test]
        fn $name() {
            let mut w = world();
            let sender = w.$sender.clone();
            w.s.app.init_modules(|router, _, storage| {
                router
                    .bank
                    .init_balance(storage, &sender, coins(1_000, DENOM))
                    .unwrap()
            });
            #[allow(clippy::redundant_closure_call)]
            let msg = ($msg)(&mut w);
            let contract = w.s.$contract.clone();
            let e = w.s.refused(|s| {
                s.app
                    .execute_contract(sender.clone(), contract.clone(), &msg, &coins(1, DENOM))
            });
            #[allow(clippy::redundant_closure_call)]
            ($err)(e);
            let res =
                w.s.app
                    .execute_contract(sender.clone(), contract, &msg, &[]);
            #[allow(clippy::redundant_closure_call)]
            ($then)(&mut w, res);
            let native = w.s.app.wrap().query_balance(&sender, DENOM).unwrap();
            assert_eq!(native.amount.u128(), 1_000);
            w.s.check();
        }
    };
}

fn pool_nonpayable(e: anyhow::Error) {
    assert_eq!(
        e.downcast::<PoolError>().unwrap(),
        PoolError::Payment(PaymentError::NonPayable {})
    );
}

fn token_nonpayable(e: anyhow::Error) {
    assert_eq!(
        e.downcast::<open_token::ContractError>().unwrap(),
        open_token::ContractError::NativeCoinsRefused {
            sent: format!("1{DENOM}")
        }
    );
}

fn ok(_: &mut World, res: anyhow::Result<AppResponse>) {
    res.unwrap();
}

/// The answer without coins pays `amount` from the pool to `who`.
fn pays(
    who: fn(&World) -> Addr,
    amount: u128,
) -> impl FnOnce(&mut World, anyhow::Result<AppResponse>) {
    move |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (pool, to) = (w.s.pool.clone(), who(w));
        w.s.moved(&pool, &to, amount);
    }
}

native_coins_refused!(
    attack_native_coins_on_receive,
    mallory,
    pool,
    |w: &mut World| PoolExec::Receive(Cw20ReceiveMsg {
        sender: w.mallory.to_string(),
        amount: Uint128::new(10),
        msg: to_json_binary(&PoolHook::Stake {}).unwrap(),
    }),
    pool_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<PoolError>().unwrap();
        assert_eq!(e, unexpected_token(&w.s, &w.mallory));
    }
);
native_coins_refused!(
    attack_native_coins_on_register_datanet,
    registry,
    pool,
    |_: &mut World| PoolExec::RegisterDatanet {
        datanet_id: 99,
        mode: AttributionMode::Weight,
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_weights,
    registry,
    pool,
    |w: &mut World| weights(1, vec![(w.alice.to_string(), 20)]),
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_claim,
    alice,
    pool,
    |_: &mut World| PoolExec::Claim { datanet_ids: None },
    pool_nonpayable,
    pays(|w| w.alice.clone(), DATANET_REWARD)
);
native_coins_refused!(
    attack_native_coins_on_unstake,
    staker,
    pool,
    |_: &mut World| PoolExec::Unstake {
        amount: Uint128::new(100)
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_unbonded,
    staker,
    pool,
    |w: &mut World| {
        let staker = w.staker.clone();
        w.s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::new(100),
            },
        )
        .unwrap();
        w.s.advance(UNBONDING_PERIOD);
        PoolExec::WithdrawUnbonded {}
    },
    pool_nonpayable,
    pays(|w| w.staker.clone(), 100)
);
native_coins_refused!(
    attack_native_coins_on_claim_staking_rewards,
    staker,
    pool,
    |_: &mut World| PoolExec::ClaimStakingRewards {},
    pool_nonpayable,
    pays(|w| w.staker.clone(), STAKER_REWARD)
);
native_coins_refused!(
    attack_native_coins_on_withdraw_treasury,
    deployer,
    pool,
    |_: &mut World| PoolExec::WithdrawTreasury {
        amount: Uint128::new(100),
        recipient: None,
    },
    pool_nonpayable,
    pays(|w| w.deployer.clone(), 100)
);
native_coins_refused!(
    attack_native_coins_on_update_config,
    deployer,
    pool,
    |_: &mut World| PoolExec::UpdateConfig {
        registry: None,
        unbonding_period: Some(60),
        staking_reward_period: None,
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_attribution_config,
    deployer,
    pool,
    |_: &mut World| PoolExec::UpdateAttributionConfig {
        challenge_window: Some(60),
        attestor_bond: None,
        challenge_bond: None,
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_attestors,
    deployer,
    pool,
    |w: &mut World| PoolExec::UpdateAttestors {
        add: vec![w.mallory.to_string()],
        remove: vec![],
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_post_attribution_root,
    attestor,
    pool,
    |w: &mut World| PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: w.tree.root(),
        cumulative_total: Uint128::new(w.tree.total),
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_challenge_root,
    challenger,
    pool,
    |w: &mut World| {
        w.post();
        PoolExec::ChallengeRoot {
            datanet_id: 2,
            epoch: 1,
        }
    },
    pool_nonpayable,
    |_: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<PoolError>().unwrap();
        assert_eq!(
            e,
            PoolError::ChallengeBondRequired {
                required: DEFAULT_CHALLENGE_BOND
            }
        );
    }
);
native_coins_refused!(
    attack_native_coins_on_resolve_challenge,
    deployer,
    pool,
    |w: &mut World| {
        w.post();
        w.challenge();
        // Challenges are resolved once the window has closed.
        w.s.advance(DEFAULT_CHALLENGE_WINDOW);
        PoolExec::ResolveChallenge {
            datanet_id: 2,
            epoch: 1,
            void: false,
        }
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_challenge,
    challenger,
    pool,
    |w: &mut World| {
        w.post();
        w.challenge();
        w.s.advance(DEFAULT_CHALLENGE_WINDOW);
        let deployer = w.deployer.clone();
        let resolve = PoolExec::ResolveChallenge {
            datanet_id: 2,
            epoch: 1,
            void: true,
        };
        w.s.pool_exec(&deployer, &resolve).unwrap();
        PoolExec::WithdrawChallenge { datanet_id: 2 }
    },
    pool_nonpayable,
    // Its bond back plus the challengers' reward: 20 % of the slashed minimum bond.
    pays(
        |w| w.challenger.clone(),
        DEFAULT_CHALLENGE_BOND.u128() + DEFAULT_ATTESTOR_BOND.u128() / 5
    )
);
native_coins_refused!(
    attack_native_coins_on_claim_attribution,
    alice,
    pool,
    |w: &mut World| {
        w.post();
        w.s.advance(DEFAULT_CHALLENGE_WINDOW);
        w.claim_alice(1, ALICE_LEAF)
    },
    pool_nonpayable,
    pays(|w| w.alice.clone(), ALICE_LEAF)
);
native_coins_refused!(
    attack_native_coins_on_update_ownership,
    deployer,
    pool,
    |w: &mut World| transfer_ownership(w.bob.as_str(), None),
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_token_transfer,
    alice,
    token,
    |w: &mut World| Cw20ExecuteMsg::Transfer {
        recipient: w.bob.to_string(),
        amount: Uint128::new(10),
    },
    token_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (alice, bob) = (w.alice.clone(), w.bob.clone());
        w.s.moved(&alice, &bob, 10);
    }
);
native_coins_refused!(
    attack_native_coins_on_token_send_to_the_pool,
    alice,
    token,
    |w: &mut World| Cw20ExecuteMsg::Send {
        contract: w.s.pool.to_string(),
        amount: Uint128::new(10),
        msg: to_json_binary(&PoolHook::Stake {}).unwrap(),
    },
    token_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
        w.s.moved(&alice, &pool, 10);
    }
);
native_coins_refused!(
    attack_native_coins_on_token_increase_allowance,
    alice,
    token,
    |w: &mut World| Cw20ExecuteMsg::IncreaseAllowance {
        spender: w.bob.to_string(),
        amount: Uint128::new(10),
        expires: None,
    },
    token_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_token_transfer_from,
    bob,
    token,
    |w: &mut World| {
        let (alice, bob, token) = (w.alice.clone(), w.bob.clone(), w.s.token.clone());
        w.s.app
            .execute_contract(
                alice.clone(),
                token,
                &Cw20ExecuteMsg::IncreaseAllowance {
                    spender: bob.to_string(),
                    amount: Uint128::new(10),
                    expires: None,
                },
                &[],
            )
            .unwrap();
        Cw20ExecuteMsg::TransferFrom {
            owner: alice.to_string(),
            recipient: bob.to_string(),
            amount: Uint128::new(10),
        }
    },
    token_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (alice, bob) = (w.alice.clone(), w.bob.clone());
        w.s.moved(&alice, &bob, 10);
    }
);

// ---------------------------------------------------------------------------------------------
// Missing authorization for every privileged message
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_auth_register_datanet_by_the_pool_owner() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::RegisterDatanet {
                datanet_id: 3,
                mode: AttributionMode::Weight,
            },
        )
    });
    assert_eq!(e, not_registry("register datanets", &deployer));
    w.s.check();
}

#[test]
fn attack_auth_update_weights_by_the_datanet_owner() {
    let mut w = world();
    let owner = w.owner.clone();
    let msg = weights(1, vec![(owner.to_string(), 10_000)]);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&owner, &msg));
    assert_eq!(e, not_registry("update weights", &owner));
    w.s.check();
}

#[test]
fn attack_auth_registry_entry_points_before_the_registry_is_set() {
    let mut w = world();
    let (deployer, mallory) = (w.deployer.clone(), w.mallory.clone());
    let code = w.s.app.store_code(openledger_tests::pool_contract());
    let fresh =
        w.s.app
            .instantiate_contract(
                code,
                deployer.clone(),
                &openledger_common::msg::reward_pool::InstantiateMsg {
                    owner: None,
                    token: w.s.token.to_string(),
                    registry: None,
                    unbonding_period: 60,
                },
                &[],
                "fresh pool",
                None,
            )
            .unwrap();
    w.s.ledger.insert(fresh.clone(), 0);
    for msg in [
        PoolExec::RegisterDatanet {
            datanet_id: 1,
            mode: AttributionMode::Weight,
        },
        weights(1, vec![(mallory.to_string(), 1)]),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.app
                .execute_contract(mallory.clone(), fresh.clone(), &msg, &[])
        });
        assert_eq!(e, PoolError::RegistryNotSet);
    }
    w.s.check();
}

#[test]
fn attack_auth_previous_registry_after_rewiring() {
    let mut w = world();
    let (deployer, registry, alice) = (w.deployer.clone(), w.registry.clone(), w.alice.clone());
    let new_registry = w.s.addr("registry-v2");
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateConfig {
            registry: Some(new_registry.to_string()),
            unbonding_period: None,
            staking_reward_period: None,
        },
    )
    .unwrap();
    let msg = weights(1, vec![(alice.to_string(), 1)]);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
    assert_eq!(e, not_registry("update weights", &registry));
    w.s.check();
}

#[test]
fn attack_auth_withdraw_treasury_by_a_stranger_or_the_registry() {
    let mut w = world();
    for who in [w.mallory.clone(), w.registry.clone(), w.owner.clone()] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(
                &who,
                &PoolExec::WithdrawTreasury {
                    amount: Uint128::new(TREASURY),
                    recipient: Some(who.to_string()),
                },
            )
        });
        assert_eq!(ownership_error(e), NOT_OWNER);
    }
    w.s.check();
}

#[test]
fn attack_auth_update_config_by_the_registry() {
    let mut w = world();
    let registry = w.registry.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &registry,
            &PoolExec::UpdateConfig {
                registry: None,
                unbonding_period: Some(0),
                staking_reward_period: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_update_attribution_config_by_an_attestor() {
    let mut w = world();
    let attestor = w.attestor.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::UpdateAttributionConfig {
                challenge_window: Some(1),
                attestor_bond: Some(Uint128::one()),
                challenge_bond: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_update_attestors_by_an_attestor_approving_a_friend() {
    let mut w = world();
    let (attestor, mallory) = (w.attestor.clone(), w.mallory.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::UpdateAttestors {
                add: vec![mallory.to_string()],
                remove: vec![],
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_post_root_by_a_revoked_attestor() {
    let mut w = world();
    let (deployer, attestor) = (w.deployer.clone(), w.attestor.clone());
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttestors {
            add: vec![],
            remove: vec![attestor.to_string()],
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &attestor, DEFAULT_ATTESTOR_BOND.u128());
    let tree_root = w.tree.root();
    let total = w.tree.total;
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::PostAttributionRoot {
                datanet_id: 2,
                epoch: 1,
                root: tree_root,
                cumulative_total: Uint128::new(total),
            },
        )
    });
    assert_eq!(
        e,
        PoolError::NotAttestor {
            address: attestor.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_auth_bond_attestor_by_an_unapproved_account() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 5_000, &PoolHook::BondAttestor {})
    });
    assert_eq!(
        e,
        PoolError::NotAttestor {
            address: mallory.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_auth_resolve_challenge_by_the_attestor_of_the_root() {
    let mut w = world();
    w.post();
    w.challenge();
    let attestor = w.attestor.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::ResolveChallenge {
                datanet_id: 2,
                epoch: 1,
                void: false,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_claim_of_another_accounts_rewards() {
    // Claims pay the sender's own position only.
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &mallory,
            &PoolExec::Claim {
                datanet_ids: Some(vec![1]),
            },
        )
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    w.s.check();
}

#[test]
fn attack_auth_claim_attribution_with_another_accounts_proof() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let mallory = w.mallory.clone();
    let msg = w.claim_alice(1, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&mallory, &msg));
    assert_eq!(
        e,
        PoolError::InvalidProof {
            datanet_id: 2,
            epoch: 1
        }
    );
    w.s.check();
}

#[test]
fn attack_auth_unstake_of_another_accounts_stake() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &mallory,
            &PoolExec::Unstake {
                amount: Uint128::one(),
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientStake {
            staked: Uint128::zero(),
            requested: Uint128::one()
        }
    );
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Two-step ownership misuse
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_accept_without_pending_offer() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_NOT_FOUND);
    w.s.check();
}

#[test]
fn attack_ownership_accept_by_the_wrong_account() {
    let mut w = world();
    let (deployer, bob, mallory) = (w.deployer.clone(), w.bob.clone(), w.mallory.clone());
    w.s.pool_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), NOT_PENDING_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_pending_owner_withdraws_treasury_before_accepting() {
    let mut w = world();
    let (deployer, bob) = (w.deployer.clone(), w.bob.clone());
    w.s.pool_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &bob,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::new(TREASURY),
                recipient: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_renounce_then_act() {
    // After renouncing, no owner-only message runs again: the treasury and the challenge
    // settlement are frozen for good (renouncing is a deliberate, final act).
    let mut w = world();
    w.post();
    w.challenge();
    let deployer = w.deployer.clone();
    w.s.pool_exec(&deployer, &ownership(json!("renounce_ownership")))
        .unwrap();
    for msg in [
        PoolExec::WithdrawTreasury {
            amount: Uint128::new(TREASURY),
            recipient: None,
        },
        PoolExec::ResolveChallenge {
            datanet_id: 2,
            epoch: 1,
            void: true,
        },
        transfer_ownership(deployer.as_str(), None),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &msg));
        assert_eq!(ownership_error(e), NO_OWNER);
    }
    w.s.check();
}

#[test]
fn attack_ownership_previous_owner_acts_after_handover() {
    let mut w = world();
    let (deployer, bob) = (w.deployer.clone(), w.bob.clone());
    w.s.pool_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.pool_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::one(),
                recipient: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    // The new owner withdraws, to itself.
    w.s.pool_exec(
        &bob,
        &PoolExec::WithdrawTreasury {
            amount: Uint128::new(TREASURY),
            recipient: None,
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &bob, TREASURY);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Unnormalized, foreign-prefix, empty and self-referencing addresses
// ---------------------------------------------------------------------------------------------

fn withdraw_to(w: &mut World, recipient: &str) -> PoolError {
    let deployer = w.deployer.clone();
    let msg = PoolExec::WithdrawTreasury {
        amount: Uint128::new(TREASURY),
        recipient: Some(recipient.to_string()),
    };
    refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &msg))
}

#[test]
fn attack_address_treasury_to_the_pool_itself() {
    // The pool would pay itself: the treasury shrinks, the tokens stay as nobody's surplus.
    let mut w = world();
    let pool = w.s.pool.to_string();
    let e = withdraw_to(&mut w, &pool);
    assert_eq!(
        e,
        self_reference("recipient", &pool, "the reward pool itself")
    );
    assert_eq!(w.s.treasury(), TREASURY);
    w.s.check();
}

#[test]
fn attack_address_treasury_to_the_token_contract() {
    let mut w = world();
    let token = w.s.token.to_string();
    let e = withdraw_to(&mut w, &token);
    assert_eq!(
        e,
        self_reference("recipient", &token, "the fee token contract")
    );
    w.s.check();
}

#[test]
fn attack_address_treasury_to_the_registry() {
    let mut w = world();
    let registry = w.registry.to_string();
    let e = withdraw_to(&mut w, &registry);
    assert_eq!(
        e,
        self_reference("recipient", &registry, "the datanet registry")
    );
    w.s.check();
}

#[test]
fn attack_address_treasury_to_an_empty_or_foreign_address() {
    let mut w = world();
    for bad in ["", COSMOS_ADDR] {
        let e = withdraw_to(&mut w, bad);
        invalid_address(e, "recipient", bad);
    }
    w.s.check();
}

#[test]
fn attack_address_registry_set_to_the_pool_itself_or_the_token() {
    let mut w = world();
    let deployer = w.deployer.clone();
    for (bad, what) in [
        (w.s.pool.to_string(), "the reward pool itself"),
        (w.s.token.to_string(), "the fee token contract"),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(
                &deployer,
                &PoolExec::UpdateConfig {
                    registry: Some(bad.clone()),
                    unbonding_period: None,
                    staking_reward_period: None,
                },
            )
        });
        assert_eq!(e, self_reference("registry", &bad, what));
    }
    w.s.check();
}

#[test]
fn attack_address_registry_upper_case() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let upper = w.registry.to_string().to_uppercase();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::UpdateConfig {
                registry: Some(upper.clone()),
                unbonding_period: None,
                staking_reward_period: None,
            },
        )
    });
    invalid_address(e, "registry", &upper);
    w.s.check();
}

#[test]
fn attack_address_attestor_upper_case_foreign_or_empty() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let upper = w.mallory.to_string().to_uppercase();
    for (add, remove) in [
        (vec![upper.clone()], vec![]),
        (vec![COSMOS_ADDR.to_string()], vec![]),
        (vec![], vec![String::new()]),
    ] {
        let bad = add.first().or(remove.first()).unwrap().clone();
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(&deployer, &PoolExec::UpdateAttestors { add, remove })
        });
        invalid_address(e, "attestor", &bad);
    }
    w.s.check();
}

#[test]
fn attack_address_weight_update_for_an_unnormalized_contributor() {
    // Even the registry cannot credit an address that is not this chain's.
    let mut w = world();
    let registry = w.registry.clone();
    let upper = w.alice.to_string().to_uppercase();
    for bad in [upper, COSMOS_ADDR.to_string(), String::new()] {
        let msg = weights(1, vec![(bad.clone(), 5)]);
        let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
        invalid_address(e, "contributor", &bad);
    }
    w.s.check();
}

#[test]
fn attack_address_token_transfer_to_an_unnormalized_address() {
    let mut w = world();
    let (alice, token) = (w.alice.clone(), w.s.token.clone());
    let upper = w.bob.to_string().to_uppercase();
    for (bad, why) in [
        (upper.as_str(), "Invalid input: address not normalized"),
        (COSMOS_ADDR, "Wrong bech32 prefix"),
        ("", "Error decoding bech32"),
    ] {
        let e = w.s.refused(|s| {
            s.app.execute_contract(
                alice.clone(),
                token.clone(),
                &Cw20ExecuteMsg::Transfer {
                    recipient: bad.to_string(),
                    amount: Uint128::one(),
                },
                &[],
            )
        });
        let e = e.downcast::<open_token::ContractError>().unwrap();
        assert_eq!(e.to_string(), format!("Generic error: {why}"), "{bad}");
    }
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Duplicate ids in batches
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_duplicate_claim_ids() {
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &alice,
            &PoolExec::Claim {
                datanet_ids: Some(vec![1, 2, 1]),
            },
        )
    });
    assert_eq!(e, PoolError::DuplicateDatanet { id: 1 });
    w.s.check();
}

#[test]
fn attack_duplicate_pending_rewards_query_ids() {
    let w = world();
    let e =
        w.s.app
            .wrap()
            .query_wasm_smart::<PendingRewardsResponse>(
                &w.s.pool,
                &PoolQuery::PendingRewards {
                    address: w.alice.to_string(),
                    datanet_ids: Some(vec![1, 1]),
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("datanet 1 is named twice"), "{e}");
    w.s.check();
}

#[test]
fn attack_duplicate_weight_update_addresses() {
    let mut w = world();
    let registry = w.registry.clone();
    let alice = w.alice.to_string();
    let msg = weights(1, vec![(alice.clone(), 1), (alice.clone(), 10_000)]);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
    assert_eq!(e, PoolError::DuplicateAddress { address: alice });
    w.s.check();
}

#[test]
fn attack_duplicate_attestor_added_twice_or_added_and_removed() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let mallory = w.mallory.to_string();
    for (add, remove) in [
        (vec![mallory.clone(), mallory.clone()], vec![]),
        (vec![mallory.clone()], vec![mallory.clone()]),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(&deployer, &PoolExec::UpdateAttestors { add, remove })
        });
        assert_eq!(
            e,
            PoolError::DuplicateAddress {
                address: mallory.clone()
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_duplicate_allocations_to_one_datanet_add_up() {
    // Accepted by design: two allocations to one datanet credit it twice, exactly.
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let before: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    w.s.send(
        &mallory,
        &pool,
        30,
        &distribute(vec![to_datanet(1, 10), to_datanet(1, 20)]),
    )
    .unwrap();
    w.s.moved(&mallory, &pool, 30);
    let after: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    assert_eq!(
        after.total_distributed,
        before.total_distributed + Uint128::new(30)
    );
    let alice = w.alice.clone();
    w.s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
        .unwrap();
    w.s.moved(&pool, &alice, DATANET_REWARD + 30);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Oversized lists and limits
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_allocations_33_and_zero() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let many = (0..33).map(|_| to_datanet(1, 1)).collect();
    let e = refused::<PoolError>(&mut w.s, |s| s.send(&mallory, &pool, 33, &distribute(many)));
    assert_eq!(e, PoolError::AllocationCount { got: 33, max: 32 });
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 1, &distribute(vec![]))
    });
    assert_eq!(e, PoolError::AllocationCount { got: 0, max: 32 });
    // Exactly 32 goes through.
    let full = (0..32).map(|_| to_datanet(1, 1)).collect();
    w.s.send(&mallory, &pool, 32, &distribute(full)).unwrap();
    w.s.moved(&mallory, &pool, 32);
    w.s.check();
}

#[test]
fn attack_oversized_weight_updates_51_and_empty() {
    let mut w = world();
    let registry = w.registry.clone();
    let many = (0..51)
        .map(|i| (w.s.addr(&format!("c{i}")).to_string(), 1))
        .collect();
    let msg = weights(1, many);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
    assert_eq!(e, PoolError::TooManyUpdates { got: 51, max: 50 });
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &weights(1, vec![])));
    assert_eq!(e, PoolError::EmptyUpdates);
    w.s.check();
}

#[test]
fn attack_oversized_attestor_updates_51() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let many: Vec<String> = (0..51)
        .map(|i| w.s.addr(&format!("a{i}")).to_string())
        .collect();
    for (add, remove) in [(many.clone(), vec![]), (vec![], many)] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(&deployer, &PoolExec::UpdateAttestors { add, remove })
        });
        assert_eq!(e, PoolError::TooManyAttestorUpdates { got: 51, max: 50 });
    }
    w.s.check();
}

#[test]
fn attack_oversized_proof_and_proof_elements() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let alice = w.alice.clone();
    let long = PoolExec::ClaimAttribution {
        datanet_id: 2,
        epoch: 1,
        cumulative_amount: Uint128::new(ALICE_LEAF),
        proof: vec![HexBinary::from([7u8; 32].as_slice()); 65],
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &long));
    assert_eq!(e, PoolError::ProofTooLong { len: 65, max: 64 });
    let (_, mut proof) = w.tree.proof(alice.as_str());
    proof[1] = HexBinary::from([7u8; 33].as_slice());
    let bad = PoolExec::ClaimAttribution {
        datanet_id: 2,
        epoch: 1,
        cumulative_amount: Uint128::new(ALICE_LEAF),
        proof,
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &bad));
    assert_eq!(e, PoolError::InvalidProofElement { index: 1, len: 33 });
    w.s.check();
}

#[test]
fn attack_oversized_root_length() {
    let mut w = world();
    let attestor = w.attestor.clone();
    for len in [31usize, 33] {
        let msg = PoolExec::PostAttributionRoot {
            datanet_id: 2,
            epoch: 1,
            root: HexBinary::from(vec![1u8; len]),
            cumulative_total: Uint128::new(w.tree.total),
        };
        let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &msg));
        assert_eq!(e, PoolError::InvalidRoot { len });
    }
    w.s.check();
}

#[test]
fn attack_oversized_query_limits_zero_fifty_one_and_u32_max() {
    let w = world();
    for limit in [0, 51, u32::MAX] {
        let e =
            w.s.app
                .wrap()
                .query_wasm_smart::<serde_json::Value>(
                    &w.s.pool,
                    &PoolQuery::Attestors {
                        start_after: None,
                        limit: Some(limit),
                    },
                )
                .unwrap_err();
        assert!(
            e.to_string().contains(&format!(
                "limit {limit} is out of range: a page holds 1 to 50 items"
            )),
            "{e}"
        );
    }
    let e =
        w.s.app
            .wrap()
            .query_wasm_smart::<serde_json::Value>(
                &w.s.pool,
                &PoolQuery::PendingRewards {
                    address: w.alice.to_string(),
                    datanet_ids: Some((1..=31).collect()),
                },
            )
            .unwrap_err();
    assert!(
        e.to_string()
            .contains("at most 30 datanets per call; got 31"),
        "{e}"
    );
    w.s.app
        .wrap()
        .query_wasm_smart::<serde_json::Value>(
            &w.s.pool,
            &PoolQuery::Attestors {
                start_after: None,
                limit: Some(50),
            },
        )
        .unwrap();
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Amounts around every threshold
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_amount_unstake_one_more_than_staked() {
    let mut w = world();
    let staker = w.staker.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::new(STAKE + 1),
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientStake {
            staked: Uint128::new(STAKE),
            requested: Uint128::new(STAKE + 1)
        }
    );
    // Exactly the stake goes through.
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::new(STAKE),
        },
    )
    .unwrap();
    assert!(staker_of(&w.s, &staker).staked.is_zero());
    w.s.check();
}

#[test]
fn attack_amount_unstake_zero() {
    let mut w = world();
    let staker = w.staker.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::zero(),
            },
        )
    });
    assert_eq!(e, PoolError::ZeroAmount);
    w.s.check();
}

#[test]
fn attack_amount_stake_minimum_is_one_unit() {
    // There is no stake minimum beyond a positive amount: 1 unit stakes, 0 is refused.
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 0, &PoolHook::Stake {})
    });
    assert_eq!(e, PoolError::Hook(HookError::ZeroAmount));
    w.s.send(&mallory, &pool, 1, &PoolHook::Stake {}).unwrap();
    w.s.moved(&mallory, &pool, 1);
    assert_eq!(staker_of(&w.s, &mallory).staked.u128(), 1);
    w.s.check();
}

#[test]
fn attack_amount_withdraw_treasury_one_more_than_available() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::new(TREASURY + 1),
                recipient: None,
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientTreasury {
            available: Uint128::new(TREASURY),
            requested: Uint128::new(TREASURY + 1)
        }
    );
    w.s.pool_exec(
        &deployer,
        &PoolExec::WithdrawTreasury {
            amount: Uint128::new(TREASURY),
            recipient: None,
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &deployer, TREASURY);
    assert_eq!(w.s.treasury(), 0);
    w.s.check();
}

#[test]
fn attack_amount_challenge_bond_minus_one() {
    let mut w = world();
    w.post();
    let (challenger, pool) = (w.challenger.clone(), w.s.pool.clone());
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&challenger, &pool, DEFAULT_CHALLENGE_BOND.u128() - 1, &hook)
    });
    assert_eq!(
        e,
        PoolError::ChallengeBondTooLow {
            required: DEFAULT_CHALLENGE_BOND,
            sent: DEFAULT_CHALLENGE_BOND - Uint128::one()
        }
    );
    // Exactly the bond challenges.
    w.challenge();
    assert_eq!(roots(&w.s).pending.unwrap().status, RootStatus::Challenged);
    w.s.check();
}

#[test]
fn attack_amount_attestor_bond_one_below_the_minimum() {
    let mut w = world();
    let (deployer, mallory, pool) = (w.deployer.clone(), w.mallory.clone(), w.s.pool.clone());
    w.s.fund(&mallory, DEFAULT_ATTESTOR_BOND.u128());
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttestors {
            add: vec![mallory.to_string()],
            remove: vec![],
        },
    )
    .unwrap();
    let min = DEFAULT_ATTESTOR_BOND.u128();
    w.s.send(&mallory, &pool, min - 1, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&mallory, &pool, min - 1);
    let post = PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: w.tree.root(),
        cumulative_total: Uint128::new(w.tree.total),
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&mallory, &post));
    assert_eq!(
        e,
        PoolError::AttestorBondTooLow {
            address: mallory.to_string(),
            required: DEFAULT_ATTESTOR_BOND,
            bonded: Uint128::new(min - 1),
            reserved: Uint128::zero(),
        }
    );
    // One more unit reaches the minimum exactly.
    w.s.send(&mallory, &pool, 1, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&mallory, &pool, 1);
    w.s.pool_exec(&mallory, &post).unwrap();
    w.s.check();
}

#[test]
fn attack_amount_root_total_one_above_the_bucket() {
    let mut w = world();
    let attestor = w.attestor.clone();
    let post = |total: u128| PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: HexBinary::from([9u8; 32].as_slice()),
        cumulative_total: Uint128::new(total),
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &post(BUCKET + 1)));
    assert_eq!(
        e,
        PoolError::RootExceedsBucket {
            datanet_id: 2,
            cumulative_total: Uint128::new(BUCKET + 1),
            received: Uint128::new(BUCKET)
        }
    );
    w.s.pool_exec(&attestor, &post(BUCKET)).unwrap();
    assert_eq!(roots(&w.s).unallocated, Uint128::zero());
    w.s.check();
}

#[test]
fn attack_amount_root_total_decreasing_by_one() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let attestor = w.attestor.clone();
    let msg = PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 2,
        root: HexBinary::from([9u8; 32].as_slice()),
        cumulative_total: Uint128::new(w.tree.total - 1),
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &msg));
    assert_eq!(
        e,
        PoolError::CumulativeTotalDecreased {
            previous: Uint128::new(w.tree.total),
            got: Uint128::new(w.tree.total - 1)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_claim_attribution_one_above_the_leaf() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let alice = w.alice.clone();
    let msg = w.claim_alice(1, ALICE_LEAF + 1);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        PoolError::InvalidProof {
            datanet_id: 2,
            epoch: 1
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_distribute_one_more_than_allocated() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 101, &distribute(vec![to_datanet(1, 100)]))
    });
    assert_eq!(
        e,
        PoolError::AllocationSumMismatch {
            sent: Uint128::new(101),
            allocated: Uint128::new(100)
        }
    );
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &pool,
            100,
            &distribute(vec![to_datanet(1, 100), to_datanet(2, 0)]),
        )
    });
    assert_eq!(e, PoolError::ZeroAllocation { index: 1 });
    w.s.check();
}

#[test]
fn attack_amount_distribute_to_an_unknown_datanet() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 100, &distribute(vec![to_datanet(99, 100)]))
    });
    assert_eq!(e, PoolError::UnknownDatanet { id: 99 });
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_replay_claim_twice() {
    let mut w = world();
    let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
    w.s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
        .unwrap();
    w.s.moved(&pool, &alice, DATANET_REWARD);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
    });
    assert_eq!(e, PoolError::NothingToClaim);
    w.s.check();
}

#[test]
fn attack_replay_claim_staking_rewards_twice() {
    let mut w = world();
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(&staker, &PoolExec::ClaimStakingRewards {})
        .unwrap();
    w.s.moved(&pool, &staker, STAKER_REWARD);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&staker, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    w.s.check();
}

#[test]
fn attack_replay_claim_attribution_twice() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
    let msg = w.claim_alice(1, ALICE_LEAF);
    w.s.pool_exec(&alice, &msg).unwrap();
    w.s.moved(&pool, &alice, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(e, PoolError::NothingToClaim);
    assert_eq!(w.s.attribution_claimed(2, &alice), ALICE_LEAF);
    w.s.check();
}

#[test]
fn attack_replay_same_root_same_epoch() {
    let mut w = world();
    let claimable_at = w.post();
    let attestor = w.attestor.clone();
    // While pending, the pending root refuses it; after it became claimable, the epoch does.
    let e = refused::<PoolError>(&mut w.s, |s| s.post_root(&attestor, 1, &w.tree));
    assert_eq!(
        e,
        PoolError::PendingRootInWindow {
            datanet_id: 2,
            epoch: 1,
            claimable_at
        }
    );
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let e = refused::<PoolError>(&mut w.s, |s| s.post_root(&attestor, 1, &w.tree));
    assert_eq!(
        e,
        PoolError::UnexpectedEpoch {
            datanet_id: 2,
            epoch: 1,
            expected: 2
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_claim_against_a_superseded_root() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let attestor = w.attestor.clone();
    w.s.post_root(&attestor, 2, &w.tree).unwrap();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let alice = w.alice.clone();
    let msg = w.claim_alice(1, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        PoolError::RootSuperseded {
            datanet_id: 2,
            epoch: 1,
            current: 2
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_challenge_twice() {
    // The same address challenges a root once; another address may join (0.2.0 refused it
    // with RootAlreadyChallenged, so a first challenge by the attestor's sybil shut honest
    // challengers out: tests/tests/security_roots.rs).
    let mut w = world();
    w.post();
    w.challenge();
    let (challenger, pool) = (w.challenger.clone(), w.s.pool.clone());
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&challenger, &pool, DEFAULT_CHALLENGE_BOND.u128(), &hook)
    });
    assert_eq!(
        e,
        PoolError::DuplicateChallenge {
            datanet_id: 2,
            epoch: 1,
            challenger: challenger.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_resolve_twice() {
    let mut w = world();
    w.post();
    w.challenge();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let (deployer, pool, challenger) = (w.deployer.clone(), w.s.pool.clone(), w.challenger.clone());
    let resolve = PoolExec::ResolveChallenge {
        datanet_id: 2,
        epoch: 1,
        void: true,
    };
    w.s.pool_exec(&deployer, &resolve).unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &resolve));
    assert_eq!(
        e,
        PoolError::NoOpenChallenge {
            datanet_id: 2,
            epoch: 1
        }
    );
    // Void: the challenger withdraws its bond plus 20 % of the attestor's slashed minimum
    // bond, once.
    let withdraw = PoolExec::WithdrawChallenge { datanet_id: 2 };
    w.s.pool_exec(&challenger, &withdraw).unwrap();
    w.s.moved(
        &pool,
        &challenger,
        DEFAULT_CHALLENGE_BOND.u128() + DEFAULT_ATTESTOR_BOND.u128() / 5,
    );
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&challenger, &withdraw));
    assert_eq!(
        e,
        PoolError::NoChallenge {
            datanet_id: 2,
            address: challenger.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_register_datanet_twice() {
    let mut w = world();
    let registry = w.registry.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &registry,
            &PoolExec::RegisterDatanet {
                datanet_id: 1,
                mode: AttributionMode::Influence,
            },
        )
    });
    assert_eq!(e, PoolError::DatanetExists { id: 1 });
    w.s.check();
}

#[test]
fn attack_replay_withdraw_unbonded_twice() {
    let mut w = world();
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::new(100),
        },
    )
    .unwrap();
    w.s.advance(UNBONDING_PERIOD);
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 100);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
    });
    assert_eq!(e, PoolError::NothingUnbonded { next_release: None });
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Timing at t - 1, t and t + 1 of every deadline
// ---------------------------------------------------------------------------------------------

/// The staker unstakes 100 now; returns the release time `t`.
fn unbond(w: &mut World) -> u64 {
    let staker = w.staker.clone();
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::new(100),
        },
    )
    .unwrap();
    w.s.app.block_info().time.seconds() + UNBONDING_PERIOD
}

#[test]
fn attack_timing_unbonding_release_at_t_minus_1() {
    let mut w = world();
    let t = unbond(&mut w);
    w.advance_to(t - 1);
    let staker = w.staker.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
    });
    assert_eq!(
        e,
        PoolError::NothingUnbonded {
            next_release: Some(t)
        }
    );
    w.s.check();
}

#[test]
fn attack_timing_unbonding_release_at_t() {
    // The release time is inclusive.
    let mut w = world();
    let t = unbond(&mut w);
    w.advance_to(t);
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 100);
    w.s.check();
}

#[test]
fn attack_timing_unbonding_release_at_t_plus_1() {
    let mut w = world();
    let t = unbond(&mut w);
    w.advance_to(t + 1);
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 100);
    assert!(staker_of(&w.s, &staker).unbonding.is_empty());
    w.s.check();
}

#[test]
fn attack_timing_challenge_at_window_end_minus_1() {
    // Challenges are taken strictly before claimable_at.
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    w.challenge();
    assert_eq!(roots(&w.s).pending.unwrap().status, RootStatus::Challenged);
    w.s.check();
}

fn late_challenge_refused(offset: u64) {
    let mut w = world();
    let t = w.post();
    w.advance_to(t + offset);
    let (challenger, pool) = (w.challenger.clone(), w.s.pool.clone());
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&challenger, &pool, DEFAULT_CHALLENGE_BOND.u128(), &hook)
    });
    assert_eq!(
        e,
        PoolError::ChallengeWindowClosed {
            datanet_id: 2,
            epoch: 1,
            closed_at: t
        }
    );
    w.s.check();
}

#[test]
fn attack_timing_challenge_at_window_end() {
    late_challenge_refused(0);
}

#[test]
fn attack_timing_challenge_at_window_end_plus_1() {
    late_challenge_refused(1);
}

#[test]
fn attack_timing_claim_at_window_end_minus_1() {
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    let alice = w.alice.clone();
    let msg = w.claim_alice(1, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        PoolError::RootInChallengeWindow {
            datanet_id: 2,
            epoch: 1,
            claimable_at: t
        }
    );
    w.s.check();
}

fn claim_at(offset: u64) {
    let mut w = world();
    let t = w.post();
    w.advance_to(t + offset);
    let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
    let msg = w.claim_alice(1, ALICE_LEAF);
    w.s.pool_exec(&alice, &msg).unwrap();
    w.s.moved(&pool, &alice, ALICE_LEAF);
    w.s.check();
}

#[test]
fn attack_timing_claim_at_window_end() {
    claim_at(0);
}

#[test]
fn attack_timing_claim_at_window_end_plus_1() {
    claim_at(1);
}

#[test]
fn attack_timing_next_root_at_window_end_minus_1_and_at_t() {
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    let attestor = w.attestor.clone();
    let e = refused::<PoolError>(&mut w.s, |s| s.post_root(&attestor, 2, &w.tree));
    assert_eq!(
        e,
        PoolError::PendingRootInWindow {
            datanet_id: 2,
            epoch: 1,
            claimable_at: t
        }
    );
    w.s.advance(1);
    w.s.post_root(&attestor, 2, &w.tree).unwrap();
    let r = roots(&w.s);
    assert_eq!(
        (r.claimable.unwrap().epoch, r.pending.unwrap().epoch),
        (1, 2)
    );
    w.s.check();
}

#[test]
fn attack_timing_attestor_removal_at_lock_end_minus_1_then_t() {
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    let (deployer, attestor, pool) = (w.deployer.clone(), w.attestor.clone(), w.s.pool.clone());
    let remove = PoolExec::UpdateAttestors {
        add: vec![],
        remove: vec![attestor.to_string()],
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &remove));
    assert_eq!(
        e,
        PoolError::AttestorBondLocked {
            address: attestor.to_string(),
            until: t
        }
    );
    w.s.advance(1);
    w.s.pool_exec(&deployer, &remove).unwrap();
    w.s.moved(&pool, &attestor, DEFAULT_ATTESTOR_BOND.u128());
    w.s.check();
}

fn offer_pool_then_wait(offset: i64) -> World {
    let mut w = world();
    let (deployer, bob) = (w.deployer.clone(), w.bob.clone());
    let t = w.s.app.block_info().time.plus_seconds(100);
    w.s.pool_exec(
        &deployer,
        &transfer_ownership(bob.as_str(), Some(json!({ "at_time": t }))),
    )
    .unwrap();
    w.s.advance((100 + offset) as u64);
    w
}

#[test]
fn attack_timing_ownership_offer_accepted_at_expiry_minus_1() {
    let mut w = offer_pool_then_wait(-1);
    let bob = w.bob.clone();
    w.s.pool_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry() {
    let mut w = offer_pool_then_wait(0);
    let bob = w.bob.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry_plus_1() {
    let mut w = offer_pool_then_wait(1);
    let bob = w.bob.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.check();
}

/// Alice allows bob 10 until `now + 100 s`; returns the world at `expiry + offset`.
fn allowance_then_wait(offset: i64) -> World {
    let mut w = world();
    let (alice, bob, token) = (w.alice.clone(), w.bob.clone(), w.s.token.clone());
    let t = w.s.app.block_info().time.plus_seconds(100);
    w.s.app
        .execute_contract(
            alice,
            token,
            &Cw20ExecuteMsg::IncreaseAllowance {
                spender: bob.to_string(),
                amount: Uint128::new(10),
                expires: Some(Expiration::AtTime(t)),
            },
            &[],
        )
        .unwrap();
    w.s.advance((100 + offset) as u64);
    w
}

fn spend_allowance(s: &mut Suite, alice: &Addr, bob: &Addr) -> anyhow::Result<AppResponse> {
    let token = s.token.clone();
    s.app.execute_contract(
        bob.clone(),
        token,
        &Cw20ExecuteMsg::TransferFrom {
            owner: alice.to_string(),
            recipient: bob.to_string(),
            amount: Uint128::new(10),
        },
        &[],
    )
}

#[test]
fn attack_timing_token_allowance_spent_at_expiry_minus_1() {
    let mut w = allowance_then_wait(-1);
    let (alice, bob) = (w.alice.clone(), w.bob.clone());
    spend_allowance(&mut w.s, &alice, &bob).unwrap();
    w.s.moved(&alice, &bob, 10);
    w.s.check();
}

#[test]
fn attack_timing_token_allowance_refused_at_expiry() {
    let mut w = allowance_then_wait(0);
    let (alice, bob) = (w.alice.clone(), w.bob.clone());
    let e = w.s.refused(|s| spend_allowance(s, &alice, &bob));
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Allowance is expired");
    w.s.check();
}

#[test]
fn attack_timing_token_allowance_refused_at_expiry_plus_1() {
    let mut w = allowance_then_wait(1);
    let (alice, bob) = (w.alice.clone(), w.bob.clone());
    let e = w.s.refused(|s| spend_allowance(s, &alice, &bob));
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Allowance is expired");
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// OPEN token: authorization and amounts
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_auth_token_transfer_from_without_allowance() {
    let mut w = world();
    let (alice, mallory) = (w.alice.clone(), w.mallory.clone());
    let e = w.s.refused(|s| spend_allowance(s, &alice, &mallory));
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "No allowance for this account");
    w.s.check();
}

#[test]
fn attack_auth_token_mint_without_a_minter() {
    let mut w = world();
    let (mallory, token) = (w.mallory.clone(), w.s.token.clone());
    let e = w.s.refused(|s| {
        s.app.execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Mint {
                recipient: mallory.to_string(),
                amount: Uint128::new(1_000_000),
            },
            &[],
        )
    });
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Unauthorized");
    w.s.check();
}

#[test]
fn attack_amount_token_transfer_one_more_than_the_balance() {
    let mut w = world();
    let (alice, bob, token) = (w.alice.clone(), w.bob.clone(), w.s.token.clone());
    let balance = w.s.balance(&alice);
    let e = w.s.refused(|s| {
        s.app.execute_contract(
            alice.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: bob.to_string(),
                amount: Uint128::new(balance + 1),
            },
            &[],
        )
    });
    let e = e.downcast::<open_token::ContractError>().unwrap();
    // cosmwasm-std 2 no longer names the operands of an overflow.
    assert_eq!(e.to_string(), "Overflow: Cannot Sub with given operands");
    assert_eq!(w.s.balance(&alice), balance);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Direct token donations and spam
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_donation_plain_transfer_to_the_pool() {
    let mut w = world();
    let (mallory, pool, token) = (w.mallory.clone(), w.s.pool.clone(), w.s.token.clone());
    let before = solvency(&w.s);
    w.s.app
        .execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: pool.to_string(),
                amount: Uint128::new(4_321),
            },
            &[],
        )
        .unwrap();
    w.s.moved(&mallory, &pool, 4_321);
    let after = solvency(&w.s);
    assert_eq!(after.balance, before.balance + Uint128::new(4_321));
    assert_eq!(after.liabilities, before.liabilities);
    assert_eq!(after.total_liabilities, before.total_liabilities);
    assert!(after.solvent);
    // Nobody can take the donation as their own.
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::Claim { datanet_ids: None })
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &mallory,
            &PoolExec::Unstake {
                amount: Uint128::new(4_321),
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientStake {
            staked: Uint128::zero(),
            requested: Uint128::new(4_321)
        }
    );
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::WithdrawUnbonded {})
    });
    assert_eq!(e, PoolError::NothingUnbonded { next_release: None });
    // Not even the owner: the donation is not treasury.
    let deployer = w.deployer.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::new(TREASURY + 1),
                recipient: None,
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientTreasury {
            available: Uint128::new(TREASURY),
            requested: Uint128::new(TREASURY + 1)
        }
    );
    // Every real claimant is paid exactly what it is owed; the donation stays as surplus.
    let (alice, staker) = (w.alice.clone(), w.staker.clone());
    w.s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
        .unwrap();
    w.s.moved(&pool, &alice, DATANET_REWARD);
    w.s.pool_exec(&staker, &PoolExec::ClaimStakingRewards {})
        .unwrap();
    w.s.moved(&pool, &staker, STAKER_REWARD);
    let end = solvency(&w.s);
    assert_eq!(
        end.balance - end.total_liabilities,
        before.balance - before.total_liabilities + Uint128::new(4_321)
    );
    w.s.check();
}

#[test]
fn attack_donation_to_an_influence_bucket_does_not_raise_its_cap() {
    // A plain transfer is not a distribution: roots may still allocate only what arrived
    // through `distribute`.
    let mut w = world();
    let (mallory, pool, token, attestor) = (
        w.mallory.clone(),
        w.s.pool.clone(),
        w.s.token.clone(),
        w.attestor.clone(),
    );
    w.s.app
        .execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: pool.to_string(),
                amount: Uint128::new(5_000),
            },
            &[],
        )
        .unwrap();
    w.s.moved(&mallory, &pool, 5_000);
    let msg = PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: HexBinary::from([3u8; 32].as_slice()),
        cumulative_total: Uint128::new(BUCKET + 1),
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &msg));
    assert_eq!(
        e,
        PoolError::RootExceedsBucket {
            datanet_id: 2,
            cumulative_total: Uint128::new(BUCKET + 1),
            received: Uint128::new(BUCKET)
        }
    );
    assert_eq!(roots(&w.s).total_received.u128(), BUCKET);
    w.s.check();
}

#[test]
fn attack_spam_unbonding_entries_up_to_the_cap_then_one_more() {
    // Each unstake opens an entry; 16 is the cap. The 17th is refused until matured entries
    // are withdrawn, which frees the slots.
    let mut w = world();
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    for _ in 0..16 {
        w.s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::one(),
            },
        )
        .unwrap();
    }
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::one(),
            },
        )
    });
    assert_eq!(e, PoolError::TooManyUnbonding { max: 16 });
    assert_eq!(staker_of(&w.s, &staker).unbonding.len(), 16);
    w.s.advance(UNBONDING_PERIOD);
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 16);
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::one(),
        },
    )
    .unwrap();
    assert_eq!(staker_of(&w.s, &staker).staked.u128(), STAKE - 17);
    w.s.check();
}

#[test]
fn attack_spam_tiny_distributions_keep_the_pool_solvent() {
    // Many one-unit distributions to a datanet whose weight does not divide them: each unit is
    // credited or sent to the treasury as dust, never lost and never over-credited.
    let heavy = std::env::var("OPENLEDGER_HEAVY").as_deref() == Ok("1");
    let n: u128 = if heavy { 2_000 } else { 100 };
    let mut w = world();
    let (registry, bob, mallory, pool) = (
        w.registry.clone(),
        w.bob.clone(),
        w.mallory.clone(),
        w.s.pool.clone(),
    );
    // Weights 10 (alice) and 20 (bob): a unit splits into thirds.
    w.s.pool_exec(&registry, &weights(1, vec![(bob.to_string(), 20)]))
        .unwrap();
    let before: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    let treasury_before = w.s.treasury();
    for _ in 0..n {
        w.s.send(&mallory, &pool, 1, &distribute(vec![to_datanet(1, 1)]))
            .unwrap();
        w.s.moved(&mallory, &pool, 1);
    }
    let after: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    let credited = (after.total_distributed - before.total_distributed).u128();
    let dust = w.s.treasury() - treasury_before;
    assert_eq!(credited + dust, n);
    // Pay everyone: what they get never exceeds what was credited.
    let alice = w.alice.clone();
    let mut paid = 0;
    for who in [&alice, &bob] {
        let r: PendingRewardsResponse = w.s.query_pool(&PoolQuery::PendingRewards {
            address: who.to_string(),
            datanet_ids: Some(vec![1]),
        });
        let amount = r.total.u128();
        if amount > 0 {
            w.s.pool_exec(who, &PoolExec::Claim { datanet_ids: None })
                .unwrap();
            w.s.moved(&pool, who, amount);
            paid += amount;
        }
    }
    assert!(paid <= DATANET_REWARD + credited, "{paid}");
    w.s.check();
}
