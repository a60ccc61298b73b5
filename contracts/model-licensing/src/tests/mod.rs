//! Unit tests of model licensing over mocked dependencies: one suite, one file per group of
//! messages.

mod admin;
mod batches;
mod derived;
mod earnings;
mod hosts;
mod io;
mod licenses;
mod models;
mod payments;
mod queries;
mod receipts;
mod registration;
mod royalties;
mod security;

use std::collections::{BTreeMap, BTreeSet};

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
use openledger_common::msg::datanet_registry::{
    QueryMsg as RegistryQueryMsg, VersionFormat, VersionResponse,
};
use openledger_common::msg::model_licensing::{
    ConfigResponse, DatanetShare, ExecuteMsg, FeeQuoteResponse, Host, InferenceIo,
    InferencePayment, InferenceResponse, InstantiateMsg, LicenseResponse, LicenseTier,
    LicensesResponse, LicensingSolvencyResponse, LineageEntry, MigrateMsg, ModelAncestryResponse,
    ModelResponse, ModelStatsResponse, ModelStatus, ModelsResponse, NewModel, ParentModel,
    QueryMsg, Receipt, ReceiveMsg, RoyaltyShare, MAX_LICENSE_TERM, MAX_TIER_DURATION,
    MAX_TIER_QUOTA, MIN_TIER_DURATION,
};
use openledger_common::msg::reward_pool::{Allocation, EarningSource};
use openledger_common::{
    AttributionError, FeeSplitError, HookError, MigrateError, PaginationError, ValidationError,
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
                            format: VersionFormat::EventLogV1,
                            root: HexBinary::from(vec![7u8; 32]),
                            tree_size: 3,
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
            io: None,
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
            io: None,
        }
    }

    fn distribute(&self, total: u128, allocations: Vec<Allocation>) -> CosmosMsg {
        RewardPoolHandle(self.pool.clone())
            .distribute(&self.token, Uint128::new(total), allocations)
            .unwrap()
    }

    /// `licensee` records `inference_id` of `model_id` under its licence.
    fn record_licensed(
        &mut self,
        licensee: &Addr,
        model_id: u64,
        inference_id: &str,
    ) -> Result<Response, ContractError> {
        self.exec(
            licensee,
            ExecuteMsg::RecordLicensedInference {
                model_id,
                inference_id: inference_id.into(),
            },
        )
    }

    /// `owner` sets the status of `model_id`.
    fn set_status(
        &mut self,
        owner: &Addr,
        model_id: u64,
        status: ModelStatus,
    ) -> Result<Response, ContractError> {
        self.exec(owner, ExecuteMsg::SetModelStatus { model_id, status })
    }

    fn set_time(&mut self, t: Timestamp) {
        self.env.block.time = t;
    }

    /// Registers, as `owner`, a model with the suite's host deriving from `parents` (id,
    /// royalty bps).
    fn derive_as(
        &mut self,
        owner: &Addr,
        lineage: &[(u64, u32, u16)],
        fee: u128,
        parents: &[(u64, u16)],
    ) -> Result<u64, ContractError> {
        let mut new = self.model_msg(lineage, fee);
        new.parents = parents_of(parents);
        let res = self.exec(owner, ExecuteMsg::RegisterModel(new))?;
        Ok(attr(&res, "model_id").parse().unwrap())
    }

    /// `who` buys the commercial tier (2, price 20 000) of `model_id`.
    fn buy_commercial(&mut self, who: &Addr, model_id: u64) {
        self.hook(who, 20_000, buy(model_id, 2)).unwrap();
    }

    fn ancestry(&self, model_id: u64) -> ModelAncestryResponse {
        self.query(QueryMsg::ModelAncestry { model_id })
    }
}

fn parents_of(p: &[(u64, u16)]) -> Vec<ParentModel> {
    p.iter()
        .map(|&(model_id, royalty_bps)| ParentModel {
            model_id,
            royalty_bps,
        })
        .collect()
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
        parents: vec![],
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
        io: None,
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

/// An `update_model` of `model_id` that leaves the metadata URI as it is.
fn update_msg(
    model_id: u64,
    fee: Option<u128>,
    tiers: Option<Vec<LicenseTier>>,
    hosts: Option<Vec<Host>>,
) -> ExecuteMsg {
    ExecuteMsg::UpdateModel {
        model_id,
        metadata_uri: None,
        inference_fee: fee.map(Uint128::new),
        tiers,
        hosts,
    }
}

/// A `distribute`'s allocations: the datanets (id, amount) in order, each at version 1, then
/// stakers, treasury.
fn allocations(datanets: &[(u64, u128)], stakers: u128, treasury: u128) -> Vec<Allocation> {
    let mut out: Vec<Allocation> = datanets
        .iter()
        .map(|&(id, amount)| dn(id, 1, amount))
        .collect();
    out.push(Allocation::Stakers {
        amount: Uint128::new(stakers),
    });
    out.push(Allocation::Treasury {
        amount: Uint128::new(treasury),
    });
    out
}

fn msgs(res: &Response) -> Vec<CosmosMsg> {
    res.messages.iter().map(|m| m.msg.clone()).collect()
}

/// Lineage over three datanets whose weights leave attribution dust.
const THIRDS: [(u64, u32, u16); 3] = [(1, 1, 3_334), (2, 1, 3_333), (3, 1, 3_333)];

/// The allocation of `amount` to version `version` of datanet `id`.
fn dn(id: u64, version: u32, amount: u128) -> Allocation {
    Allocation::Datanet {
        id,
        amount: Uint128::new(amount),
        version: Some(version),
    }
}

/// The pool credit of `amount` to `owner` as the owner of ancestor `model_id`.
fn account(owner: &Addr, model_id: u64, amount: u128) -> Allocation {
    Allocation::Account {
        address: owner.to_string(),
        amount: Uint128::new(amount),
        source: EarningSource::ModelOwner { model_id },
    }
}

/// The `distribute` allocations a quote promises, in the order the ledger writes them:
/// datanet versions ascending, ancestors' owners by ascending id, stakers, treasury (zero
/// amounts left out).
fn allocations_of(q: &FeeQuoteResponse) -> Vec<Allocation> {
    let mut datanets: Vec<&DatanetShare> = q.datanets.iter().collect();
    datanets.sort_by_key(|d| (d.datanet_id, d.version));
    let mut out: Vec<Allocation> = datanets
        .into_iter()
        .filter(|d| !d.amount.is_zero())
        .map(|d| Allocation::Datanet {
            id: d.datanet_id,
            amount: d.amount,
            version: Some(d.version),
        })
        .collect();
    out.extend(
        q.royalties
            .iter()
            .filter(|r| !r.owner_amount.is_zero())
            .map(|r| account(&r.owner, r.model_id, r.owner_amount.u128())),
    );
    for (amount, allocation) in [
        (
            q.split.stakers,
            Allocation::Stakers {
                amount: q.split.stakers,
            },
        ),
        (
            q.split.treasury,
            Allocation::Treasury {
                amount: q.split.treasury,
            },
        ),
    ] {
        if !amount.is_zero() {
            out.push(allocation);
        }
    }
    out
}
