//! Adversarial suite of the reward pool and the OPEN token: one test per attack. Every refused
//! attack asserts its exact error and, through `refused`, that no contract's storage and no
//! party's OPEN or native balance changed; attacks accepted by design (a plain donation,
//! duplicate allocations, unbonding spam up to the cap) assert their exact outcome. Every test
//! ends with `Suite::check` (ledger, supply, solvency).

pub use cosmwasm_std::{coins, to_json_binary, Addr, Binary, HexBinary, Uint128};
pub use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg, Expiration};
pub use cw_multi_test::{AppResponse, Executor};
pub use cw_utils::PaymentError;
pub use openledger_common::msg::datanet_registry::{
    ContributionPolicy, ExecuteMsg as RegExec, NewContribution, NewDatanet, ReceiveMsg as RegHook,
    ReviewDecision,
};
pub use openledger_common::msg::reward_pool::{
    Allocation, AttestorResponse, AttributionMode, DatanetPoolResponse, ExecuteMsg as PoolExec,
    PendingRewardsResponse, QueryMsg as PoolQuery, ReceiveMsg as PoolHook, RootStatus,
    SolvencyResponse, StakerResponse, WeightUpdate, DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND,
    DEFAULT_CHALLENGE_WINDOW, DEFAULT_STAKING_REWARD_PERIOD,
};
pub use openledger_common::HookError;
pub use openledger_tests::attack::{
    self, assert_invalid_address as invalid_address, NOT_OWNER, NOT_PENDING_OWNER, NO_OWNER,
    TRANSFER_EXPIRED, TRANSFER_NOT_FOUND,
};
pub use openledger_tests::{
    data_hash, influence_entries, refused, AttributionTree, Suite, SuiteBuilder, UNBONDING_PERIOD,
};
pub use reward_pool::ContractError as PoolError;
pub use serde_json::json;

/// Native denomination of the bank-funded senders.
pub const DENOM: &str = "uinj";
/// A valid bech32 address of another chain (cosmos1 prefix).
pub const COSMOS_ADDR: &str = "cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";
/// Distributed to weight datanet 1 (alice holds all its weight).
pub const DATANET_REWARD: u128 = 1_000;
/// The staker's stake.
pub const STAKE: u128 = 5_000;
/// Distributed to stakers.
pub const STAKER_REWARD: u128 = 300;
/// Distributed to the treasury.
pub const TREASURY: u128 = 500;
/// Received by influence datanet 2.
pub const BUCKET: u128 = 20_000;
/// Alice's leaf in the tree of datanet 2.
pub const ALICE_LEAF: u128 = 6_000;

/// The pool world: a view over a suite with a weight datanet, an influence datanet, a staker
/// and an attestor, naming the parties of the pool's tests.
pub struct World {
    /// The suite.
    pub s: Suite,
    /// Owner and curator of datanets 1 and 2.
    pub owner: Addr,
    /// Holds all the weight of datanet 1 and a leaf of the tree.
    pub alice: Addr,
    /// Holds a leaf of the tree.
    pub bob: Addr,
    /// Staked [`STAKE`].
    pub staker: Addr,
    /// Approved and bonded the minimum.
    pub attestor: Addr,
    /// Holds ten challenge bonds.
    pub challenger: Addr,
    /// The attacker.
    pub mallory: Addr,
    /// Owner of the pool and the registry.
    pub deployer: Addr,
    /// The registry.
    pub registry: Addr,
    /// Epoch 1 of datanet 2 (not posted yet): alice 6 000 and bob 3 000 among 16 leaves.
    pub tree: AttributionTree,
}

/// A wired suite with:
/// - weight datanet 1: alice holds all its weight (10) and has `DATANET_REWARD` to claim;
/// - influence datanet 2: its bucket holds `BUCKET`; an approved attestor bonded the minimum;
/// - the staker staked `STAKE` and has `STAKER_REWARD` to claim (streamed over the staking
///   reward period, which has passed); the treasury holds `TREASURY`.
pub fn world() -> World {
    let mut s = SuiteBuilder::new().build();
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
    // Version 1 holds alice: the datanet's fees reach her.
    s.registry_exec(&owner, &RegExec::PublishVersion { datanet_id: 1 })
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
                    version: None,
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
    pub fn post(&mut self) -> u64 {
        let attestor = self.attestor.clone();
        self.s.post_root(&attestor, 1, &self.tree).unwrap();
        self.s.app.block_info().time.seconds() + DEFAULT_CHALLENGE_WINDOW
    }

    /// The challenger challenges epoch 1 of datanet 2 with the minimum bond.
    pub fn challenge(&mut self) {
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
    pub fn advance_to(&mut self, at: u64) {
        let now = self.s.app.block_info().time.seconds();
        self.s.advance(at - now);
    }

    /// Alice's claim of `amount` from datanet 2 against `epoch`, with her proof.
    pub fn claim_alice(&self, epoch: u64, amount: u128) -> PoolExec {
        let (_, proof) = self.tree.proof(self.alice.as_str());
        PoolExec::ClaimAttribution {
            datanet_id: 2,
            epoch,
            cumulative_amount: Uint128::new(amount),
            proof,
        }
    }
}

/// The pool's solvency report.
pub fn solvency(s: &Suite) -> SolvencyResponse {
    s.query_pool(&PoolQuery::Solvency {})
}

/// The pool's record of staker `who`.
pub fn staker_of(s: &Suite, who: &Addr) -> StakerResponse {
    s.query_pool(&PoolQuery::Staker {
        address: who.to_string(),
    })
}

/// The pool's record of attestor `who`.
pub fn attestor_of(s: &Suite, who: &Addr) -> AttestorResponse {
    s.query_pool(&PoolQuery::Attestor {
        address: who.to_string(),
    })
}

/// The attribution roots of datanet 2.
pub fn roots(s: &Suite) -> openledger_common::msg::reward_pool::AttributionRootResponse {
    s.query_pool(&PoolQuery::AttributionRoot { datanet_id: 2 })
}

/// The pool owner's two-step ownership message, as the wire JSON of cw-ownable.
pub fn ownership(action: serde_json::Value) -> PoolExec {
    attack::update_ownership(action)
}

/// The pool owner's offer of the pool to `new_owner` until `expiry`.
pub fn transfer_ownership(new_owner: &str, expiry: Option<serde_json::Value>) -> PoolExec {
    attack::transfer_ownership(new_owner, expiry)
}

/// The message of a cw-ownable error.
pub fn ownership_error(e: PoolError) -> String {
    match e {
        PoolError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

/// The refusal of a protocol contract where it could never use the tokens or the role.
pub fn self_reference(field: &str, address: &str, what: &str) -> PoolError {
    PoolError::InvalidAddress {
        field: field.into(),
        address: address.into(),
        reason: format!("{what} cannot be the {field}"),
    }
}

/// The refusal of `action`, which only the registry may send, from `sender`.
pub fn not_registry(action: &str, sender: &Addr) -> PoolError {
    PoolError::NotRegistry {
        action: action.into(),
        sender: sender.to_string(),
    }
}

/// The refusal of a hook from the cw20 `received` instead of OPEN.
pub fn unexpected_token(s: &Suite, received: &Addr) -> PoolError {
    PoolError::Hook(HookError::UnexpectedToken {
        expected: s.token.to_string(),
        received: received.to_string(),
    })
}

/// Whether `e` is an invalid-hook error.
pub fn is_invalid_hook(e: &PoolError) -> bool {
    matches!(e, PoolError::Hook(HookError::InvalidHook { .. }))
}

/// The registry's `update_weights` of `datanet_id` with `(address, weight)` pairs.
pub fn weights(datanet_id: u64, updates: Vec<(String, u64)>) -> PoolExec {
    PoolExec::UpdateWeights {
        datanet_id,
        updates: updates
            .into_iter()
            .map(|(address, weight)| WeightUpdate { address, weight })
            .collect(),
    }
}

/// A `distribute` hook with `allocations`.
pub fn distribute(allocations: Vec<Allocation>) -> PoolHook {
    PoolHook::Distribute { allocations }
}

/// An allocation of `amount` to datanet `id`.
pub fn to_datanet(id: u64, amount: u128) -> Allocation {
    Allocation::Datanet {
        id,
        amount: Uint128::new(amount),
        version: None,
    }
}

/// A second cw20 (same code as OPEN) holding 10 000 000 units for `holder`.
pub fn fake_token(s: &mut Suite, holder: &Addr) -> Addr {
    s.fake_token(holder, 10_000_000)
}

/// `from` sends `amount` of a fake OPEN to the pool with `hook`: refused as a wrong token,
/// nothing changes, and the fake balance of `from` is intact.
pub fn fake_token_refused(w: &mut World, from: &Addr, amount: u128, hook: &PoolHook) {
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
    assert_eq!(w.s.balance_in(&fake, from), 10_000_000);
    w.s.check();
}

/// `caller` executes the pool's `receive` itself with a forged wrapper naming `payer`.
pub fn forged_receive_refused(
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
pub fn raw_send(
    s: &mut Suite,
    from: &Addr,
    amount: u128,
    msg: &[u8],
) -> anyhow::Result<AppResponse> {
    let (token, pool) = (s.token.clone(), s.pool.clone());
    s.send_raw(&token, from, &pool, amount, Binary::from(msg))
}

/// `bob` spends 10 OPEN of `alice`'s allowance to him.
pub fn spend_allowance(s: &mut Suite, alice: &Addr, bob: &Addr) -> anyhow::Result<AppResponse> {
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
