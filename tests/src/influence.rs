//! Influence attribution in the suite: datanets in influence mode, attestors, posted roots and
//! claims, the trees behind the roots, and the snapshot of what an attack must not change.

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::AppResponse;
use openledger_common::msg::{datanet_registry as registry, reward_pool as pool};

use crate::Suite;

/// Everything the pool reports about influence attribution that an attack must leave as it
/// was: solvency (balance and liabilities), a datanet's roots, and what the named accounts have
/// claimed and bonded.
#[derive(Debug, PartialEq)]
pub struct InfluenceSnapshot {
    /// The pool's solvency report.
    pub solvency: pool::SolvencyResponse,
    /// The datanet's attribution roots.
    pub roots: pool::AttributionRootResponse,
    /// What each account has claimed from the datanet.
    pub claimed: Vec<pool::ClaimedResponse>,
    /// Each account's attestor record.
    pub attestors: Vec<pool::AttestorResponse>,
}

impl Suite {
    /// `owner` creates a datanet in influence mode (no creation fee expected); returns its id.
    pub fn create_influence_datanet(&mut self, owner: &Addr, name: &str) -> u64 {
        let res = self
            .registry_exec(
                owner,
                &registry::ExecuteMsg::CreateDatanet(registry::NewDatanet {
                    name: name.into(),
                    description: format!("{name}: rewarded by measured influence"),
                    metadata_uri: format!("ipfs://{name}"),
                    curators: vec![],
                    policy: registry::ContributionPolicy::Open,
                    contribution_bond: Uint128::zero(),
                    attribution_mode: registry::AttributionMode::Influence,
                }),
            )
            .unwrap();
        res.events
            .iter()
            .flat_map(|e| &e.attributes)
            .find(|a| a.key == "datanet_id")
            .and_then(|a| a.value.parse().ok())
            .expect("create_datanet reports the datanet id")
    }

    /// The deployer sends `amount` to datanet `datanet_id`'s bucket (ledger updated).
    pub fn fund_datanet(&mut self, datanet_id: u64, amount: u128) {
        let (deployer, pool) = (self.deployer.clone(), self.pool.clone());
        self.send(
            &deployer,
            &pool,
            amount,
            &pool::ReceiveMsg::Distribute {
                allocations: vec![pool::Allocation::Datanet {
                    id: datanet_id,
                    amount: Uint128::new(amount),
                    version: None,
                }],
            },
        )
        .unwrap();
        self.moved(&deployer, &pool, amount);
    }

    /// The owner approves `attestor`, which receives `bond` OPEN and bonds it (ledger updated).
    pub fn add_attestor(&mut self, attestor: &Addr, bond: u128) {
        let deployer = self.deployer.clone();
        self.pool_exec(
            &deployer,
            &pool::ExecuteMsg::UpdateAttestors {
                add: vec![attestor.to_string()],
                remove: vec![],
            },
        )
        .unwrap();
        self.fund(attestor, bond);
        let pool = self.pool.clone();
        self.send(attestor, &pool, bond, &pool::ReceiveMsg::BondAttestor {})
            .unwrap();
        self.moved(attestor, &pool, bond);
    }

    /// `attestor` posts `tree`'s root as `epoch`.
    pub fn post_root(
        &mut self,
        attestor: &Addr,
        epoch: u64,
        tree: &AttributionTree,
    ) -> AnyResult<AppResponse> {
        self.pool_exec(
            attestor,
            &pool::ExecuteMsg::PostAttributionRoot {
                datanet_id: tree.datanet_id,
                epoch,
                root: tree.root(),
                cumulative_total: Uint128::new(tree.total),
                version: None,
            },
        )
    }

    /// `who` claims its leaf of `tree` against `epoch` (ledger not updated).
    pub fn claim_attribution(
        &mut self,
        who: &Addr,
        epoch: u64,
        tree: &AttributionTree,
    ) -> AnyResult<AppResponse> {
        let (amount, proof) = tree.proof(who.as_str());
        self.pool_exec(
            who,
            &pool::ExecuteMsg::ClaimAttribution {
                datanet_id: tree.datanet_id,
                epoch,
                cumulative_amount: Uint128::new(amount),
                proof,
            },
        )
    }

    /// What `who` has claimed from datanet `datanet_id`.
    pub fn attribution_claimed(&self, datanet_id: u64, who: &Addr) -> u128 {
        let r: pool::ClaimedResponse = self.query_pool(&pool::QueryMsg::Claimed {
            datanet_id,
            address: who.to_string(),
        });
        r.claimed.u128()
    }

    /// The pool's attribution state of datanet `datanet_id` as seen by `accounts`.
    pub fn influence_snapshot(&self, datanet_id: u64, accounts: &[&Addr]) -> InfluenceSnapshot {
        InfluenceSnapshot {
            solvency: self.query_pool(&pool::QueryMsg::Solvency {}),
            roots: self.query_pool(&pool::QueryMsg::AttributionRoot { datanet_id }),
            claimed: accounts
                .iter()
                .map(|a| {
                    self.query_pool(&pool::QueryMsg::Claimed {
                        datanet_id,
                        address: a.to_string(),
                    })
                })
                .collect(),
            attestors: accounts
                .iter()
                .map(|a| {
                    self.query_pool(&pool::QueryMsg::Attestor {
                        address: a.to_string(),
                    })
                })
                .collect(),
        }
    }
}

/// An attribution tree (format v1, built by `openledger_common::merkle`, the code of the
/// `attribution-tree` tool) over `(address, cumulative_amount)` entries of one datanet.
pub struct AttributionTree {
    /// The datanet the tree attributes.
    pub datanet_id: u64,
    /// The Merkle tree over the entries.
    pub tree: openledger_common::merkle::MerkleTree,
    /// Cumulative amount per address.
    pub amounts: std::collections::HashMap<String, u128>,
    /// Sum of the amounts.
    pub total: u128,
}

impl AttributionTree {
    /// The tree of `entries` (distinct addresses) for `datanet_id`.
    pub fn new(datanet_id: u64, entries: &[openledger_common::merkle::Entry]) -> Self {
        let tree = openledger_common::merkle::MerkleTree::from_entries(datanet_id, entries)
            .expect("distinct addresses");
        let amounts = entries
            .iter()
            .map(|e| (e.address.clone(), e.cumulative_amount))
            .collect();
        let total = entries.iter().map(|e| e.cumulative_amount).sum();
        AttributionTree {
            datanet_id,
            tree,
            amounts,
            total,
        }
    }

    /// The root, as the pool takes it.
    pub fn root(&self) -> cosmwasm_std::HexBinary {
        cosmwasm_std::HexBinary::from(self.tree.root().as_slice())
    }

    /// `address`'s cumulative amount and proof.
    pub fn proof(&self, address: &str) -> (u128, Vec<cosmwasm_std::HexBinary>) {
        let amount = *self
            .amounts
            .get(address)
            .unwrap_or_else(|| panic!("{address} is not in the tree"));
        let leaf = openledger_common::merkle::leaf_hash(self.datanet_id, address, amount).unwrap();
        let proof = self
            .tree
            .proof(&leaf)
            .expect("leaf in tree")
            .iter()
            .map(|h| cosmwasm_std::HexBinary::from(h.as_slice()))
            .collect();
        (amount, proof)
    }
}

/// `n` entries: `real` first, then synthetic addresses with amounts 1..=`max_amount` drawn
/// from `seed` (splitmix64, as `attribution-tree generate`): row `i`'s amount depends only on
/// the seed and `i`, so two calls that differ only in the real entries' amounts differ only in
/// those rows.
pub fn influence_entries(
    n: usize,
    real: &[(&Addr, u128)],
    seed: u64,
    max_amount: u64,
) -> Vec<openledger_common::merkle::Entry> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    (0..n)
        .map(|i| {
            let drawn = u128::from(next() % max_amount + 1);
            match real.get(i) {
                Some((a, v)) => openledger_common::merkle::Entry {
                    address: a.to_string(),
                    cumulative_amount: *v,
                },
                None => openledger_common::merkle::Entry {
                    address: format!("synthetic{i:08}"),
                    cumulative_amount: drawn,
                },
            }
        })
        .collect()
}
