//! Unit tests of influence attribution: attestors, roots, challenges, claims, timing bounds,
//! configuration and the migration of pools instantiated before attribution roots existed.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi, MockQuerier};
use cosmwasm_std::{
    from_json, to_json_binary, Addr, CosmosMsg, Env, HexBinary, MemoryStorage, OwnedDeps, Response,
    Uint128, WasmMsg,
};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use openledger_common::merkle::{leaf_hash, Entry, MerkleTree};
use openledger_common::msg::reward_pool::{
    Allocation, AttestorResponse, AttestorsResponse, AttributionClaimableResponse, AttributionMode,
    AttributionRootResponse, ChallengeResponse, ChallengeStatus, ClaimedResponse, ConfigResponse,
    ExecuteMsg, MigrateMsg, QueryMsg, ReceiveMsg, RootStatus, DEFAULT_ATTESTOR_BOND,
    DEFAULT_CHALLENGE_BOND, DEFAULT_CHALLENGE_WINDOW, MAX_CHALLENGE_WINDOW,
};
use openledger_common::{HookError, PaginationError};

use crate::contract::{execute, migrate, query};
use crate::state::{ATTRIBUTION_CONFIG, BOND_TOTALS, DATANETS, INFLUENCE, TREASURY};
use crate::tests::instantiate_pool;
use crate::ContractError;

type Deps = OwnedDeps<MemoryStorage, MockApi, MockQuerier>;

const WINDOW: u64 = 100;
const ABOND: u128 = 1_000;
const CBOND: u128 = 500;
/// The influence datanet of every test; 2 is a weight-mode datanet.
const DN: u64 = 1;

struct T {
    deps: Deps,
    owner: Addr,
    token: Addr,
    registry: Addr,
    attestor: Addr,
    alice: Addr,
    bob: Addr,
    carol: Addr,
    /// Seconds since the start of `mock_env()`.
    now: u64,
}

impl T {
    fn env(&self) -> Env {
        let mut env = mock_env();
        env.block.time = env.block.time.plus_seconds(self.now);
        env
    }

    /// The block time of `self.env()` in seconds.
    fn time(&self) -> u64 {
        self.env().block.time.seconds()
    }

    fn exec(&mut self, sender: &Addr, msg: ExecuteMsg) -> Result<Response, ContractError> {
        let env = self.env();
        execute(self.deps.as_mut(), env, message_info(sender, &[]), msg)
    }

    fn hook(
        &mut self,
        from: &Addr,
        amount: u128,
        msg: &ReceiveMsg,
    ) -> Result<Response, ContractError> {
        let token = self.token.clone();
        self.exec(
            &token,
            ExecuteMsg::Receive(Cw20ReceiveMsg {
                sender: from.to_string(),
                amount: Uint128::new(amount),
                msg: to_json_binary(msg).unwrap(),
            }),
        )
    }

    fn query<R: cosmwasm_schema::serde::de::DeserializeOwned>(
        &self,
        msg: QueryMsg,
    ) -> Result<R, ContractError> {
        query(self.deps.as_ref(), self.env(), msg).map(|b| from_json(b).unwrap())
    }

    fn distribute(&mut self, id: u64, amount: u128) {
        let owner = self.owner.clone();
        self.hook(
            &owner,
            amount,
            &ReceiveMsg::Distribute {
                allocations: vec![Allocation::Datanet {
                    id,
                    amount: Uint128::new(amount),
                    version: None,
                }],
            },
        )
        .unwrap();
    }

    fn register(&mut self, datanet_id: u64, mode: AttributionMode) {
        let registry = self.registry.clone();
        self.exec(&registry, ExecuteMsg::RegisterDatanet { datanet_id, mode })
            .unwrap();
    }

    /// The owner, alice, carol and the attestor.
    fn roles(&self) -> (Addr, Addr, Addr, Addr) {
        (
            self.owner.clone(),
            self.alice.clone(),
            self.carol.clone(),
            self.attestor.clone(),
        )
    }

    fn post(&mut self, epoch: u64, tree: &Tree) -> Result<Response, ContractError> {
        let attestor = self.attestor.clone();
        self.post_as(&attestor, DN, epoch, tree.root(), tree.total)
    }

    fn post_as(
        &mut self,
        who: &Addr,
        datanet_id: u64,
        epoch: u64,
        root: HexBinary,
        total: u128,
    ) -> Result<Response, ContractError> {
        self.exec(
            who,
            ExecuteMsg::PostAttributionRoot {
                datanet_id,
                epoch,
                root,
                cumulative_total: Uint128::new(total),
                version: None,
            },
        )
    }

    fn claim(&mut self, who: &Addr, epoch: u64, tree: &Tree) -> Result<Response, ContractError> {
        let (amount, proof) = tree.proof(who);
        self.exec(
            who,
            ExecuteMsg::ClaimAttribution {
                datanet_id: DN,
                epoch,
                cumulative_amount: Uint128::new(amount),
                proof,
            },
        )
    }

    fn challenge(&mut self, who: &Addr, epoch: u64, bond: u128) -> Result<Response, ContractError> {
        self.hook(
            who,
            bond,
            &ReceiveMsg::ChallengeRoot {
                datanet_id: DN,
                epoch,
            },
        )
    }

    fn resolve(&mut self, who: &Addr, epoch: u64, void: bool) -> Result<Response, ContractError> {
        self.exec(
            who,
            ExecuteMsg::ResolveChallenge {
                datanet_id: DN,
                epoch,
                void,
            },
        )
    }

    fn roots(&self) -> AttributionRootResponse {
        self.query(QueryMsg::AttributionRoot { datanet_id: DN })
            .unwrap()
    }

    fn attestor_info(&self, who: &Addr) -> AttestorResponse {
        self.query(QueryMsg::Attestor {
            address: who.to_string(),
        })
        .unwrap()
    }

    fn bonds(&self) -> (u128, u128) {
        let b = BOND_TOTALS.load(&self.deps.storage).unwrap();
        (b.attestor_bonds.u128(), b.challenge_bonds.u128())
    }

    fn challenge_rewards(&self) -> u128 {
        BOND_TOTALS
            .load(&self.deps.storage)
            .unwrap()
            .challenge_rewards
            .u128()
    }

    fn withdraw(&mut self, who: &Addr) -> Result<Response, ContractError> {
        self.exec(who, ExecuteMsg::WithdrawChallenge { datanet_id: DN })
    }

    fn challenge_of(&self, who: &Addr) -> Result<ChallengeResponse, ContractError> {
        self.query(QueryMsg::Challenge {
            datanet_id: DN,
            address: who.to_string(),
        })
    }
}

/// A tree over named accounts, in datanet `DN`.
struct Tree {
    entries: Vec<Entry>,
    tree: MerkleTree,
    total: u128,
}

impl Tree {
    fn new(entries: &[(&Addr, u128)]) -> Self {
        Self::in_datanet(DN, entries)
    }

    fn in_datanet(datanet_id: u64, entries: &[(&Addr, u128)]) -> Self {
        let entries: Vec<Entry> = entries
            .iter()
            .map(|(a, v)| Entry {
                address: a.to_string(),
                cumulative_amount: *v,
            })
            .collect();
        let tree = MerkleTree::from_entries(datanet_id, &entries).unwrap();
        let total = entries.iter().map(|e| e.cumulative_amount).sum();
        Tree {
            entries,
            tree,
            total,
        }
    }

    fn root(&self) -> HexBinary {
        HexBinary::from(self.tree.root().as_slice())
    }

    fn proof(&self, who: &Addr) -> (u128, Vec<HexBinary>) {
        let e = self
            .entries
            .iter()
            .find(|e| e.address == who.as_str())
            .unwrap();
        let leaf = self
            .tree
            .leaves()
            .iter()
            .position(|l| *l == leaf_hash(DN, &e.address, e.cumulative_amount).unwrap())
            .unwrap();
        let proof = self
            .tree
            .proof_at(leaf)
            .iter()
            .map(|h| HexBinary::from(h.as_slice()))
            .collect();
        (e.cumulative_amount, proof)
    }
}

/// The single cw20 transfer a response carries: (recipient, amount).
fn transfer_of(res: &Response) -> (String, u128) {
    assert_eq!(res.messages.len(), 1, "{res:?}");
    match &res.messages[0].msg {
        CosmosMsg::Wasm(WasmMsg::Execute { msg, .. }) => match from_json(msg).unwrap() {
            Cw20ExecuteMsg::Transfer { recipient, amount } => (recipient, amount.u128()),
            other => panic!("unexpected cw20 message {other:?}"),
        },
        other => panic!("unexpected message {other:?}"),
    }
}

fn attr<'a>(res: &'a Response, key: &str) -> &'a str {
    res.attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
        .unwrap_or_else(|| panic!("no attribute {key} in {res:?}"))
}

/// A pool with an influence datanet `DN` holding 10 000, a weight datanet 2, the attribution
/// config (window 100 s, bonds 1 000 / 500) and a bonded attestor.
fn setup() -> T {
    let deps = mock_dependencies();
    let api = deps.api;
    let mut t = T {
        owner: api.addr_make("owner"),
        token: api.addr_make("open"),
        registry: api.addr_make("registry"),
        attestor: api.addr_make("attestor"),
        alice: api.addr_make("alice"),
        bob: api.addr_make("bob"),
        carol: api.addr_make("carol"),
        deps,
        now: 0,
    };
    instantiate_pool(&mut t.deps, &t.owner, &t.token, Some(&t.registry), 10).unwrap();
    let (owner, _, _, attestor) = t.roles();
    for (id, mode) in [
        (DN, AttributionMode::Influence),
        (2, AttributionMode::Weight),
    ] {
        t.register(id, mode);
    }
    t.exec(
        &owner,
        ExecuteMsg::UpdateAttributionConfig {
            challenge_window: Some(WINDOW),
            attestor_bond: Some(Uint128::new(ABOND)),
            challenge_bond: Some(Uint128::new(CBOND)),
        },
    )
    .unwrap();
    t.exec(
        &owner,
        ExecuteMsg::UpdateAttestors {
            add: vec![attestor.to_string()],
            remove: vec![],
        },
    )
    .unwrap();
    t.hook(&attestor, ABOND, &ReceiveMsg::BondAttestor {})
        .unwrap();
    t.distribute(DN, 10_000);
    t
}

#[test]
fn instantiate_sets_default_attribution_config_and_owner_changes_it_within_bounds() {
    let mut deps = mock_dependencies();
    let owner = deps.api.addr_make("owner");
    let token = deps.api.addr_make("open");
    instantiate_pool(&mut deps, &owner, &token, None, 1).unwrap();
    let c: ConfigResponse =
        from_json(query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap()).unwrap();
    assert_eq!(
        (c.challenge_window, c.attestor_bond, c.challenge_bond),
        (
            DEFAULT_CHALLENGE_WINDOW,
            DEFAULT_ATTESTOR_BOND,
            DEFAULT_CHALLENGE_BOND
        )
    );

    let mut t = setup();
    let (owner, alice) = (t.owner.clone(), t.alice.clone());
    let update =
        |w: Option<u64>, a: Option<u128>, c: Option<u128>| ExecuteMsg::UpdateAttributionConfig {
            challenge_window: w,
            attestor_bond: a.map(Uint128::new),
            challenge_bond: c.map(Uint128::new),
        };
    assert_eq!(
        t.exec(&alice, update(Some(5), None, None)).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    for w in [0, MAX_CHALLENGE_WINDOW + 1] {
        assert_eq!(
            t.exec(&owner, update(Some(w), None, None)).unwrap_err(),
            ContractError::InvalidChallengeWindow {
                window: w,
                min: 1,
                max: MAX_CHALLENGE_WINDOW
            }
        );
    }
    assert_eq!(
        t.exec(&owner, update(None, Some(0), None)).unwrap_err(),
        ContractError::ZeroBond {
            field: "attestor_bond".into()
        }
    );
    assert_eq!(
        t.exec(&owner, update(None, None, Some(0))).unwrap_err(),
        ContractError::ZeroBond {
            field: "challenge_bond".into()
        }
    );
    t.exec(&owner, update(Some(MAX_CHALLENGE_WINDOW), None, Some(7)))
        .unwrap();
    let c: ConfigResponse = t.query(QueryMsg::Config {}).unwrap();
    assert_eq!(
        (
            c.challenge_window,
            c.attestor_bond.u128(),
            c.challenge_bond.u128()
        ),
        (MAX_CHALLENGE_WINDOW, ABOND, 7)
    );
}

#[test]
fn attestors_are_approved_bonded_listed_and_removed_by_the_owner_only() {
    let mut t = setup();
    let (owner, alice, bob, attestor) = (
        t.owner.clone(),
        t.alice.clone(),
        t.bob.clone(),
        t.attestor.clone(),
    );
    let upd = |add: Vec<&Addr>, remove: Vec<&Addr>| ExecuteMsg::UpdateAttestors {
        add: add.iter().map(|a| a.to_string()).collect(),
        remove: remove.iter().map(|a| a.to_string()).collect(),
    };
    assert_eq!(
        t.exec(&alice, upd(vec![&alice], vec![])).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    let many: Vec<Addr> = (0..51)
        .map(|i| t.deps.api.addr_make(&format!("a{i}")))
        .collect();
    assert_eq!(
        t.exec(&owner, upd(many.iter().collect(), vec![]))
            .unwrap_err(),
        ContractError::TooManyAttestorUpdates { got: 51, max: 50 }
    );
    assert_eq!(
        t.exec(&owner, upd(vec![&alice], vec![&alice])).unwrap_err(),
        ContractError::DuplicateAddress {
            address: alice.to_string()
        }
    );
    assert_eq!(
        t.exec(&owner, upd(vec![], vec![&bob])).unwrap_err(),
        ContractError::NotAttestor {
            address: bob.to_string()
        }
    );
    assert_eq!(
        t.exec(
            &owner,
            ExecuteMsg::UpdateAttestors {
                add: vec!["NotAnAddress".into()],
                remove: vec![]
            }
        )
        .unwrap_err(),
        ContractError::InvalidAddress {
            field: "attestor".into(),
            address: "NotAnAddress".into(),
            reason: cosmwasm_std::Api::addr_validate(&t.deps.api, "NotAnAddress")
                .unwrap_err()
                .to_string()
        }
    );

    // Only approved attestors may bond.
    assert_eq!(
        t.hook(&bob, 5, &ReceiveMsg::BondAttestor {}).unwrap_err(),
        ContractError::NotAttestor {
            address: bob.to_string()
        }
    );
    t.exec(&owner, upd(vec![&bob, &alice], vec![])).unwrap();
    t.hook(&bob, 400, &ReceiveMsg::BondAttestor {}).unwrap();
    let res = t.hook(&bob, 700, &ReceiveMsg::BondAttestor {}).unwrap();
    assert_eq!(attr(&res, "bond"), "1100");
    assert_eq!(t.bonds(), (ABOND + 1_100, 0));
    // Re-approving keeps the bond.
    t.exec(&owner, upd(vec![&bob], vec![])).unwrap();
    let b = t.attestor_info(&bob);
    assert_eq!((b.approved, b.bond.u128(), b.can_post), (true, 1_100, true));
    let a = t.attestor_info(&alice);
    assert_eq!((a.approved, a.bond.u128(), a.can_post), (true, 0, false));
    let stranger = t.attestor_info(&t.carol.clone());
    assert_eq!((stranger.approved, stranger.can_post), (false, false));

    // Listed in address order, paginated.
    let mut expected = [alice.clone(), bob.clone(), attestor.clone()];
    expected.sort();
    let page: AttestorsResponse = t
        .query(QueryMsg::Attestors {
            start_after: None,
            limit: Some(2),
        })
        .unwrap();
    assert_eq!(
        page.attestors
            .iter()
            .map(|a| &a.address)
            .collect::<Vec<_>>(),
        expected[..2].iter().collect::<Vec<_>>()
    );
    let rest: AttestorsResponse = t
        .query(QueryMsg::Attestors {
            start_after: Some(expected[1].to_string()),
            limit: None,
        })
        .unwrap();
    assert_eq!(rest.attestors.len(), 1);
    assert_eq!(rest.attestors[0].address, expected[2]);
    assert_eq!(
        t.query::<AttestorsResponse>(QueryMsg::Attestors {
            start_after: None,
            limit: Some(51)
        })
        .unwrap_err(),
        ContractError::Pagination(PaginationError::LimitOutOfRange { limit: 51, max: 50 })
    );

    // Removal returns the bond in the same transaction.
    let res = t.exec(&owner, upd(vec![], vec![&bob, &alice])).unwrap();
    assert_eq!(transfer_of(&res), (bob.to_string(), 1_100));
    assert_eq!(t.bonds(), (ABOND, 0));
    assert!(!t.attestor_info(&bob).approved);
}

#[test]
fn post_checks_attestor_bond_datanet_epoch_and_bucket() {
    let mut t = setup();
    let (owner, alice, attestor) = (t.owner.clone(), t.alice.clone(), t.attestor.clone());
    let tree = Tree::new(&[(&alice, 6_000), (&t.bob.clone(), 4_000)]);
    assert_eq!(
        t.post_as(&alice, DN, 1, tree.root(), 10_000).unwrap_err(),
        ContractError::NotAttestor {
            address: alice.to_string()
        }
    );
    // Approved but under-bonded.
    t.exec(
        &owner,
        ExecuteMsg::UpdateAttestors {
            add: vec![alice.to_string()],
            remove: vec![],
        },
    )
    .unwrap();
    t.hook(&alice, ABOND - 1, &ReceiveMsg::BondAttestor {})
        .unwrap();
    assert_eq!(
        t.post_as(&alice, DN, 1, tree.root(), 10_000).unwrap_err(),
        ContractError::AttestorBondTooLow {
            address: alice.to_string(),
            required: Uint128::new(ABOND),
            bonded: Uint128::new(ABOND - 1),
            reserved: Uint128::zero(),
        }
    );
    assert_eq!(
        t.post_as(&attestor, DN, 1, HexBinary::from(vec![1u8; 31]), 10)
            .unwrap_err(),
        ContractError::InvalidRoot { len: 31 }
    );
    assert_eq!(
        t.post_as(&attestor, 9, 1, tree.root(), 10).unwrap_err(),
        ContractError::UnknownDatanet { id: 9 }
    );
    assert_eq!(
        t.post_as(&attestor, 2, 1, tree.root(), 10).unwrap_err(),
        ContractError::NotInfluenceMode { id: 2 }
    );
    // Epochs start at 1 and advance by one: 0.2.0 took any greater epoch (3 here, or
    // u64::MAX, after which no root could ever be posted).
    for epoch in [0, 2, 3, u64::MAX] {
        assert_eq!(
            t.post_as(&attestor, DN, epoch, tree.root(), 10)
                .unwrap_err(),
            ContractError::UnexpectedEpoch {
                datanet_id: DN,
                epoch,
                expected: 1
            }
        );
    }
    assert_eq!(
        t.post_as(&attestor, DN, 1, tree.root(), 10_001)
            .unwrap_err(),
        ContractError::RootExceedsBucket {
            datanet_id: DN,
            cumulative_total: Uint128::new(10_001),
            received: Uint128::new(10_000)
        }
    );
    assert_eq!(t.roots().next_epoch, 1);
    let res = t.post(1, &tree).unwrap();
    assert_eq!(attr(&res, "root"), tree.root().to_hex());
    assert_eq!(attr(&res, "claimable_at"), (t.time() + WINDOW).to_string());
    assert_eq!(attr(&res, "stake"), ABOND.to_string());
    let r = t.roots();
    assert_eq!(
        (
            r.last_epoch,
            r.next_epoch,
            r.unallocated.u128(),
            r.total_received.u128()
        ),
        (1, 1, 0, 10_000)
    );
    let p = r.pending.unwrap();
    assert_eq!((p.epoch, p.status), (1, RootStatus::InChallengeWindow));
    assert_eq!((p.stake.u128(), p.challengers), (ABOND, 0));
    assert!(r.claimable.is_none());
    assert_eq!(t.attestor_info(&attestor).locked_until, t.time() + WINDOW);

    // A second root waits for the first one's window; one second before its end is too early.
    t.distribute(DN, 5_000);
    t.now += WINDOW - 1;
    let later = Tree::new(&[(&alice, 9_000), (&t.bob.clone(), 5_000)]);
    for epoch in [1, 2] {
        assert_eq!(
            t.post(epoch, &later).unwrap_err(),
            ContractError::PendingRootInWindow {
                datanet_id: DN,
                epoch: 1,
                claimable_at: p.claimable_at
            }
        );
    }
    t.now += 1;
    // Totals never decrease.
    let lower = Tree::new(&[(&alice, 9_999)]);
    assert_eq!(
        t.post(2, &lower).unwrap_err(),
        ContractError::CumulativeTotalDecreased {
            previous: Uint128::new(10_000),
            got: Uint128::new(9_999)
        }
    );
    assert_eq!(t.roots().next_epoch, 2);
    for epoch in [1, 3, 7] {
        assert_eq!(
            t.post(epoch, &later).unwrap_err(),
            ContractError::UnexpectedEpoch {
                datanet_id: DN,
                epoch,
                expected: 2
            }
        );
    }
    let res = t.post(2, &later).unwrap();
    assert_eq!(attr(&res, "promoted_epoch"), "1");
    let r = t.roots();
    assert_eq!(r.claimable.unwrap().epoch, 1);
    assert_eq!(r.pending.unwrap().epoch, 2);
    assert_eq!(
        (r.unallocated.u128(), r.last_epoch, r.next_epoch),
        (1_000, 2, 2)
    );
}

#[test]
fn claims_open_exactly_at_the_end_of_the_window_and_pay_the_difference() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    let tree = Tree::new(&[(&alice, 6_000), (&bob, 3_000)]);
    t.post(1, &tree).unwrap();
    let claimable_at = t.time() + WINDOW;
    t.now += WINDOW - 1;
    assert_eq!(
        t.claim(&alice, 1, &tree).unwrap_err(),
        ContractError::RootInChallengeWindow {
            datanet_id: DN,
            epoch: 1,
            claimable_at
        }
    );
    t.now += 1;
    assert_eq!(t.roots().claimable.unwrap().status, RootStatus::Claimable);
    let (amount, proof) = tree.proof(&alice);
    let q: AttributionClaimableResponse = t
        .query(QueryMsg::AttributionClaimable {
            datanet_id: DN,
            address: alice.to_string(),
            cumulative_amount: Uint128::new(amount),
            proof: proof.clone(),
        })
        .unwrap();
    assert_eq!(
        (q.epoch, q.claimable.u128(), q.claimed.u128()),
        (1, 6_000, 0)
    );
    let res = t.claim(&alice, 1, &tree).unwrap();
    assert_eq!(transfer_of(&res), (alice.to_string(), 6_000));
    assert_eq!(
        t.claim(&alice, 1, &tree).unwrap_err(),
        ContractError::NothingToClaim
    );
    let c: ClaimedResponse = t
        .query(QueryMsg::Claimed {
            datanet_id: DN,
            address: alice.to_string(),
        })
        .unwrap();
    assert_eq!(c.claimed.u128(), 6_000);
    let q: AttributionClaimableResponse = t
        .query(QueryMsg::AttributionClaimable {
            datanet_id: DN,
            address: alice.to_string(),
            cumulative_amount: Uint128::new(amount),
            proof,
        })
        .unwrap();
    assert_eq!(q.claimable.u128(), 0);

    // Epoch 2 raises alice to 8 000: she gets 2 000 more; epoch 1 is superseded.
    t.distribute(DN, 2_000);
    let tree2 = Tree::new(&[(&alice, 8_000), (&bob, 3_500)]);
    t.post(2, &tree2).unwrap();
    t.now += WINDOW;
    assert_eq!(
        t.claim(&bob, 1, &tree).unwrap_err(),
        ContractError::RootSuperseded {
            datanet_id: DN,
            epoch: 1,
            current: 2
        }
    );
    assert_eq!(
        t.claim(&bob, 5, &tree2).unwrap_err(),
        ContractError::UnknownRoot {
            datanet_id: DN,
            epoch: 5
        }
    );
    let res = t.claim(&alice, 2, &tree2).unwrap();
    assert_eq!(transfer_of(&res), (alice.to_string(), 2_000));
    let res = t.claim(&bob, 2, &tree2).unwrap();
    assert_eq!(transfer_of(&res), (bob.to_string(), 3_500));
    let r = t.roots();
    assert_eq!(
        (
            r.total_received.u128(),
            r.total_paid.u128(),
            r.unallocated.u128()
        ),
        (12_000, 11_500, 500)
    );
}

#[test]
fn bad_proofs_are_refused_with_specific_errors() {
    let mut t = setup();
    let (alice, bob, carol) = (t.alice.clone(), t.bob.clone(), t.carol.clone());
    let tree = Tree::new(&[(&alice, 1_000), (&bob, 2_000), (&carol, 3_000)]);
    t.post(1, &tree).unwrap();
    t.now += WINDOW;
    let (amount, proof) = tree.proof(&alice);
    let claim = |amount: u128, proof: Vec<HexBinary>| ExecuteMsg::ClaimAttribution {
        datanet_id: DN,
        epoch: 1,
        cumulative_amount: Uint128::new(amount),
        proof,
    };
    // More than the leaf says.
    assert_eq!(
        t.exec(&alice, claim(amount + 1, proof.clone()))
            .unwrap_err(),
        ContractError::InvalidProof {
            datanet_id: DN,
            epoch: 1
        }
    );
    // Someone else's proof.
    assert_eq!(
        t.exec(&bob, claim(amount, proof.clone())).unwrap_err(),
        ContractError::InvalidProof {
            datanet_id: DN,
            epoch: 1
        }
    );
    let mut short = proof.clone();
    short[0] = HexBinary::from(vec![0u8; 31]);
    assert_eq!(
        t.exec(&alice, claim(amount, short)).unwrap_err(),
        ContractError::InvalidProofElement { index: 0, len: 31 }
    );
    assert_eq!(
        t.exec(
            &alice,
            claim(amount, vec![HexBinary::from(vec![0u8; 32]); 65])
        )
        .unwrap_err(),
        ContractError::ProofTooLong { len: 65, max: 64 }
    );
    // 64 siblings is the limit, not past it: such a proof is checked, and this one is wrong.
    assert_eq!(
        t.exec(
            &alice,
            claim(amount, vec![HexBinary::from(vec![0u8; 32]); 64])
        )
        .unwrap_err(),
        ContractError::InvalidProof {
            datanet_id: DN,
            epoch: 1
        }
    );
    // The same entries in a tree built for another datanet: its proofs are worthless here.
    let other = Tree::in_datanet(2, &[(&alice, 5_000), (&bob, 2_000), (&carol, 3_000)]);
    assert_ne!(other.tree.root(), tree.tree.root());
    let leaf2 = leaf_hash(2, alice.as_str(), 5_000).unwrap();
    let proof2 = other
        .tree
        .proof(&leaf2)
        .unwrap()
        .iter()
        .map(|h| HexBinary::from(h.as_slice()))
        .collect();
    assert_eq!(
        t.exec(&alice, claim(5_000, proof2)).unwrap_err(),
        ContractError::InvalidProof {
            datanet_id: DN,
            epoch: 1
        }
    );
    assert_eq!(
        t.exec(
            &alice,
            ExecuteMsg::ClaimAttribution {
                datanet_id: 2,
                epoch: 1,
                cumulative_amount: Uint128::new(amount),
                proof: proof.clone()
            }
        )
        .unwrap_err(),
        ContractError::NotInfluenceMode { id: 2 }
    );
    assert_eq!(
        t.query::<AttributionClaimableResponse>(QueryMsg::AttributionClaimable {
            datanet_id: DN,
            address: bob.to_string(),
            cumulative_amount: Uint128::new(amount),
            proof,
        })
        .unwrap_err(),
        ContractError::InvalidProof {
            datanet_id: DN,
            epoch: 1
        }
    );
}

#[test]
fn a_root_whose_leaves_exceed_its_total_never_pays_beyond_the_total() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    // The leaves sum to 12 000 but the attestor declares 7 000 (within the bucket).
    let tree = Tree::new(&[(&alice, 6_000), (&bob, 6_000)]);
    let attestor = t.attestor.clone();
    t.post_as(&attestor, DN, 1, tree.root(), 7_000).unwrap();
    t.now += WINDOW;
    let res = t.claim(&alice, 1, &tree).unwrap();
    assert_eq!(transfer_of(&res), (alice.to_string(), 6_000));
    assert_eq!(
        t.claim(&bob, 1, &tree).unwrap_err(),
        ContractError::RootTotalExceeded {
            datanet_id: DN,
            epoch: 1,
            cumulative_total: Uint128::new(7_000),
            paid: Uint128::new(6_000),
            requested: Uint128::new(6_000)
        }
    );
}

#[test]
fn challenges_need_a_bond_and_close_exactly_at_the_end_of_the_window() {
    let mut t = setup();
    let (alice, carol, attestor) = (t.alice.clone(), t.carol.clone(), t.attestor.clone());
    let tree = Tree::new(&[(&alice, 5_000)]);
    t.post(1, &tree).unwrap();
    assert_eq!(
        t.exec(
            &carol,
            ExecuteMsg::ChallengeRoot {
                datanet_id: DN,
                epoch: 1
            }
        )
        .unwrap_err(),
        ContractError::ChallengeBondRequired {
            required: Uint128::new(CBOND)
        }
    );
    assert_eq!(
        t.challenge(&carol, 1, CBOND - 1).unwrap_err(),
        ContractError::ChallengeBondTooLow {
            required: Uint128::new(CBOND),
            sent: Uint128::new(CBOND - 1)
        }
    );
    assert_eq!(
        t.challenge(&carol, 1, 0).unwrap_err(),
        ContractError::Hook(HookError::ZeroAmount)
    );
    assert_eq!(
        t.challenge(&carol, 2, CBOND).unwrap_err(),
        ContractError::UnknownRoot {
            datanet_id: DN,
            epoch: 2
        }
    );
    // Two seconds before the end of the window: accepted; the root is frozen.
    t.now += WINDOW - 2;
    let res = t.challenge(&carol, 1, CBOND + 10).unwrap();
    assert_eq!(attr(&res, "bond"), (CBOND + 10).to_string());
    assert_eq!(t.bonds(), (ABOND, CBOND + 10));
    // The same address once; another one joins (0.2.0 refused every second challenge, so an
    // attestor challenging itself first shut honest challengers out).
    assert_eq!(
        t.challenge(&carol, 1, CBOND).unwrap_err(),
        ContractError::DuplicateChallenge {
            datanet_id: DN,
            epoch: 1,
            challenger: carol.to_string()
        }
    );
    t.now += 1;
    let res = t.challenge(&alice, 1, CBOND).unwrap();
    assert_eq!(
        (attr(&res, "challengers"), attr(&res, "challenge_bonds")),
        ("2", (2 * CBOND + 10).to_string().as_str())
    );
    assert_eq!(t.bonds(), (ABOND, 2 * CBOND + 10));
    // At the end of the window a frozen root takes no more challengers.
    t.now += 1;
    let bob = t.bob.clone();
    assert_eq!(
        t.challenge(&bob, 1, CBOND).unwrap_err(),
        ContractError::ChallengeWindowClosed {
            datanet_id: DN,
            epoch: 1,
            closed_at: t.time()
        }
    );
    t.now += 10;
    assert_eq!(
        t.claim(&alice, 1, &tree).unwrap_err(),
        ContractError::RootChallenged {
            datanet_id: DN,
            epoch: 1
        }
    );
    let r = t.roots();
    let p = r.pending.unwrap();
    assert_eq!(p.status, RootStatus::Challenged);
    assert_eq!(p.challenge.unwrap().challenger, carol.clone());
    assert_eq!(
        (p.challengers, p.challenge_bonds.u128()),
        (2, 2 * CBOND + 10)
    );
    assert_eq!(
        t.post(2, &tree).unwrap_err(),
        ContractError::PendingRootChallenged {
            datanet_id: DN,
            epoch: 1
        }
    );
    // The attestor cannot leave while challenged.
    let owner = t.owner.clone();
    assert_eq!(
        t.exec(
            &owner,
            ExecuteMsg::UpdateAttestors {
                add: vec![],
                remove: vec![attestor.to_string()]
            }
        )
        .unwrap_err(),
        ContractError::AttestorHasOpenChallenges {
            address: attestor.to_string(),
            open: 1
        }
    );

    // Unchallenged: at exactly claimable_at the window is closed.
    let mut t = setup();
    let alice = t.alice.clone();
    let tree = Tree::new(&[(&alice, 5_000)]);
    t.post(1, &tree).unwrap();
    let claimable_at = t.time() + WINDOW;
    t.now += WINDOW;
    assert_eq!(
        t.challenge(&carol, 1, CBOND).unwrap_err(),
        ContractError::ChallengeWindowClosed {
            datanet_id: DN,
            epoch: 1,
            closed_at: claimable_at
        }
    );
}

#[test]
fn voiding_slashes_the_stake_rewards_the_challenger_and_frees_the_epoch_for_a_valid_root() {
    let mut t = setup();
    let (owner, alice, carol, attestor) = t.roles();
    // Top the attestor up to 1.5 minimum bonds: a void takes the one its root reserved.
    t.hook(&attestor, ABOND / 2, &ReceiveMsg::BondAttestor {})
        .unwrap();
    let bad = Tree::new(&[(&carol, 10_000)]);
    t.post(1, &bad).unwrap();
    assert_eq!(t.roots().unallocated.u128(), 0);
    t.challenge(&alice, 1, CBOND).unwrap();
    assert_eq!(
        t.resolve(&alice, 1, true).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    assert_eq!(
        t.resolve(&owner, 2, true).unwrap_err(),
        ContractError::NoOpenChallenge {
            datanet_id: DN,
            epoch: 2
        }
    );
    // Not before the window closes (0.2.0 resolved at once).
    let closes_at = t.time() + WINDOW;
    t.now += WINDOW - 1;
    assert_eq!(
        t.resolve(&owner, 1, true).unwrap_err(),
        ContractError::ChallengeWindowOpen {
            datanet_id: DN,
            epoch: 1,
            closes_at
        }
    );
    t.now += 1;
    let treasury = TREASURY.load(&t.deps.storage).unwrap().u128();
    let res = t.resolve(&owner, 1, true).unwrap();
    // 0.2.0 paid the whole slash to the challenger in this transaction; now 20 % of it is
    // the challengers' reward, withdrawn by each, and the rest goes to the treasury.
    let reward = ABOND * 2_000 / 10_000;
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "slashed"), ABOND.to_string());
    assert_eq!(attr(&res, "challenger_reward"), reward.to_string());
    assert_eq!(attr(&res, "to_treasury"), (ABOND - reward).to_string());
    assert_eq!(
        TREASURY.load(&t.deps.storage).unwrap().u128(),
        treasury + ABOND - reward
    );
    assert_eq!(t.bonds(), (ABOND / 2, CBOND));
    assert_eq!(t.challenge_rewards(), reward);
    let a = t.attestor_info(&attestor);
    assert_eq!(
        (
            a.bond.u128(),
            a.open_challenges,
            a.can_post,
            a.reserved.u128()
        ),
        (ABOND / 2, 0, false, 0)
    );
    let r = t.roots();
    assert_eq!(
        (
            r.last_voided_epoch,
            r.last_epoch,
            r.next_epoch,
            r.unallocated.u128()
        ),
        (Some(1), 1, 1, 10_000)
    );
    assert!(r.pending.is_none() && r.claimable.is_none());
    assert_eq!(
        t.claim(&carol, 1, &bad).unwrap_err(),
        ContractError::RootVoided {
            datanet_id: DN,
            epoch: 1
        }
    );
    assert_eq!(
        t.resolve(&owner, 1, true).unwrap_err(),
        ContractError::NoOpenChallenge {
            datanet_id: DN,
            epoch: 1
        }
    );
    assert_eq!(
        t.challenge(&carol, 1, CBOND).unwrap_err(),
        ContractError::RootVoided {
            datanet_id: DN,
            epoch: 1
        }
    );
    // The challenger withdraws its bond and the whole reward (the only challenger).
    let c: ChallengeResponse = t.challenge_of(&alice).unwrap();
    assert_eq!(
        (c.status, c.reward.u128(), c.withdrawable.u128()),
        (ChallengeStatus::Void, reward, CBOND + reward)
    );
    let res = t.withdraw(&alice).unwrap();
    assert_eq!(transfer_of(&res), (alice.to_string(), CBOND + reward));
    assert_eq!(t.bonds(), (ABOND / 2, 0));
    assert_eq!(t.challenge_rewards(), 0);
    assert_eq!(
        t.withdraw(&alice).unwrap_err(),
        ContractError::NoChallenge {
            datanet_id: DN,
            address: alice.to_string()
        }
    );
    // The under-bonded attestor tops up and posts a good root at the voided epoch again.
    t.hook(&attestor, ABOND / 2, &ReceiveMsg::BondAttestor {})
        .unwrap();
    let good = Tree::new(&[(&alice, 4_000), (&carol, 6_000)]);
    assert_eq!(
        t.post(2, &good).unwrap_err(),
        ContractError::UnexpectedEpoch {
            datanet_id: DN,
            epoch: 2,
            expected: 1
        }
    );
    t.post(1, &good).unwrap();
    t.now += WINDOW;
    let res = t.claim(&carol, 1, &good).unwrap();
    assert_eq!(transfer_of(&res), (carol.to_string(), 6_000));
    assert_eq!(t.roots().next_epoch, 2);
}

#[test]
fn upholding_makes_the_root_claimable_at_once_and_pays_the_challenge_bond_to_the_treasury() {
    let mut t = setup();
    let (owner, alice, carol, attestor) = t.roles();
    let tree = Tree::new(&[(&alice, 10_000)]);
    t.post(1, &tree).unwrap();
    t.now += 10;
    t.challenge(&carol, 1, CBOND).unwrap();
    // Resolved once the window has closed.
    t.now += WINDOW - 10;
    let treasury_before = TREASURY.load(&t.deps.storage).unwrap().u128();
    let res = t.resolve(&owner, 1, false).unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(
        TREASURY.load(&t.deps.storage).unwrap().u128(),
        treasury_before + CBOND
    );
    assert_eq!(t.bonds(), (ABOND, 0));
    let c = t.roots().claimable.unwrap();
    assert_eq!(
        (c.epoch, c.claimable_at, c.status),
        (1, t.time(), RootStatus::Claimable)
    );
    let res = t.claim(&alice, 1, &tree).unwrap();
    assert_eq!(transfer_of(&res), (alice.to_string(), 10_000));
    assert_eq!(t.roots().next_epoch, 2);
    // The forfeited challenge: withdrawing only removes the record.
    let c: ChallengeResponse = t.challenge_of(&carol).unwrap();
    assert_eq!(
        (c.status, c.withdrawable.u128()),
        (ChallengeStatus::Upheld, 0)
    );
    let res = t.withdraw(&carol).unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "settled_outcome"), "upheld");
    assert_eq!(
        t.challenge_of(&carol).unwrap_err(),
        ContractError::NoChallenge {
            datanet_id: DN,
            address: carol.to_string()
        }
    );
    // The window has ended: the attestor's bond is free, nothing is reserved any more.
    let a = t.attestor_info(&attestor);
    assert_eq!(
        (a.locked_until, a.reserved.u128(), a.pending_roots),
        (t.time(), 0, 0)
    );
    let remove = ExecuteMsg::UpdateAttestors {
        add: vec![],
        remove: vec![attestor.to_string()],
    };
    let res = t.exec(&owner, remove).unwrap();
    assert_eq!(transfer_of(&res), (attestor.to_string(), ABOND));
    assert_eq!(t.bonds(), (0, 0));
}

#[test]
fn migrate_adds_attribution_settings_and_keeps_old_influence_buckets() {
    let mut t = setup();
    // What a pool of the previous code looked like: no attribution keys, an influence bucket
    // filled without attribution state.
    ATTRIBUTION_CONFIG.remove(&mut t.deps.storage);
    BOND_TOTALS.remove(&mut t.deps.storage);
    INFLUENCE.remove(&mut t.deps.storage, DN);
    cw2::set_contract_version(&mut t.deps.storage, crate::CONTRACT_NAME, "0.0.9").unwrap();
    let env = t.env();
    let res = migrate(t.deps.as_mut(), env, MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.9");
    assert_eq!(attr(&res, "attribution_config"), "defaults");
    let c: ConfigResponse = t.query(QueryMsg::Config {}).unwrap();
    assert_eq!(
        (c.challenge_window, c.attestor_bond, c.challenge_bond),
        (
            DEFAULT_CHALLENGE_WINDOW,
            DEFAULT_ATTESTOR_BOND,
            DEFAULT_CHALLENGE_BOND
        )
    );
    assert_eq!(
        BOND_TOTALS
            .load(&t.deps.storage)
            .unwrap()
            .attestor_bonds
            .u128(),
        0
    );
    // The bucket that arrived under the old code counts as received.
    assert_eq!(t.roots().total_received.u128(), 10_000);
    t.distribute(DN, 1);
    assert_eq!(t.roots().total_received.u128(), 10_001);
    // A second migration keeps the settings the owner chose.
    let owner = t.owner.clone();
    t.exec(
        &owner,
        ExecuteMsg::UpdateAttributionConfig {
            challenge_window: Some(2),
            attestor_bond: None,
            challenge_bond: None,
        },
    )
    .unwrap();
    let env = t.env();
    let res = migrate(t.deps.as_mut(), env, MigrateMsg {}).unwrap();
    assert!(res.attributes.iter().all(|a| a.key != "attribution_config"));
    let c: ConfigResponse = t.query(QueryMsg::Config {}).unwrap();
    assert_eq!(c.challenge_window, 2);
}

#[test]
fn resolving_one_of_two_challenges_leaves_the_other_open_on_the_attestor() {
    let mut t = setup();
    let (owner, alice, carol, attestor) = t.roles();
    t.register(3, AttributionMode::Influence);
    t.distribute(3, 4_000);
    let tree = Tree::new(&[(&carol, 10_000)]);
    t.post(1, &tree).unwrap();
    let other = Tree::in_datanet(3, &[(&carol, 4_000)]);
    // The first root reserves the whole bond: a second root needs a second minimum bond
    // (0.2.0 let one bond back both, so the second void found nothing to slash).
    assert_eq!(
        t.post_as(&attestor, 3, 1, other.root(), other.total)
            .unwrap_err(),
        ContractError::AttestorBondTooLow {
            address: attestor.to_string(),
            required: Uint128::new(2 * ABOND),
            bonded: Uint128::new(ABOND),
            reserved: Uint128::new(ABOND),
        }
    );
    t.hook(&attestor, ABOND, &ReceiveMsg::BondAttestor {})
        .unwrap();
    t.post_as(&attestor, 3, 1, other.root(), other.total)
        .unwrap();
    let a = t.attestor_info(&attestor);
    assert_eq!(
        (a.pending_roots, a.reserved.u128(), a.can_post),
        (2, 2 * ABOND, false)
    );
    t.challenge(&alice, 1, CBOND).unwrap();
    t.hook(
        &alice,
        CBOND,
        &ReceiveMsg::ChallengeRoot {
            datanet_id: 3,
            epoch: 1,
        },
    )
    .unwrap();
    assert_eq!(t.attestor_info(&attestor).open_challenges, 2);
    t.now += WINDOW;
    t.resolve(&owner, 1, false).unwrap();
    assert_eq!(t.attestor_info(&attestor).open_challenges, 1);
    t.exec(
        &owner,
        ExecuteMsg::ResolveChallenge {
            datanet_id: 3,
            epoch: 1,
            void: false,
        },
    )
    .unwrap();
    assert_eq!(t.attestor_info(&attestor).open_challenges, 0);
    assert_eq!(t.bonds(), (2 * ABOND, 0));
}

#[test]
fn fifty_attestor_additions_or_removals_fit_one_update() {
    let mut t = setup();
    let owner = t.owner.clone();
    let fifty: Vec<String> = (0..50)
        .map(|i| t.deps.api.addr_make(&format!("a{i}")).to_string())
        .collect();
    t.exec(
        &owner,
        ExecuteMsg::UpdateAttestors {
            add: fifty.clone(),
            remove: vec![],
        },
    )
    .unwrap();
    assert!(t.attestor_info(&t.deps.api.addr_make("a49")).approved);
    t.exec(
        &owner,
        ExecuteMsg::UpdateAttestors {
            add: vec![],
            remove: fifty,
        },
    )
    .unwrap();
    assert!(!t.attestor_info(&t.deps.api.addr_make("a0")).approved);
}

#[test]
fn an_attestor_can_be_removed_exactly_when_its_bond_unlocks() {
    let mut t = setup();
    let (owner, carol, attestor) = (t.owner.clone(), t.carol.clone(), t.attestor.clone());
    let tree = Tree::new(&[(&carol, 10_000)]);
    t.post(1, &tree).unwrap();
    let until = t.attestor_info(&attestor).locked_until;
    assert_eq!(until, t.time() + WINDOW);
    let remove = ExecuteMsg::UpdateAttestors {
        add: vec![],
        remove: vec![attestor.to_string()],
    };
    t.now += WINDOW - 1;
    assert_eq!(
        t.exec(&owner, remove.clone()).unwrap_err(),
        ContractError::AttestorBondLocked {
            address: attestor.to_string(),
            until
        }
    );
    t.now += 1;
    assert_eq!(t.time(), until);
    let res = t.exec(&owner, remove).unwrap();
    assert_eq!(transfer_of(&res), (attestor.to_string(), ABOND));
    assert_eq!(t.bonds(), (0, 0));
}

#[test]
fn a_new_root_may_keep_the_previous_cumulative_total() {
    let mut t = setup();
    let (alice, bob, carol) = (t.alice.clone(), t.bob.clone(), t.carol.clone());
    let first = Tree::new(&[(&alice, 4_000), (&bob, 2_000)]);
    t.post(1, &first).unwrap();
    t.now += WINDOW;
    // The same total, spread differently: allowed (it only must not shrink).
    let second = Tree::new(&[(&alice, 4_000), (&bob, 1_000), (&carol, 1_000)]);
    assert_eq!(second.total, first.total);
    t.post(2, &second).unwrap();
    let smaller = Tree::new(&[(&alice, 4_000), (&bob, 1_999)]);
    t.now += WINDOW;
    assert_eq!(
        t.post(3, &smaller).unwrap_err(),
        ContractError::CumulativeTotalDecreased {
            previous: Uint128::new(6_000),
            got: Uint128::new(5_999)
        }
    );
}

#[test]
fn challenging_an_epoch_that_was_never_posted_names_the_unknown_root() {
    let mut t = setup();
    let (alice, carol) = (t.alice.clone(), t.carol.clone());
    let tree = Tree::new(&[(&carol, 10_000)]);
    t.post(1, &tree).unwrap();
    t.now += WINDOW;
    // Epoch 1 is claimable now; epoch 7 never existed.
    assert_eq!(
        t.challenge(&alice, 7, CBOND).unwrap_err(),
        ContractError::UnknownRoot {
            datanet_id: DN,
            epoch: 7
        }
    );
    assert_eq!(
        t.challenge(&alice, 1, CBOND).unwrap_err(),
        ContractError::ChallengeWindowClosed {
            datanet_id: DN,
            epoch: 1,
            closed_at: t.time()
        }
    );
}

/// The stored shapes of 0.2.0 (the attribution types before reservations, root sequence
/// numbers and several challengers), to write a 0.2.0 pool's state byte for byte.
mod v0_2_0 {
    use cosmwasm_schema::cw_serde;
    use cosmwasm_std::{Addr, HexBinary, Uint128};

    /// A challenge is stored as it was.
    pub use crate::state::Challenge;

    #[cw_serde]
    pub struct Attestor {
        pub bond: Uint128,
        pub open_challenges: u32,
        pub locked_until: u64,
    }

    #[cw_serde]
    pub struct BondTotals {
        pub attestor_bonds: Uint128,
        pub challenge_bonds: Uint128,
    }

    #[cw_serde]
    pub struct RootRecord {
        pub epoch: u64,
        pub root: HexBinary,
        pub cumulative_total: Uint128,
        pub attestor: Addr,
        pub posted_at: u64,
        pub claimable_at: u64,
        pub challenge: Option<Challenge>,
    }

    #[cw_serde]
    pub struct InfluenceState {
        pub total_received: Uint128,
        pub last_epoch: u64,
        pub last_voided: Option<u64>,
        pub claimable: Option<RootRecord>,
        pub pending: Option<RootRecord>,
    }
}

impl T {
    /// Writes `state` as datanet `DN`'s 0.2.0 attribution state (and the matching unallocated
    /// bucket), records version 0.2.0 and migrates.
    fn migrate_from_0_2_0(&mut self, state: &v0_2_0::InfluenceState) {
        use cosmwasm_std::Storage;
        let allocated = state
            .pending
            .as_ref()
            .or(state.claimable.as_ref())
            .map_or(0, |r| r.cumulative_total.u128());
        self.deps.storage.set(
            &INFLUENCE.key(DN),
            &cosmwasm_std::to_json_vec(state).unwrap(),
        );
        let mut pool = DATANETS.load(&self.deps.storage, DN).unwrap();
        pool.unallocated = state.total_received - Uint128::new(allocated);
        DATANETS.save(&mut self.deps.storage, DN, &pool).unwrap();
        cw2::set_contract_version(&mut self.deps.storage, crate::CONTRACT_NAME, "0.2.0").unwrap();
        let env = self.env();
        migrate(self.deps.as_mut(), env, MigrateMsg {}).unwrap();
    }

    fn legacy_root(&self, epoch: u64, tree: &Tree, posted_at: u64) -> v0_2_0::RootRecord {
        v0_2_0::RootRecord {
            epoch,
            root: tree.root(),
            cumulative_total: Uint128::new(tree.total),
            attestor: self.attestor.clone(),
            posted_at,
            claimable_at: posted_at + WINDOW,
            challenge: None,
        }
    }
}

#[test]
fn a_claimable_root_of_0_2_0_at_epoch_u64_max_no_longer_locks_the_bucket() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    // Under 0.2.0 an attestor posted epoch u64::MAX and it became claimable: every later post
    // failed with EpochNotIncreasing { last: u64::MAX }, locking the 6 000 left in the bucket
    // and everything the datanet would receive.
    let old = Tree::new(&[(&alice, 4_000)]);
    t.now += 2 * WINDOW;
    let posted_at = t.time() - 2 * WINDOW;
    let state = v0_2_0::InfluenceState {
        total_received: Uint128::new(10_000),
        last_epoch: u64::MAX,
        last_voided: None,
        claimable: Some(t.legacy_root(u64::MAX, &old, posted_at)),
        pending: None,
    };
    t.migrate_from_0_2_0(&state);
    let r = t.roots();
    assert_eq!(
        (r.last_epoch, r.next_epoch, r.unallocated.u128()),
        (u64::MAX, 1, 6_000)
    );
    let c = r.claimable.unwrap();
    assert_eq!((c.epoch, c.stake.u128(), c.challengers), (u64::MAX, 0, 0));
    // The old root still pays.
    let res = t.claim(&alice, u64::MAX, &old).unwrap();
    assert_eq!(transfer_of(&res), (alice.to_string(), 4_000));
    // The numbering starts again at 1: no overflow, no lock.
    let new = Tree::new(&[(&alice, 4_000), (&bob, 6_000)]);
    assert_eq!(
        t.post(u64::MAX, &new).unwrap_err(),
        ContractError::UnexpectedEpoch {
            datanet_id: DN,
            epoch: u64::MAX,
            expected: 1
        }
    );
    t.post(1, &new).unwrap();
    t.now += WINDOW;
    assert_eq!(
        t.claim(&bob, u64::MAX, &new).unwrap_err(),
        ContractError::UnknownRoot {
            datanet_id: DN,
            epoch: u64::MAX
        }
    );
    let res = t.claim(&bob, 1, &new).unwrap();
    assert_eq!(transfer_of(&res), (bob.to_string(), 6_000));
    let r = t.roots();
    assert_eq!((r.next_epoch, r.unallocated.u128()), (2, 0));
}

#[test]
fn a_pending_root_of_0_2_0_with_a_gap_is_followed_by_the_next_epoch() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    let old = Tree::new(&[(&alice, 4_000)]);
    let claimable = t.legacy_root(3, &Tree::new(&[(&alice, 1_000)]), t.time());
    let pending = t.legacy_root(7, &old, t.time());
    t.migrate_from_0_2_0(&v0_2_0::InfluenceState {
        total_received: Uint128::new(10_000),
        last_epoch: 7,
        last_voided: Some(5),
        claimable: Some(claimable),
        pending: Some(pending),
    });
    // Pending: epoch 7 blocks posting; the datanet's next epoch is 4 until 7 settles.
    assert_eq!(t.roots().next_epoch, 4);
    let new = Tree::new(&[(&alice, 4_000), (&bob, 6_000)]);
    t.now += WINDOW;
    // Promoted lazily (no message touched the datanet): the next epoch is 8.
    assert_eq!(t.roots().next_epoch, 8);
    assert_eq!(
        t.post(4, &new).unwrap_err(),
        ContractError::UnexpectedEpoch {
            datanet_id: DN,
            epoch: 4,
            expected: 8
        }
    );
    let res = t.post(8, &new).unwrap();
    assert_eq!(attr(&res, "promoted_epoch"), "7");
    let p = t.roots().pending.unwrap();
    assert_eq!((p.epoch, p.stake.u128()), (8, ABOND));
}

#[test]
fn a_root_challenged_under_0_2_0_takes_more_challengers_and_settles_pro_rata() {
    let mut t = setup();
    let (owner, alice, bob, carol, attestor) = (
        t.owner.clone(),
        t.alice.clone(),
        t.bob.clone(),
        t.carol.clone(),
        t.attestor.clone(),
    );
    let now = t.time();
    let bad = Tree::new(&[(&carol, 10_000)]);
    let mut pending = t.legacy_root(5, &bad, now);
    // Carol challenged it under 0.2.0 with 600 (her bond is held, the attestor has one open
    // challenge; 0.2.0 records carry no reservations, no sequence number, no reward totals).
    pending.challenge = Some(v0_2_0::Challenge {
        challenger: carol.clone(),
        bond: Uint128::new(CBOND + 100),
        challenged_at: now,
    });
    {
        use cosmwasm_std::Storage;
        let a = v0_2_0::Attestor {
            bond: Uint128::new(ABOND),
            open_challenges: 1,
            locked_until: now + WINDOW,
        };
        t.deps.storage.set(
            &crate::state::ATTESTORS.key(&attestor),
            &cosmwasm_std::to_json_vec(&a).unwrap(),
        );
        let b = v0_2_0::BondTotals {
            attestor_bonds: Uint128::new(ABOND),
            challenge_bonds: Uint128::new(CBOND + 100),
        };
        t.deps.storage.set(
            BOND_TOTALS.as_slice(),
            &cosmwasm_std::to_json_vec(&b).unwrap(),
        );
    }
    t.migrate_from_0_2_0(&v0_2_0::InfluenceState {
        total_received: Uint128::new(10_000),
        last_epoch: 5,
        last_voided: None,
        claimable: None,
        pending: Some(pending),
    });
    let p = t.roots().pending.unwrap();
    assert_eq!(
        (p.status, p.challengers, p.challenge_bonds.u128()),
        (RootStatus::Challenged, 1, CBOND + 100)
    );
    let c = t.challenge_of(&carol).unwrap();
    assert_eq!(
        (c.status, c.epoch, c.bond.u128(), c.withdrawable.u128()),
        (ChallengeStatus::Open, 5, CBOND + 100, 0)
    );
    assert_eq!(
        t.withdraw(&carol).unwrap_err(),
        ContractError::ChallengeNotResolved {
            datanet_id: DN,
            epoch: 5
        }
    );
    assert_eq!(
        t.challenge(&carol, 5, CBOND).unwrap_err(),
        ContractError::DuplicateChallenge {
            datanet_id: DN,
            epoch: 5,
            challenger: carol.to_string()
        }
    );
    // 0.2.0 refused every second challenge (RootAlreadyChallenged).
    t.challenge(&alice, 5, CBOND).unwrap();
    assert_eq!(
        t.challenge_of(&bob).unwrap_err(),
        ContractError::NoChallenge {
            datanet_id: DN,
            address: bob.to_string()
        }
    );
    let p = t.roots().pending.unwrap();
    assert_eq!(
        (p.challengers, p.challenge_bonds.u128()),
        (2, 2 * CBOND + 100)
    );
    assert_eq!(t.bonds(), (ABOND, 2 * CBOND + 100));
    assert_eq!(t.attestor_info(&attestor).open_challenges, 1);

    t.now += WINDOW;
    let treasury = TREASURY.load(&t.deps.storage).unwrap().u128();
    let res = t.resolve(&owner, 5, true).unwrap();
    // A 0.2.0 root reserved no stake: it is slashed up to the configured attestor bond.
    let reward = ABOND / 5;
    assert_eq!(
        (attr(&res, "slashed"), attr(&res, "challenger_reward")),
        (ABOND.to_string().as_str(), reward.to_string().as_str())
    );
    // Shares by bond: carol 200 × 600 / 1 100 = 109, alice 200 × 500 / 1 100 = 90; the
    // unit of dust goes to the treasury with the last withdrawal.
    let (carol_share, alice_share) = (109, 90);
    let res = t.withdraw(&carol).unwrap();
    assert_eq!(
        transfer_of(&res),
        (carol.to_string(), CBOND + 100 + carol_share)
    );
    assert_eq!(attr(&res, "dust_to_treasury"), "0");
    assert_eq!(t.challenge_rewards(), reward - carol_share);
    let res = t.withdraw(&alice).unwrap();
    assert_eq!(transfer_of(&res), (alice.to_string(), CBOND + alice_share));
    assert_eq!(attr(&res, "dust_to_treasury"), "1");
    assert_eq!(
        TREASURY.load(&t.deps.storage).unwrap().u128(),
        treasury + ABOND - reward + 1
    );
    assert_eq!((t.bonds(), t.challenge_rewards()), ((0, 0), 0));
    let a = t.attestor_info(&attestor);
    assert_eq!((a.bond.u128(), a.open_challenges), (0, 0));
    assert_eq!(t.roots().next_epoch, 1);
}

#[test]
fn a_reservation_ends_with_the_window_even_if_nothing_touches_the_datanet() {
    let mut t = setup();
    let (_, _, carol, attestor) = t.roles();
    t.register(3, AttributionMode::Influence);
    let tree = Tree::new(&[(&carol, 10_000)]);
    t.post(1, &tree).unwrap();
    let other = Tree::in_datanet(3, &[(&carol, 0)]);
    t.now += WINDOW - 1;
    assert_eq!(
        t.post_as(&attestor, 3, 1, other.root(), 0).unwrap_err(),
        ContractError::AttestorBondTooLow {
            address: attestor.to_string(),
            required: Uint128::new(2 * ABOND),
            bonded: Uint128::new(ABOND),
            reserved: Uint128::new(ABOND),
        }
    );
    assert!(!t.attestor_info(&attestor).can_post);
    // The first root can no longer be challenged: its stake is free, though datanet DN's root
    // is promoted only by the next message touching DN.
    t.now += 1;
    let a = t.attestor_info(&attestor);
    assert_eq!(
        (a.pending_roots, a.reserved.u128(), a.can_post),
        (0, 0, true)
    );
    t.post_as(&attestor, 3, 1, other.root(), 0).unwrap();
    assert_eq!(t.attestor_info(&attestor).reserved.u128(), ABOND);
}

#[test]
fn an_attestor_has_at_most_32_roots_pending() {
    let mut t = setup();
    let (owner, _, carol, attestor) = t.roles();
    t.hook(&attestor, 40 * ABOND, &ReceiveMsg::BondAttestor {})
        .unwrap();
    for id in 10..43 {
        t.register(id, AttributionMode::Influence);
    }
    for id in 10..42 {
        let tree = Tree::in_datanet(id, &[(&carol, 0)]);
        t.post_as(&attestor, id, 1, tree.root(), 0).unwrap();
    }
    let a = t.attestor_info(&attestor);
    assert_eq!((a.pending_roots, a.reserved.u128()), (32, 32 * ABOND));
    let tree = Tree::in_datanet(42, &[(&carol, 0)]);
    assert_eq!(
        t.post_as(&attestor, 42, 1, tree.root(), 0).unwrap_err(),
        ContractError::TooManyPendingRoots {
            address: attestor.to_string(),
            max: 32
        }
    );
    // Settling one frees a place.
    t.hook(
        &carol,
        CBOND,
        &ReceiveMsg::ChallengeRoot {
            datanet_id: 10,
            epoch: 1,
        },
    )
    .unwrap();
    t.now += WINDOW;
    t.exec(
        &owner,
        ExecuteMsg::ResolveChallenge {
            datanet_id: 10,
            epoch: 1,
            void: false,
        },
    )
    .unwrap();
    t.post_as(&attestor, 42, 1, tree.root(), 0).unwrap();
    assert_eq!(t.attestor_info(&attestor).pending_roots, 1);
}

#[test]
fn raising_the_attestor_bond_after_posting_slashes_the_stake_the_root_reserved() {
    let mut t = setup();
    let (owner, carol, attestor) = (t.owner.clone(), t.carol.clone(), t.attestor.clone());
    t.hook(&attestor, 4 * ABOND, &ReceiveMsg::BondAttestor {})
        .unwrap();
    let bad = Tree::new(&[(&carol, 10_000)]);
    t.post(1, &bad).unwrap();
    t.challenge(&carol, 1, CBOND).unwrap();
    // Terms bind when the root is posted: 0.2.0 slashed min(new attestor_bond, bond) = 3 000.
    t.exec(
        &owner,
        ExecuteMsg::UpdateAttributionConfig {
            challenge_window: None,
            attestor_bond: Some(Uint128::new(3 * ABOND)),
            challenge_bond: None,
        },
    )
    .unwrap();
    t.now += WINDOW;
    let res = t.resolve(&owner, 1, true).unwrap();
    assert_eq!(attr(&res, "slashed"), ABOND.to_string());
    assert_eq!(t.attestor_info(&attestor).bond.u128(), 4 * ABOND);
    let res = t.withdraw(&carol).unwrap();
    assert_eq!(transfer_of(&res), (carol.to_string(), CBOND + ABOND / 5));
}

#[test]
fn a_root_records_the_published_version_it_was_computed_over() {
    let mut t = setup();
    let (_, alice, _, attestor) = t.roles();
    let tree = Tree::new(&[(&alice, 6_000)]);
    let registry = t.registry.clone();
    let post = |version| ExecuteMsg::PostAttributionRoot {
        datanet_id: DN,
        epoch: 1,
        root: tree.root(),
        cumulative_total: Uint128::new(tree.total),
        version,
    };
    // No version is published yet: naming one is refused.
    assert_eq!(
        t.exec(&attestor, post(Some(1))).unwrap_err(),
        ContractError::UnknownVersion {
            datanet_id: DN,
            version: 1,
            versions: 0
        }
    );
    t.exec(
        &registry,
        ExecuteMsg::PublishVersion {
            datanet_id: DN,
            version: 1,
            total_weight: 0,
        },
    )
    .unwrap();
    t.exec(&attestor, post(Some(1))).unwrap();
    let pending = t.roots().pending.unwrap();
    assert_eq!((pending.epoch, pending.version), (1, Some(1)));
}
