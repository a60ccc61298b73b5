use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    coins, from_json, to_json_binary, Addr, Binary, ContractResult, CosmosMsg, Empty, Env,
    HexBinary, OwnedDeps, Response, SystemResult, Uint128, WasmQuery,
};
use cw20::{BalanceResponse, Cw20ExecuteMsg, Cw20QueryMsg, Cw20ReceiveMsg};
use cw_utils::PaymentError;
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::msg::datanet_registry::{
    contribution_commitment, AttributionMode, CommitmentResponse, CommitmentsResponse,
    ConfigResponse, ContributionPolicy, ContributionResponse, ContributionStatus,
    ContributionsResponse, ContributorResponse, DatanetResponse, DatanetStatus, DatanetsResponse,
    ExecuteMsg, InstantiateMsg, MigrateMsg, NewContribution, NewDatanet, QueryMsg, ReceiveMsg,
    RegistrySolvencyResponse, ReviewDecision, VersionFormat, VersionResponse, VersionsResponse,
    MAX_OPEN_COMMITMENTS, REVEAL_WINDOW_SECONDS,
};
use openledger_common::msg::reward_pool::{self, Allocation, WeightUpdate};
use openledger_common::{HookError, MigrateError, PaginationError, ValidationError};
use sha2::{Digest, Sha256};

use crate::contract::{execute, instantiate, migrate, query};
use crate::error::ContractError;
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

mod legacy;
mod versions;

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier, Empty>;

struct Suite {
    deps: Deps,
    env: Env,
    owner: Addr,
    token: Addr,
    pool: Addr,
}

impl Suite {
    fn new(creation_fee: u128) -> Self {
        let mut deps = mock_dependencies();
        let owner = deps.api.addr_make("registry-owner");
        let token = deps.api.addr_make("open-token");
        let pool = deps.api.addr_make("reward-pool");
        let env = mock_env();
        instantiate(
            deps.as_mut(),
            env.clone(),
            message_info(&owner, &[]),
            InstantiateMsg {
                owner: None,
                token: token.to_string(),
                reward_pool: pool.to_string(),
                creation_fee: Uint128::new(creation_fee),
            },
        )
        .unwrap();
        Suite {
            deps,
            env,
            owner,
            token,
            pool,
        }
    }

    fn addr(&self, name: &str) -> Addr {
        self.deps.api.addr_make(name)
    }

    fn exec(&mut self, sender: &Addr, msg: ExecuteMsg) -> Result<Response, ContractError> {
        execute(
            self.deps.as_mut(),
            self.env.clone(),
            message_info(sender, &[]),
            msg,
        )
    }

    /// A cw20 `send` of `amount` by `payer`, delivered by `token`.
    fn hook_from(
        &mut self,
        token: &Addr,
        payer: &Addr,
        amount: u128,
        msg: Binary,
    ) -> Result<Response, ContractError> {
        let wrapper = Cw20ReceiveMsg {
            sender: payer.to_string(),
            amount: Uint128::new(amount),
            msg,
        };
        execute(
            self.deps.as_mut(),
            self.env.clone(),
            message_info(token, &[]),
            ExecuteMsg::Receive(wrapper),
        )
    }

    fn hook(
        &mut self,
        payer: &Addr,
        amount: u128,
        msg: ReceiveMsg,
    ) -> Result<Response, ContractError> {
        let token = self.token.clone();
        self.hook_from(&token, payer, amount, to_json_binary(&msg).unwrap())
    }

    fn query<T: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: QueryMsg) -> T {
        from_json(query(self.deps.as_ref(), self.env.clone(), msg).unwrap()).unwrap()
    }

    fn query_err(&self, msg: QueryMsg) -> ContractError {
        query(self.deps.as_ref(), self.env.clone(), msg).unwrap_err()
    }

    /// Creates a datanet owned by `owner` (no creation fee configured) and returns its id.
    fn create(&mut self, owner: &Addr, new: NewDatanet) -> u64 {
        let res = self.exec(owner, ExecuteMsg::CreateDatanet(new)).unwrap();
        attr(&res, "datanet_id").parse().unwrap()
    }

    /// Contributes data number `n` to a datanet without bond and returns the contribution id.
    fn contribute(&mut self, who: &Addr, datanet_id: u64, n: u32) -> u64 {
        let res = self
            .exec(who, ExecuteMsg::Contribute(contribution(datanet_id, n)))
            .unwrap();
        attr(&res, "contribution_id").parse().unwrap()
    }

    /// Contributes data number `n` with a bond through the cw20 hook.
    fn contribute_bonded(&mut self, who: &Addr, datanet_id: u64, n: u32, bond: u128) -> u64 {
        let res = self
            .hook(
                who,
                bond,
                ReceiveMsg::Contribute(contribution(datanet_id, n)),
            )
            .unwrap();
        attr(&res, "contribution_id").parse().unwrap()
    }

    fn review(
        &mut self,
        sender: &Addr,
        datanet_id: u64,
        decisions: Vec<ReviewDecision>,
    ) -> Result<Response, ContractError> {
        self.exec(
            sender,
            ExecuteMsg::ReviewContributions {
                datanet_id,
                decisions,
            },
        )
    }

    fn datanet(&self, id: u64) -> DatanetResponse {
        self.query(QueryMsg::Datanet { datanet_id: id })
    }

    fn contribution(&self, id: u64) -> ContributionResponse {
        self.query(QueryMsg::Contribution {
            contribution_id: id,
        })
    }

    fn contributor(&self, datanet_id: u64, who: &Addr) -> ContributorResponse {
        self.query(QueryMsg::Contributor {
            datanet_id,
            address: who.to_string(),
        })
    }

    fn withdrawable(&self, who: &Addr) -> Uint128 {
        self.query(QueryMsg::WithdrawableBonds {
            address: who.to_string(),
        })
    }

    fn pool(&self) -> RewardPoolHandle {
        RewardPoolHandle(self.pool.clone())
    }
}

fn attr(res: &Response, key: &str) -> String {
    res.attributes
        .iter()
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .value
        .clone()
}

fn msgs(res: &Response) -> Vec<CosmosMsg> {
    res.messages.iter().map(|m| m.msg.clone()).collect()
}

fn datanet_msg(curators: Vec<String>, bond: u128, mode: AttributionMode) -> NewDatanet {
    NewDatanet {
        name: "medical-notes".into(),
        description: "De-identified clinical notes".into(),
        metadata_uri: "ipfs://meta".into(),
        curators,
        policy: ContributionPolicy::Open,
        contribution_bond: Uint128::new(bond),
        attribution_mode: mode,
    }
}

fn open_datanet() -> NewDatanet {
    datanet_msg(vec![], 0, AttributionMode::Weight)
}

/// SHA-256 of the data numbered `n`, as lower-case hex.
fn data_hash(n: u32) -> String {
    HexBinary::from(Sha256::digest(n.to_be_bytes()).to_vec()).to_hex()
}

fn contribution(datanet_id: u64, n: u32) -> NewContribution {
    NewContribution {
        datanet_id,
        data_hash: data_hash(n),
        uri: format!("ipfs://data/{n}"),
        size_bytes: 1_000,
        license_note: None,
    }
}

fn accept(contribution_id: u64, weight: u64) -> ReviewDecision {
    ReviewDecision::Accept {
        contribution_id,
        weight,
    }
}

fn reject(contribution_id: u64) -> ReviewDecision {
    ReviewDecision::Reject {
        contribution_id,
        reason: "duplicate content".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Instantiate, config, ownership, migrate
// ---------------------------------------------------------------------------------------------

#[test]
fn instantiate_records_config_owner_and_version() {
    let s = Suite::new(7);
    let config: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(
        config,
        ConfigResponse {
            token: s.token.clone(),
            reward_pool: s.pool.clone(),
            creation_fee: Uint128::new(7),
            datanet_count: 0,
            contribution_count: 0,
        }
    );
    let ownership: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(ownership.owner, Some(s.owner.clone()));
    let version = cw2::get_contract_version(&s.deps.storage).unwrap();
    assert_eq!(version.contract, CONTRACT_NAME);
    assert_eq!(version.version, CONTRACT_VERSION);
}

#[test]
fn instantiate_refuses_invalid_addresses() {
    let mut deps = mock_dependencies();
    let sender = deps.api.addr_make("sender");
    let token = deps.api.addr_make("token");
    let pool = deps.api.addr_make("pool");
    // A valid bech32 address of another chain.
    let foreign = MockApi::default().with_prefix("osmo").addr_make("pool");
    let upper = token.as_str().to_uppercase();
    let err = instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&sender, &[]),
        InstantiateMsg {
            owner: None,
            token: upper.clone(),
            reward_pool: pool.to_string(),
            creation_fee: Uint128::zero(),
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, ContractError::InvalidAddress { ref field, ref address, .. } if field == "token" && *address == upper)
    );

    let err = instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&sender, &[]),
        InstantiateMsg {
            owner: None,
            token: token.to_string(),
            reward_pool: foreign.to_string(),
            creation_fee: Uint128::zero(),
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, ContractError::InvalidAddress { ref field, ref address, .. } if field == "reward_pool" && *address == foreign.as_str())
    );
}

#[test]
fn instantiate_refuses_native_coins() {
    let mut deps = mock_dependencies();
    let sender = deps.api.addr_make("sender");
    let token = deps.api.addr_make("token");
    let pool = deps.api.addr_make("pool");
    let err = instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&sender, &coins(5, "uatom")),
        InstantiateMsg {
            owner: None,
            token: token.to_string(),
            reward_pool: pool.to_string(),
            creation_fee: Uint128::zero(),
        },
    )
    .unwrap_err();
    assert_eq!(err, ContractError::Payment(PaymentError::NonPayable {}));
}

#[test]
fn update_config_is_for_the_registry_owner() {
    let mut s = Suite::new(0);
    let stranger = s.addr("stranger");
    let new_pool = s.addr("new-pool");
    let msg = ExecuteMsg::UpdateConfig {
        creation_fee: Some(Uint128::new(50)),
        reward_pool: Some(new_pool.to_string()),
    };
    assert_eq!(
        s.exec(&stranger, msg.clone()).unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    let owner = s.owner.clone();
    assert_eq!(
        s.exec(
            &owner,
            ExecuteMsg::UpdateConfig {
                creation_fee: None,
                reward_pool: None
            }
        )
        .unwrap_err(),
        ContractError::NothingToUpdate
    );
    s.exec(&owner, msg).unwrap();
    let config: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(config.creation_fee, Uint128::new(50));
    assert_eq!(config.reward_pool, new_pool);
}

#[test]
fn registry_ownership_is_two_step() {
    let mut s = Suite::new(0);
    let owner = s.owner.clone();
    let next = s.addr("next-owner");
    s.exec(
        &owner,
        ExecuteMsg::UpdateOwnership(openledger_common::OwnershipAction::TransferOwnership {
            new_owner: next.to_string(),
            expiry: None,
        }),
    )
    .unwrap();
    let ownership: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(ownership.owner, Some(owner.clone()));
    assert_eq!(ownership.pending_owner, Some(next.clone()));
    s.exec(
        &next,
        ExecuteMsg::UpdateOwnership(openledger_common::OwnershipAction::AcceptOwnership),
    )
    .unwrap();
    let ownership: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(ownership.owner, Some(next));
    assert_eq!(
        s.exec(
            &owner,
            ExecuteMsg::UpdateConfig {
                creation_fee: Some(Uint128::one()),
                reward_pool: None
            }
        )
        .unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
}

#[test]
fn migrate_refuses_other_contracts_and_downgrades() {
    let mut s = Suite::new(0);
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), CONTRACT_VERSION);

    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert_eq!(
        migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::Downgrade {
            stored: "99.0.0".into(),
            new: CONTRACT_VERSION.into()
        })
    );

    cw2::set_contract_version(&mut s.deps.storage, "crates.io:reward-pool", "0.0.1").unwrap();
    assert_eq!(
        migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::WrongContract {
            stored: "crates.io:reward-pool".into(),
            expected: CONTRACT_NAME.into()
        })
    );

    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.1");
    assert_eq!(
        cw2::get_contract_version(&s.deps.storage).unwrap().version,
        CONTRACT_VERSION
    );
}

#[test]
fn migrate_moves_the_counters_out_of_a_0_2_0_config() {
    use crate::state::{CONFIG, CONTRIBUTION_COUNT, DATANET_COUNT};
    use cosmwasm_std::Storage;

    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let alice = s.addr("alice");
    let id = s.create(&owner, open_datanet());
    s.contribute(&alice, id, 1);
    // Rewrite the state as 0.2.0 stored it: the counters inside the configuration, under
    // `config`, and no counter items (the fee differs, to tell the two configurations apart).
    let legacy = format!(
        r#"{{"token":"{}","reward_pool":"{}","creation_fee":"7","datanet_count":3,"contribution_count":9}}"#,
        s.token, s.pool
    );
    s.deps.storage.set(b"config", legacy.as_bytes());
    s.deps.storage.remove(CONFIG.as_slice());
    s.deps.storage.remove(DATANET_COUNT.as_slice());
    s.deps.storage.remove(CONTRIBUTION_COUNT.as_slice());
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.2.0").unwrap();

    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.2.0");
    assert_eq!(s.deps.storage.get(b"config"), None);
    assert_eq!(DATANET_COUNT.load(&s.deps.storage).unwrap(), 3);
    assert_eq!(CONTRIBUTION_COUNT.load(&s.deps.storage).unwrap(), 9);
    let expected = ConfigResponse {
        token: s.token.clone(),
        reward_pool: s.pool.clone(),
        creation_fee: Uint128::new(7),
        datanet_count: 3,
        contribution_count: 9,
    };
    let config: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(config, expected);

    // Running it again (same version) changes nothing; the next ids follow the moved counters.
    migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    let config: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(config, expected);
    s.env.block.height += 1;
    let hook = ReceiveMsg::CreateDatanet(open_datanet());
    let res = s.hook(&owner, 7, hook).unwrap();
    assert_eq!(attr(&res, "datanet_id"), "4");
    assert_eq!(s.contribute(&alice, id, 2), 10);
}

// ---------------------------------------------------------------------------------------------
// Funds and hooks
// ---------------------------------------------------------------------------------------------

#[test]
fn refuses_native_coins_on_execute() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let err = execute(
        s.deps.as_mut(),
        s.env.clone(),
        message_info(&alice, &coins(10, "uopen")),
        ExecuteMsg::CreateDatanet(open_datanet()),
    )
    .unwrap_err();
    assert_eq!(err, ContractError::Payment(PaymentError::NonPayable {}));
}

#[test]
fn rejects_receive_from_unknown_token() {
    let mut s = Suite::new(5);
    let alice = s.addr("alice");
    let fake = s.addr("fake-token");
    let msg = to_json_binary(&ReceiveMsg::CreateDatanet(open_datanet())).unwrap();
    let err = s.hook_from(&fake, &alice, 5, msg).unwrap_err();
    assert_eq!(
        err,
        ContractError::Hook(HookError::UnexpectedToken {
            expected: s.token.to_string(),
            received: fake.to_string(),
        })
    );
}

#[test]
fn rejects_undecodable_hook() {
    let mut s = Suite::new(5);
    let alice = s.addr("alice");
    let token = s.token.clone();
    let err = s
        .hook_from(&token, &alice, 5, Binary::from(br#"{"stake":{}}"#.to_vec()))
        .unwrap_err();
    assert!(matches!(
        err,
        ContractError::Hook(HookError::InvalidHook { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Datanets
// ---------------------------------------------------------------------------------------------

#[test]
fn create_datanet_without_fee_registers_it_at_the_pool() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let curator = s.addr("curator");
    let res = s
        .exec(
            &alice,
            ExecuteMsg::CreateDatanet(datanet_msg(
                vec![curator.to_string()],
                0,
                AttributionMode::Influence,
            )),
        )
        .unwrap();
    // The pool learns the datanet, then its curators (who earn a share of its income).
    assert_eq!(
        msgs(&res),
        vec![
            s.pool()
                .register_datanet(1, AttributionMode::Influence)
                .unwrap(),
            s.pool().set_curators(1, vec![curator.to_string()]).unwrap(),
        ]
    );
    assert_eq!(attr(&res, "action"), "create_datanet");
    assert_eq!(attr(&res, "datanet_id"), "1");
    assert_eq!(attr(&res, "owner"), alice.as_str());

    let d = s.datanet(1);
    assert_eq!(d.owner, alice);
    assert_eq!(d.curators, vec![curator]);
    assert_eq!(d.status, DatanetStatus::Open);
    // The root of the empty event log: sha256 of nothing (RFC 9162).
    assert_eq!(
        d.root.to_hex(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!((d.log_size, d.backfill_remaining), (0, None));
    assert_eq!(d.attribution_mode, AttributionMode::Influence);
    assert_eq!(
        (d.total_weight, d.accepted_count, d.pending_count),
        (0, 0, 0)
    );
    assert_eq!(d.version_count, 0);
    assert_eq!(d.created_at, s.env.block.time);
    let config: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(config.datanet_count, 1);
}

#[test]
fn create_datanet_with_fee_sends_the_fee_to_the_treasury() {
    let mut s = Suite::new(100);
    let alice = s.addr("alice");
    let res = s
        .hook(&alice, 100, ReceiveMsg::CreateDatanet(open_datanet()))
        .unwrap();
    let expected_treasury = s.pool().to_treasury(&s.token, Uint128::new(100)).unwrap();
    assert_eq!(
        msgs(&res),
        vec![
            s.pool()
                .register_datanet(1, AttributionMode::Weight)
                .unwrap(),
            expected_treasury.clone(),
        ]
    );
    // The treasury message is one cw20 send of the fee with a treasury allocation.
    let CosmosMsg::Wasm(cosmwasm_std::WasmMsg::Execute {
        contract_addr, msg, ..
    }) = expected_treasury
    else {
        panic!("not a wasm execute")
    };
    assert_eq!(contract_addr, s.token.as_str());
    let Cw20ExecuteMsg::Send {
        contract,
        amount,
        msg,
    } = from_json(msg).unwrap()
    else {
        panic!("not a send")
    };
    assert_eq!((contract.as_str(), amount.u128()), (s.pool.as_str(), 100));
    assert_eq!(
        from_json::<reward_pool::ReceiveMsg>(msg).unwrap(),
        reward_pool::ReceiveMsg::Distribute {
            allocations: vec![Allocation::Treasury {
                amount: Uint128::new(100)
            }]
        }
    );
    assert_eq!(attr(&res, "creation_fee"), "100");
    assert_eq!(s.datanet(1).owner, alice);
}

#[test]
fn create_datanet_directly_requires_zero_fee() {
    let mut s = Suite::new(100);
    let alice = s.addr("alice");
    assert_eq!(
        s.exec(&alice, ExecuteMsg::CreateDatanet(open_datanet()))
            .unwrap_err(),
        ContractError::CreationFeeRequired {
            fee: Uint128::new(100)
        }
    );
    assert_eq!(
        s.hook(&alice, 99, ReceiveMsg::CreateDatanet(open_datanet()))
            .unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::new(100),
            received: Uint128::new(99)
        }
    );
    let config: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(config.datanet_count, 0);
}

#[test]
fn create_datanet_via_hook_without_fee_is_a_mismatch() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    assert_eq!(
        s.hook(&alice, 5, ReceiveMsg::CreateDatanet(open_datanet()))
            .unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::zero(),
            received: Uint128::new(5)
        }
    );
}

#[test]
fn create_datanet_validates_curators_and_text() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let seventeen: Vec<String> = (0..17)
        .map(|i| s.addr(&format!("curator{i}")).to_string())
        .collect();
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::CreateDatanet(datanet_msg(seventeen.clone(), 0, AttributionMode::Weight))
        )
        .unwrap_err(),
        ContractError::TooManyCurators { got: 17, max: 16 }
    );
    // Sixteen is fine.
    s.create(
        &alice,
        datanet_msg(seventeen[..16].to_vec(), 0, AttributionMode::Weight),
    );
    assert_eq!(s.datanet(1).curators.len(), 16);

    let c = s.addr("curator0").to_string();
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::CreateDatanet(datanet_msg(
                vec![c.clone(), c.clone()],
                0,
                AttributionMode::Weight
            ))
        )
        .unwrap_err(),
        ContractError::DuplicateCurator { address: c }
    );

    let mut bad = open_datanet();
    bad.name = String::new();
    assert_eq!(
        s.exec(&alice, ExecuteMsg::CreateDatanet(bad)).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "name".into(),
            min: 1,
            max: 64
        })
    );
    let mut bad = open_datanet();
    bad.name = "n".repeat(65);
    assert_eq!(
        s.exec(&alice, ExecuteMsg::CreateDatanet(bad)).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "name".into(),
            min: 1,
            max: 64
        })
    );
    let mut bad = open_datanet();
    bad.description = "d".repeat(1025);
    assert_eq!(
        s.exec(&alice, ExecuteMsg::CreateDatanet(bad)).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "description".into(),
            min: 0,
            max: 1024
        })
    );
    let mut bad = open_datanet();
    bad.curators = vec!["not-an-address".into()];
    assert!(matches!(
        s.exec(&alice, ExecuteMsg::CreateDatanet(bad)).unwrap_err(),
        ContractError::InvalidAddress { ref field, .. } if field == "curators"
    ));
}

#[test]
fn update_datanet_is_for_its_owner() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    let msg = ExecuteMsg::UpdateDatanet {
        datanet_id: id,
        description: Some("new".into()),
        metadata_uri: Some("ipfs://new".into()),
        policy: Some(ContributionPolicy::Allowlist),
    };
    assert_eq!(
        s.exec(&bob, msg.clone()).unwrap_err(),
        ContractError::NotDatanetOwner { datanet_id: id }
    );
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateDatanet {
                datanet_id: id,
                description: None,
                metadata_uri: None,
                policy: None
            }
        )
        .unwrap_err(),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateDatanet {
                datanet_id: 9,
                description: Some("x".into()),
                metadata_uri: None,
                policy: None
            }
        )
        .unwrap_err(),
        ContractError::DatanetNotFound { id: 9 }
    );
    s.exec(&alice, msg).unwrap();
    let d = s.datanet(id);
    assert_eq!(
        (d.description.as_str(), d.metadata_uri.as_str(), d.policy),
        ("new", "ipfs://new", ContributionPolicy::Allowlist)
    );
}

#[test]
fn update_curators_adds_removes_and_caps() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let c1 = s.addr("c1");
    let c2 = s.addr("c2");
    let id = s.create(
        &alice,
        datanet_msg(vec![c1.to_string()], 0, AttributionMode::Weight),
    );
    assert_eq!(
        s.exec(
            &c1,
            ExecuteMsg::UpdateCurators {
                datanet_id: id,
                add: vec![c2.to_string()],
                remove: vec![]
            }
        )
        .unwrap_err(),
        ContractError::NotDatanetOwner { datanet_id: id }
    );
    let res = s
        .exec(
            &alice,
            ExecuteMsg::UpdateCurators {
                datanet_id: id,
                add: vec![c2.to_string()],
                remove: vec![c1.to_string()],
            },
        )
        .unwrap();
    assert_eq!(s.datanet(id).curators, vec![c2.clone()]);
    // The pool is sent the whole new set.
    assert_eq!(
        msgs(&res),
        vec![s.pool().set_curators(id, vec![c2.to_string()]).unwrap()]
    );
    // Removing and adding back the same curator changes nothing: the pool is not called.
    let res = s
        .exec(
            &alice,
            ExecuteMsg::UpdateCurators {
                datanet_id: id,
                add: vec![c2.to_string()],
                remove: vec![c2.to_string()],
            },
        )
        .unwrap();
    assert_eq!(msgs(&res), vec![]);
    assert_eq!(s.datanet(id).curators, vec![c2.clone()]);
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateCurators {
                datanet_id: id,
                add: vec![],
                remove: vec![c1.to_string()]
            }
        )
        .unwrap_err(),
        ContractError::CuratorNotFound {
            datanet_id: id,
            address: c1.to_string()
        }
    );
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateCurators {
                datanet_id: id,
                add: vec![c2.to_string()],
                remove: vec![]
            }
        )
        .unwrap_err(),
        ContractError::DuplicateCurator {
            address: c2.to_string()
        }
    );
    let sixteen: Vec<String> = (0..16)
        .map(|i| s.addr(&format!("x{i}")).to_string())
        .collect();
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateCurators {
                datanet_id: id,
                add: sixteen,
                remove: vec![]
            }
        )
        .unwrap_err(),
        ContractError::TooManyCurators { got: 17, max: 16 }
    );
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateCurators {
                datanet_id: id,
                add: vec![],
                remove: vec![]
            }
        )
        .unwrap_err(),
        ContractError::EmptyBatch
    );
    assert_eq!(s.datanet(id).curators, vec![c2]);
}

#[test]
fn close_datanet_stops_contributions() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    assert_eq!(
        s.exec(&bob, ExecuteMsg::CloseDatanet { datanet_id: id })
            .unwrap_err(),
        ContractError::NotDatanetOwner { datanet_id: id }
    );
    s.exec(&alice, ExecuteMsg::CloseDatanet { datanet_id: id })
        .unwrap();
    assert_eq!(s.datanet(id).status, DatanetStatus::Closed);
    assert_eq!(
        s.exec(&alice, ExecuteMsg::CloseDatanet { datanet_id: id })
            .unwrap_err(),
        ContractError::DatanetClosed { id }
    );
    assert_eq!(
        s.exec(&bob, ExecuteMsg::Contribute(contribution(id, 1)))
            .unwrap_err(),
        ContractError::DatanetClosed { id }
    );
}

#[test]
fn datanet_transfer_is_two_step() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let carol = s.addr("carol");
    let id = s.create(&alice, open_datanet());

    assert_eq!(
        s.exec(
            &bob,
            ExecuteMsg::TransferDatanet {
                datanet_id: id,
                new_owner: bob.to_string()
            }
        )
        .unwrap_err(),
        ContractError::NotDatanetOwner { datanet_id: id }
    );
    assert_eq!(
        s.exec(&bob, ExecuteMsg::AcceptDatanet { datanet_id: id })
            .unwrap_err(),
        ContractError::NotPendingOwner { datanet_id: id }
    );
    s.exec(
        &alice,
        ExecuteMsg::TransferDatanet {
            datanet_id: id,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    assert_eq!(s.datanet(id).pending_owner, Some(bob.clone()));
    // The owner overwrites the proposal: bob can no longer accept.
    s.exec(
        &alice,
        ExecuteMsg::TransferDatanet {
            datanet_id: id,
            new_owner: carol.to_string(),
        },
    )
    .unwrap();
    assert_eq!(
        s.exec(&bob, ExecuteMsg::AcceptDatanet { datanet_id: id })
            .unwrap_err(),
        ContractError::NotPendingOwner { datanet_id: id }
    );
    assert_eq!(s.datanet(id).owner, alice);
    let res = s
        .exec(&carol, ExecuteMsg::AcceptDatanet { datanet_id: id })
        .unwrap();
    assert_eq!(attr(&res, "previous_owner"), alice.as_str());
    let d = s.datanet(id);
    assert_eq!((d.owner, d.pending_owner), (carol.clone(), None));
    // The owner index follows the transfer.
    let of_alice: DatanetsResponse = s.query(QueryMsg::Datanets {
        owner: Some(alice.to_string()),
        start_after: None,
        limit: None,
    });
    assert!(of_alice.datanets.is_empty());
    let of_carol: DatanetsResponse = s.query(QueryMsg::Datanets {
        owner: Some(carol.to_string()),
        start_after: None,
        limit: None,
    });
    assert_eq!(of_carol.datanets.len(), 1);
    // The old owner has no rights left.
    assert_eq!(
        s.exec(&alice, ExecuteMsg::CloseDatanet { datanet_id: id })
            .unwrap_err(),
        ContractError::NotDatanetOwner { datanet_id: id }
    );
}

#[test]
fn transferring_to_oneself_cancels_the_proposal() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    s.exec(
        &alice,
        ExecuteMsg::TransferDatanet {
            datanet_id: id,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    let res = s
        .exec(
            &alice,
            ExecuteMsg::TransferDatanet {
                datanet_id: id,
                new_owner: alice.to_string(),
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "cancelled"), "true");
    assert_eq!(s.datanet(id).pending_owner, None);
    assert_eq!(
        s.exec(&bob, ExecuteMsg::AcceptDatanet { datanet_id: id })
            .unwrap_err(),
        ContractError::NotPendingOwner { datanet_id: id }
    );
}

// ---------------------------------------------------------------------------------------------
// Contributions
// ---------------------------------------------------------------------------------------------

#[test]
fn contribute_to_open_datanet_records_it() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    let res = s
        .exec(&bob, ExecuteMsg::Contribute(contribution(id, 1)))
        .unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "action"), "contribute");
    assert_eq!(attr(&res, "contribution_id"), "1");
    assert_eq!(attr(&res, "contributor"), bob.as_str());
    assert_eq!(attr(&res, "bond"), "0");

    let c = s.contribution(1);
    assert_eq!(
        c,
        ContributionResponse {
            id: 1,
            datanet_id: id,
            contributor: bob.clone(),
            data_hash: data_hash(1),
            uri: "ipfs://data/1".into(),
            size_bytes: 1_000,
            license_note: None,
            bond: Uint128::zero(),
            status: ContributionStatus::Pending,
            weight: 0,
            reason: None,
            submitted_at: s.env.block.time,
            reviewed_by: None,
            reviewed_at: None,
            committed_at: None,
            displaced_by: None,
            accepted_seq: None,
            removed_seq: None,
        }
    );
    assert_eq!(s.datanet(id).pending_count, 1);
    assert_eq!(s.contributor(id, &bob).pending, 1);
    let config: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(config.contribution_count, 1);
}

#[test]
fn allowlist_policy_refuses_then_allows() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let curator = s.addr("curator");
    let bob = s.addr("bob");
    let mut new = datanet_msg(vec![curator.to_string()], 0, AttributionMode::Weight);
    new.policy = ContributionPolicy::Allowlist;
    let id = s.create(&alice, new);

    assert_eq!(
        s.exec(&bob, ExecuteMsg::Contribute(contribution(id, 1)))
            .unwrap_err(),
        ContractError::NotAllowlisted {
            datanet_id: id,
            address: bob.to_string()
        }
    );
    // Only the owner or a curator maintains the allowlist.
    assert_eq!(
        s.exec(
            &bob,
            ExecuteMsg::UpdateAllowlist {
                datanet_id: id,
                add: vec![bob.to_string()],
                remove: vec![]
            }
        )
        .unwrap_err(),
        ContractError::NotCurator { datanet_id: id }
    );
    let too_many: Vec<String> = (0..51)
        .map(|i| s.addr(&format!("a{i}")).to_string())
        .collect();
    assert_eq!(
        s.exec(
            &curator,
            ExecuteMsg::UpdateAllowlist {
                datanet_id: id,
                add: too_many,
                remove: vec![]
            }
        )
        .unwrap_err(),
        ContractError::BatchTooLarge { got: 51, max: 50 }
    );
    s.exec(
        &curator,
        ExecuteMsg::UpdateAllowlist {
            datanet_id: id,
            add: vec![bob.to_string()],
            remove: vec![],
        },
    )
    .unwrap();
    let allowed: bool = s.query(QueryMsg::IsAllowed {
        datanet_id: id,
        address: bob.to_string(),
    });
    assert!(allowed);
    s.exec(&bob, ExecuteMsg::Contribute(contribution(id, 1)))
        .unwrap();

    s.exec(
        &alice,
        ExecuteMsg::UpdateAllowlist {
            datanet_id: id,
            add: vec![],
            remove: vec![bob.to_string()],
        },
    )
    .unwrap();
    let allowed: bool = s.query(QueryMsg::IsAllowed {
        datanet_id: id,
        address: bob.to_string(),
    });
    assert!(!allowed);
    assert_eq!(
        s.exec(&bob, ExecuteMsg::Contribute(contribution(id, 2)))
            .unwrap_err(),
        ContractError::NotAllowlisted {
            datanet_id: id,
            address: bob.to_string()
        }
    );
}

#[test]
fn contribute_validates_the_data_hash() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());

    let mut c = contribution(id, 1);
    c.data_hash = data_hash(1)[..63].to_string();
    let err = s.exec(&bob, ExecuteMsg::Contribute(c.clone())).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "data_hash `{}` is not a SHA-256: expected exactly 64 hex characters",
            c.data_hash
        )
    );
    assert_eq!(
        err,
        ContractError::Validation(ValidationError::InvalidHash {
            field: "data_hash".into(),
            value: c.data_hash
        })
    );
    let mut c = contribution(id, 1);
    c.data_hash = format!("{}g", &data_hash(1)[..63]);
    assert_eq!(
        s.exec(&bob, ExecuteMsg::Contribute(c.clone())).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidHash {
            field: "data_hash".into(),
            value: c.data_hash
        })
    );
    let mut c = contribution(id, 1);
    c.data_hash = format!("0x{}", &data_hash(1)[..62]);
    assert_eq!(
        s.exec(&bob, ExecuteMsg::Contribute(c.clone())).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidHash {
            field: "data_hash".into(),
            value: c.data_hash
        })
    );

    // Upper-case is accepted and stored lower-case; the same hash in any case is a duplicate.
    let mut c = contribution(id, 1);
    c.data_hash = data_hash(1).to_uppercase();
    s.exec(&bob, ExecuteMsg::Contribute(c)).unwrap();
    assert_eq!(s.contribution(1).data_hash, data_hash(1));
    assert_eq!(
        s.exec(&alice, ExecuteMsg::Contribute(contribution(id, 1)))
            .unwrap_err(),
        ContractError::DuplicateDataHash {
            datanet_id: id,
            data_hash: data_hash(1)
        }
    );
    // Another datanet may hold the same data.
    let other = s.create(&alice, open_datanet());
    s.exec(&bob, ExecuteMsg::Contribute(contribution(other, 1)))
        .unwrap();
}

#[test]
fn contribute_validates_size_uri_and_note() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let id = s.create(&alice, open_datanet());
    let mut c = contribution(id, 1);
    c.size_bytes = 0;
    assert_eq!(
        s.exec(&alice, ExecuteMsg::Contribute(c)).unwrap_err(),
        ContractError::ZeroSize
    );
    let mut c = contribution(id, 1);
    c.uri = String::new();
    assert_eq!(
        s.exec(&alice, ExecuteMsg::Contribute(c)).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "uri".into(),
            min: 1,
            max: 512
        })
    );
    let mut c = contribution(id, 1);
    c.license_note = Some("l".repeat(257));
    assert_eq!(
        s.exec(&alice, ExecuteMsg::Contribute(c)).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "license_note".into(),
            min: 1,
            max: 256
        })
    );
    assert_eq!(
        s.exec(&alice, ExecuteMsg::Contribute(contribution(42, 1)))
            .unwrap_err(),
        ContractError::DatanetNotFound { id: 42 }
    );
}

#[test]
fn bonded_datanet_takes_contributions_only_with_the_exact_bond() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, datanet_msg(vec![], 25, AttributionMode::Weight));

    assert_eq!(
        s.exec(&bob, ExecuteMsg::Contribute(contribution(id, 1)))
            .unwrap_err(),
        ContractError::BondRequired {
            bond: Uint128::new(25)
        }
    );
    assert_eq!(
        s.hook(&bob, 24, ReceiveMsg::Contribute(contribution(id, 1)))
            .unwrap_err(),
        ContractError::BondMismatch {
            expected: Uint128::new(25),
            received: Uint128::new(24)
        }
    );
    let res = s
        .hook(&bob, 25, ReceiveMsg::Contribute(contribution(id, 1)))
        .unwrap();
    assert_eq!(attr(&res, "bond"), "25");
    let c = s.contribution(1);
    assert_eq!((c.contributor, c.bond), (bob, Uint128::new(25)));

    // A datanet without bond refuses tokens sent with the contribution.
    let free = s.create(&alice, open_datanet());
    let carol = s.addr("carol");
    assert_eq!(
        s.hook(&carol, 3, ReceiveMsg::Contribute(contribution(free, 1)))
            .unwrap_err(),
        ContractError::BondMismatch {
            expected: Uint128::zero(),
            received: Uint128::new(3)
        }
    );
}

#[test]
fn withdraw_contribution_returns_the_bond_and_frees_the_hash() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, datanet_msg(vec![], 25, AttributionMode::Weight));
    let cid = s.contribute_bonded(&bob, id, 1, 25);

    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::WithdrawContribution {
                contribution_id: cid
            }
        )
        .unwrap_err(),
        ContractError::NotContributor {
            contribution_id: cid
        }
    );
    let res = s
        .exec(
            &bob,
            ExecuteMsg::WithdrawContribution {
                contribution_id: cid,
            },
        )
        .unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "bond"), "25");
    assert_eq!(s.contribution(cid).status, ContributionStatus::Withdrawn);
    assert_eq!(s.withdrawable(&bob), Uint128::new(25));
    assert_eq!(s.datanet(id).pending_count, 0);
    assert_eq!(s.contributor(id, &bob).pending, 0);
    assert_eq!(
        s.exec(
            &bob,
            ExecuteMsg::WithdrawContribution {
                contribution_id: cid
            }
        )
        .unwrap_err(),
        ContractError::ContributionNotPending {
            id: cid,
            status: ContributionStatus::Withdrawn
        }
    );

    // The same data may be submitted again.
    let again = s.contribute_bonded(&bob, id, 1, 25);
    assert_eq!(again, cid + 1);

    // Only while pending.
    s.review(&alice, id, vec![accept(again, 10)]).unwrap();
    assert_eq!(
        s.exec(
            &bob,
            ExecuteMsg::WithdrawContribution {
                contribution_id: again
            }
        )
        .unwrap_err(),
        ContractError::ContributionNotPending {
            id: again,
            status: ContributionStatus::Accepted
        }
    );
}

#[test]
fn withdraw_bonds_pays_once_with_one_transfer() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, datanet_msg(vec![], 25, AttributionMode::Weight));
    let c1 = s.contribute_bonded(&bob, id, 1, 25);
    let c2 = s.contribute_bonded(&bob, id, 2, 25);
    s.review(&alice, id, vec![accept(c1, 5)]).unwrap();
    s.exec(
        &bob,
        ExecuteMsg::WithdrawContribution {
            contribution_id: c2,
        },
    )
    .unwrap();
    assert_eq!(s.withdrawable(&bob), Uint128::new(50));

    let res = s.exec(&bob, ExecuteMsg::WithdrawBonds {}).unwrap();
    assert_eq!(
        msgs(&res),
        vec![TokenHandle(s.token.clone())
            .transfer(&bob, Uint128::new(50))
            .unwrap()]
    );
    assert_eq!(attr(&res, "amount"), "50");
    assert_eq!(s.withdrawable(&bob), Uint128::zero());
    assert_eq!(
        s.exec(&bob, ExecuteMsg::WithdrawBonds {}).unwrap_err(),
        ContractError::NothingToWithdraw
    );
}

// ---------------------------------------------------------------------------------------------
// Review
// ---------------------------------------------------------------------------------------------

#[test]
fn review_is_for_owner_and_curators() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let curator = s.addr("curator");
    let bob = s.addr("bob");
    let id = s.create(
        &alice,
        datanet_msg(vec![curator.to_string()], 0, AttributionMode::Weight),
    );
    let c1 = s.contribute(&bob, id, 1);
    let c2 = s.contribute(&bob, id, 2);
    assert_eq!(
        s.review(&bob, id, vec![accept(c1, 10)]).unwrap_err(),
        ContractError::NotCurator { datanet_id: id }
    );
    s.review(&curator, id, vec![accept(c1, 10)]).unwrap();
    s.review(&alice, id, vec![accept(c2, 10)]).unwrap();
    let c = s.contribution(c1);
    assert_eq!(c.reviewed_by, Some(curator));
    assert_eq!(c.reviewed_at, Some(s.env.block.time));
}

#[test]
fn review_refuses_a_second_decision() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    let cid = s.contribute(&bob, id, 1);
    s.review(&alice, id, vec![accept(cid, 10)]).unwrap();
    assert_eq!(
        s.review(&alice, id, vec![accept(cid, 10)]).unwrap_err(),
        ContractError::ContributionNotPending {
            id: cid,
            status: ContributionStatus::Accepted
        }
    );
    assert_eq!(
        s.review(&alice, id, vec![reject(cid)]).unwrap_err(),
        ContractError::ContributionNotPending {
            id: cid,
            status: ContributionStatus::Accepted
        }
    );
    assert_eq!(s.contributor(id, &bob).weight, 10);
}

#[test]
fn review_validates_weights_and_reasons() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    let cid = s.contribute(&bob, id, 1);
    assert_eq!(
        s.review(&alice, id, vec![accept(cid, 0)]).unwrap_err(),
        ContractError::InvalidWeight {
            weight: 0,
            max: 10_000
        }
    );
    assert_eq!(
        s.review(&alice, id, vec![accept(cid, 10_001)]).unwrap_err(),
        ContractError::InvalidWeight {
            weight: 10_001,
            max: 10_000
        }
    );
    assert_eq!(
        s.review(
            &alice,
            id,
            vec![ReviewDecision::Reject {
                contribution_id: cid,
                reason: String::new()
            }]
        )
        .unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "reason".into(),
            min: 1,
            max: 256
        })
    );
    // Nothing was written by the refused reviews.
    assert_eq!(s.contribution(cid).status, ContributionStatus::Pending);
    s.review(&alice, id, vec![accept(cid, 10_000)]).unwrap();
    assert_eq!(s.contribution(cid).weight, 10_000);
}

#[test]
fn review_batch_limits() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    let other = s.create(&alice, open_datanet());
    let ids: Vec<u64> = (0..51).map(|n| s.contribute(&bob, id, n)).collect();
    let foreign = s.contribute(&bob, other, 1);

    assert_eq!(
        s.review(&alice, id, vec![]).unwrap_err(),
        ContractError::EmptyBatch
    );
    assert_eq!(
        s.review(&alice, id, ids.iter().map(|c| accept(*c, 1)).collect())
            .unwrap_err(),
        ContractError::BatchTooLarge { got: 51, max: 50 }
    );
    assert_eq!(
        s.review(&alice, id, vec![accept(ids[0], 1), reject(ids[0])])
            .unwrap_err(),
        ContractError::DuplicateInBatch { id: ids[0] }
    );
    assert_eq!(
        s.review(&alice, id, vec![accept(ids[0], 1), accept(foreign, 1)])
            .unwrap_err(),
        ContractError::ContributionNotInDatanet {
            id: foreign,
            datanet_id: id
        }
    );
    assert_eq!(
        s.review(&alice, id, vec![accept(999, 1)]).unwrap_err(),
        ContractError::ContributionNotFound { id: 999 }
    );
    // The refused batches wrote nothing.
    assert_eq!(s.contribution(ids[0]).status, ContributionStatus::Pending);
    assert_eq!(s.datanet(id).pending_count, 51);

    // Fifty at once is fine.
    let res = s
        .review(
            &alice,
            id,
            ids[..50].iter().map(|c| accept(*c, 2)).collect(),
        )
        .unwrap();
    assert_eq!(attr(&res, "accepted"), "50");
    let d = s.datanet(id);
    assert_eq!(
        (d.pending_count, d.accepted_count, d.total_weight),
        (1, 50, 100)
    );
    assert_eq!(s.contributor(id, &bob).weight, 100);
}

#[test]
fn root_after_two_accepts_is_the_merkle_root_of_their_two_leaves() {
    // Until 0.3.0 the root was the hash chain sha256(root ‖ data_hash ‖ weight); it is now the
    // RFC 9162 root of the event log, built here from the documented leaf encoding by hand.
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    let c1 = s.contribute(&bob, id, 1);
    let c2 = s.contribute(&bob, id, 2);
    let c3 = s.contribute(&bob, id, 3);
    let res = s
        .review(&alice, id, vec![accept(c1, 500), reject(c2)])
        .unwrap();
    assert_eq!(attr(&res, "log_size"), "1");
    s.review(&alice, id, vec![accept(c3, 7)]).unwrap();

    let leaf = |seq: u64, cid: u64, n: u32, weight: u64| -> [u8; 32] {
        let mut pre = vec![0x00];
        pre.extend_from_slice(b"openledger-version-v1");
        pre.extend_from_slice(&id.to_be_bytes());
        pre.extend_from_slice(&seq.to_be_bytes());
        pre.push(1);
        pre.extend_from_slice(&cid.to_be_bytes());
        pre.extend_from_slice(&(bob.as_str().len() as u16).to_be_bytes());
        pre.extend_from_slice(bob.as_bytes());
        pre.extend_from_slice(&Sha256::digest(n.to_be_bytes()));
        pre.extend_from_slice(&weight.to_be_bytes());
        Sha256::digest(&pre).into()
    };
    let mut node = vec![0x01];
    node.extend_from_slice(&leaf(0, c1, 1, 500));
    node.extend_from_slice(&leaf(1, c3, 3, 7));
    let d = s.datanet(id);
    assert_eq!(d.root, HexBinary::from(Sha256::digest(&node).to_vec()));
    assert_eq!((d.accepted_count, d.total_weight, d.log_size), (2, 507, 2));
    assert_eq!(
        (
            s.contribution(c1).accepted_seq,
            s.contribution(c3).accepted_seq
        ),
        (Some(0), Some(1))
    );
    assert_eq!(s.contribution(c2).accepted_seq, None);
}

#[test]
fn review_sends_absolute_weights_and_one_treasury_payment() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let carol = s.addr("carol");
    let id = s.create(&owner, datanet_msg(vec![], 10, AttributionMode::Weight));
    let a1 = s.contribute_bonded(&alice, id, 1, 10);
    s.review(&owner, id, vec![accept(a1, 100)]).unwrap();

    let a2 = s.contribute_bonded(&alice, id, 2, 10);
    let b1 = s.contribute_bonded(&bob, id, 3, 10);
    let a3 = s.contribute_bonded(&alice, id, 4, 10);
    let c1 = s.contribute_bonded(&carol, id, 5, 10);
    let c2 = s.contribute_bonded(&carol, id, 6, 10);
    let res = s
        .review(
            &owner,
            id,
            vec![
                accept(b1, 30),
                accept(a2, 20),
                reject(c1),
                accept(a3, 5),
                reject(c2),
            ],
        )
        .unwrap();

    // Bob first (first seen), then Alice with her new total 100 + 20 + 5; Carol only rejected.
    let expected_weights = s
        .pool()
        .update_weights(
            id,
            vec![
                WeightUpdate {
                    address: bob.to_string(),
                    weight: 30,
                },
                WeightUpdate {
                    address: alice.to_string(),
                    weight: 125,
                },
            ],
        )
        .unwrap();
    let expected_treasury = s.pool().to_treasury(&s.token, Uint128::new(20)).unwrap();
    assert_eq!(
        msgs(&res),
        vec![expected_weights.clone(), expected_treasury]
    );
    let CosmosMsg::Wasm(cosmwasm_std::WasmMsg::Execute {
        contract_addr, msg, ..
    }) = expected_weights
    else {
        panic!("not a wasm execute")
    };
    assert_eq!(contract_addr, s.pool.as_str());
    assert!(matches!(
        from_json::<reward_pool::ExecuteMsg>(msg).unwrap(),
        reward_pool::ExecuteMsg::UpdateWeights { datanet_id, ref updates } if datanet_id == id && updates.len() == 2
    ));
    assert_eq!(attr(&res, "accepted"), "3");
    assert_eq!(attr(&res, "rejected"), "2");
    assert_eq!(attr(&res, "accepted_ids"), format!("{b1},{a2},{a3}"));
    assert_eq!(attr(&res, "rejected_ids"), format!("{c1},{c2}"));
    assert_eq!(attr(&res, "rejected_bonds"), "20");
    assert_eq!(attr(&res, "returned_bonds"), "30");

    // Bonds of accepted contributions are withdrawable; rejected ones are gone.
    assert_eq!(s.withdrawable(&alice), Uint128::new(30));
    assert_eq!(s.withdrawable(&bob), Uint128::new(10));
    assert_eq!(s.withdrawable(&carol), Uint128::zero());
    let c = s.contribution(c1);
    assert_eq!(c.status, ContributionStatus::Rejected);
    assert_eq!(c.reason.as_deref(), Some("duplicate content"));
    assert_eq!(
        s.contributor(id, &carol),
        ContributorResponse {
            datanet_id: id,
            address: carol.clone(),
            weight: 0,
            pending: 0,
            accepted: 0,
            rejected: 2,
            removed: 0,
            displaced: 0,
        }
    );
    assert_eq!(
        s.contributor(id, &alice),
        ContributorResponse {
            datanet_id: id,
            address: alice.clone(),
            weight: 125,
            pending: 0,
            accepted: 3,
            rejected: 0,
            removed: 0,
            displaced: 0,
        }
    );
    let d = s.datanet(id);
    assert_eq!(
        (d.total_weight, d.accepted_count, d.pending_count),
        (155, 4, 0)
    );
    // Rejected data stays reserved.
    assert_eq!(
        s.hook(&carol, 10, ReceiveMsg::Contribute(contribution(id, 5)))
            .unwrap_err(),
        ContractError::DuplicateDataHash {
            datanet_id: id,
            data_hash: data_hash(5)
        }
    );
}

#[test]
fn review_with_only_free_rejections_sends_nothing() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, open_datanet());
    let cid = s.contribute(&bob, id, 1);
    let res = s.review(&alice, id, vec![reject(cid)]).unwrap();
    assert!(res.messages.is_empty());
}

#[test]
fn influence_datanet_sends_no_weight_updates() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, datanet_msg(vec![], 0, AttributionMode::Influence));
    let c1 = s.contribute(&bob, id, 1);
    let c2 = s.contribute(&bob, id, 2);
    let res = s
        .review(&alice, id, vec![accept(c1, 40), accept(c2, 2)])
        .unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(s.contributor(id, &bob).weight, 42);
    let res = s
        .exec(
            &alice,
            ExecuteMsg::RemoveContribution {
                contribution_id: c1,
                reason: "deletion request".into(),
            },
        )
        .unwrap();
    assert!(res.messages.is_empty());
    assert_eq!(s.contributor(id, &bob).weight, 2);
}

// ---------------------------------------------------------------------------------------------
// Removal and versions
// ---------------------------------------------------------------------------------------------

#[test]
fn remove_contribution_drops_its_weight_and_tells_the_pool() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let curator = s.addr("curator");
    let bob = s.addr("bob");
    let id = s.create(
        &alice,
        datanet_msg(vec![curator.to_string()], 0, AttributionMode::Weight),
    );
    let c1 = s.contribute(&bob, id, 1);
    let c2 = s.contribute(&bob, id, 2);
    let c3 = s.contribute(&bob, id, 3);
    s.review(&alice, id, vec![accept(c1, 300), accept(c2, 50)])
        .unwrap();
    let root_before = s.datanet(id).root;
    let remove = |cid: u64| ExecuteMsg::RemoveContribution {
        contribution_id: cid,
        reason: "poisoned".into(),
    };

    assert_eq!(
        s.exec(&bob, remove(c1)).unwrap_err(),
        ContractError::NotCurator { datanet_id: id }
    );
    assert_eq!(
        s.exec(&curator, remove(c3)).unwrap_err(),
        ContractError::ContributionNotAccepted {
            id: c3,
            status: ContributionStatus::Pending
        }
    );
    let res = s.exec(&curator, remove(c1)).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s
            .pool()
            .update_weights(
                id,
                vec![WeightUpdate {
                    address: bob.to_string(),
                    weight: 50
                }]
            )
            .unwrap()]
    );
    assert_eq!(attr(&res, "weight"), "300");
    let c = s.contribution(c1);
    assert_eq!(c.status, ContributionStatus::Removed);
    assert_eq!(c.reason.as_deref(), Some("poisoned"));
    assert_eq!(c.reviewed_by, Some(curator.clone()));
    let stats = s.contributor(id, &bob);
    assert_eq!(
        (stats.weight, stats.accepted, stats.removed, stats.pending),
        (50, 2, 1, 1)
    );
    // The removal is a third leaf of the event log (until 0.3.0 the root did not change).
    assert_eq!(attr(&res, "removed_seq"), "2");
    assert_eq!(attr(&res, "log_size"), "3");
    let c = s.contribution(c1);
    assert_eq!((c.accepted_seq, c.removed_seq), (Some(0), Some(2)));
    let d = s.datanet(id);
    assert_eq!((d.total_weight, d.accepted_count, d.log_size), (50, 2, 3));
    assert_ne!(d.root, root_before);
    assert_eq!(
        s.exec(&curator, remove(c1)).unwrap_err(),
        ContractError::ContributionNotAccepted {
            id: c1,
            status: ContributionStatus::Removed
        }
    );
}

#[test]
fn publish_version_freezes_the_commitment() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let curator = s.addr("curator");
    let bob = s.addr("bob");
    let id = s.create(
        &alice,
        datanet_msg(vec![curator.to_string()], 0, AttributionMode::Weight),
    );
    let c1 = s.contribute(&bob, id, 1);
    s.review(&alice, id, vec![accept(c1, 9)]).unwrap();

    assert_eq!(
        s.exec(&bob, ExecuteMsg::PublishVersion { datanet_id: id })
            .unwrap_err(),
        ContractError::NotCurator { datanet_id: id }
    );
    let res = s
        .exec(&curator, ExecuteMsg::PublishVersion { datanet_id: id })
        .unwrap();
    assert_eq!(attr(&res, "version"), "1");
    assert_eq!(
        msgs(&res),
        vec![s.pool().publish_version(id, 1, 9).unwrap()]
    );
    assert_eq!(attr(&res, "format"), "event_log_v1");
    assert_eq!(attr(&res, "tree_size"), "1");
    let root1 = s.datanet(id).root;
    assert_eq!(attr(&res, "root"), root1.to_hex());
    let v1: VersionResponse = s.query(QueryMsg::Version {
        datanet_id: id,
        version: 1,
    });
    assert_eq!(
        v1,
        VersionResponse {
            datanet_id: id,
            version: 1,
            format: VersionFormat::EventLogV1,
            root: root1.clone(),
            tree_size: 1,
            total_weight: 9,
            accepted_count: 1,
            published_at: s.env.block.time,
            height: s.env.block.height,
        }
    );

    // More data, then the datanet closes: publishing still works.
    let c2 = s.contribute(&bob, id, 2);
    s.review(&alice, id, vec![accept(c2, 1)]).unwrap();
    s.exec(&alice, ExecuteMsg::CloseDatanet { datanet_id: id })
        .unwrap();
    s.env.block.height += 10;
    s.env.block.time = s.env.block.time.plus_seconds(60);
    let res = s
        .exec(&alice, ExecuteMsg::PublishVersion { datanet_id: id })
        .unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.pool().publish_version(id, 2, 10).unwrap()]
    );
    let versions: VersionsResponse = s.query(QueryMsg::Versions {
        datanet_id: id,
        start_after: None,
        limit: None,
    });
    assert_eq!(versions.versions.len(), 2);
    assert_eq!(versions.versions[0], v1);
    let v2 = &versions.versions[1];
    assert_eq!(
        (v2.version, v2.total_weight, v2.accepted_count, v2.tree_size),
        (2, 10, 2, 2)
    );
    assert_ne!(v2.root, root1);
    assert_eq!(v2.published_at, s.env.block.time);
    assert_eq!(s.datanet(id).version_count, 2);
    assert_eq!(
        s.query_err(QueryMsg::Version {
            datanet_id: id,
            version: 3
        }),
        ContractError::VersionNotFound {
            datanet_id: id,
            version: 3
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

#[test]
fn list_queries_refuse_bad_limits() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let id = s.create(&alice, open_datanet());
    for limit in [0, 51] {
        let expected =
            ContractError::Pagination(PaginationError::LimitOutOfRange { limit, max: 50 });
        assert_eq!(
            s.query_err(QueryMsg::Datanets {
                owner: None,
                start_after: None,
                limit: Some(limit)
            }),
            expected
        );
        assert_eq!(
            s.query_err(QueryMsg::ContributionsByDatanet {
                datanet_id: id,
                status: ContributionStatus::Pending,
                start_after: None,
                limit: Some(limit)
            }),
            expected
        );
        assert_eq!(
            s.query_err(QueryMsg::ContributionsByContributor {
                contributor: alice.to_string(),
                start_after: None,
                limit: Some(limit)
            }),
            expected
        );
        assert_eq!(
            s.query_err(QueryMsg::Versions {
                datanet_id: id,
                start_after: None,
                limit: Some(limit)
            }),
            expected
        );
    }
}

#[test]
fn pages_through_contributions_by_status_and_contributor() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let carol = s.addr("carol");
    let id = s.create(&alice, open_datanet());
    let other = s.create(&alice, open_datanet());
    // 30 contributions: bob 25 to `id`, carol 5 to `other`.
    let bobs: Vec<u64> = (0..25).map(|n| s.contribute(&bob, id, n)).collect();
    for n in 0..5 {
        s.contribute(&carol, other, n);
    }
    // All 25 pending: pages of 10, 10 and 5, then an empty page.
    let mut pages = vec![];
    let mut start_after = None;
    loop {
        let res: ContributionsResponse = s.query(QueryMsg::ContributionsByDatanet {
            datanet_id: id,
            status: ContributionStatus::Pending,
            start_after,
            limit: Some(10),
        });
        let ids: Vec<u64> = res.contributions.iter().map(|c| c.id).collect();
        if ids.is_empty() {
            break;
        }
        assert!(res.contributions.iter().all(|c| c.datanet_id == id));
        start_after = ids.last().copied();
        pages.push(ids);
    }
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![10, 10, 5]
    );
    assert_eq!(pages.concat(), bobs);

    // Accept five of bob's: 20 pending and 5 accepted remain in `id`.
    s.review(
        &alice,
        id,
        bobs.iter().step_by(5).map(|c| accept(*c, 1)).collect(),
    )
    .unwrap();
    let accepted: Vec<u64> = bobs.iter().step_by(5).copied().collect();
    let pending: Vec<u64> = bobs
        .iter()
        .filter(|c| !accepted.contains(c))
        .copied()
        .collect();

    let page = |s: &Suite, status, start_after, limit| -> Vec<u64> {
        let res: ContributionsResponse = s.query(QueryMsg::ContributionsByDatanet {
            datanet_id: id,
            status,
            start_after,
            limit,
        });
        res.contributions.iter().map(|c| c.id).collect()
    };
    let mut seen = vec![];
    let mut start_after = None;
    loop {
        let ids = page(&s, ContributionStatus::Pending, start_after, Some(7));
        if ids.is_empty() {
            break;
        }
        assert!(ids.len() <= 7);
        start_after = ids.last().copied();
        seen.extend(ids);
    }
    assert_eq!(seen, pending);
    assert_eq!(page(&s, ContributionStatus::Accepted, None, None), accepted);
    assert_eq!(
        page(&s, ContributionStatus::Accepted, Some(accepted[2]), None),
        accepted[3..].to_vec()
    );
    assert!(page(&s, ContributionStatus::Rejected, None, None).is_empty());

    // By contributor: default page of 10, then the rest, across statuses.
    let by = |start_after, limit| -> Vec<u64> {
        let res: ContributionsResponse = s.query(QueryMsg::ContributionsByContributor {
            contributor: bob.to_string(),
            start_after,
            limit,
        });
        res.contributions.iter().map(|c| c.id).collect()
    };
    assert_eq!(by(None, None), bobs[..10].to_vec());
    assert_eq!(by(Some(bobs[9]), Some(50)), bobs[10..].to_vec());

    assert_eq!(
        s.query_err(QueryMsg::ContributionsByDatanet {
            datanet_id: 77,
            status: ContributionStatus::Pending,
            start_after: None,
            limit: None
        }),
        ContractError::DatanetNotFound { id: 77 }
    );
}

#[test]
fn pages_through_datanets_by_owner() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    for i in 0..12 {
        let owner = if i % 3 == 0 { &bob } else { &alice };
        let owner = owner.clone();
        s.create(&owner, open_datanet());
    }
    let all: DatanetsResponse = s.query(QueryMsg::Datanets {
        owner: None,
        start_after: None,
        limit: None,
    });
    assert_eq!(
        all.datanets.iter().map(|d| d.id).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    let of_bob: DatanetsResponse = s.query(QueryMsg::Datanets {
        owner: Some(bob.to_string()),
        start_after: Some(1),
        limit: Some(2),
    });
    assert_eq!(
        of_bob.datanets.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![4, 7]
    );
    assert!(of_bob.datanets.iter().all(|d| d.owner == bob));
}

#[test]
fn solvency_compares_balance_with_bonds_owed() {
    let mut s = Suite::new(0);
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let id = s.create(&alice, datanet_msg(vec![], 10, AttributionMode::Weight));
    let c1 = s.contribute_bonded(&bob, id, 1, 10);
    s.contribute_bonded(&bob, id, 2, 10);
    s.contribute_bonded(&bob, id, 3, 10);
    s.review(&alice, id, vec![accept(c1, 1)]).unwrap();

    let token = s.token.clone();
    let registry = s.env.contract.address.clone();
    let set_balance = |s: &mut Suite, balance: u128| {
        let token = token.clone();
        let registry = registry.clone();
        s.deps.querier.update_wasm(move |q| match q {
            WasmQuery::Smart { contract_addr, msg } if *contract_addr == token.as_str() => {
                let Cw20QueryMsg::Balance { address } = from_json(msg).unwrap() else {
                    panic!("unexpected query")
                };
                assert_eq!(address, registry.as_str());
                SystemResult::Ok(ContractResult::Ok(
                    to_json_binary(&BalanceResponse {
                        balance: Uint128::new(balance),
                    })
                    .unwrap(),
                ))
            }
            _ => panic!("unexpected query"),
        });
    };
    set_balance(&mut s, 30);
    let solvency: RegistrySolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(
        solvency,
        RegistrySolvencyResponse {
            balance: Uint128::new(30),
            pending_bonds: Uint128::new(20),
            withdrawable_bonds: Uint128::new(10),
            total_liabilities: Uint128::new(30),
            solvent: true,
        }
    );
    set_balance(&mut s, 29);
    let solvency: RegistrySolvencyResponse = s.query(QueryMsg::Solvency {});
    assert!(!solvency.solvent);
}

// ---------------------------------------------------------------------------------------------
// Random sequences against a ledger kept by the test
// ---------------------------------------------------------------------------------------------

/// A small deterministic generator (no extra dependency): the same seed, the same run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[derive(Clone)]
struct Entry {
    id: u64,
    datanet: u64,
    who: usize,
    status: ContributionStatus,
    weight: u64,
    bond: u128,
}

#[test]
fn random_sequences_keep_weights_counts_and_bonds_consistent() {
    for seed in [1u64, 7, 42, 2024] {
        let mut rng = Lcg(seed);
        let mut s = Suite::new(0);
        let owner = s.addr("owner");
        let people: Vec<Addr> = (0..3).map(|i| s.addr(&format!("p{i}"))).collect();
        // Two bonded datanets (weight and influence mode) and one free one.
        let datanets = [
            (
                s.create(&owner, datanet_msg(vec![], 10, AttributionMode::Weight)),
                10u128,
            ),
            (
                s.create(&owner, datanet_msg(vec![], 3, AttributionMode::Influence)),
                3,
            ),
            (
                s.create(&owner, datanet_msg(vec![], 0, AttributionMode::Weight)),
                0,
            ),
        ];
        let mut ledger: Vec<Entry> = vec![];
        let mut withdrawable = [0u128; 3];
        // The registry's token balance as the test sees it.
        let mut balance: u128 = 0;
        let mut next_data = 0u32;

        for _ in 0..300 {
            match rng.next(7) {
                0 | 1 => {
                    let who = rng.next(3) as usize;
                    let (d, bond) = datanets[rng.next(3) as usize];
                    next_data += 1;
                    let id = if bond > 0 {
                        s.contribute_bonded(&people[who], d, next_data, bond)
                    } else {
                        s.contribute(&people[who], d, next_data)
                    };
                    balance += bond;
                    ledger.push(Entry {
                        id,
                        datanet: d,
                        who,
                        status: ContributionStatus::Pending,
                        weight: 0,
                        bond,
                    });
                }
                2 => {
                    let (d, _) = datanets[rng.next(3) as usize];
                    let picks: Vec<usize> = ledger
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| e.datanet == d && e.status == ContributionStatus::Pending)
                        .map(|(i, _)| i)
                        .take(4)
                        .collect();
                    if picks.is_empty() {
                        assert_eq!(
                            s.review(&owner, d, vec![]).unwrap_err(),
                            ContractError::EmptyBatch
                        );
                        continue;
                    }
                    let mut decisions = vec![];
                    let mut rejected_bonds = 0u128;
                    let mut touched: Vec<usize> = vec![];
                    for i in picks {
                        let e = &mut ledger[i];
                        if rng.next(3) == 0 {
                            decisions.push(reject(e.id));
                            e.status = ContributionStatus::Rejected;
                            rejected_bonds += e.bond;
                        } else {
                            let w = 1 + rng.next(10_000);
                            decisions.push(accept(e.id, w));
                            e.status = ContributionStatus::Accepted;
                            e.weight = w;
                            withdrawable[e.who] += e.bond;
                            if !touched.contains(&e.who) {
                                touched.push(e.who);
                            }
                        }
                    }
                    let res = s.review(&owner, d, decisions).unwrap();
                    balance -= rejected_bonds;
                    let mut expected = vec![];
                    let weight_mode = s.datanet(d).attribution_mode == AttributionMode::Weight;
                    if weight_mode && !touched.is_empty() {
                        let updates = touched
                            .iter()
                            .map(|w| WeightUpdate {
                                address: people[*w].to_string(),
                                weight: ledger
                                    .iter()
                                    .filter(|e| {
                                        e.datanet == d
                                            && e.who == *w
                                            && e.status == ContributionStatus::Accepted
                                    })
                                    .map(|e| e.weight)
                                    .sum(),
                            })
                            .collect();
                        expected.push(s.pool().update_weights(d, updates).unwrap());
                    }
                    if rejected_bonds > 0 {
                        expected.push(
                            s.pool()
                                .to_treasury(&s.token, Uint128::new(rejected_bonds))
                                .unwrap(),
                        );
                    }
                    assert_eq!(msgs(&res), expected);
                }
                3 => {
                    let Some(i) = ledger
                        .iter()
                        .position(|e| e.status == ContributionStatus::Pending)
                    else {
                        continue;
                    };
                    let e = ledger[i].clone();
                    let stranger = &people[(e.who + 1) % 3];
                    assert_eq!(
                        s.exec(
                            stranger,
                            ExecuteMsg::WithdrawContribution {
                                contribution_id: e.id
                            }
                        )
                        .unwrap_err(),
                        ContractError::NotContributor {
                            contribution_id: e.id
                        }
                    );
                    s.exec(
                        &people[e.who],
                        ExecuteMsg::WithdrawContribution {
                            contribution_id: e.id,
                        },
                    )
                    .unwrap();
                    ledger[i].status = ContributionStatus::Withdrawn;
                    withdrawable[e.who] += e.bond;
                }
                4 => {
                    let Some(i) = ledger
                        .iter()
                        .position(|e| e.status == ContributionStatus::Accepted)
                    else {
                        continue;
                    };
                    let id = ledger[i].id;
                    s.exec(
                        &owner,
                        ExecuteMsg::RemoveContribution {
                            contribution_id: id,
                            reason: "deletion request".into(),
                        },
                    )
                    .unwrap();
                    ledger[i].status = ContributionStatus::Removed;
                }
                5 => {
                    // One commits, another copies the hash a block later, the first reveals:
                    // the copy is displaced and its bond returned.
                    let who = rng.next(3) as usize;
                    let copier = (who + 1 + rng.next(2) as usize) % 3;
                    let (d, bond) = datanets[rng.next(3) as usize];
                    next_data += 1;
                    commit(&mut s, &people[who], d, next_data).unwrap();
                    later(&mut s, 1 + rng.next(100));
                    let copy = if bond > 0 {
                        s.contribute_bonded(&people[copier], d, next_data, bond)
                    } else {
                        s.contribute(&people[copier], d, next_data)
                    };
                    let res = if bond > 0 {
                        let msg = ReceiveMsg::RevealContribution(contribution(d, next_data));
                        s.hook(&people[who], bond, msg).unwrap()
                    } else {
                        reveal(&mut s, &people[who], d, next_data).unwrap()
                    };
                    assert!(res.messages.is_empty());
                    assert_eq!(attr(&res, "displaced_id"), copy.to_string());
                    balance += 2 * bond;
                    withdrawable[copier] += bond;
                    ledger.push(Entry {
                        id: copy,
                        datanet: d,
                        who: copier,
                        status: ContributionStatus::Displaced,
                        weight: 0,
                        bond,
                    });
                    ledger.push(Entry {
                        id: attr(&res, "contribution_id").parse().unwrap(),
                        datanet: d,
                        who,
                        status: ContributionStatus::Pending,
                        weight: 0,
                        bond,
                    });
                }
                _ => {
                    let who = rng.next(3) as usize;
                    let res = s.exec(&people[who], ExecuteMsg::WithdrawBonds {});
                    if withdrawable[who] == 0 {
                        assert_eq!(res.unwrap_err(), ContractError::NothingToWithdraw);
                    } else {
                        let res = res.unwrap();
                        assert_eq!(
                            msgs(&res),
                            vec![TokenHandle(s.token.clone())
                                .transfer(&people[who], Uint128::new(withdrawable[who]))
                                .unwrap()]
                        );
                        balance -= withdrawable[who];
                        withdrawable[who] = 0;
                    }
                }
            }

            // Invariants after every step.
            let totals = crate::state::BOND_TOTALS.load(&s.deps.storage).unwrap();
            let pending_bonds: u128 = ledger
                .iter()
                .filter(|e| e.status == ContributionStatus::Pending)
                .map(|e| e.bond)
                .sum();
            assert_eq!(totals.pending.u128(), pending_bonds);
            assert_eq!(
                totals.withdrawable.u128(),
                withdrawable.iter().sum::<u128>()
            );
            assert_eq!(balance, pending_bonds + withdrawable.iter().sum::<u128>());
            for (who, p) in people.iter().enumerate() {
                assert_eq!(s.withdrawable(p).u128(), withdrawable[who]);
            }
            for (d, _) in datanets {
                let of = |st: ContributionStatus| {
                    ledger
                        .iter()
                        .filter(move |e| e.datanet == d && e.status == st)
                };
                let dn = s.datanet(d);
                assert_eq!(
                    dn.total_weight,
                    of(ContributionStatus::Accepted)
                        .map(|e| e.weight)
                        .sum::<u64>()
                );
                assert_eq!(
                    dn.pending_count,
                    of(ContributionStatus::Pending).count() as u64
                );
                assert_eq!(
                    dn.accepted_count,
                    (of(ContributionStatus::Accepted).count()
                        + of(ContributionStatus::Removed).count()) as u64
                );
                for (who, p) in people.iter().enumerate() {
                    let st = s.contributor(d, p);
                    let mine = |x: ContributionStatus| of(x).filter(move |e| e.who == who);
                    assert_eq!(
                        st.weight,
                        mine(ContributionStatus::Accepted)
                            .map(|e| e.weight)
                            .sum::<u64>()
                    );
                    assert_eq!(
                        st.pending as usize,
                        mine(ContributionStatus::Pending).count()
                    );
                    assert_eq!(
                        st.rejected as usize,
                        mine(ContributionStatus::Rejected).count()
                    );
                    assert_eq!(
                        st.removed as usize,
                        mine(ContributionStatus::Removed).count()
                    );
                    assert_eq!(
                        st.displaced as usize,
                        mine(ContributionStatus::Displaced).count()
                    );
                }
            }
        }
        assert!(ledger.len() > 50, "seed {seed} exercised too little");
    }
}

#[test]
fn readme_json_examples_are_valid_messages() {
    let readme = include_str!("../README.md");
    let mut in_json = false;
    let mut checked = 0;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_json = line == "```json";
            continue;
        }
        if !in_json || line.trim().is_empty() {
            continue;
        }
        if line.starts_with(r#"{"send""#) {
            let Cw20ExecuteMsg::Send { msg, .. } = from_json(line.as_bytes()).unwrap() else {
                panic!("not a send: {line}")
            };
            from_json::<ReceiveMsg>(&msg).unwrap_or_else(|e| panic!("{line}: {e}"));
        } else if line.starts_with(r#"{"owner""#) {
            from_json::<InstantiateMsg>(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e}"));
        } else if line.starts_with(r#"{"contributions_by_datanet""#)
            || line.starts_with(r#"{"contribution_proof""#)
        {
            from_json::<QueryMsg>(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e}"));
        } else {
            from_json::<ExecuteMsg>(line.as_bytes()).unwrap_or_else(|e| panic!("{line}: {e}"));
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} examples found");
}

// ---------------------------------------------------------------------------------------------
// Commit-reveal of contributions (DESIGN §6: a pending data hash cannot be copied in front of
// its contributor)
// ---------------------------------------------------------------------------------------------

/// Moves the mock chain `seconds` on, one block later.
fn later(s: &mut Suite, seconds: u64) {
    s.env.block.time = s.env.block.time.plus_seconds(seconds);
    s.env.block.height += 1;
}

fn commit(s: &mut Suite, who: &Addr, datanet_id: u64, n: u32) -> Result<Response, ContractError> {
    let commitment = contribution_commitment(&data_hash(n), who.as_str());
    s.exec(
        who,
        ExecuteMsg::CommitContribution {
            datanet_id,
            commitment,
        },
    )
}

fn reveal(s: &mut Suite, who: &Addr, datanet_id: u64, n: u32) -> Result<Response, ContractError> {
    s.exec(
        who,
        ExecuteMsg::RevealContribution(contribution(datanet_id, n)),
    )
}

#[test]
fn commitment_is_sha256_of_the_hex_hash_then_the_address_as_in_the_readme() {
    // The README's worked example: `printf '%s%s' <data_hash> <address> | sha256sum`.
    let readme = include_str!("../README.md");
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let address = MockApi::default().addr_make("alice");
    let expected = "9aa6a50dab25525f650bfe0eae949f38594015a2b04a5430d9bf3caa9d31d98f";
    assert_eq!(contribution_commitment(hash, address.as_str()), expected);
    // Any case of the hash gives the same commitment.
    assert_eq!(
        contribution_commitment(&hash.to_ascii_uppercase(), address.as_str()),
        expected
    );
    let mut hasher = Sha256::new();
    hasher.update(hash.as_bytes());
    hasher.update(address.as_bytes());
    assert_eq!(
        HexBinary::from(hasher.finalize().to_vec()).to_hex(),
        expected
    );
    for part in [hash, address.as_str(), expected] {
        assert!(readme.contains(part), "README lacks {part}");
    }
}

#[test]
fn commit_then_reveal_in_a_later_block_records_the_commitment_time() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let alice = s.addr("alice");
    let id = s.create(&owner, open_datanet());
    let committed_at = s.env.block.time;
    let res = commit(&mut s, &alice, id, 7).unwrap();
    let commitment = contribution_commitment(&data_hash(7), alice.as_str());
    assert!(res.messages.is_empty());
    assert_eq!(attr(&res, "action"), "commit_contribution");
    assert_eq!(attr(&res, "commitment"), commitment);
    assert_eq!(
        attr(&res, "expires_at"),
        (committed_at.seconds() + REVEAL_WINDOW_SECONDS).to_string()
    );
    let c: CommitmentResponse = s.query(QueryMsg::Commitment {
        datanet_id: id,
        contributor: alice.to_string(),
        commitment: commitment.to_ascii_uppercase(),
    });
    assert_eq!(
        c,
        CommitmentResponse {
            datanet_id: id,
            contributor: alice.clone(),
            commitment: commitment.clone(),
            committed_at,
            expires_at: committed_at.plus_seconds(REVEAL_WINDOW_SECONDS),
            expired: false,
        }
    );

    later(&mut s, 5);
    let res = reveal(&mut s, &alice, id, 7).unwrap();
    assert_eq!(attr(&res, "action"), "reveal_contribution");
    assert_eq!(attr(&res, "commitment"), commitment);
    assert_eq!(
        attr(&res, "committed_at"),
        committed_at.seconds().to_string()
    );
    let cid: u64 = attr(&res, "contribution_id").parse().unwrap();
    let got = s.contribution(cid);
    assert_eq!(got.status, ContributionStatus::Pending);
    assert_eq!(got.committed_at, Some(committed_at));
    assert_eq!(got.submitted_at, s.env.block.time);
    // The commitment is used up.
    assert_eq!(
        s.query_err(QueryMsg::Commitment {
            datanet_id: id,
            contributor: alice.to_string(),
            commitment: commitment.clone(),
        }),
        ContractError::CommitmentNotFound {
            datanet_id: id,
            contributor: alice.to_string(),
            commitment,
        }
    );
}

#[test]
fn reveal_is_refused_in_the_same_block_after_the_window_and_for_another_sender() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let alice = s.addr("alice");
    let mallory = s.addr("mallory");
    let id = s.create(&owner, open_datanet());
    let committed_at = s.env.block.time;
    commit(&mut s, &alice, id, 1).unwrap();
    let commitment = contribution_commitment(&data_hash(1), alice.as_str());
    assert_eq!(
        reveal(&mut s, &alice, id, 1).unwrap_err(),
        ContractError::RevealTooEarly {
            commitment: commitment.clone(),
            committed_at,
        }
    );
    later(&mut s, 1);
    assert_eq!(
        reveal(&mut s, &mallory, id, 1).unwrap_err(),
        ContractError::CommitmentNotFound {
            datanet_id: id,
            contributor: mallory.to_string(),
            commitment: contribution_commitment(&data_hash(1), mallory.as_str()),
        }
    );
    // The last second of the window still reveals; one later does not.
    let mut at_expiry = Suite::new(0);
    let id2 = at_expiry.create(&owner, open_datanet());
    let start = at_expiry.env.block.time;
    commit(&mut at_expiry, &alice, id2, 1).unwrap();
    later(&mut at_expiry, REVEAL_WINDOW_SECONDS);
    reveal(&mut at_expiry, &alice, id2, 1).unwrap();
    later(&mut s, REVEAL_WINDOW_SECONDS);
    assert_eq!(
        reveal(&mut s, &alice, id, 1).unwrap_err(),
        ContractError::CommitmentExpired {
            commitment,
            expired_at: start.plus_seconds(REVEAL_WINDOW_SECONDS),
        }
    );
}

#[test]
fn commit_limits_duplicates_pruning_and_bad_input() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let alice = s.addr("alice");
    let id = s.create(&owner, open_datanet());
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::CommitContribution {
                datanet_id: id,
                commitment: "ab".repeat(31) + "zz",
            },
        )
        .unwrap_err(),
        ContractError::Validation(ValidationError::InvalidHash {
            field: "commitment".into(),
            value: "ab".repeat(31) + "zz"
        })
    );
    assert_eq!(
        commit(&mut s, &alice, 99, 1).unwrap_err(),
        ContractError::DatanetNotFound { id: 99 }
    );
    for n in 0..MAX_OPEN_COMMITMENTS as u32 {
        commit(&mut s, &alice, id, n).unwrap();
    }
    assert_eq!(
        commit(&mut s, &alice, id, 0).unwrap_err(),
        ContractError::DuplicateCommitment {
            datanet_id: id,
            contributor: alice.to_string(),
            commitment: contribution_commitment(&data_hash(0), alice.as_str()),
        }
    );
    assert_eq!(
        commit(&mut s, &alice, id, 100).unwrap_err(),
        ContractError::TooManyCommitments {
            max: MAX_OPEN_COMMITMENTS as u64
        }
    );
    // Another contributor has slots of its own.
    let bob = s.addr("bob");
    commit(&mut s, &bob, id, 100).unwrap();
    // Revealing one frees its slot.
    later(&mut s, 1);
    reveal(&mut s, &alice, id, 0).unwrap();
    commit(&mut s, &alice, id, 100).unwrap();
    // Once expired, all are pruned by the next commitment.
    later(&mut s, REVEAL_WINDOW_SECONDS + 1);
    let page: CommitmentsResponse = s.query(QueryMsg::Commitments {
        datanet_id: id,
        contributor: alice.to_string(),
        start_after: None,
        limit: Some(50),
    });
    assert_eq!(page.commitments.len(), MAX_OPEN_COMMITMENTS);
    assert!(page.commitments.iter().all(|c| c.expired));
    let res = commit(&mut s, &alice, id, 200).unwrap();
    assert_eq!(attr(&res, "pruned"), MAX_OPEN_COMMITMENTS.to_string());
    let page: CommitmentsResponse = s.query(QueryMsg::Commitments {
        datanet_id: id,
        contributor: alice.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(page.commitments.len(), 1);
    assert_eq!(
        page.commitments[0].commitment,
        contribution_commitment(&data_hash(200), alice.as_str())
    );
    // A closed datanet takes no commitments.
    s.exec(&owner, ExecuteMsg::CloseDatanet { datanet_id: id })
        .unwrap();
    assert_eq!(
        commit(&mut s, &alice, id, 300).unwrap_err(),
        ContractError::DatanetClosed { id }
    );
}

#[test]
fn commitments_page_in_commitment_order() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let alice = s.addr("alice");
    let id = s.create(&owner, open_datanet());
    let mut all: Vec<String> = (0..5)
        .map(|n| {
            commit(&mut s, &alice, id, n).unwrap();
            contribution_commitment(&data_hash(n), alice.as_str())
        })
        .collect();
    all.sort();
    let first: CommitmentsResponse = s.query(QueryMsg::Commitments {
        datanet_id: id,
        contributor: alice.to_string(),
        start_after: None,
        limit: Some(2),
    });
    let next: CommitmentsResponse = s.query(QueryMsg::Commitments {
        datanet_id: id,
        contributor: alice.to_string(),
        start_after: Some(first.commitments[1].commitment.to_ascii_uppercase()),
        limit: Some(50),
    });
    let got: Vec<String> = first
        .commitments
        .iter()
        .chain(next.commitments.iter())
        .map(|c| c.commitment.clone())
        .collect();
    assert_eq!(got, all);
    assert_eq!(
        s.query_err(QueryMsg::Commitments {
            datanet_id: id,
            contributor: alice.to_string(),
            start_after: None,
            limit: Some(51),
        }),
        ContractError::Pagination(PaginationError::LimitOutOfRange { limit: 51, max: 50 })
    );
}

#[test]
fn reveal_displaces_a_later_pending_copy_stored_in_the_0_2_0_shape() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let alice = s.addr("alice");
    let mallory = s.addr("mallory");
    let id = s.create(&owner, datanet_msg(vec![], 40, AttributionMode::Weight));
    commit(&mut s, &alice, id, 1).unwrap();
    later(&mut s, 5);
    let copy = s.contribute_bonded(&mallory, id, 1, 40);
    // Rewrite the copy and Mallory's stats as 0.2.0 stored them (no new fields): the copy's
    // whole record as 0.3.0 stored it, less the fields 0.3.0 added.
    let key = crate::state::CONTRIBUTIONS.key(copy);
    let raw = legacy::store_as_0_3_0(&mut s, copy);
    let legacy = raw.replace(r#","committed_at":null,"displaced_by":null"#, "");
    assert_ne!(raw, legacy);
    cosmwasm_std::Storage::set(&mut s.deps.storage, &key, legacy.as_bytes());
    let skey = crate::state::CONTRIBUTORS.key((id, &mallory));
    let raw =
        String::from_utf8(cosmwasm_std::Storage::get(&s.deps.storage, &skey).unwrap()).unwrap();
    let legacy = raw.replace(r#","displaced":0"#, "");
    assert_ne!(raw, legacy);
    cosmwasm_std::Storage::set(&mut s.deps.storage, &skey, legacy.as_bytes());

    let res = s
        .hook(
            &alice,
            40,
            ReceiveMsg::RevealContribution(contribution(id, 1)),
        )
        .unwrap();
    assert!(res.messages.is_empty());
    let mine: u64 = attr(&res, "contribution_id").parse().unwrap();
    assert_eq!(attr(&res, "displaced_id"), copy.to_string());
    assert_eq!(attr(&res, "displaced_contributor"), mallory.as_str());
    assert_eq!(attr(&res, "displaced_bond"), "40");
    let displaced = s.contribution(copy);
    assert_eq!(displaced.status, ContributionStatus::Displaced);
    assert_eq!(displaced.displaced_by, Some(mine));
    assert_eq!(s.contribution(mine).status, ContributionStatus::Pending);
    assert_eq!(s.withdrawable(&mallory), Uint128::new(40));
    let m = s.contributor(id, &mallory);
    assert_eq!((m.pending, m.displaced), (0, 1));
    assert_eq!(s.datanet(id).pending_count, 1);
    // Mallory's bond moved from pending to withdrawable; Alice's is pending.
    let totals = crate::state::BOND_TOTALS.load(&s.deps.storage).unwrap();
    assert_eq!(
        (totals.pending, totals.withdrawable),
        (Uint128::new(40), Uint128::new(40))
    );
    // The displaced copy is final.
    assert_eq!(
        s.exec(
            &mallory,
            ExecuteMsg::WithdrawContribution {
                contribution_id: copy
            }
        )
        .unwrap_err(),
        ContractError::ContributionNotPending {
            id: copy,
            status: ContributionStatus::Displaced
        }
    );
    let by_status: ContributionsResponse = s.query(QueryMsg::ContributionsByDatanet {
        datanet_id: id,
        status: ContributionStatus::Displaced,
        start_after: None,
        limit: None,
    });
    assert_eq!(by_status.contributions.len(), 1);
    assert_eq!(by_status.contributions[0].id, copy);
}
