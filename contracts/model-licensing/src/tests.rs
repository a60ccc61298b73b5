use std::collections::BTreeSet;

use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    coins, from_json, to_json_binary, Addr, Binary, ContractResult, CosmosMsg, Empty, Env,
    HexBinary, OwnedDeps, Response, SubMsg, SystemResult, Timestamp, Uint128, WasmQuery,
};
use cw20::{BalanceResponse, Cw20QueryMsg, Cw20ReceiveMsg};
use cw_utils::PaymentError;
use k256::ecdsa::signature::hazmat::PrehashSigner;
use k256::ecdsa::{Signature, SigningKey};
use openledger_common::attribution::AttributionShare;
use openledger_common::fee::{FeeSplit, FeeSplitAmounts};
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::msg::datanet_registry::{QueryMsg as RegistryQueryMsg, VersionResponse};
use openledger_common::msg::model_licensing::{
    ConfigResponse, DatanetShare, ExecuteMsg, FeeQuoteResponse, Host, InferencePayment,
    InferenceResponse, InstantiateMsg, LicenseResponse, LicenseTier, LicensesResponse,
    LicensingSolvencyResponse, LineageEntry, MigrateMsg, ModelResponse, ModelStatsResponse,
    ModelStatus, ModelsResponse, NewModel, QueryMsg, Receipt, ReceiveMsg, MAX_LICENSE_TERM,
    MAX_TIER_DURATION, MAX_TIER_QUOTA, MIN_TIER_DURATION,
};
use openledger_common::msg::reward_pool::Allocation;
use openledger_common::{
    AttributionError, FeeSplitError, HookError, MigrateError, PaginationError,
};

use crate::contract::{execute, instantiate, migrate, query};
use crate::error::ContractError;
use crate::state::INFERENCES;
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier, Empty>;

const DAY: u64 = 86_400;

/// Answers the registry's `version` query for the published `(datanet, version)` pairs and the
/// token's `balance` query with `balance` for every holder.
fn install_querier(
    deps: &mut Deps,
    registry: &Addr,
    token: &Addr,
    published: BTreeSet<(u64, u32)>,
    balance: u128,
) {
    let registry = registry.to_string();
    let token = token.to_string();
    deps.querier.update_wasm(move |q| match q {
        WasmQuery::Smart { contract_addr, msg } if *contract_addr == registry => {
            match from_json::<RegistryQueryMsg>(msg) {
                Ok(RegistryQueryMsg::Version {
                    datanet_id,
                    version,
                }) if published.contains(&(datanet_id, version)) => {
                    SystemResult::Ok(ContractResult::Ok(
                        to_json_binary(&VersionResponse {
                            datanet_id,
                            version,
                            root: HexBinary::from(vec![7u8; 32]),
                            total_weight: 100,
                            accepted_count: 3,
                            published_at: Timestamp::from_seconds(1),
                            height: 1,
                        })
                        .unwrap(),
                    ))
                }
                _ => SystemResult::Ok(ContractResult::Err("version not found".into())),
            }
        }
        WasmQuery::Smart { contract_addr, msg } if *contract_addr == token => {
            match from_json::<Cw20QueryMsg>(msg) {
                Ok(Cw20QueryMsg::Balance { .. }) => SystemResult::Ok(ContractResult::Ok(
                    to_json_binary(&BalanceResponse {
                        balance: Uint128::new(balance),
                    })
                    .unwrap(),
                )),
                _ => SystemResult::Ok(ContractResult::Err("unsupported".into())),
            }
        }
        _ => SystemResult::Ok(ContractResult::Err("unknown contract".into())),
    });
}

/// Datanets 1..=40 have version 1 published; datanet 1 also version 2.
fn published() -> BTreeSet<(u64, u32)> {
    let mut set: BTreeSet<(u64, u32)> = (1..=40).map(|d| (d, 1)).collect();
    set.insert((1, 2));
    set
}

struct Suite {
    deps: Deps,
    env: Env,
    owner: Addr,
    token: Addr,
    registry: Addr,
    pool: Addr,
    /// Owns the models the tests register.
    alice: Addr,
    /// Pays.
    payer: Addr,
    host: Addr,
    host_key: SigningKey,
}

impl Suite {
    fn new() -> Self {
        let mut deps = mock_dependencies();
        let owner = deps.api.addr_make("protocol-owner");
        let token = deps.api.addr_make("open-token");
        let registry = deps.api.addr_make("datanet-registry");
        let pool = deps.api.addr_make("reward-pool");
        install_querier(&mut deps, &registry, &token, published(), 0);
        let env = mock_env();
        instantiate(
            deps.as_mut(),
            env.clone(),
            message_info(&owner, &[]),
            InstantiateMsg {
                owner: None,
                token: token.to_string(),
                registry: registry.to_string(),
                reward_pool: pool.to_string(),
                fee_split: None,
            },
        )
        .unwrap();
        let alice = deps.api.addr_make("alice");
        let payer = deps.api.addr_make("payer");
        let host = deps.api.addr_make("host");
        Suite {
            deps,
            env,
            owner,
            token,
            registry,
            pool,
            alice,
            payer,
            host,
            host_key: key(7),
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

    fn pay(&mut self, amount: u128, item: InferencePayment) -> Result<Response, ContractError> {
        let payer = self.payer.clone();
        self.hook(&payer, amount, ReceiveMsg::PayInference(item))
    }

    fn query<T: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: QueryMsg) -> T {
        from_json(query(self.deps.as_ref(), self.env.clone(), msg).unwrap()).unwrap()
    }

    fn query_err(&self, msg: QueryMsg) -> ContractError {
        query(self.deps.as_ref(), self.env.clone(), msg).unwrap_err()
    }

    /// Registers `new` as `owner` and returns the model id.
    fn register_as(&mut self, owner: &Addr, new: NewModel) -> u64 {
        let res = self.exec(owner, ExecuteMsg::RegisterModel(new)).unwrap();
        attr(&res, "model_id").parse().unwrap()
    }

    /// Registers alice's model with the host of the suite.
    fn register(&mut self, lineage: &[(u64, u32, u16)], fee: u128) -> u64 {
        let alice = self.alice.clone();
        let new = self.model_msg(lineage, fee);
        self.register_as(&alice, new)
    }

    fn model_msg(&self, lineage: &[(u64, u32, u16)], fee: u128) -> NewModel {
        new_model(lineage, fee, vec![host_of(&self.host, &self.host_key)])
    }

    fn model(&self, id: u64) -> ModelResponse {
        self.query(QueryMsg::Model { model_id: id })
    }

    fn stats(&self, id: u64) -> ModelStatsResponse {
        self.query(QueryMsg::ModelStats { model_id: id })
    }

    fn earnings(&self, who: &Addr) -> Uint128 {
        self.query(QueryMsg::Earnings {
            address: who.to_string(),
        })
    }

    fn config(&self) -> ConfigResponse {
        self.query(QueryMsg::Config {})
    }

    /// The suite's payer's inference `inference_id` of `model_id`.
    fn inference(
        &self,
        model_id: u64,
        inference_id: &str,
    ) -> Result<InferenceResponse, ContractError> {
        self.inference_of(model_id, &self.payer, inference_id)
    }

    fn inference_of(
        &self,
        model_id: u64,
        payer: &Addr,
        inference_id: &str,
    ) -> Result<InferenceResponse, ContractError> {
        query(
            self.deps.as_ref(),
            self.env.clone(),
            QueryMsg::Inference {
                model_id,
                payer: payer.to_string(),
                inference_id: inference_id.into(),
            },
        )
        .map(|b| from_json(b).unwrap())
    }

    fn quote(&self, model_id: u64, attribution: Option<Vec<AttributionShare>>) -> FeeQuoteResponse {
        self.query(QueryMsg::FeeQuote {
            model_id,
            attribution,
        })
    }

    fn license(&self, model_id: u64, who: &Addr) -> LicenseResponse {
        self.query(QueryMsg::License {
            model_id,
            licensee: who.to_string(),
        })
    }

    fn receipt(
        &self,
        model_id: u64,
        inference_id: &str,
        fee: u128,
        attribution: &[(u64, u16)],
    ) -> Receipt {
        Receipt {
            chain_id: self.env.block.chain_id.clone(),
            contract: self.env.contract.address.to_string(),
            model_id,
            inference_id: inference_id.into(),
            payer: self.payer.to_string(),
            fee: Uint128::new(fee),
            attribution: shares(attribution),
        }
    }

    /// A payment carrying `attribution`, signed by the suite's host over the right receipt.
    fn signed_item(
        &self,
        model_id: u64,
        inference_id: &str,
        fee: u128,
        attribution: &[(u64, u16)],
    ) -> InferencePayment {
        let receipt = self.receipt(model_id, inference_id, fee, attribution);
        InferencePayment {
            model_id,
            inference_id: inference_id.into(),
            attribution: Some(shares(attribution)),
            receipt_signature: Some(sign(&self.host_key, &receipt)),
        }
    }

    fn distribute(&self, total: u128, allocations: Vec<Allocation>) -> CosmosMsg {
        RewardPoolHandle(self.pool.clone())
            .distribute(&self.token, Uint128::new(total), allocations)
            .unwrap()
    }

    fn set_time(&mut self, t: Timestamp) {
        self.env.block.time = t;
    }
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

fn compressed(sk: &SigningKey) -> HexBinary {
    HexBinary::from(sk.verifying_key().to_encoded_point(true).as_bytes())
}

fn sign(sk: &SigningKey, receipt: &Receipt) -> HexBinary {
    let sig: Signature = sk.sign_prehash(&receipt.hash().unwrap()).unwrap();
    HexBinary::from(sig.to_bytes().to_vec())
}

fn host_of(address: &Addr, sk: &SigningKey) -> Host {
    Host {
        address: address.to_string(),
        pubkey: compressed(sk),
    }
}

fn shares(a: &[(u64, u16)]) -> Vec<AttributionShare> {
    a.iter()
        .map(|&(datanet_id, weight_bps)| AttributionShare {
            datanet_id,
            weight_bps,
        })
        .collect()
}

fn lineage_of(l: &[(u64, u32, u16)]) -> Vec<LineageEntry> {
    l.iter()
        .map(|&(datanet_id, version, weight_bps)| LineageEntry {
            datanet_id,
            version,
            weight_bps,
        })
        .collect()
}

fn tiers() -> Vec<LicenseTier> {
    vec![
        LicenseTier {
            id: 1,
            price: Uint128::new(5_000),
            duration: 30 * DAY,
            inference_quota: Some(2),
            commercial: false,
        },
        LicenseTier {
            id: 2,
            price: Uint128::new(20_000),
            duration: 30 * DAY,
            inference_quota: None,
            commercial: true,
        },
    ]
}

fn new_model(lineage: &[(u64, u32, u16)], fee: u128, hosts: Vec<Host>) -> NewModel {
    NewModel {
        name: "med-llama-7b".into(),
        metadata_uri: "ipfs://bafy.../model.json".into(),
        weights_hash: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08".into(),
        base_model: Some("llama-2-7b".into()),
        lineage: lineage_of(lineage),
        inference_fee: Uint128::new(fee),
        tiers: tiers(),
        hosts,
    }
}

/// A purchase of tier `tier_id` stating the terms of the default tier of that id (tier 1's
/// for an id the defaults do not have).
fn buy(model_id: u64, tier_id: u32) -> ReceiveMsg {
    let terms = tiers()
        .into_iter()
        .find(|t| t.id == tier_id)
        .unwrap_or_else(|| tiers()[0].clone())
        .terms();
    ReceiveMsg::PurchaseLicense {
        model_id,
        tier_id,
        terms,
    }
}

fn plain(model_id: u64, inference_id: &str) -> InferencePayment {
    InferencePayment {
        model_id,
        inference_id: inference_id.into(),
        attribution: None,
        receipt_signature: None,
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

/// Lineage over three datanets whose weights leave attribution dust.
const THIRDS: [(u64, u32, u16); 3] = [(1, 1, 3_334), (2, 1, 3_333), (3, 1, 3_333)];

// ---------------------------------------------------------------------------------------------
// Instantiate, config, ownership, migrate
// ---------------------------------------------------------------------------------------------

#[test]
fn instantiate_records_config_with_default_split() {
    let s = Suite::new();
    assert_eq!(
        s.config(),
        ConfigResponse {
            token: s.token.clone(),
            registry: s.registry.clone(),
            reward_pool: s.pool.clone(),
            fee_split: FeeSplit::default(),
            model_count: 0,
        }
    );
    let ownership: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(ownership.owner, Some(s.owner.clone()));
    assert_eq!(
        cw2::get_contract_version(&s.deps.storage).unwrap().contract,
        CONTRACT_NAME
    );
}

#[test]
fn instantiate_refuses_bad_split_bad_address_and_coins() {
    let mut deps = mock_dependencies();
    let owner = deps.api.addr_make("owner");
    let good = deps.api.addr_make("x").to_string();
    let msg = InstantiateMsg {
        owner: None,
        token: good.clone(),
        registry: good.clone(),
        reward_pool: good.clone(),
        fee_split: Some(FeeSplit {
            treasury_bps: 999,
            ..FeeSplit::default()
        }),
    };
    assert_eq!(
        instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&owner, &[]),
            msg.clone()
        )
        .unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::SplitSum { sum: 9_999 })
    );
    let bad = InstantiateMsg {
        fee_split: None,
        registry: "NotAnAddress".into(),
        ..msg.clone()
    };
    match instantiate(deps.as_mut(), mock_env(), message_info(&owner, &[]), bad).unwrap_err() {
        ContractError::InvalidAddress { field, address, .. } => {
            assert_eq!(
                (field.as_str(), address.as_str()),
                ("registry", "NotAnAddress")
            )
        }
        e => panic!("unexpected {e:?}"),
    }
    let ok = InstantiateMsg {
        fee_split: None,
        ..msg
    };
    assert_eq!(
        instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&owner, &coins(5, "uopen")),
            ok
        )
        .unwrap_err(),
        ContractError::Payment(PaymentError::NonPayable {})
    );
}

#[test]
fn update_config_is_owner_only_validated_and_applies_to_next_payment() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 1, 10_000)], 1_000);
    let alice = s.alice.clone();
    let owner = s.owner.clone();
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateConfig {
                fee_split: None,
                reward_pool: None,
                registry: None
            }
        )
        .unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    assert_eq!(
        s.exec(
            &owner,
            ExecuteMsg::UpdateConfig {
                fee_split: None,
                reward_pool: None,
                registry: None
            }
        )
        .unwrap_err(),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        s.exec(
            &owner,
            ExecuteMsg::UpdateConfig {
                fee_split: Some(FeeSplit {
                    datanets_bps: 6_000,
                    ..FeeSplit::default()
                }),
                reward_pool: None,
                registry: None
            }
        )
        .unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::SplitSum { sum: 11_000 })
    );
    let new_pool = s.addr("new-pool");
    let split = FeeSplit {
        datanets_bps: 7_000,
        model_owner_bps: 1_000,
        stakers_bps: 1_000,
        treasury_bps: 1_000,
    };
    s.exec(
        &owner,
        ExecuteMsg::UpdateConfig {
            fee_split: Some(split.clone()),
            reward_pool: Some(new_pool.to_string()),
            registry: None,
        },
    )
    .unwrap();
    let c = s.config();
    assert_eq!(
        (c.fee_split, c.reward_pool.clone()),
        (split, new_pool.clone())
    );
    assert_eq!(c.registry, s.registry);

    let res = s.pay(1_000, plain(id, "after-update")).unwrap();
    let expected = RewardPoolHandle(new_pool)
        .distribute(
            &s.token,
            Uint128::new(900),
            vec![
                Allocation::Datanet {
                    id: 1,
                    amount: Uint128::new(700),
                },
                Allocation::Stakers {
                    amount: Uint128::new(100),
                },
                Allocation::Treasury {
                    amount: Uint128::new(100),
                },
            ],
        )
        .unwrap();
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(s.earnings(&alice), Uint128::new(100));
}

#[test]
fn contract_ownership_is_two_step() {
    let mut s = Suite::new();
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
}

#[test]
fn migrate_refuses_other_contracts_and_downgrades() {
    let mut s = Suite::new();
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

    cw2::set_contract_version(&mut s.deps.storage, "crates.io:datanet-registry", "0.0.1").unwrap();
    assert_eq!(
        migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::WrongContract {
            stored: "crates.io:datanet-registry".into(),
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

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

#[test]
fn register_model_stores_it_with_lower_case_hash_and_indexes() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 2, 6_000), (2, 1, 4_000)], 1_000);
    assert_eq!(id, 1);
    let m = s.model(id);
    assert_eq!(m.owner, s.alice);
    assert_eq!(
        m.weights_hash,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    );
    assert_eq!(m.lineage, lineage_of(&[(1, 2, 6_000), (2, 1, 4_000)]));
    assert_eq!(m.status, ModelStatus::Active);
    assert_eq!(m.hosts, vec![host_of(&s.host, &s.host_key)]);
    assert_eq!(m.created_at, s.env.block.time);
    assert_eq!(s.config().model_count, 1);
    assert_eq!(
        s.stats(id),
        ModelStatsResponse {
            model_id: id,
            paid_inferences: 0,
            licensed_inferences: 0,
            licenses_sold: 0,
            inference_revenue: Uint128::zero(),
            license_revenue: Uint128::zero(),
        }
    );
    let by_datanet: ModelsResponse = s.query(QueryMsg::Models {
        owner: None,
        datanet_id: Some(2),
        start_after: None,
        limit: None,
    });
    assert_eq!(
        by_datanet.models.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![1]
    );
}

#[test]
fn register_model_refuses_bad_lineage() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    type Lineage = Vec<(u64, u32, u16)>;
    let cases: Vec<(Lineage, ContractError)> = vec![
        (
            vec![(1, 1, 5_000), (2, 1, 4_999)],
            ContractError::Attribution(AttributionError::AttributionSum { sum: 9_999 }),
        ),
        (
            vec![(1, 1, 5_000), (1, 2, 5_000)],
            ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 }),
        ),
        (
            (1..=17)
                .map(|d| (d, 1, if d == 1 { 8_400 } else { 100 }))
                .collect(),
            ContractError::Attribution(AttributionError::AttributionSize { count: 17, max: 16 }),
        ),
        (
            vec![],
            ContractError::Attribution(AttributionError::AttributionSize { count: 0, max: 16 }),
        ),
        (
            vec![(1, 1, 10_000), (2, 1, 0)],
            ContractError::Attribution(AttributionError::ZeroShare { datanet_id: 2 }),
        ),
        (
            vec![(1, 1, 5_000), (2, 2, 5_000)],
            ContractError::LineageVersionNotPublished {
                datanet_id: 2,
                version: 2,
            },
        ),
        (
            vec![(99, 1, 10_000)],
            ContractError::LineageVersionNotPublished {
                datanet_id: 99,
                version: 1,
            },
        ),
    ];
    for (lineage, err) in cases {
        let new = s.model_msg(&lineage, 1_000);
        assert_eq!(
            s.exec(&alice, ExecuteMsg::RegisterModel(new)).unwrap_err(),
            err
        );
    }
    assert_eq!(s.config().model_count, 0);
    assert_eq!(
        s.query_err(QueryMsg::Model { model_id: 1 }),
        ContractError::ModelNotFound { model_id: 1 }
    );
}

#[test]
fn register_model_refuses_bad_fields() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let base = s.model_msg(&[(1, 1, 10_000)], 1_000);
    let host2 = s.addr("host2");

    let mut cases: Vec<(NewModel, ContractError)> = vec![];
    cases.push((
        NewModel {
            inference_fee: Uint128::zero(),
            ..base.clone()
        },
        ContractError::ZeroFee,
    ));
    let mut dup_tier = tiers();
    dup_tier[1].id = 1;
    cases.push((
        NewModel {
            tiers: dup_tier,
            ..base.clone()
        },
        ContractError::DuplicateTier { id: 1 },
    ));
    let mut free_tier = tiers();
    free_tier[0].price = Uint128::zero();
    cases.push((
        NewModel {
            tiers: free_tier,
            ..base.clone()
        },
        ContractError::ZeroTierPrice { tier_id: 1 },
    ));
    let mut instant_tier = tiers();
    instant_tier[1].duration = 0;
    cases.push((
        NewModel {
            tiers: instant_tier,
            ..base.clone()
        },
        ContractError::TierDurationOutOfRange {
            tier_id: 2,
            duration: 0,
            min: 60,
            max: 315_360_000,
        },
    ));
    let nine_tiers: Vec<LicenseTier> = (1..=9)
        .map(|id| LicenseTier {
            id,
            ..tiers()[0].clone()
        })
        .collect();
    cases.push((
        NewModel {
            tiers: nine_tiers,
            ..base.clone()
        },
        ContractError::TooManyTiers { got: 9, max: 8 },
    ));
    // A 32-byte key, a compressed key with the uncompressed prefix, an uncompressed key with
    // a compressed prefix.
    let mut short_key = compressed(&key(9)).to_vec();
    short_key.pop();
    let mut wrong_prefix = compressed(&key(9)).to_vec();
    wrong_prefix[0] = 0x04;
    let mut long_wrong = s
        .host_key
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    long_wrong[0] = 0x02;
    for pubkey in [short_key, wrong_prefix, long_wrong] {
        cases.push((
            NewModel {
                hosts: vec![Host {
                    address: host2.to_string(),
                    pubkey: HexBinary::from(pubkey),
                }],
                ..base.clone()
            },
            ContractError::InvalidPubkey {
                host: host2.to_string(),
            },
        ));
    }
    cases.push((
        NewModel {
            hosts: vec![host_of(&host2, &key(1)), host_of(&host2, &key(2))],
            ..base.clone()
        },
        ContractError::DuplicateHost {
            host: host2.to_string(),
        },
    ));
    cases.push((
        NewModel {
            hosts: (1..=9)
                .map(|i| host_of(&s.addr(&format!("h{i}")), &key(i)))
                .collect(),
            ..base.clone()
        },
        ContractError::TooManyHosts { got: 9, max: 8 },
    ));
    cases.push((
        NewModel {
            name: String::new(),
            ..base.clone()
        },
        ContractError::InvalidText {
            field: "name".into(),
            min: 1,
            max: 64,
        },
    ));
    cases.push((
        NewModel {
            metadata_uri: "u".repeat(513),
            ..base.clone()
        },
        ContractError::InvalidText {
            field: "metadata_uri".into(),
            min: 0,
            max: 512,
        },
    ));
    cases.push((
        NewModel {
            base_model: Some("b".repeat(129)),
            ..base.clone()
        },
        ContractError::InvalidText {
            field: "base_model".into(),
            min: 1,
            max: 128,
        },
    ));
    cases.push((
        NewModel {
            weights_hash: "abc".into(),
            ..base.clone()
        },
        ContractError::InvalidWeightsHash {
            weights_hash: "abc".into(),
        },
    ));
    for (new, err) in cases {
        assert_eq!(
            s.exec(&alice, ExecuteMsg::RegisterModel(new)).unwrap_err(),
            err
        );
    }
    assert_eq!(s.config().model_count, 0);

    // An uncompressed (65-byte, 04) key is accepted and verifies receipts.
    let uncompressed = HexBinary::from(
        s.host_key
            .verifying_key()
            .to_encoded_point(false)
            .as_bytes(),
    );
    let id = s.register_as(
        &alice,
        NewModel {
            hosts: vec![Host {
                address: s.host.to_string(),
                pubkey: uncompressed,
            }],
            ..base
        },
    );
    let item = s.signed_item(id, "u-1", 1_000, &[(1, 10_000)]);
    s.pay(1_000, item).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Paying inferences
// ---------------------------------------------------------------------------------------------

#[test]
fn pay_inference_with_lineage_weights_splits_exactly() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let res = s.pay(1_001, plain(id, "inf-1")).unwrap();

    // 1001: datanets 500 → 166 each (dust 2), owner 200, stakers 200, treasury 100 + 1 + 2.
    let expected = s.distribute(
        801,
        vec![
            Allocation::Datanet {
                id: 1,
                amount: Uint128::new(166),
            },
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(166),
            },
            Allocation::Datanet {
                id: 3,
                amount: Uint128::new(166),
            },
            Allocation::Stakers {
                amount: Uint128::new(200),
            },
            Allocation::Treasury {
                amount: Uint128::new(103),
            },
        ],
    );
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(attr(&res, "action"), "pay_inference");
    assert_eq!(attr(&res, "model_id"), "1");
    assert_eq!(attr(&res, "inference_id"), "inf-1");
    assert_eq!(attr(&res, "payer"), s.payer.to_string());
    assert_eq!(attr(&res, "fee"), "1001");
    assert_eq!(attr(&res, "model_owner_amount"), "200");
    assert_eq!(attr(&res, "datanets_amount"), "498");
    assert_eq!(attr(&res, "stakers_amount"), "200");
    assert_eq!(attr(&res, "treasury_amount"), "103");
    assert_eq!(attr(&res, "datanet_2"), "166");
    assert_eq!(attr(&res, "signed"), "0");

    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(200));
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(solvency.owed_earnings, Uint128::new(200));
    let stats = s.stats(id);
    assert_eq!(
        (stats.paid_inferences, stats.inference_revenue),
        (1, Uint128::new(1_001))
    );
    assert_eq!(
        s.inference(id, "inf-1").unwrap(),
        InferenceResponse {
            model_id: id,
            inference_id: "inf-1".into(),
            payer: s.payer.clone(),
            fee: Uint128::new(1_001),
            attribution: None,
            licensed: false,
            recorded_at: s.env.block.time,
        }
    );
}

#[test]
fn inference_record_is_compact() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    s.pay(1_000, plain(id, "inf-1")).unwrap();
    // The payer is in the key (ids are per payer), not in the value.
    let raw = INFERENCES.key((id, &s.payer, "inf-1"));
    let bytes = cosmwasm_std::Storage::get(&s.deps.storage, &raw).unwrap();
    let json = String::from_utf8(bytes).unwrap();
    assert_eq!(
        json,
        format!(r#"{{"f":"1000","t":{}}}"#, s.env.block.time.nanos())
    );
}

#[test]
fn pay_inference_with_signed_attribution_uses_it() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let item = s.signed_item(id, "inf-s", 1_001, &[(3, 3_000), (2, 7_000)]);
    let res = s.pay(1_001, item).unwrap();
    // Datanets 500 → datanet 2: 350, datanet 3: 150, no attribution dust; treasury 100 + 1.
    let expected = s.distribute(
        801,
        vec![
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(350),
            },
            Allocation::Datanet {
                id: 3,
                amount: Uint128::new(150),
            },
            Allocation::Stakers {
                amount: Uint128::new(200),
            },
            Allocation::Treasury {
                amount: Uint128::new(101),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "signed"), "1");
    assert_eq!(
        s.inference(id, "inf-s").unwrap().attribution,
        Some(shares(&[(3, 3_000), (2, 7_000)]))
    );
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(200));
}

#[test]
fn pay_inference_refuses_wrong_fee_naming_the_expected_one() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    for sent in [1_000u128, 1_002] {
        assert_eq!(
            s.pay(sent, plain(id, "inf-1")).unwrap_err(),
            ContractError::FeeMismatch {
                expected: Uint128::new(1_001),
                received: Uint128::new(sent),
            }
        );
    }
    let msg = s.pay(1_000, plain(id, "inf-1")).unwrap_err().to_string();
    assert!(msg.contains("1001"), "{msg}");
    assert_eq!(
        s.inference(id, "inf-1").unwrap_err(),
        ContractError::InferenceNotFound {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "inf-1".into()
        }
    );
    assert_eq!(s.stats(id).paid_inferences, 0);
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::zero());
}

#[test]
fn pay_inference_refuses_replay() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    s.pay(1_000, plain(id, "inf-1")).unwrap();
    assert_eq!(
        s.pay(1_000, plain(id, "inf-1")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "inf-1".into()
        }
    );
    // A signed replay of the same id is refused too.
    let item = s.signed_item(id, "inf-1", 1_000, &[(1, 10_000)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "inf-1".into()
        }
    );
    // The same id is free in another model.
    let other = s.register(&THIRDS, 1_000);
    s.pay(1_000, plain(other, "inf-1")).unwrap();
    assert_eq!(s.stats(id).paid_inferences, 1);
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(400));
}

#[test]
fn pay_inference_refuses_bad_inference_ids() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    for bad in [String::new(), "x".repeat(65)] {
        assert_eq!(
            s.pay(1_000, plain(id, &bad)).unwrap_err(),
            ContractError::InvalidInferenceId { max: 64 }
        );
    }
    s.pay(1_000, plain(id, &"x".repeat(64))).unwrap();
    assert_eq!(
        s.pay(1_000, plain(7, "inf")).unwrap_err(),
        ContractError::ModelNotFound { model_id: 7 }
    );
}

#[test]
fn pay_inference_refuses_receipts_not_signed_by_a_host() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let attribution = [(1u64, 5_000u16), (2, 5_000)];
    let invalid = |inference_id: &str| ContractError::InvalidReceiptSignature {
        model_id: id,
        inference_id: inference_id.into(),
    };

    // Signed by a key that is not a host's.
    let receipt = s.receipt(id, "a", 1_000, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&key(42), &receipt)),
        ..s.signed_item(id, "a", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("a"));

    // Signed by the host over a different fee.
    let receipt = s.receipt(id, "b", 999, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "b", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("b"));

    // Signed by the host over a different attribution.
    let receipt = s.receipt(id, "c", 1_000, &[(1, 9_000), (2, 1_000)]);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "c", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("c"));

    // The same shares in another order are another receipt.
    let receipt = s.receipt(id, "d", 1_000, &[(2, 5_000), (1, 5_000)]);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "d", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("d"));

    // Signed for another payer, another inference id, another chain.
    let mut receipt = s.receipt(id, "e", 1_000, &attribution);
    receipt.payer = s.addr("mallory").to_string();
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "e", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("e"));
    let receipt = s.receipt(id, "other-id", 1_000, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "f", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("f"));
    let mut receipt = s.receipt(id, "g", 1_000, &attribution);
    receipt.chain_id = "other-chain".into();
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "g", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("g"));

    // Not 64 bytes.
    let mut item = s.signed_item(id, "h", 1_000, &attribution);
    let mut sig = item.receipt_signature.unwrap().to_vec();
    sig.push(0);
    item.receipt_signature = Some(HexBinary::from(sig));
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("h"));

    // Attribution without signature; signature without attribution.
    let item = InferencePayment {
        receipt_signature: None,
        ..s.signed_item(id, "i", 1_000, &attribution)
    };
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::MissingReceiptSignature
    );
    let item = InferencePayment {
        attribution: None,
        ..s.signed_item(id, "j", 1_000, &attribution)
    };
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::UnexpectedReceiptSignature
    );

    assert_eq!(s.stats(id).paid_inferences, 0);
    for i in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        assert!(s.inference(id, i).is_err());
    }

    // A second host's signature is accepted.
    let second = key(11);
    let alice = s.alice.clone();
    let hosts = vec![
        host_of(&s.host, &s.host_key),
        host_of(&s.addr("host-2"), &second),
    ];
    s.exec(
        &alice,
        ExecuteMsg::UpdateModel {
            model_id: id,
            metadata_uri: None,
            inference_fee: None,
            tiers: None,
            hosts: Some(hosts),
        },
    )
    .unwrap();
    let receipt = s.receipt(id, "k", 1_000, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&second, &receipt)),
        ..s.signed_item(id, "k", 1_000, &attribution)
    };
    s.pay(1_000, item).unwrap();
}

#[test]
fn pay_inference_refuses_bad_attributions() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let item = s.signed_item(id, "a", 1_000, &[(1, 5_000), (9, 5_000)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::AttributionOutsideLineage {
            model_id: id,
            datanet_id: 9
        }
    );
    let item = s.signed_item(id, "b", 1_000, &[(1, 5_000), (2, 4_999)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::Attribution(AttributionError::AttributionSum { sum: 9_999 })
    );
    let item = s.signed_item(id, "c", 1_000, &[(1, 5_000), (1, 5_000)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 })
    );
    assert_eq!(s.stats(id).paid_inferences, 0);
}

#[test]
fn paused_and_retired_models_take_no_payment() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    let payer = s.payer.clone();
    let stranger = s.addr("stranger");
    assert_eq!(
        s.exec(
            &stranger,
            ExecuteMsg::SetModelStatus {
                model_id: id,
                status: ModelStatus::Paused
            }
        )
        .unwrap_err(),
        ContractError::NotModelOwner { model_id: id }
    );
    s.exec(
        &alice,
        ExecuteMsg::SetModelStatus {
            model_id: id,
            status: ModelStatus::Paused,
        },
    )
    .unwrap();
    let paused = ContractError::ModelNotActive {
        model_id: id,
        status: ModelStatus::Paused,
    };
    assert_eq!(s.pay(1_000, plain(id, "a")).unwrap_err(), paused);
    assert_eq!(s.hook(&payer, 5_000, buy(id, 1)).unwrap_err(), paused);
    s.exec(
        &alice,
        ExecuteMsg::SetModelStatus {
            model_id: id,
            status: ModelStatus::Active,
        },
    )
    .unwrap();
    s.pay(1_000, plain(id, "a")).unwrap();

    let res = s
        .exec(
            &alice,
            ExecuteMsg::SetModelStatus {
                model_id: id,
                status: ModelStatus::Retired,
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "status"), "retired");
    assert_eq!(
        s.pay(1_000, plain(id, "b")).unwrap_err(),
        ContractError::ModelNotActive {
            model_id: id,
            status: ModelStatus::Retired
        }
    );
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::SetModelStatus {
                model_id: id,
                status: ModelStatus::Active
            }
        )
        .unwrap_err(),
        ContractError::ModelRetired { model_id: id }
    );
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateModel {
                model_id: id,
                metadata_uri: Some("ipfs://x".into()),
                inference_fee: None,
                tiers: None,
                hosts: None
            }
        )
        .unwrap_err(),
        ContractError::ModelRetired { model_id: id }
    );
    assert_eq!(s.stats(id).paid_inferences, 1);
    assert!(s.inference(id, "b").is_err());
}

#[test]
fn receive_refuses_other_tokens_coins_zero_and_unknown_hooks() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let fake = s.addr("fake-token");
    let body = to_json_binary(&ReceiveMsg::PayInference(plain(id, "a"))).unwrap();
    assert_eq!(
        s.hook_from(&fake, &payer, 1_000, body.clone()).unwrap_err(),
        ContractError::Hook(HookError::UnexpectedToken {
            expected: s.token.to_string(),
            received: fake.to_string()
        })
    );
    assert_eq!(
        s.hook(&payer, 0, ReceiveMsg::PayInference(plain(id, "a")))
            .unwrap_err(),
        ContractError::Hook(HookError::ZeroAmount)
    );
    let token = s.token.clone();
    assert!(matches!(
        s.hook_from(
            &token,
            &payer,
            1_000,
            Binary::from(br#"{"steal":{}}"#.to_vec())
        )
        .unwrap_err(),
        ContractError::Hook(HookError::InvalidHook { .. })
    ));
    let wrapper = Cw20ReceiveMsg {
        sender: payer.to_string(),
        amount: Uint128::new(1_000),
        msg: body,
    };
    assert_eq!(
        execute(
            s.deps.as_mut(),
            s.env.clone(),
            message_info(&token, &coins(1, "uopen")),
            ExecuteMsg::Receive(wrapper)
        )
        .unwrap_err(),
        ContractError::Payment(PaymentError::NonPayable {})
    );
    let alice = s.alice.clone();
    assert_eq!(
        execute(
            s.deps.as_mut(),
            s.env.clone(),
            message_info(&alice, &coins(1, "uopen")),
            ExecuteMsg::WithdrawEarnings {}
        )
        .unwrap_err(),
        ContractError::Payment(PaymentError::NonPayable {})
    );
    assert!(s.inference(id, "a").is_err());
}

// ---------------------------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------------------------

#[test]
fn pay_inferences_of_fifty_sends_one_aggregated_distribute() {
    let mut s = Suite::new();
    let a = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);
    let bob = s.addr("bob");
    let new = s.model_msg(&[(2, 1, 5_000), (3, 1, 5_000)], 333);
    let b = s.register_as(&bob, new);
    let items: Vec<InferencePayment> = (0..50)
        .map(|i| plain(if i % 2 == 0 { a } else { b }, &format!("inf-{i}")))
        .collect();
    let payer = s.payer.clone();
    let total = 25 * 1_000 + 25 * 333;
    let res = s
        .hook(&payer, total, ReceiveMsg::PayInferences { items })
        .unwrap();
    // Model a (fee 1000): datanet 1: 300, datanet 2: 200, owner 200, stakers 200, treasury 100.
    // Model b (fee 333): datanets 166 → 83 + 83, owner 66, stakers 66, treasury 33 + 2 dust.
    let expected = s.distribute(
        total - 25 * 200 - 25 * 66,
        vec![
            Allocation::Datanet {
                id: 1,
                amount: Uint128::new(25 * 300),
            },
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(25 * 200 + 25 * 83),
            },
            Allocation::Datanet {
                id: 3,
                amount: Uint128::new(25 * 83),
            },
            Allocation::Stakers {
                amount: Uint128::new(25 * 200 + 25 * 66),
            },
            Allocation::Treasury {
                amount: Uint128::new(25 * 100 + 25 * 35),
            },
        ],
    );
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(attr(&res, "action"), "pay_inferences");
    assert_eq!(attr(&res, "count"), "50");
    let listed: Vec<&str> = res
        .attributes
        .iter()
        .filter(|x| x.key == "inference")
        .map(|x| x.value.as_str())
        .collect();
    assert_eq!(listed.len(), 50);
    assert_eq!(listed[1], format!("{b}:inf-1"));

    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(5_000));
    assert_eq!(s.earnings(&bob), Uint128::new(1_650));
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(solvency.owed_earnings, Uint128::new(6_650));
    assert_eq!(
        (s.stats(a).paid_inferences, s.stats(a).inference_revenue),
        (25, Uint128::new(25_000))
    );
    assert_eq!(
        (s.stats(b).paid_inferences, s.stats(b).inference_revenue),
        (25, Uint128::new(8_325))
    );
    assert_eq!(s.inference(b, "inf-49").unwrap().fee, Uint128::new(333));
}

#[test]
fn pay_inferences_mixes_signed_and_lineage_items() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 1, 5_000), (2, 1, 5_000)], 1_000);
    let items = vec![
        plain(id, "x"),
        s.signed_item(id, "y", 1_000, &[(1, 10_000)]),
    ];
    let payer = s.payer.clone();
    let res = s
        .hook(&payer, 2_000, ReceiveMsg::PayInferences { items })
        .unwrap();
    let expected = s.distribute(
        1_600,
        vec![
            Allocation::Datanet {
                id: 1,
                amount: Uint128::new(250 + 500),
            },
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(250),
            },
            Allocation::Stakers {
                amount: Uint128::new(400),
            },
            Allocation::Treasury {
                amount: Uint128::new(200),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "signed"), "1");
}

#[test]
fn pay_inferences_refuses_bad_batches() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 10);
    let payer = s.payer.clone();
    let items: Vec<InferencePayment> = (0..51).map(|i| plain(id, &format!("i{i}"))).collect();
    assert_eq!(
        s.hook(&payer, 510, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::BatchSize { got: 51, max: 50 }
    );
    assert_eq!(
        s.hook(&payer, 10, ReceiveMsg::PayInferences { items: vec![] })
            .unwrap_err(),
        ContractError::BatchSize { got: 0, max: 50 }
    );
    let items = vec![plain(id, "a"), plain(id, "b"), plain(id, "a")];
    assert_eq!(
        s.hook(&payer, 30, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::DuplicateInference {
            model_id: id,
            inference_id: "a".into()
        }
    );
    let items = vec![plain(id, "a"), plain(id, "b")];
    assert_eq!(
        s.hook(&payer, 30, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::new(20),
            received: Uint128::new(30)
        }
    );
    // One bad item sinks the batch: nothing is recorded.
    s.pay(10, plain(id, "b")).unwrap();
    let items = vec![plain(id, "a"), plain(id, "b")];
    assert_eq!(
        s.hook(&payer, 20, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "b".into()
        }
    );
    assert!(s.inference(id, "a").is_err());
    assert_eq!(s.stats(id).paid_inferences, 1);
}

#[test]
fn pay_inferences_refuses_more_datanets_than_one_distribute_holds() {
    let mut s = Suite::new();
    let x: Vec<(u64, u32, u16)> = (1..=16).map(|d| (d, 1, 625)).collect();
    let y: Vec<(u64, u32, u16)> = (17..=32).map(|d| (d, 1, 625)).collect();
    let mx = s.register(&x, 10_000);
    let my = s.register(&y, 10_000);
    let payer = s.payer.clone();
    let items = vec![plain(mx, "a"), plain(my, "a")];
    assert_eq!(
        s.hook(&payer, 20_000, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::TooManyDatanets { got: 32, max: 30 }
    );
    // Each alone fits.
    s.pay(10_000, plain(mx, "a")).unwrap();
    s.pay(10_000, plain(my, "a")).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Quotes, earnings, solvency
// ---------------------------------------------------------------------------------------------

#[test]
fn fee_quote_equals_what_a_payment_produces() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let alice = s.alice.clone();

    let q = s.quote(id, None);
    assert_eq!(
        q,
        FeeQuoteResponse {
            fee: Uint128::new(1_001),
            split: FeeSplitAmounts {
                datanets: Uint128::new(498),
                model_owner: Uint128::new(200),
                stakers: Uint128::new(200),
                treasury: Uint128::new(103),
                dust: Uint128::new(1),
            },
            datanets: vec![
                DatanetShare {
                    datanet_id: 1,
                    amount: Uint128::new(166)
                },
                DatanetShare {
                    datanet_id: 2,
                    amount: Uint128::new(166)
                },
                DatanetShare {
                    datanet_id: 3,
                    amount: Uint128::new(166)
                },
            ],
            attribution_dust: Uint128::new(2),
        }
    );

    for (n, attribution) in [
        None,
        Some(vec![(2u64, 2_500u16), (1, 7_500)]),
        Some(vec![(3, 1)]).map(|mut v: Vec<(u64, u16)>| {
            v.push((1, 9_999));
            v
        }),
    ]
    .into_iter()
    .enumerate()
    {
        let q = s.quote(id, attribution.as_deref().map(shares));
        let inference_id = format!("q-{n}");
        let item = match &attribution {
            None => plain(id, &inference_id),
            Some(a) => s.signed_item(id, &inference_id, 1_001, a),
        };
        let before = s.earnings(&alice);
        let res = s.pay(1_001, item).unwrap();
        let mut allocations: Vec<Allocation> = {
            let mut d = q.datanets.clone();
            d.sort_by_key(|x| x.datanet_id);
            d.into_iter()
                .filter(|x| !x.amount.is_zero())
                .map(|x| Allocation::Datanet {
                    id: x.datanet_id,
                    amount: x.amount,
                })
                .collect()
        };
        allocations.push(Allocation::Stakers {
            amount: q.split.stakers,
        });
        allocations.push(Allocation::Treasury {
            amount: q.split.treasury,
        });
        let pool_total = q.fee - q.split.model_owner;
        assert_eq!(
            msgs(&res),
            vec![s.distribute(pool_total.u128(), allocations)],
            "quote {n}"
        );
        assert_eq!(s.earnings(&alice) - before, q.split.model_owner);
        assert_eq!(
            q.split.datanets + q.split.model_owner + q.split.stakers + q.split.treasury,
            q.fee
        );
    }

    assert_eq!(
        s.query_err(QueryMsg::FeeQuote {
            model_id: id,
            attribution: Some(shares(&[(9, 10_000)]))
        }),
        ContractError::AttributionOutsideLineage {
            model_id: id,
            datanet_id: 9
        }
    );
    assert_eq!(
        s.query_err(QueryMsg::FeeQuote {
            model_id: id,
            attribution: Some(shares(&[(1, 9_000)]))
        }),
        ContractError::Attribution(AttributionError::AttributionSum { sum: 9_000 })
    );
}

#[test]
fn withdraw_earnings_pays_once_and_keeps_solvency() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    assert_eq!(
        s.exec(&alice, ExecuteMsg::WithdrawEarnings {}).unwrap_err(),
        ContractError::NothingToWithdraw
    );
    s.pay(1_000, plain(id, "a")).unwrap();
    s.pay(1_000, plain(id, "b")).unwrap();
    // The contract holds the two owner shares.
    let (registry, token) = (s.registry.clone(), s.token.clone());
    install_querier(&mut s.deps, &registry, &token, published(), 400);
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(
        solvency,
        LicensingSolvencyResponse {
            balance: Uint128::new(400),
            owed_earnings: Uint128::new(400),
            solvent: true
        }
    );

    let res = s.exec(&alice, ExecuteMsg::WithdrawEarnings {}).unwrap();
    assert_eq!(
        msgs(&res),
        vec![TokenHandle(s.token.clone())
            .transfer(&alice, Uint128::new(400))
            .unwrap()]
    );
    assert_eq!(attr(&res, "amount"), "400");
    assert_eq!(s.earnings(&alice), Uint128::zero());
    install_querier(&mut s.deps, &registry, &token, published(), 0);
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(solvency.owed_earnings, Uint128::zero());
    assert!(solvency.solvent);
    assert_eq!(
        s.exec(&alice, ExecuteMsg::WithdrawEarnings {}).unwrap_err(),
        ContractError::NothingToWithdraw
    );
}

// ---------------------------------------------------------------------------------------------
// Licences
// ---------------------------------------------------------------------------------------------

#[test]
fn purchase_license_new_extend_and_other_tier() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);
    let payer = s.payer.clone();
    let start = s.env.block.time;

    assert_eq!(
        s.hook(&payer, 5_000, buy(id, 9)).unwrap_err(),
        ContractError::UnknownTier {
            model_id: id,
            tier_id: 9
        }
    );
    assert_eq!(
        s.hook(&payer, 4_999, buy(id, 1)).unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::new(5_000),
            received: Uint128::new(4_999)
        }
    );

    let res = s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    // 5000: datanets 2500 → 1500 + 1000, owner 1000, stakers 1000, treasury 500.
    let expected = s.distribute(
        4_000,
        vec![
            Allocation::Datanet {
                id: 1,
                amount: Uint128::new(1_500),
            },
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(1_000),
            },
            Allocation::Stakers {
                amount: Uint128::new(1_000),
            },
            Allocation::Treasury {
                amount: Uint128::new(500),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "extended"), "false");
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(1_000));
    assert_eq!(
        s.license(id, &payer),
        LicenseResponse {
            model_id: id,
            licensee: payer.clone(),
            tier_id: 1,
            expires_at: start.plus_seconds(30 * DAY),
            inference_quota: Some(2),
            inferences_used: 0,
            commercial: false,
        }
    );

    // One inference used, then the same tier again: term and quota extend, usage stays.
    s.exec(
        &payer,
        ExecuteMsg::RecordLicensedInference {
            model_id: id,
            inference_id: "l-1".into(),
        },
    )
    .unwrap();
    s.set_time(start.plus_seconds(10 * DAY));
    let res = s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    assert_eq!(attr(&res, "extended"), "true");
    let l = s.license(id, &payer);
    assert_eq!(l.expires_at, start.plus_seconds(60 * DAY));
    assert_eq!((l.inference_quota, l.inferences_used), (Some(4), 1));

    // Another tier while the licence runs is refused.
    assert_eq!(
        s.hook(&payer, 20_000, buy(id, 2)).unwrap_err(),
        ContractError::LicenseActive {
            model_id: id,
            expires_at: start.plus_seconds(60 * DAY)
        }
    );

    // Once expired (at expires_at exactly), another tier starts a new licence.
    s.set_time(start.plus_seconds(60 * DAY));
    s.hook(&payer, 20_000, buy(id, 2)).unwrap();
    let l = s.license(id, &payer);
    assert_eq!(
        l,
        LicenseResponse {
            model_id: id,
            licensee: payer.clone(),
            tier_id: 2,
            expires_at: start.plus_seconds(90 * DAY),
            inference_quota: None,
            inferences_used: 0,
            commercial: true,
        }
    );
    let stats = s.stats(id);
    assert_eq!(
        (stats.licenses_sold, stats.license_revenue),
        (3, Uint128::new(30_000))
    );
    assert_eq!(stats.licensed_inferences, 1);
    let list: LicensesResponse = s.query(QueryMsg::Licenses {
        licensee: payer.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(list.licenses, vec![l]);
}

#[test]
fn record_licensed_inference_within_term_and_quota() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let record = |s: &mut Suite, inference_id: &str| {
        s.exec(
            &payer,
            ExecuteMsg::RecordLicensedInference {
                model_id: id,
                inference_id: inference_id.into(),
            },
        )
    };
    assert_eq!(
        record(&mut s, "l-0").unwrap_err(),
        ContractError::NoLicense { model_id: id }
    );
    s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    let expires_at = s.license(id, &payer).expires_at;

    let res = record(&mut s, "l-1").unwrap();
    assert_eq!(attr(&res, "inferences_used"), "1");
    assert_eq!(
        s.inference(id, "l-1").unwrap(),
        InferenceResponse {
            model_id: id,
            inference_id: "l-1".into(),
            payer: payer.clone(),
            fee: Uint128::zero(),
            attribution: None,
            licensed: true,
            recorded_at: s.env.block.time,
        }
    );
    assert_eq!(
        record(&mut s, "l-1").unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "l-1".into()
        }
    );

    // One nanosecond before the end the licence still holds.
    s.set_time(Timestamp::from_nanos(expires_at.nanos() - 1));
    record(&mut s, "l-2").unwrap();
    assert_eq!(
        record(&mut s, "l-3").unwrap_err(),
        ContractError::QuotaExhausted {
            model_id: id,
            quota: 2
        }
    );
    // At expires_at it has expired.
    s.set_time(expires_at);
    assert_eq!(
        record(&mut s, "l-3").unwrap_err(),
        ContractError::LicenseExpired {
            model_id: id,
            expired_at: expires_at
        }
    );
    let l = s.license(id, &payer);
    assert_eq!(l.inferences_used, 2);
    assert_eq!(s.stats(id).licensed_inferences, 2);
    assert!(s.inference(id, "l-3").is_err());

    // A licensed id cannot be paid afterwards either.
    assert_eq!(
        s.pay(1_000, plain(id, "l-1")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "l-1".into()
        }
    );
}

#[test]
fn record_licensed_inference_t_minus_one_second_ok_at_expiry_refused() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    s.hook(&payer, 20_000, buy(id, 2)).unwrap();
    let expires_at = s.license(id, &payer).expires_at;
    s.set_time(expires_at.minus_seconds(1));
    s.exec(
        &payer,
        ExecuteMsg::RecordLicensedInference {
            model_id: id,
            inference_id: "t-1".into(),
        },
    )
    .unwrap();
    s.set_time(expires_at);
    assert_eq!(
        s.exec(
            &payer,
            ExecuteMsg::RecordLicensedInference {
                model_id: id,
                inference_id: "t".into(),
            },
        )
        .unwrap_err(),
        ContractError::LicenseExpired {
            model_id: id,
            expired_at: expires_at
        }
    );
    // Paused model: no licensed inference either.
    s.set_time(expires_at.minus_seconds(1));
    let alice = s.alice.clone();
    s.exec(
        &alice,
        ExecuteMsg::SetModelStatus {
            model_id: id,
            status: ModelStatus::Paused,
        },
    )
    .unwrap();
    assert_eq!(
        s.exec(
            &payer,
            ExecuteMsg::RecordLicensedInference {
                model_id: id,
                inference_id: "t".into(),
            },
        )
        .unwrap_err(),
        ContractError::ModelNotActive {
            model_id: id,
            status: ModelStatus::Paused
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Model administration
// ---------------------------------------------------------------------------------------------

#[test]
fn update_model_validates_and_replaces() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    let stranger = s.addr("stranger");
    let update = |fee: Option<u128>, tiers: Option<Vec<LicenseTier>>, hosts: Option<Vec<Host>>| {
        ExecuteMsg::UpdateModel {
            model_id: id,
            metadata_uri: None,
            inference_fee: fee.map(Uint128::new),
            tiers,
            hosts,
        }
    };
    assert_eq!(
        s.exec(&stranger, update(Some(5), None, None)).unwrap_err(),
        ContractError::NotModelOwner { model_id: id }
    );
    assert_eq!(
        s.exec(&alice, update(None, None, None)).unwrap_err(),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        s.exec(&alice, update(Some(0), None, None)).unwrap_err(),
        ContractError::ZeroFee
    );
    let mut dup = tiers();
    dup[0].id = 2;
    assert_eq!(
        s.exec(&alice, update(None, Some(dup), None)).unwrap_err(),
        ContractError::DuplicateTier { id: 2 }
    );
    let host = s.host.clone();
    assert_eq!(
        s.exec(
            &alice,
            update(
                None,
                None,
                Some(vec![Host {
                    address: host.to_string(),
                    pubkey: HexBinary::from(vec![2u8; 32])
                }])
            )
        )
        .unwrap_err(),
        ContractError::InvalidPubkey {
            host: host.to_string()
        }
    );
    assert_eq!(s.model(id).inference_fee, Uint128::new(1_000));

    // New fee, one tier, a new host key: the old host can no longer sign.
    let new_key = key(21);
    s.exec(
        &alice,
        update(
            Some(2_000),
            Some(vec![tiers()[1].clone()]),
            Some(vec![host_of(&host, &new_key)]),
        ),
    )
    .unwrap();
    let m = s.model(id);
    assert_eq!(m.inference_fee, Uint128::new(2_000));
    assert_eq!(m.tiers, vec![tiers()[1].clone()]);
    assert_eq!(m.hosts, vec![host_of(&host, &new_key)]);
    assert_eq!(
        s.pay(1_000, plain(id, "a")).unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::new(2_000),
            received: Uint128::new(1_000)
        }
    );
    let item = s.signed_item(id, "a", 2_000, &[(1, 10_000)]);
    assert_eq!(
        s.pay(2_000, item).unwrap_err(),
        ContractError::InvalidReceiptSignature {
            model_id: id,
            inference_id: "a".into()
        }
    );
    let receipt = s.receipt(id, "a", 2_000, &[(1, 10_000)]);
    let item = InferencePayment {
        receipt_signature: Some(sign(&new_key, &receipt)),
        ..s.signed_item(id, "a", 2_000, &[(1, 10_000)])
    };
    s.pay(2_000, item).unwrap();
    let payer = s.payer.clone();
    assert_eq!(
        s.hook(&payer, 5_000, buy(id, 1)).unwrap_err(),
        ContractError::UnknownTier {
            model_id: id,
            tier_id: 1
        }
    );
}

#[test]
fn model_transfer_is_two_step_and_moves_future_earnings() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    let bob = s.addr("bob");
    let mallory = s.addr("mallory");
    assert_eq!(
        s.exec(
            &mallory,
            ExecuteMsg::TransferModel {
                model_id: id,
                new_owner: mallory.to_string()
            }
        )
        .unwrap_err(),
        ContractError::NotModelOwner { model_id: id }
    );
    s.exec(
        &alice,
        ExecuteMsg::TransferModel {
            model_id: id,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    assert_eq!(s.model(id).pending_owner, Some(bob.clone()));
    assert_eq!(
        s.exec(&mallory, ExecuteMsg::AcceptModel { model_id: id })
            .unwrap_err(),
        ContractError::NotPendingOwner { model_id: id }
    );
    // Until accepted, alice still owns and earns.
    s.pay(1_000, plain(id, "a")).unwrap();
    assert_eq!(s.earnings(&alice), Uint128::new(200));

    let res = s
        .exec(&bob, ExecuteMsg::AcceptModel { model_id: id })
        .unwrap();
    assert_eq!(attr(&res, "previous_owner"), alice.to_string());
    let m = s.model(id);
    assert_eq!((m.owner.clone(), m.pending_owner), (bob.clone(), None));
    s.pay(1_000, plain(id, "b")).unwrap();
    assert_eq!(s.earnings(&alice), Uint128::new(200));
    assert_eq!(s.earnings(&bob), Uint128::new(200));

    let by_owner = |s: &Suite, who: &Addr| -> Vec<u64> {
        let r: ModelsResponse = s.query(QueryMsg::Models {
            owner: Some(who.to_string()),
            datanet_id: None,
            start_after: None,
            limit: None,
        });
        r.models.into_iter().map(|m| m.id).collect()
    };
    assert_eq!(by_owner(&s, &alice), Vec::<u64>::new());
    assert_eq!(by_owner(&s, &bob), vec![id]);

    // Proposing the current owner cancels a pending transfer.
    s.exec(
        &bob,
        ExecuteMsg::TransferModel {
            model_id: id,
            new_owner: alice.to_string(),
        },
    )
    .unwrap();
    let res = s
        .exec(
            &bob,
            ExecuteMsg::TransferModel {
                model_id: id,
                new_owner: bob.to_string(),
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "cancelled"), "true");
    assert_eq!(s.model(id).pending_owner, None);
    assert_eq!(
        s.exec(&alice, ExecuteMsg::AcceptModel { model_id: id })
            .unwrap_err(),
        ContractError::NotPendingOwner { model_id: id }
    );
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

#[test]
fn model_lists_paginate_by_owner_and_datanet() {
    let mut s = Suite::new();
    let bob = s.addr("bob");
    for i in 0..12u64 {
        let lineage: &[(u64, u32, u16)] = if i % 3 == 0 {
            &[(5, 1, 10_000)]
        } else {
            &[(6, 1, 10_000)]
        };
        let owner = if i % 2 == 0 {
            s.alice.clone()
        } else {
            bob.clone()
        };
        let new = s.model_msg(lineage, 100);
        s.register_as(&owner, new);
    }
    let ids = |r: ModelsResponse| r.models.into_iter().map(|m| m.id).collect::<Vec<_>>();
    let list =
        |s: &Suite, owner: Option<&Addr>, datanet_id, start_after, limit| -> ModelsResponse {
            s.query(QueryMsg::Models {
                owner: owner.map(|o| o.to_string()),
                datanet_id,
                start_after,
                limit,
            })
        };
    assert_eq!(
        ids(list(&s, None, None, None, None)),
        (1..=10).collect::<Vec<_>>()
    );
    assert_eq!(ids(list(&s, None, None, Some(10), None)), vec![11, 12]);
    assert_eq!(ids(list(&s, None, None, Some(3), Some(2))), vec![4, 5]);
    assert_eq!(
        ids(list(&s, Some(&bob), None, None, Some(50))),
        vec![2, 4, 6, 8, 10, 12]
    );
    assert_eq!(
        ids(list(&s, Some(&bob), None, Some(6), Some(2))),
        vec![8, 10]
    );
    assert_eq!(ids(list(&s, None, Some(5), None, None)), vec![1, 4, 7, 10]);
    assert_eq!(ids(list(&s, None, Some(5), Some(4), Some(2))), vec![7, 10]);
    assert_eq!(ids(list(&s, None, Some(77), None, None)), Vec::<u64>::new());

    for limit in [0u32, 51] {
        assert_eq!(
            s.query_err(QueryMsg::Models {
                owner: None,
                datanet_id: None,
                start_after: None,
                limit: Some(limit)
            }),
            ContractError::Pagination(PaginationError::LimitOutOfRange { limit, max: 50 })
        );
    }
    assert_eq!(
        s.query_err(QueryMsg::Models {
            owner: Some(bob.to_string()),
            datanet_id: Some(5),
            start_after: None,
            limit: None
        }),
        ContractError::ConflictingFilters
    );
    assert_eq!(
        s.query_err(QueryMsg::Licenses {
            licensee: bob.to_string(),
            start_after: None,
            limit: Some(51)
        }),
        ContractError::Pagination(PaginationError::LimitOutOfRange { limit: 51, max: 50 })
    );
}

#[test]
fn licenses_paginate_by_licensee() {
    let mut s = Suite::new();
    let payer = s.payer.clone();
    for _ in 0..3 {
        let id = s.register(&THIRDS, 100);
        s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    }
    let page = |s: &Suite, start_after, limit| -> Vec<u64> {
        let r: LicensesResponse = s.query(QueryMsg::Licenses {
            licensee: payer.to_string(),
            start_after,
            limit,
        });
        r.licenses.into_iter().map(|l| l.model_id).collect()
    };
    assert_eq!(page(&s, None, None), vec![1, 2, 3]);
    assert_eq!(page(&s, Some(1), Some(1)), vec![2]);
    assert_eq!(page(&s, Some(3), None), Vec::<u64>::new());
    let other = s.addr("other");
    assert_eq!(
        s.query_err(QueryMsg::License {
            model_id: 1,
            licensee: other.to_string()
        }),
        ContractError::NoLicense { model_id: 1 }
    );
}

// ---------------------------------------------------------------------------------------------
// Receipt format (the test vector in the README)
// ---------------------------------------------------------------------------------------------

#[test]
fn receipt_test_vector_matches_the_readme() {
    let receipt = Receipt {
        chain_id: "openledger-local-1".into(),
        contract: "inj1contract".into(),
        model_id: 3,
        inference_id: "inf-7".into(),
        payer: "inj1payer".into(),
        fee: Uint128::new(1_000),
        attribution: shares(&[(1, 6_000), (2, 4_000)]),
    };
    let sk = key(1);
    assert_eq!(
        String::from_utf8(receipt.canonical_json().unwrap()).unwrap(),
        r#"{"chain_id":"openledger-local-1","contract":"inj1contract","model_id":3,"inference_id":"inf-7","payer":"inj1payer","fee":"1000","attribution":[{"datanet_id":1,"weight_bps":6000},{"datanet_id":2,"weight_bps":4000}]}"#
    );
    assert_eq!(
        compressed(&sk).to_hex(),
        "031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f"
    );
    let hash = HexBinary::from(receipt.hash().unwrap().to_vec());
    assert_eq!(
        hash.to_hex(),
        "328f70c89919a20c3a00838387251672045660fde941422349e92798af9afa20"
    );
    // RFC 6979 deterministic, low-S.
    let sig = sign(&sk, &receipt);
    assert_eq!(
        sig.to_hex(),
        "bbce95c99505ac54884828e1e95180301dc450bb443a1203791f1ef4f38b07d4\
         16141f7aee551d11220c214b583ef9daa32b8191983b223bd56afd8fd863c8d4"
    );
    let api = MockApi::default();
    assert_eq!(
        cosmwasm_std::Api::secp256k1_verify(
            &api,
            hash.as_slice(),
            sig.as_slice(),
            compressed(&sk).as_slice()
        ),
        Ok(true)
    );
}

#[test]
fn receipt_strings_escape_like_the_readme_says() {
    let receipt = Receipt {
        chain_id: "c".into(),
        contract: "k".into(),
        model_id: 1,
        inference_id: "a\"b\\c\n\u{1f}/é".into(),
        payer: "p".into(),
        fee: Uint128::new(1),
        attribution: shares(&[(1, 10_000)]),
    };
    let json = String::from_utf8(receipt.canonical_json().unwrap()).unwrap();
    assert!(
        json.contains(r#""inference_id":"a\"b\\c\n\u001F/é""#),
        "{json}"
    );
}

/// One payment's quote, built by hand so every field is known exactly.
fn hand_quote(fee: u128, datanets: &[(u64, u128)], owner: u128, stakers: u128) -> FeeQuoteResponse {
    let spread: u128 = datanets.iter().map(|(_, a)| a).sum();
    let treasury = fee - spread - owner - stakers;
    FeeQuoteResponse {
        fee: Uint128::new(fee),
        split: FeeSplitAmounts {
            datanets: Uint128::new(spread),
            model_owner: Uint128::new(owner),
            stakers: Uint128::new(stakers),
            treasury: Uint128::new(treasury),
            dust: Uint128::zero(),
        },
        datanets: datanets
            .iter()
            .map(|&(datanet_id, amount)| DatanetShare {
                datanet_id,
                amount: Uint128::new(amount),
            })
            .collect(),
        attribution_dust: Uint128::zero(),
    }
}

#[test]
fn ledger_aggregates_payments_per_datanet_and_per_owner_in_first_seen_order() {
    use crate::split::Ledger;
    let api = MockApi::default();
    let (carol, dave) = (api.addr_make("carol"), api.addr_make("dave"));
    let mut ledger = Ledger::default();
    ledger
        .add(&dave, &hand_quote(100, &[(5, 30), (2, 20)], 20, 20))
        .unwrap();
    ledger
        .add(&carol, &hand_quote(60, &[(2, 10), (9, 5)], 15, 12))
        .unwrap();
    ledger.add(&dave, &hand_quote(7, &[(5, 3)], 1, 1)).unwrap();

    assert_eq!(ledger.fees, Uint128::new(167));
    assert_eq!(
        ledger
            .datanets
            .iter()
            .map(|(id, a)| (*id, a.u128()))
            .collect::<Vec<_>>(),
        vec![(2, 30), (5, 33), (9, 5)]
    );
    assert_eq!(ledger.stakers, Uint128::new(33));
    // Treasuries: 100-50-20-20 = 10, 60-15-15-12 = 18, 7-3-1-1 = 2.
    assert_eq!(ledger.treasury, Uint128::new(30));
    assert_eq!(
        ledger.owners,
        vec![(dave.clone(), Uint128::new(21)), (carol, Uint128::new(15))]
    );
    assert_eq!(ledger.owners_total().unwrap(), Uint128::new(36));
    assert_eq!(ledger.datanets_total().unwrap(), Uint128::new(68));
    // Everything is accounted for: pool + owners = fees.
    assert_eq!(
        ledger.datanets_total().unwrap() + ledger.stakers + ledger.treasury,
        ledger.fees - ledger.owners_total().unwrap()
    );
    assert_eq!(
        ledger.allocations().unwrap(),
        vec![
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(30)
            },
            Allocation::Datanet {
                id: 5,
                amount: Uint128::new(33)
            },
            Allocation::Datanet {
                id: 9,
                amount: Uint128::new(5)
            },
            Allocation::Stakers {
                amount: Uint128::new(33)
            },
            Allocation::Treasury {
                amount: Uint128::new(30)
            },
        ]
    );
}

#[test]
fn ledger_leaves_zero_amounts_out_of_the_allocations_and_refuses_overflow() {
    use crate::split::Ledger;
    let owner = MockApi::default().addr_make("owner");
    let mut ledger = Ledger::default();
    // All to the owner: no datanet, staker or treasury allocation at all.
    ledger
        .add(&owner, &hand_quote(10, &[(3, 0)], 10, 0))
        .unwrap();
    assert_eq!(ledger.allocations().unwrap(), vec![]);
    assert_eq!(ledger.datanets_total().unwrap(), Uint128::zero());
    assert_eq!(ledger.owners_total().unwrap(), Uint128::new(10));
    // Exactly 30 non-zero datanets fit next to the stakers and the treasury.
    let mut full = Ledger::default();
    for id in 1..=30u64 {
        full.datanets.insert(id, Uint128::one());
    }
    full.stakers = Uint128::one();
    full.treasury = Uint128::one();
    assert_eq!(full.allocations().unwrap().len(), 32);
    // Sums are checked.
    let mut big = Ledger::default();
    big.add(&owner, &hand_quote(u128::MAX, &[], u128::MAX, 0))
        .unwrap();
    assert!(big.add(&owner, &hand_quote(1, &[], 1, 0)).is_err());
    let mut two = Ledger {
        owners: vec![
            (owner.clone(), Uint128::MAX),
            (MockApi::default().addr_make("x"), Uint128::one()),
        ],
        ..Ledger::default()
    };
    two.datanets.insert(1, Uint128::MAX);
    two.datanets.insert(2, Uint128::one());
    assert!(two.owners_total().is_err());
    assert!(two.datanets_total().is_err());
}

// ---------------------------------------------------------------------------------------------
// Security review (issue 13): licence terms bind at payment, ids are per payer, worst values
// ---------------------------------------------------------------------------------------------

/// The tier of the defaults with `id`, changed by `f`.
fn tier_with(id: u32, f: impl FnOnce(&mut LicenseTier)) -> LicenseTier {
    let mut t = tiers().into_iter().find(|t| t.id == id).unwrap();
    f(&mut t);
    t
}

/// Every duration and quota a tier may not have is refused at registration and at update,
/// with its exact error; the bounds themselves are accepted. 0.2.0 accepted a quota of 0,
/// a 1-second term and a term of `u64::MAX` seconds (which no purchase could then pay for).
#[test]
fn tier_durations_and_quotas_are_bounded_both_ways() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let id = s.register(&THIRDS, 1_000);
    let out_of_range = |duration| ContractError::TierDurationOutOfRange {
        tier_id: 1,
        duration,
        min: MIN_TIER_DURATION,
        max: MAX_TIER_DURATION,
    };
    let bad: Vec<(LicenseTier, ContractError)> = vec![
        (tier_with(1, |t| t.duration = 0), out_of_range(0)),
        (tier_with(1, |t| t.duration = 1), out_of_range(1)),
        (tier_with(1, |t| t.duration = 59), out_of_range(59)),
        (
            tier_with(1, |t| t.duration = MAX_TIER_DURATION + 1),
            out_of_range(MAX_TIER_DURATION + 1),
        ),
        (
            tier_with(1, |t| t.duration = u64::MAX),
            out_of_range(u64::MAX),
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(0)),
            ContractError::ZeroTierQuota { tier_id: 1 },
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(MAX_TIER_QUOTA + 1)),
            ContractError::TierQuotaTooLarge {
                tier_id: 1,
                quota: MAX_TIER_QUOTA + 1,
                max: MAX_TIER_QUOTA,
            },
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(u64::MAX)),
            ContractError::TierQuotaTooLarge {
                tier_id: 1,
                quota: u64::MAX,
                max: MAX_TIER_QUOTA,
            },
        ),
    ];
    let before = s.model(id);
    for (tier, err) in bad {
        let new = NewModel {
            tiers: vec![tier.clone()],
            ..s.model_msg(&THIRDS, 1_000)
        };
        assert_eq!(
            s.exec(&alice, ExecuteMsg::RegisterModel(new)).unwrap_err(),
            err
        );
        let update = ExecuteMsg::UpdateModel {
            model_id: id,
            metadata_uri: None,
            inference_fee: None,
            tiers: Some(vec![tier]),
            hosts: None,
        };
        assert_eq!(s.exec(&alice, update).unwrap_err(), err);
    }
    assert_eq!(s.model(id), before);
    assert_eq!(s.config().model_count, 1);

    // The bounds are fine.
    let edges = vec![
        tier_with(1, |t| {
            t.duration = MIN_TIER_DURATION;
            t.inference_quota = Some(1);
        }),
        tier_with(2, |t| {
            t.duration = MAX_TIER_DURATION;
            t.inference_quota = Some(MAX_TIER_QUOTA);
        }),
    ];
    s.exec(
        &alice,
        ExecuteMsg::UpdateModel {
            model_id: id,
            metadata_uri: None,
            inference_fee: None,
            tiers: Some(edges.clone()),
            hosts: None,
        },
    )
    .unwrap();
    assert_eq!(s.model(id).tiers, edges);
}

/// The owner rewrites tier 1 (same id, same price) in front of a purchase: each changed field
/// refuses the purchase naming it, nothing is sold or credited. 0.2.0 checked only the price
/// and sold a 1-second licence (or a quota of 0) at the full price.
#[test]
fn purchase_refuses_terms_changed_in_front_naming_the_field() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let (alice, payer) = (s.alice.clone(), s.payer.clone());
    let seen = tiers()[0].terms();
    let cases: Vec<(LicenseTier, &str, String, String)> = vec![
        (
            tier_with(1, |t| t.duration = 60),
            "duration",
            (30 * DAY).to_string(),
            "60".into(),
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(1)),
            "inference_quota",
            "2".into(),
            "1".into(),
        ),
        (
            tier_with(1, |t| t.inference_quota = None),
            "inference_quota",
            "2".into(),
            "unlimited".into(),
        ),
        (
            tier_with(1, |t| t.commercial = true),
            "commercial",
            "false".into(),
            "true".into(),
        ),
        (
            tier_with(1, |t| t.price = Uint128::new(5_001)),
            "price",
            "5000".into(),
            "5001".into(),
        ),
    ];
    for (rewritten, field, expected, current) in cases {
        s.exec(
            &alice,
            ExecuteMsg::UpdateModel {
                model_id: id,
                metadata_uri: None,
                inference_fee: None,
                tiers: Some(vec![rewritten]),
                hosts: None,
            },
        )
        .unwrap();
        let msg = ReceiveMsg::PurchaseLicense {
            model_id: id,
            tier_id: 1,
            terms: seen.clone(),
        };
        assert_eq!(
            s.hook(&payer, 5_000, msg).unwrap_err(),
            ContractError::TermsChanged {
                model_id: id,
                tier_id: 1,
                field: field.into(),
                expected,
                current,
            }
        );
    }
    assert_eq!(
        s.query_err(QueryMsg::License {
            model_id: id,
            licensee: payer.to_string()
        }),
        ContractError::NoLicense { model_id: id }
    );
    assert_eq!(s.stats(id).licenses_sold, 0);
    assert_eq!(s.earnings(&alice), Uint128::zero());

    // The terms the model shows now are the ones that sell.
    let now = s.model(id).tiers[0].terms();
    let res = s
        .hook(
            &payer,
            5_001,
            ReceiveMsg::PurchaseLicense {
                model_id: id,
                tier_id: 1,
                terms: now,
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "duration"), (30 * DAY).to_string());
    assert_eq!(attr(&res, "inference_quota"), "2");
    assert_eq!(attr(&res, "commercial"), "false");
}

/// A tier that 0.2.0 stored with a zero quota or a 1-second term is never sold, whatever the
/// buyer states.
#[test]
fn purchase_refuses_a_stored_tier_that_breaks_the_rules() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    for (tier, err) in [
        (
            tier_with(1, |t| t.inference_quota = Some(0)),
            ContractError::ZeroTierQuota { tier_id: 1 },
        ),
        (
            tier_with(1, |t| t.duration = 1),
            ContractError::TierDurationOutOfRange {
                tier_id: 1,
                duration: 1,
                min: MIN_TIER_DURATION,
                max: MAX_TIER_DURATION,
            },
        ),
    ] {
        let mut model = crate::state::MODELS.load(&s.deps.storage, id).unwrap();
        model.tiers = vec![tier.clone()];
        crate::state::MODELS
            .save(&mut s.deps.storage, id, &model)
            .unwrap();
        let msg = ReceiveMsg::PurchaseLicense {
            model_id: id,
            tier_id: 1,
            terms: tier.terms(),
        };
        assert_eq!(s.hook(&payer, 5_000, msg).unwrap_err(), err);
    }
    assert_eq!(s.stats(id).licenses_sold, 0);
}

/// Extending a running licence with the same tier whose kind of terms changed is refused: the
/// paid remainder would lose commercial use (or its unlimited quota), or the extension would
/// get them for free. 0.2.0 overwrote `commercial` and merged the quotas.
#[test]
fn extension_refuses_a_tier_whose_kind_of_terms_changed() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let (alice, payer) = (s.alice.clone(), s.payer.clone());
    s.hook(&payer, 20_000, buy(id, 2)).unwrap();
    let bought = s.license(id, &payer);
    let cases = [
        (
            tier_with(2, |t| t.commercial = false),
            "commercial",
            "true",
            "false",
        ),
        (
            tier_with(2, |t| t.inference_quota = Some(10)),
            "inference_quota",
            "unlimited",
            "10",
        ),
    ];
    for (tier, field, licence, now) in cases {
        s.exec(
            &alice,
            ExecuteMsg::UpdateModel {
                model_id: id,
                metadata_uri: None,
                inference_fee: None,
                tiers: Some(vec![tier.clone()]),
                hosts: None,
            },
        )
        .unwrap();
        let msg = ReceiveMsg::PurchaseLicense {
            model_id: id,
            tier_id: 2,
            terms: tier.terms(),
        };
        assert_eq!(
            s.hook(&payer, 20_000, msg).unwrap_err(),
            ContractError::ExtensionTermsDiffer {
                model_id: id,
                tier_id: 2,
                field: field.into(),
                licence: licence.into(),
                tier: now.into(),
            }
        );
    }
    assert_eq!(s.license(id, &payer), bought);
    assert_eq!(s.stats(id).licenses_sold, 1);
    // Once the licence has expired the new terms sell as a new licence.
    s.set_time(bought.expires_at);
    let tier = tier_with(2, |t| t.inference_quota = Some(10));
    let msg = ReceiveMsg::PurchaseLicense {
        model_id: id,
        tier_id: 2,
        terms: tier.terms(),
    };
    s.hook(&payer, 20_000, msg).unwrap();
    let l = s.license(id, &payer);
    assert_eq!((l.inference_quota, l.commercial), (Some(10), true));
}

/// Extensions stack up to `MAX_LICENSE_TERM` from now, never further: the end of a licence
/// can never overflow, and a buyer cannot prepay decades by mistake.
#[test]
fn extensions_stop_at_the_longest_term() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let long = tier_with(1, |t| {
        t.duration = MAX_TIER_DURATION;
        t.inference_quota = Some(MAX_TIER_QUOTA);
    });
    s.exec(
        &alice,
        ExecuteMsg::UpdateModel {
            model_id: id,
            metadata_uri: None,
            inference_fee: None,
            tiers: Some(vec![long.clone()]),
            hosts: None,
        },
    )
    .unwrap();
    let msg = || ReceiveMsg::PurchaseLicense {
        model_id: id,
        tier_id: 1,
        terms: long.terms(),
    };
    let now = s.env.block.time;
    s.hook(&payer, 5_000, msg()).unwrap();
    s.hook(&payer, 5_000, msg()).unwrap();
    let l = s.license(id, &payer);
    assert_eq!(l.expires_at, now.plus_seconds(MAX_LICENSE_TERM));
    assert_eq!(l.inference_quota, Some(2 * MAX_TIER_QUOTA));
    assert_eq!(
        s.hook(&payer, 5_000, msg()).unwrap_err(),
        ContractError::LicenseTermTooLong {
            model_id: id,
            expires_at: now.plus_seconds(MAX_LICENSE_TERM + MAX_TIER_DURATION),
            max_expires_at: now.plus_seconds(MAX_LICENSE_TERM),
        }
    );
    // One second later, one more second of extension would fit, a whole tier still not.
    s.set_time(now.plus_seconds(1));
    assert!(matches!(
        s.hook(&payer, 5_000, msg()).unwrap_err(),
        ContractError::LicenseTermTooLong { .. }
    ));
    assert_eq!(s.license(id, &payer), l);
    assert_eq!(s.stats(id).licenses_sold, 2);
}

/// Finding 9: a licensee records the id another payer's payment will use; the payment still
/// goes through, both are recorded under their payer, and each payer's replay is refused.
/// 0.2.0 refused the payment (`InferenceAlreadyPaid`): the model and its data went unpaid.
#[test]
fn inference_ids_are_per_payer() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let (alice, payer) = (s.alice.clone(), s.payer.clone());
    let licensee = s.addr("licensee");
    s.hook(&licensee, 5_000, buy(id, 1)).unwrap();
    s.exec(
        &licensee,
        ExecuteMsg::RecordLicensedInference {
            model_id: id,
            inference_id: "job-7".into(),
        },
    )
    .unwrap();
    let res = s.pay(1_000, plain(id, "job-7")).unwrap();
    assert_eq!(attr(&res, "pool_amount"), "800");
    assert_eq!(s.earnings(&alice), Uint128::new(1_000 + 200));
    let licensed = s.inference_of(id, &licensee, "job-7").unwrap();
    let paid = s.inference_of(id, &payer, "job-7").unwrap();
    assert_eq!((licensed.licensed, licensed.fee), (true, Uint128::zero()));
    assert_eq!((paid.licensed, paid.fee), (false, Uint128::new(1_000)));
    assert_eq!(paid.payer, payer);
    assert_eq!(
        s.pay(1_000, plain(id, "job-7")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: payer.to_string(),
            inference_id: "job-7".into()
        }
    );
    assert_eq!(
        s.exec(
            &licensee,
            ExecuteMsg::RecordLicensedInference {
                model_id: id,
                inference_id: "job-7".into(),
            },
        )
        .unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: licensee.to_string(),
            inference_id: "job-7".into()
        }
    );
    let other = s.addr("other");
    assert_eq!(
        s.inference_of(id, &other, "job-7").unwrap_err(),
        ContractError::InferenceNotFound {
            model_id: id,
            payer: other.to_string(),
            inference_id: "job-7".into()
        }
    );
    let stats = s.stats(id);
    assert_eq!((stats.paid_inferences, stats.licensed_inferences), (1, 1));
}

/// A 0.2.0 record (keyed by model and id) stays readable by its payer and still blocks that
/// payer's replay after `migrate`; another payer may use the id.
#[test]
fn legacy_inference_records_still_block_their_payer() {
    use crate::state::{InferenceRecord, HAS_LEGACY_INFERENCES, LEGACY_INFERENCES};
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let other = s.addr("other");
    // A fresh contract has no legacy records and never looks for them.
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "legacy_inferences"), "false");
    let old = InferenceRecord {
        payer: payer.clone(),
        fee: Uint128::new(1_000),
        attribution: Some(vec![(1, 10_000)]),
        licensed: false,
        recorded_at: 42,
    };
    // The exact bytes 0.2.0 wrote under `inf` ‖ model ‖ id.
    let raw_key = LEGACY_INFERENCES.key((id, "old-1"));
    cosmwasm_std::Storage::set(
        &mut s.deps.storage,
        &raw_key,
        format!(r#"{{"p":"{payer}","f":"1000","a":[[1,10000]],"t":42}}"#).as_bytes(),
    );
    assert_eq!(
        LEGACY_INFERENCES
            .load(&s.deps.storage, (id, "old-1"))
            .unwrap(),
        old
    );
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.2.0").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "legacy_inferences"), "true");
    assert!(HAS_LEGACY_INFERENCES.load(&s.deps.storage).unwrap());

    assert_eq!(
        s.inference(id, "old-1").unwrap(),
        InferenceResponse {
            model_id: id,
            inference_id: "old-1".into(),
            payer: payer.clone(),
            fee: Uint128::new(1_000),
            attribution: Some(shares(&[(1, 10_000)])),
            licensed: false,
            recorded_at: Timestamp::from_nanos(42),
        }
    );
    assert_eq!(
        s.pay(1_000, plain(id, "old-1")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: payer.to_string(),
            inference_id: "old-1".into()
        }
    );
    let items = vec![plain(id, "new-1"), plain(id, "old-1")];
    assert_eq!(
        s.hook(&payer, 2_000, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: payer.to_string(),
            inference_id: "old-1".into()
        }
    );
    assert_eq!(
        s.inference_of(id, &other, "old-1").unwrap_err(),
        ContractError::InferenceNotFound {
            model_id: id,
            payer: other.to_string(),
            inference_id: "old-1".into(),
        }
    );
    s.hook(&other, 1_000, ReceiveMsg::PayInference(plain(id, "old-1")))
        .unwrap();
    assert_eq!(
        s.inference_of(id, &other, "old-1").unwrap().payer,
        other.clone()
    );
    // The legacy record is untouched.
    assert_eq!(
        LEGACY_INFERENCES
            .load(&s.deps.storage, (id, "old-1"))
            .unwrap(),
        old
    );
    assert_eq!(s.stats(id).paid_inferences, 1);
}

/// Worst fees: a batch whose fees overflow a `Uint128` is refused with the overflow, nothing
/// written; a fee of 1 goes wholly to the treasury (the protocol), never to nobody.
#[test]
fn worst_fees_overflow_is_refused_and_one_unit_goes_to_the_treasury() {
    let mut s = Suite::new();
    let payer = s.payer.clone();
    let half = u128::MAX / 2 + 1;
    let big = s.register(&THIRDS, half);
    let items = vec![plain(big, "a"), plain(big, "b")];
    assert_eq!(
        s.hook(&payer, 1, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::Overflow(cosmwasm_std::OverflowError::new(
            cosmwasm_std::OverflowOperation::Add
        ))
    );
    assert_eq!(s.stats(big).paid_inferences, 0);

    let one = s.register(&THIRDS, 1);
    let res = s.pay(1, plain(one, "x")).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(
            1,
            vec![Allocation::Treasury {
                amount: Uint128::one()
            }]
        )]
    );
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::zero());
    // Fifty fees of 1 in one batch: 50 to the treasury, the sum exact.
    let items: Vec<InferencePayment> = (0..50).map(|i| plain(one, &format!("b-{i}"))).collect();
    let res = s
        .hook(&payer, 50, ReceiveMsg::PayInferences { items })
        .unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(
            50,
            vec![Allocation::Treasury {
                amount: Uint128::new(50)
            }]
        )]
    );
}
