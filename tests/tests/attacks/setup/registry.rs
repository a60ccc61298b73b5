//! Adversarial suite of the datanet registry: one test per attack, and the security review's
//! finding 12 with its class.
//!
//! Every refused attack asserts its exact error and, through `refused`, that no contract's
//! storage and no party's OPEN or native balance changed; attacks the registry accepts by
//! design (a plain donation, a harmless self-reference, contribution spam that pays a bond per
//! item) assert their exact outcome. Money is checked against amounts the test computes; every
//! test ends with `Suite::check` (ledger, supply, solvency).
//!
//! Finding 12: a pending contribution's data hash could be copied in front of its contributor
//! (0.2.0 kept the first `contribute` of a hash and refused every later one with
//! `DuplicateDataHash`, so whoever saw a `contribute` in the mempool could take the hash, its
//! weight and its rewards). DESIGN §6: a contributor may first `commit_contribution`
//! `sha256(data_hash ‖ contributor)` and `reveal_contribution` within a window; a pending copy
//! that claimed the hash after the commitment is then displaced. Its class, one attack per
//! variant (on [`commitment_world`]):
//! - commit-reveal itself: who may reveal, when, with what; a commitment placed in front of
//!   someone else's `contribute`; two commitments to one hash; holders that cannot be
//!   displaced; commitment spam;
//! - every number a participant chooses, at its worst value;
//! - every term that can change between a quote and its execution (creation fee, bond, policy,
//!   open/closed, curators, ownership);
//! - rewards for reporting (rejections, displacements) and where every bond lands;
//! - two-step ownership of a datanet.

pub use cosmwasm_std::{coins, to_json_binary, Addr, Binary, Uint128};
pub use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
pub use cw_multi_test::{AppResponse, Executor};
pub use cw_utils::PaymentError;
pub use datanet_registry::ContractError as RegError;
pub use openledger_common::msg::datanet_registry::{
    contribution_commitment, AttributionMode, CommitmentResponse, ConfigResponse,
    ContributionPolicy, ContributionResponse, ContributionStatus, ContributorResponse,
    DatanetResponse, DatanetStatus, ExecuteMsg as RegExec, NewContribution, NewDatanet,
    QueryMsg as RegQuery, ReceiveMsg as RegHook, RegistrySolvencyResponse, ReviewDecision,
    MAX_OPEN_COMMITMENTS, REVEAL_WINDOW_SECONDS,
};
pub use openledger_common::msg::reward_pool::{
    AttributionMode as PoolMode, DatanetPoolResponse, PositionResponse, QueryMsg as PoolQuery,
    ReceiveMsg as PoolHook,
};
pub use openledger_common::HookError;
pub use openledger_tests::attack::{
    self, assert_invalid_address as invalid_address, NOT_OWNER, NOT_PENDING_OWNER, NO_OWNER,
    TRANSFER_EXPIRED, TRANSFER_NOT_FOUND,
};
pub use openledger_tests::{data_hash, refused, Suite, SuiteBuilder};
pub use serde_json::json;

/// Creation fee of the registry of these tests.
pub const FEE: u128 = 100;
/// Bond of datanet 1.
pub const BOND: u128 = 50;
/// OPEN each party starts with.
pub const FUNDS: u128 = 10_000;
/// Native denomination of the bank-funded senders.
pub const DENOM: &str = "uinj";
/// A valid bech32 address of another chain (cosmos1 prefix).
pub const COSMOS_ADDR: &str = "cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";
/// The same bytes with another prefix.
pub const OSMO_ADDR: &str = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";

/// The registry world: a view over a suite whose registry charges [`FEE`] per datanet, naming
/// the parties of the registry's tests.
pub struct World {
    /// The suite.
    pub s: Suite,
    /// Owner of datanets 1 and 2.
    pub owner: Addr,
    /// Curator of datanet 1.
    pub curator: Addr,
    /// A contributor.
    pub alice: Addr,
    /// Another contributor.
    pub bob: Addr,
    /// The attacker.
    pub mallory: Addr,
    /// Owner of the registry and the pool.
    pub deployer: Addr,
}

/// A registry charging `FEE` per datanet, every party holding [`FUNDS`], with datanet 1
/// ("speech": weight mode, open, bond `BOND`, one curator) and datanet 2 ("vision": `vision`
/// mode, open, no bond, no curator). No contribution yet; the treasury holds the two creation
/// fees.
fn datanets(vision: AttributionMode) -> World {
    let mut s = SuiteBuilder::new().creation_fee(FEE).build();
    let [owner, curator, alice, bob, mallory] =
        ["owner", "curator", "alice", "bob", "mallory"].map(|n| s.addr(n));
    for who in [&owner, &curator, &alice, &bob, &mallory] {
        s.fund(who, FUNDS);
    }
    let (registry, pool) = (s.registry.clone(), s.pool.clone());
    for new in [
        weight_datanet("speech", BOND, vec![curator.to_string()]),
        new_datanet("vision", 0, vision, vec![]),
    ] {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
            .unwrap();
        s.moved(&owner, &pool, FEE);
    }
    assert_eq!(s.treasury(), 2 * FEE);
    s.check();
    let deployer = s.deployer.clone();
    World {
        s,
        owner,
        curator,
        alice,
        bob,
        mallory,
        deployer,
    }
}

/// The datanets of [`datanets`] (datanet 2 in influence mode) with contribution 1 by alice to
/// datanet 1, accepted with weight 10 (her bond withdrawable), contribution 2 by bob to
/// datanet 1, pending, and contribution 3 by alice to datanet 2, pending.
pub fn world() -> World {
    let mut w = datanets(AttributionMode::Influence);
    let registry = w.s.registry.clone();
    let s = &mut w.s;
    for (who, seed) in [(&w.alice, "a"), (&w.bob, "b")] {
        let hook = RegHook::Contribute(contribution(1, seed));
        s.send(who, &registry, BOND, &hook).unwrap();
        s.moved(who, &registry, BOND);
    }
    s.registry_exec(&w.alice, &RegExec::Contribute(contribution(2, "c")))
        .unwrap();
    s.registry_exec(&w.curator, &review(1, vec![accept(1, 10)]))
        .unwrap();
    s.check();
    w
}

/// The datanets of [`datanets`], both in weight mode, without contributions: the world of the
/// commit-reveal tests.
pub fn commitment_world() -> World {
    datanets(AttributionMode::Weight)
}

/// A datanet in weight mode (see [`new_datanet`]).
pub fn weight_datanet(name: &str, bond: u128, curators: Vec<String>) -> NewDatanet {
    new_datanet(name, bond, AttributionMode::Weight, curators)
}

/// An open datanet `name` with contribution bond `bond`, attribution `mode` and `curators`.
pub fn new_datanet(
    name: &str,
    bond: u128,
    mode: AttributionMode,
    curators: Vec<String>,
) -> NewDatanet {
    NewDatanet {
        name: name.into(),
        description: format!("{name} data"),
        metadata_uri: format!("ipfs://{name}"),
        curators,
        policy: ContributionPolicy::Open,
        contribution_bond: Uint128::new(bond),
        attribution_mode: mode,
    }
}

/// A contribution of the data `seed` to `datanet_id` (10 bytes, no licence note).
pub fn contribution(datanet_id: u64, seed: &str) -> NewContribution {
    NewContribution {
        datanet_id,
        data_hash: data_hash(seed),
        uri: format!("ipfs://{seed}"),
        size_bytes: 10,
        license_note: None,
    }
}

/// The `review_contributions` of `datanet_id` with `decisions`.
pub fn review(datanet_id: u64, decisions: Vec<ReviewDecision>) -> RegExec {
    RegExec::ReviewContributions {
        datanet_id,
        decisions,
    }
}

/// Accepts `contribution_id` with `weight`.
pub fn accept(contribution_id: u64, weight: u64) -> ReviewDecision {
    ReviewDecision::Accept {
        contribution_id,
        weight,
    }
}

/// Rejects `contribution_id` as spam.
pub fn reject(contribution_id: u64) -> ReviewDecision {
    ReviewDecision::Reject {
        contribution_id,
        reason: "spam".into(),
    }
}

/// Datanet `id` as the registry reports it.
pub fn datanet(s: &Suite, id: u64) -> DatanetResponse {
    s.query_registry(&RegQuery::Datanet { datanet_id: id })
}

/// Contribution `id` as the registry reports it.
pub fn contribution_of(s: &Suite, id: u64) -> ContributionResponse {
    s.query_registry(&RegQuery::Contribution {
        contribution_id: id,
    })
}

/// The registry's solvency report.
pub fn registry_solvency(s: &Suite) -> RegistrySolvencyResponse {
    s.query_registry(&RegQuery::Solvency {})
}

/// The bonds the registry holds for `who` to withdraw.
pub fn withdrawable(s: &Suite, who: &Addr) -> u128 {
    let r: Uint128 = s.query_registry(&RegQuery::WithdrawableBonds {
        address: who.to_string(),
    });
    r.u128()
}

/// A second cw20 (same code as OPEN, another contract) holding 10 000 units for `holder`.
pub fn fake_token(s: &mut Suite, holder: &Addr) -> Addr {
    s.fake_token(holder, 10_000)
}

/// The balance of `who` in the cw20 `token`.
pub fn balance_of(s: &Suite, token: &Addr, who: &Addr) -> u128 {
    s.balance_in(token, who)
}

/// `from` sends `amount` of the fake `token` to the registry with `hook`.
pub fn fake_send(
    s: &mut Suite,
    token: &Addr,
    from: &Addr,
    amount: u128,
    hook: Binary,
) -> anyhow::Result<AppResponse> {
    let registry = s.registry.clone();
    s.send_raw(token, from, &registry, amount, hook)
}

/// The refusal of a hook from the cw20 `received` instead of OPEN.
pub fn unexpected_token(s: &Suite, received: &Addr) -> RegError {
    RegError::Hook(HookError::UnexpectedToken {
        expected: s.token.to_string(),
        received: received.to_string(),
    })
}

/// Whether `e` is an invalid-hook error.
pub fn is_invalid_hook(e: &RegError) -> bool {
    matches!(e, RegError::Hook(HookError::InvalidHook { .. }))
}

/// `from` delivers raw hook bytes through a real OPEN `send`.
pub fn raw_send(
    s: &mut Suite,
    from: &Addr,
    amount: u128,
    msg: &[u8],
) -> anyhow::Result<AppResponse> {
    let (token, registry) = (s.token.clone(), s.registry.clone());
    s.send_raw(&token, from, &registry, amount, Binary::from(msg))
}

/// The registry owner's two-step ownership messages, as the wire JSON of cw-ownable.
pub fn ownership(action: serde_json::Value) -> RegExec {
    attack::update_ownership(action)
}

/// The registry owner's offer of the registry to `new_owner` until `expiry`.
pub fn transfer_ownership(new_owner: &str, expiry: Option<serde_json::Value>) -> RegExec {
    attack::transfer_ownership(new_owner, expiry)
}

/// The message of a cw-ownable error (each of its variants has its own).
pub fn ownership_error(e: RegError) -> String {
    match e {
        RegError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

/// The registry's current owner, if any.
pub fn registry_owner(s: &Suite) -> Option<String> {
    let o: serde_json::Value = s.query_registry(&RegQuery::Ownership {});
    o["owner"].as_str().map(str::to_string)
}

/// The value of the first attribute `key` of the wasm events of a response.
pub fn attr(res: &AppResponse, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .value
        .clone()
}

/// The id of the contribution a response created.
pub fn id_of(res: &AppResponse) -> u64 {
    attr(res, "contribution_id").parse().unwrap()
}

/// The commitment of `who` to the data `seed`.
pub fn commitment_of(seed: &str, who: &Addr) -> String {
    contribution_commitment(&data_hash(seed), who.as_str())
}

/// `who`'s `commit_contribution` to the data `seed` in `datanet_id`.
pub fn commit_msg(datanet_id: u64, seed: &str, who: &Addr) -> RegExec {
    RegExec::CommitContribution {
        datanet_id,
        commitment: commitment_of(seed, who),
    }
}

impl World {
    /// `who` commits to the data `seed` in `datanet_id`.
    pub fn commit(&mut self, who: &Addr, datanet_id: u64, seed: &str) {
        self.s
            .registry_exec(who, &commit_msg(datanet_id, seed, who))
            .unwrap();
    }

    /// `who` contributes `seed` to datanet 1 with its bond (`reveal`: as a reveal); the ledger
    /// records the bond.
    pub fn bonded(&mut self, who: &Addr, seed: &str, reveal: bool) -> u64 {
        let registry = self.s.registry.clone();
        let hook = if reveal {
            RegHook::RevealContribution(contribution(1, seed))
        } else {
            RegHook::Contribute(contribution(1, seed))
        };
        let res = self.s.send(who, &registry, BOND, &hook).unwrap();
        self.s.moved(who, &registry, BOND);
        id_of(&res)
    }

    /// Contribution `id` as the registry reports it.
    pub fn contribution(&self, id: u64) -> ContributionResponse {
        contribution_of(&self.s, id)
    }

    /// Datanet `id` as the registry reports it.
    pub fn datanet(&self, id: u64) -> DatanetResponse {
        datanet(&self.s, id)
    }

    /// The bonds the registry holds for `who` to withdraw.
    pub fn withdrawable(&self, who: &Addr) -> u128 {
        withdrawable(&self.s, who)
    }

    /// The registry's solvency report.
    pub fn solvency(&self) -> RegistrySolvencyResponse {
        registry_solvency(&self.s)
    }

    /// The weight of `who` in datanet `datanet_id` as the pool holds it.
    pub fn pool_weight(&self, datanet_id: u64, who: &Addr) -> u64 {
        let p: PositionResponse = self.s.query_pool(&PoolQuery::Position {
            datanet_id,
            address: who.to_string(),
        });
        p.weight
    }

    /// `who` reviews contributions of `datanet_id` with `decisions`.
    pub fn review(&mut self, who: &Addr, datanet_id: u64, decisions: Vec<ReviewDecision>) {
        self.s
            .registry_exec(who, &review(datanet_id, decisions))
            .unwrap();
    }

    /// `who` collects its returned bonds; the ledger records them.
    pub fn withdraw_bonds(&mut self, who: &Addr, expected: u128) {
        let registry = self.s.registry.clone();
        let res = self
            .s
            .registry_exec(who, &RegExec::WithdrawBonds {})
            .unwrap();
        assert_eq!(attr(&res, "amount"), expected.to_string());
        self.s.moved(&registry, who, expected);
    }
}
