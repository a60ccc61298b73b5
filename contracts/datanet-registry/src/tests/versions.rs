//! Provable versions (issue 15): the event log, its roots, `contribution_proof`, the pool's
//! `publish_version`, the cost of a review batch, and the backfill of 0.3.0 state. Every root
//! and proof is checked against `openledger_common::version_tree`, over leaves these tests
//! build themselves.

use std::cell::RefCell;
use std::collections::BTreeMap;

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{to_json_vec, Addr, DepsMut, Order, QuerierWrapper, Record, Storage};
use openledger_common::msg::datanet_registry::{
    ContributionProofResponse, LeafKind, VersionLeaf, MAX_BACKFILL_BATCH,
};
use openledger_common::version_tree::{self, Hash, Leaf};

use super::*;

/// What the test knows of one contribution: who, which data, and where its leaves are.
#[derive(Clone, Debug, Default)]
struct Known {
    contributor: String,
    data: u32,
    weight: u64,
    accepted_seq: Option<u64>,
    removed_seq: Option<u64>,
}

/// A datanet's event log as the test builds it, leaf by leaf, from the documented encoding.
struct Log {
    datanet_id: u64,
    leaves: Vec<Hash>,
    known: BTreeMap<u64, Known>,
    /// Versions published before the event log (format `hash_chain_v0`).
    legacy_versions: u32,
    /// Tree size of each version of format `event_log_v1`, from version `legacy_versions + 1`.
    versions: Vec<u64>,
}

impl Log {
    fn new(datanet_id: u64) -> Self {
        Log {
            datanet_id,
            leaves: vec![],
            known: BTreeMap::new(),
            legacy_versions: 0,
            versions: vec![],
        }
    }

    fn contributed(&mut self, id: u64, who: &Addr, data: u32) {
        self.known.insert(
            id,
            Known {
                contributor: who.to_string(),
                data,
                ..Known::default()
            },
        );
    }

    fn push(&mut self, kind: LeafKind, id: u64) -> u64 {
        let seq = self.leaves.len() as u64;
        let k = &self.known[&id];
        self.leaves.push(leaf(
            self.datanet_id,
            seq,
            kind,
            id,
            &k.contributor,
            k.data,
            k.weight,
        ));
        seq
    }

    fn accepted(&mut self, id: u64, weight: u64) {
        self.known.get_mut(&id).unwrap().weight = weight;
        let seq = self.push(LeafKind::Accept, id);
        self.known.get_mut(&id).unwrap().accepted_seq = Some(seq);
    }

    fn removed(&mut self, id: u64) {
        let seq = self.push(LeafKind::Remove, id);
        self.known.get_mut(&id).unwrap().removed_seq = Some(seq);
    }

    fn root(&self, size: u64) -> HexBinary {
        HexBinary::from(version_tree::root_of(&self.leaves[..size as usize]).as_slice())
    }
}

/// The leaf of the documented encoding, hashed by `version_tree::Leaf`.
fn leaf(d: u64, seq: u64, kind: LeafKind, id: u64, who: &str, data: u32, weight: u64) -> Hash {
    let data_hash: Hash = Sha256::digest(data.to_be_bytes()).into();
    Leaf {
        datanet_id: d,
        seq,
        kind,
        contribution_id: id,
        contributor: who,
        data_hash: &data_hash,
        weight,
    }
    .hash()
    .unwrap()
}

fn publish(s: &mut Suite, sender: &Addr, log: &mut Log) -> Response {
    let datanet_id = log.datanet_id;
    let res = s
        .exec(sender, ExecuteMsg::PublishVersion { datanet_id })
        .unwrap();
    log.versions.push(log.leaves.len() as u64);
    res
}

fn proof_of(s: &Suite, contribution_id: u64, version: u32) -> ContributionProofResponse {
    s.query(QueryMsg::ContributionProof {
        contribution_id,
        version,
    })
}

fn proof_err(s: &Suite, contribution_id: u64, version: u32) -> ContractError {
    s.query_err(QueryMsg::ContributionProof {
        contribution_id,
        version,
    })
}

fn hashes(hex: &[HexBinary]) -> Vec<Hash> {
    hex.iter().map(|h| h.to_array().unwrap()).collect()
}

/// Checks every contribution the test knows against every published version: its proof when
/// the version holds it (equal to `version_tree::inclusion_proof` over the test's leaves, and
/// verified from the answer's fields alone), the exact refusal otherwise.
fn check_every_proof(s: &Suite, log: &Log) {
    let d = log.datanet_id;
    for (v, &size) in log.versions.iter().enumerate() {
        let version = log.legacy_versions + v as u32 + 1;
        let answer: VersionResponse = s.query(QueryMsg::Version {
            datanet_id: d,
            version,
        });
        assert_eq!(answer.root, log.root(size), "version {version}");
        assert_eq!(
            (answer.tree_size, answer.format),
            (size, VersionFormat::EventLogV1)
        );
        for (&id, k) in &log.known {
            let Some(a) = k.accepted_seq else {
                continue;
            };
            if a >= size {
                assert_eq!(
                    proof_err(s, id, version),
                    ContractError::AcceptedAfterVersion {
                        id,
                        datanet_id: d,
                        version,
                        accepted_seq: a,
                        tree_size: size
                    }
                );
                continue;
            }
            if let Some(r) = k.removed_seq.filter(|r| *r < size) {
                assert_eq!(
                    proof_err(s, id, version),
                    ContractError::RemovedBeforeVersion {
                        id,
                        datanet_id: d,
                        version,
                        removed_seq: r,
                        tree_size: size
                    }
                );
                continue;
            }
            let p = proof_of(s, id, version);
            let proof = hashes(&p.proof);
            let expected = version_tree::inclusion_proof(&log.leaves[..size as usize], a).unwrap();
            assert_eq!(proof, expected, "contribution {id} in version {version}");
            assert_eq!(
                p.leaf,
                VersionLeaf {
                    datanet_id: d,
                    seq: a,
                    kind: LeafKind::Accept,
                    contribution_id: id,
                    contributor: Addr::unchecked(&k.contributor),
                    data_hash: HexBinary::from(Sha256::digest(k.data.to_be_bytes()).to_vec()),
                    weight: k.weight,
                }
            );
            // A verifier rebuilds the leaf from the answer alone.
            let rebuilt = Leaf {
                datanet_id: p.leaf.datanet_id,
                seq: p.leaf.seq,
                kind: p.leaf.kind,
                contribution_id: p.leaf.contribution_id,
                contributor: p.leaf.contributor.as_str(),
                data_hash: &p.leaf.data_hash.to_array().unwrap(),
                weight: p.leaf.weight,
            }
            .hash()
            .unwrap();
            assert_eq!(rebuilt, log.leaves[a as usize]);
            assert_eq!(p.leaf_hash.to_array::<32>().unwrap(), rebuilt);
            let root = p.root.to_array().unwrap();
            version_tree::verify_inclusion(&rebuilt, p.leaf_index, p.tree_size, &proof, &root)
                .unwrap();
            let removed_in = k.removed_seq.and_then(|r| {
                let first = log.versions.iter().position(|&t| t > r)?;
                Some(log.legacy_versions + first as u32 + 1)
            });
            assert_eq!(
                (p.format, p.datanet_id, p.version, p.tree_size, p.leaf_index),
                (VersionFormat::EventLogV1, d, version, size, a)
            );
            assert_eq!(
                (p.removed_seq, p.removed_in_version),
                (k.removed_seq, removed_in)
            );
        }
    }
}

#[test]
fn every_contribution_of_versions_of_1_to_70_contributions_has_a_proof_that_verifies() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let people: Vec<Addr> = ["alice", "bob", "carol"]
        .iter()
        .map(|n| s.addr(n))
        .collect();
    let id = s.create(&owner, open_datanet());
    let mut log = Log::new(id);
    for n in 1..=74u32 {
        let who = &people[n as usize % 3];
        let cid = s.contribute(who, id, n);
        log.contributed(cid, who, n);
    }
    // Ids 71..=74 are rejected or left pending: they are in no version.
    s.review(&owner, id, vec![reject(71), reject(72)]).unwrap();

    // One by one for 1..=20 (a version after each, so each tree size up to 20 is published),
    // then batches of growing size up to 50; a removal of an earlier contribution after every
    // third version.
    let mut batches: Vec<Vec<u64>> = (1..=20).map(|i| vec![i]).collect();
    batches.extend([vec![21, 22], (23..=27).collect(), (28..=70).collect()]);
    let mut removals = [3u64, 1, 7, 12, 15, 18, 20].into_iter();
    for (i, batch) in batches.into_iter().enumerate() {
        let decisions = batch
            .iter()
            .map(|&cid| accept(cid, 1 + cid * 37 % 10_000))
            .collect();
        let res = s.review(&owner, id, decisions).unwrap();
        for cid in batch {
            log.accepted(cid, 1 + cid * 37 % 10_000);
        }
        assert_eq!(attr(&res, "log_size"), log.leaves.len().to_string());
        if i % 3 == 2 {
            if let Some(cid) = removals.next() {
                let reason = "deletion request".to_string();
                let msg = ExecuteMsg::RemoveContribution {
                    contribution_id: cid,
                    reason,
                };
                s.exec(&owner, msg).unwrap();
                log.removed(cid);
            }
        }
        assert_eq!(s.datanet(id).root, log.root(log.leaves.len() as u64));
        publish(&mut s, &owner, &mut log);
    }
    // Two more removals after the last version: they show as `removed_in_version: None`.
    for cid in [5u64, 70] {
        let msg = ExecuteMsg::RemoveContribution {
            contribution_id: cid,
            reason: "poisoned".into(),
        };
        s.exec(&owner, msg).unwrap();
        log.removed(cid);
    }
    assert_eq!(log.versions.len(), 23);
    assert_eq!(*log.versions.last().unwrap(), 70 + 7);
    check_every_proof(&s, &log);
    for (cid, status) in [
        (71, ContributionStatus::Rejected),
        (73, ContributionStatus::Pending),
    ] {
        assert_eq!(
            proof_err(&s, cid, 23),
            ContractError::ContributionNeverAccepted { id: cid, status }
        );
    }
    // Every contribution's record names its leaves.
    for (cid, k) in &log.known {
        let c = s.contribution(*cid);
        assert_eq!(
            (c.accepted_seq, c.removed_seq),
            (k.accepted_seq, k.removed_seq)
        );
    }
}

#[test]
fn contribution_proof_refuses_with_the_exact_reason() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let bob = s.addr("bob");
    let id = s.create(&owner, open_datanet());
    let other = s.create(&owner, open_datanet());
    let c1 = s.contribute(&bob, id, 1);
    let c2 = s.contribute(&bob, id, 2);
    let c3 = s.contribute(&bob, id, 3);
    let c4 = s.contribute(&bob, id, 4);
    let elsewhere = s.contribute(&bob, other, 5);
    s.review(&owner, id, vec![accept(c1, 10), reject(c3)])
        .unwrap();
    s.review(&owner, other, vec![accept(elsewhere, 1)]).unwrap();
    s.exec(&owner, ExecuteMsg::PublishVersion { datanet_id: id })
        .unwrap();
    s.review(&owner, id, vec![accept(c2, 20)]).unwrap();
    s.exec(
        &owner,
        ExecuteMsg::RemoveContribution {
            contribution_id: c1,
            reason: "poisoned".into(),
        },
    )
    .unwrap();
    s.exec(&owner, ExecuteMsg::PublishVersion { datanet_id: id })
        .unwrap();

    // In version 1: c1 (its proof says it was removed at leaf 2, before version 2).
    let p = proof_of(&s, c1, 1);
    assert_eq!((p.removed_seq, p.removed_in_version), (Some(2), Some(2)));
    assert_eq!(proof_of(&s, c2, 2).leaf_index, 1);
    assert_eq!(
        proof_err(&s, c2, 1),
        ContractError::AcceptedAfterVersion {
            id: c2,
            datanet_id: id,
            version: 1,
            accepted_seq: 1,
            tree_size: 1
        }
    );
    assert_eq!(
        proof_err(&s, c1, 2),
        ContractError::RemovedBeforeVersion {
            id: c1,
            datanet_id: id,
            version: 2,
            removed_seq: 2,
            tree_size: 3
        }
    );
    assert_eq!(
        proof_err(&s, c3, 2),
        ContractError::ContributionNeverAccepted {
            id: c3,
            status: ContributionStatus::Rejected
        }
    );
    assert_eq!(
        proof_err(&s, c4, 2),
        ContractError::ContributionNeverAccepted {
            id: c4,
            status: ContributionStatus::Pending
        }
    );
    assert_eq!(
        proof_err(&s, c2, 3),
        ContractError::VersionNotFound {
            datanet_id: id,
            version: 3
        }
    );
    // The version is looked up in the contribution's own datanet.
    assert_eq!(
        proof_err(&s, elsewhere, 1),
        ContractError::VersionNotFound {
            datanet_id: other,
            version: 1
        }
    );
    assert_eq!(
        proof_err(&s, 99, 1),
        ContractError::ContributionNotFound { id: 99 }
    );
    // Versions in the 0.3.0 format and contributions accepted by 0.3.0 are refused too: see
    // `backfill_gives_a_migrated_datanet_its_leaves_in_id_order_then_it_publishes`.
    assert_eq!(
        proof_err(&s, elsewhere, 0),
        ContractError::VersionNotFound {
            datanet_id: other,
            version: 0
        }
    );
}

#[test]
fn publish_version_tells_the_pool_the_weight_it_holds() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let bob = s.addr("bob");
    let weight = s.create(&owner, datanet_msg(vec![], 0, AttributionMode::Weight));
    let influence = s.create(&owner, datanet_msg(vec![], 0, AttributionMode::Influence));
    for d in [weight, influence] {
        let c = s.contribute(&bob, d, d as u32);
        s.review(&owner, d, vec![accept(c, 250)]).unwrap();
    }
    let res = s
        .exec(&owner, ExecuteMsg::PublishVersion { datanet_id: weight })
        .unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.pool().publish_version(weight, 1, 250).unwrap()]
    );
    // The registry counts weight in influence mode too, but the pool holds none there.
    let res = s
        .exec(
            &owner,
            ExecuteMsg::PublishVersion {
                datanet_id: influence,
            },
        )
        .unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.pool().publish_version(influence, 1, 0).unwrap()]
    );
    let v: VersionResponse = s.query(QueryMsg::Version {
        datanet_id: influence,
        version: 1,
    });
    assert_eq!((v.total_weight, v.tree_size), (250, 1));
    // An empty log publishes too: the root of no leaves.
    let empty = s.create(&owner, open_datanet());
    let res = s
        .exec(&owner, ExecuteMsg::PublishVersion { datanet_id: empty })
        .unwrap();
    assert_eq!(attr(&res, "tree_size"), "0");
    assert_eq!(
        attr(&res, "root"),
        version_tree::hex(&version_tree::empty_root())
    );
    assert_eq!(
        msgs(&res),
        vec![s.pool().publish_version(empty, 1, 0).unwrap()]
    );
}

/// A storage that records the keys read and written through it.
struct Counting<'a> {
    inner: &'a mut MockStorage,
    reads: RefCell<Vec<Vec<u8>>>,
    writes: Vec<Vec<u8>>,
    removes: Vec<Vec<u8>>,
}

impl Storage for Counting<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.reads.borrow_mut().push(key.to_vec());
        self.inner.get(key)
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'b> {
        self.inner.range(start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.writes.push(key.to_vec());
        self.inner.set(key, value)
    }

    fn remove(&mut self, key: &[u8]) {
        self.removes.push(key.to_vec());
        self.inner.remove(key)
    }
}

#[test]
fn a_review_of_50_writes_each_block_and_subtree_once_and_reads_nothing_twice() {
    use crate::state::{CONTRIBUTIONS, CONTRIBUTIONS_BY_STATUS, CONTRIBUTORS, REVIEWS};
    use crate::state::{STATUS_INDEX_VALUE, WITHDRAWABLE_BONDS};
    use crate::tree::{block_key, node_key};

    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let people = [s.addr("alice"), s.addr("bob")];
    let id = s.create(&owner, datanet_msg(vec![], 5, AttributionMode::Weight));
    let mut ids = vec![];
    for n in 1..=87u32 {
        ids.push(s.contribute_bonded(&people[n as usize % 2], id, n, 5));
    }
    // A log of 37 leaves first: blocks 0 and 1 are full (and stored with their roots at level
    // 4 and the subtree [0, 32) at level 5); block 2 holds leaves 32..=36.
    let first: Vec<_> = ids[..37].iter().map(|&c| accept(c, 3)).collect();
    s.review(&owner, id, first).unwrap();
    let batch: Vec<_> = ids[37..].iter().map(|&c| accept(c, 3)).collect();
    assert_eq!(batch.len(), 50);

    let mut counting = Counting {
        inner: &mut s.deps.storage,
        reads: RefCell::new(vec![]),
        writes: vec![],
        removes: vec![],
    };
    let deps = DepsMut {
        storage: &mut counting,
        api: &s.deps.api,
        querier: QuerierWrapper::new(&s.deps.querier),
    };
    let msg = ExecuteMsg::ReviewContributions {
        datanet_id: id,
        decisions: batch,
    };
    execute(deps, s.env.clone(), message_info(&owner, &[]), msg).unwrap();

    // Leaves 37..=86: blocks 2, 3 and 4 fill (each stored once, with its root at level 4),
    // block 5 is stored once with leaves 80..=86; block 3 completes [32, 64) at level 5 and
    // with it [0, 64) at level 6.
    let is_log = |k: &Vec<u8>| {
        k.starts_with(&block_key(id, 0)[..22]) || k.starts_with(&node_key(id, 4, 0)[..21])
    };
    let mut written: Vec<Vec<u8>> = counting
        .writes
        .iter()
        .filter(|k| is_log(k))
        .cloned()
        .collect();
    let mut expected: Vec<Vec<u8>> = vec![
        block_key(id, 2),
        block_key(id, 3),
        block_key(id, 4),
        block_key(id, 5),
        node_key(id, 4, 2),
        node_key(id, 4, 3),
        node_key(id, 4, 4),
        node_key(id, 5, 1),
        node_key(id, 6, 0),
    ];
    written.sort();
    expected.sort();
    assert_eq!(written, expected);
    // Only block 2 and the subtree [0, 32) the log had are read, once each.
    let reads = counting.reads.borrow();
    let log_reads: Vec<_> = reads.iter().filter(|k| is_log(k)).cloned().collect();
    assert_eq!(log_reads, vec![block_key(id, 2), node_key(id, 5, 0)]);
    // Each contribution: its submission and its review state read once (when the batch is
    // checked), its submission never written, its review state written once, its pending
    // index entry removed and its accepted one written.
    for c in &ids[37..] {
        let submission = CONTRIBUTIONS.key(*c).to_vec();
        let review = REVIEWS.key(*c).to_vec();
        let pending = CONTRIBUTIONS_BY_STATUS.key((id, 0, *c)).to_vec();
        let accepted = CONTRIBUTIONS_BY_STATUS.key((id, 1, *c)).to_vec();
        let count = |keys: &[Vec<u8>], key: &Vec<u8>| keys.iter().filter(|k| *k == key).count();
        assert_eq!(count(&reads, &submission), 1, "{c}");
        assert_eq!(count(&reads, &review), 1, "{c}");
        assert_eq!(count(&counting.writes, &submission), 0, "{c}");
        assert_eq!(count(&counting.writes, &review), 1, "{c}");
        assert_eq!(count(&counting.removes, &pending), 1, "{c}");
        assert_eq!(count(&counting.writes, &accepted), 1, "{c}");
    }
    // Besides: the datanet, its tally, the config, the bond totals, and each contributor's
    // standing and bond balance, read once.
    for p in &people {
        let stats = CONTRIBUTORS.key((id, p));
        let bonds = WITHDRAWABLE_BONDS.key(p);
        assert_eq!(reads.iter().filter(|k| **k == *stats).count(), 1);
        assert_eq!(reads.iter().filter(|k| **k == *bonds).count(), 1);
    }
    assert_eq!(reads.len(), 2 * 50 + 2 + 2 * 2 + 4);
    // 50 review states, 50 index entries, 9 of the log, 2 standings, 2 bond balances, the
    // tally and the bond totals.
    assert_eq!(counting.writes.len(), 50 + 50 + 9 + 2 + 2 + 2);
    assert_eq!(counting.removes.len(), 50);
    drop(reads);
    let accepted_value = s
        .deps
        .storage
        .get(&CONTRIBUTIONS_BY_STATUS.key((id, 1, ids[37])))
        .unwrap();
    assert_eq!(accepted_value, to_json_vec(&STATUS_INDEX_VALUE).unwrap());
    assert_eq!(s.datanet(id).log_size, 87);
    assert_eq!(s.withdrawable(&people[0]).u128(), 5 * 43);
    assert_eq!(s.withdrawable(&people[1]).u128(), 5 * 44);
}

/// A contribution to build leaves from: data `n`, contributor `c<n>`, weight `n`.
fn synthetic(datanet_id: u64, n: u64) -> crate::state::Contribution {
    use crate::state::{ReviewState, Submission};
    crate::state::Contribution {
        submission: Submission {
            datanet_id,
            contributor: Addr::unchecked(format!("c{n}")),
            data_hash: data_hash(n as u32),
            uri: "ipfs://data".into(),
            size_bytes: 1,
            license_note: None,
            bond: Uint128::zero(),
            submitted_at: mock_env().block.time,
            committed_at: None,
            status: None,
            weight: 0,
            reason: None,
            reviewed_by: None,
            reviewed_at: None,
            displaced_by: None,
        },
        review: ReviewState {
            status: ContributionStatus::Accepted,
            weight: n,
            reason: None,
            reviewed_by: None,
            reviewed_at: None,
            displaced_by: None,
            accepted_seq: None,
            removed_seq: None,
        },
    }
}

#[test]
fn the_log_gives_every_root_and_proof_whatever_the_batches() {
    use crate::tree::{self, LogAppender};

    let mut storage = MockStorage::new();
    let d = 3;
    let mut leaves: Vec<Hash> = vec![];
    let mut size = 0u64;
    // Batches that start and end inside blocks, fill one exactly, span several, and add one
    // leaf to a block that already holds 15.
    for batch in [1u64, 15, 1, 16, 3, 29, 1, 1, 64, 7, 33, 2, 14, 1] {
        let mut log = LogAppender::new(d, size);
        for _ in 0..batch {
            let id = leaves.len() as u64 + 1;
            let kind = if id % 5 == 0 {
                LeafKind::Remove
            } else {
                LeafKind::Accept
            };
            let c = synthetic(d, id);
            let seq = log.append(&mut storage, kind, id, &c).unwrap();
            assert_eq!(seq, leaves.len() as u64);
            leaves.push(tree::leaf_hash(seq, kind, id, &c).unwrap());
        }
        size = log.finish(&mut storage);
        assert_eq!(size, leaves.len() as u64);
        for n in 0..=size {
            let root = tree::root(&storage, d, n).unwrap();
            assert_eq!(
                root,
                version_tree::root_of(&leaves[..n as usize]),
                "size {n}"
            );
        }
        for n in [size, size / 2 + 1, 16.min(size)] {
            for i in 0..n {
                let proof = tree::inclusion_proof(&storage, d, i, n).unwrap();
                let expected = version_tree::inclusion_proof(&leaves[..n as usize], i).unwrap();
                assert_eq!(proof, expected, "leaf {i} of {n}");
            }
        }
    }
    assert_eq!(size, 188);
    // A block or subtree that is not there is named.
    storage.remove(&tree::block_key(d, 11));
    assert_eq!(
        tree::root(&storage, d, 188).unwrap_err(),
        ContractError::TreeNodeMissing {
            datanet_id: d,
            level: 0,
            index: 176
        }
    );
    storage.remove(&tree::node_key(d, 7, 0));
    assert_eq!(
        tree::root(&storage, d, 188).unwrap_err(),
        ContractError::TreeNodeMissing {
            datanet_id: d,
            level: 7,
            index: 0
        }
    );
    let mut log = LogAppender::new(d, 188);
    assert_eq!(
        log.append(&mut storage, LeafKind::Accept, 189, &synthetic(d, 189))
            .unwrap_err(),
        ContractError::TreeNodeMissing {
            datanet_id: d,
            level: 0,
            index: 176
        }
    );
}

/// A storage that prices every access as the Cosmos SDK's KV store does (`KVGasConfig`: a read
/// 1 000 + 3 per byte of key and value, a write 2 000 + 30 per byte, a removal 1 000; a wasm
/// contract's keys carry a 33-byte prefix on chain, counted here too). It measures the storage
/// part of a transaction's gas, not the VM's.
struct Metered<'a> {
    inner: &'a mut MockStorage,
    gas: std::cell::Cell<u64>,
}

impl Metered<'_> {
    const PREFIX: u64 = 33;

    fn charge(&self, gas: u64) {
        self.gas.set(self.gas.get() + gas);
    }
}

impl Storage for Metered<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let value = self.inner.get(key);
        let bytes = Self::PREFIX + key.len() as u64 + value.as_ref().map_or(0, |v| v.len() as u64);
        self.charge(1_000 + 3 * bytes);
        value
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'b> {
        self.inner.range(start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.charge(2_000 + 30 * (Self::PREFIX + key.len() as u64 + value.len() as u64));
        self.inner.set(key, value)
    }

    fn remove(&mut self, key: &[u8]) {
        self.charge(1_000);
        self.inner.remove(key)
    }
}

/// The storage gas of executing `msg` as `sender`.
fn storage_gas(s: &mut Suite, sender: &Addr, msg: ExecuteMsg) -> u64 {
    let metered = Metered {
        inner: &mut s.deps.storage,
        gas: std::cell::Cell::new(0),
    };
    let mut metered = metered;
    let deps = DepsMut {
        storage: &mut metered,
        api: &s.deps.api,
        querier: QuerierWrapper::new(&s.deps.querier),
    };
    execute(deps, s.env.clone(), message_info(sender, &[]), msg).unwrap();
    metered.gas.get()
}

#[test]
fn an_acceptance_in_a_review_of_50_costs_under_20_000_storage_gas() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let people = [
        s.addr("alice"),
        s.addr("bob"),
        s.addr("carol"),
        s.addr("dave"),
    ];
    let id = s.create(&owner, datanet_msg(vec![], 5, AttributionMode::Weight));
    let ids: Vec<u64> = (1..=51u32)
        .map(|n| s.contribute_bonded(&people[n as usize % 4], id, n, 5))
        .collect();
    // As the gas benchmark does: one acceptance, then 50 in one review.
    let one = ExecuteMsg::ReviewContributions {
        datanet_id: id,
        decisions: vec![accept(ids[0], 100)],
    };
    let single = storage_gas(&mut s, &owner, one);
    let fifty = ExecuteMsg::ReviewContributions {
        datanet_id: id,
        decisions: ids[1..].iter().map(|&c| accept(c, 100)).collect(),
    };
    let batch = storage_gas(&mut s, &owner, fifty);
    // What one more acceptance adds to a batch, the batch's fixed part left out: about 18 900
    // here (the mock's addresses are 65 characters), where rewriting whole records, both
    // indexes and a node per leaf cost about 44 900.
    let per_contribution = (batch - single) / 49;
    assert!(
        per_contribution < 20_000,
        "{per_contribution} per contribution"
    );
    assert!(batch / 50 < 21_000, "{} per contribution", batch / 50);
    assert_eq!(s.datanet(id).log_size, 51);
}

/// Rewrites datanet `d` as 0.3.0 stored it: a tally with a hash chain `root` and no log,
/// contributions as whole records without leaf positions (`legacy::store_as_0_3_0`), versions
/// without format or tree size, no blocks nor subtrees.
pub(super) fn make_0_3_0(s: &mut Suite, d: u64, contributions: &[u64]) {
    use crate::state::{DatanetTally, Version, DATANET_TALLIES};

    let t = DatanetTally::load(&s.deps.storage, d).unwrap();
    let legacy = format!(
        r#"{{"root":"{}","total_weight":{},"accepted_count":{},"pending_count":{},"version_count":{}}}"#,
        "ab".repeat(32),
        t.total_weight,
        t.accepted_count,
        t.pending_count,
        t.version_count
    );
    s.deps
        .storage
        .set(&DATANET_TALLIES.key(d), legacy.as_bytes());
    for &id in contributions {
        let raw = super::legacy::store_as_0_3_0(s, id);
        assert!(!raw.contains("_seq"), "{raw}");
    }
    for v in 1..=t.version_count {
        let version = Version::load(&s.deps.storage, d, v).unwrap();
        let legacy = format!(
            r#"{{"root":"{}","total_weight":{},"accepted_count":{},"published_at":"{}","height":{}}}"#,
            "cd".repeat(32),
            version.total_weight,
            version.accepted_count,
            version.published_at.nanos(),
            version.height
        );
        let key = crate::state::VERSIONS.key((d, v));
        s.deps.storage.set(&key, legacy.as_bytes());
    }
    let mut removed = 0;
    // The keys of datanet `d`'s blocks end with the block (8 bytes), those of its subtrees with
    // the level and the index (3 + 8 bytes, the level length-prefixed).
    let block = crate::tree::block_key(d, 0);
    let node = crate::tree::node_key(d, 4, 0);
    let prefixes = [
        block[..block.len() - 8].to_vec(),
        node[..node.len() - 11].to_vec(),
    ];
    for prefix in prefixes {
        let mut end = prefix.clone();
        *end.last_mut().unwrap() += 1;
        let keys: Vec<Vec<u8>> = s
            .deps
            .storage
            .range_keys(Some(&prefix), Some(&end), Order::Ascending)
            .collect();
        removed += keys.len();
        for k in keys {
            s.deps.storage.remove(&k);
        }
    }
    assert!(removed > 0);
}

fn backfill(s: &mut Suite, who: &Addr, datanet_id: u64, limit: Option<u32>) -> Response {
    s.exec(who, ExecuteMsg::BackfillVersionTree { datanet_id, limit })
        .unwrap()
}

#[test]
fn backfill_gives_a_migrated_datanet_its_leaves_in_id_order_then_it_publishes() {
    use crate::state::DATANET_TALLIES;

    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let anyone = s.addr("anyone");
    let people = [s.addr("alice"), s.addr("bob")];
    let a = s.create(&owner, open_datanet());
    let b = s.create(&owner, open_datanet());
    let mut log = Log::new(a);
    for n in 1..=8u32 {
        let who = &people[n as usize % 2];
        let id = s.contribute(who, a, n);
        log.contributed(id, who, n);
    }
    let b1 = s.contribute(&people[0], b, 20);
    // 0.3.0 history of datanet a: 1..=6 accepted, 2 removed, version 1 published; 7 and 8
    // pending. Datanet b: one pending contribution, nothing accepted.
    let weights = |ids: &[u64]| ids.iter().map(|&c| accept(c, 10 * c)).collect::<Vec<_>>();
    s.review(&owner, a, weights(&[1, 2, 3])).unwrap();
    s.review(&owner, a, weights(&[4, 5, 6])).unwrap();
    let remove = |id: u64| ExecuteMsg::RemoveContribution {
        contribution_id: id,
        reason: "deletion request".into(),
    };
    s.exec(&owner, remove(2)).unwrap();
    s.exec(&owner, ExecuteMsg::PublishVersion { datanet_id: a })
        .unwrap();
    make_0_3_0(&mut s, a, &(1..=8).collect::<Vec<_>>());
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.3.0").unwrap();
    migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    log.legacy_versions = 1;

    // migrate touched no datanet (it is O(1)): the 0.3.0 tally is still stored as it was.
    let raw = s.deps.storage.get(&DATANET_TALLIES.key(a)).unwrap();
    assert!(String::from_utf8(raw)
        .unwrap()
        .starts_with(r#"{"root":"abab"#));
    let d = s.datanet(a);
    assert_eq!(
        (d.log_size, d.backfill_remaining, d.accepted_count),
        (0, Some(6), 6)
    );
    assert_eq!(
        d.root,
        HexBinary::from(version_tree::empty_root().as_slice())
    );
    let legacy: VersionResponse = s.query(QueryMsg::Version {
        datanet_id: a,
        version: 1,
    });
    assert_eq!(
        (legacy.format, legacy.tree_size, legacy.root.to_hex()),
        (VersionFormat::HashChainV0, 0, "cd".repeat(32))
    );
    assert_eq!(
        s.exec(&owner, ExecuteMsg::PublishVersion { datanet_id: a })
            .unwrap_err(),
        ContractError::BackfillIncomplete {
            datanet_id: a,
            remaining: 6
        }
    );
    assert_eq!(
        proof_err(&s, 1, 1),
        ContractError::ContributionNotBackfilled {
            id: 1,
            datanet_id: a
        }
    );
    assert_eq!(
        proof_err(&s, 2, 1),
        ContractError::RemovedBeforeEventLog {
            id: 2,
            datanet_id: a
        }
    );

    // Life goes on during the backfill: 7 is accepted (its leaf comes first), 4 is removed
    // before the backfill reaches it (no leaf: it never was in the log).
    s.review(&owner, a, weights(&[7])).unwrap();
    log.accepted(7, 70);
    let res = s.exec(&owner, remove(4)).unwrap();
    assert!(res.attributes.iter().all(|at| at.key != "removed_seq"));
    assert_eq!(s.contribution(4).removed_seq, None);

    // Bad limits, and datanets with nothing to backfill (b was created by 0.3.0 but accepted
    // nothing; a datanet created now never needs it).
    let c = s.create(&owner, open_datanet());
    for (d, limit, err) in [
        (a, Some(0), ContractError::EmptyBatch),
        (
            a,
            Some(51),
            ContractError::BatchTooLarge { got: 51, max: 50 },
        ),
        (b, None, ContractError::NothingToBackfill { datanet_id: b }),
        (c, None, ContractError::NothingToBackfill { datanet_id: c }),
        (99, None, ContractError::DatanetNotFound { id: 99 }),
    ] {
        let msg = ExecuteMsg::BackfillVersionTree {
            datanet_id: d,
            limit,
        };
        assert_eq!(s.exec(&anyone, msg).unwrap_err(), err);
    }
    assert_eq!(MAX_BACKFILL_BATCH, 50);

    // Anyone backfills, in id order: 1 gets a leaf, 2 (removed by 0.3.0) is skipped.
    let res = backfill(&mut s, &anyone, a, Some(2));
    log.accepted(1, 10);
    let got: Vec<_> = [
        "appended",
        "skipped_removed",
        "remaining",
        "log_size",
        "done",
    ]
    .iter()
    .map(|k| attr(&res, k))
    .collect();
    assert_eq!(got, ["1", "1", "4", "2", "false"]);
    assert_eq!(
        s.exec(&owner, ExecuteMsg::PublishVersion { datanet_id: a })
            .unwrap_err(),
        ContractError::BackfillIncomplete {
            datanet_id: a,
            remaining: 4
        }
    );
    // 3 and 5 get leaves, 4 (removed since the upgrade) is skipped.
    let res = backfill(&mut s, &anyone, a, Some(3));
    log.accepted(3, 30);
    log.accepted(5, 50);
    assert_eq!(attr(&res, "remaining"), "1");
    // 6 gets its leaf; 7 (accepted since) is not gone through: nothing remains.
    let res = backfill(&mut s, &anyone, a, None);
    log.accepted(6, 60);
    assert_eq!(
        (attr(&res, "appended"), attr(&res, "done")),
        ("1".into(), "true".into())
    );
    let d = s.datanet(a);
    assert_eq!((d.log_size, d.backfill_remaining), (5, None));
    assert_eq!(d.root, log.root(5));
    let seqs: Vec<_> = (1..=8).map(|id| s.contribution(id).accepted_seq).collect();
    assert_eq!(
        seqs,
        [
            Some(1),
            None,
            Some(2),
            None,
            Some(3),
            Some(4),
            Some(0),
            None
        ]
    );
    assert_eq!(
        s.exec(
            &anyone,
            ExecuteMsg::BackfillVersionTree {
                datanet_id: a,
                limit: None
            }
        )
        .unwrap_err(),
        ContractError::NothingToBackfill { datanet_id: a }
    );

    // Now it publishes version 2 (the pool learns it with the weight it holds: 10+30+50+60+70),
    // and every contribution's proof verifies; the 0.3.0 version stays unprovable.
    let res = publish(&mut s, &owner, &mut log);
    assert_eq!(
        msgs(&res),
        vec![s.pool().publish_version(a, 2, 220).unwrap()]
    );
    assert_eq!(
        proof_err(&s, 1, 1),
        ContractError::VersionNotProvable {
            datanet_id: a,
            version: 1
        }
    );
    for id in [2, 4] {
        assert_eq!(
            proof_err(&s, id, 2),
            ContractError::RemovedBeforeEventLog { id, datanet_id: a }
        );
    }
    // More history, version 3, and every proof of versions 2 and 3 checks out.
    s.exec(&owner, remove(3)).unwrap();
    log.removed(3);
    s.review(&owner, a, weights(&[8])).unwrap();
    log.accepted(8, 80);
    publish(&mut s, &owner, &mut log);
    check_every_proof(&s, &log);

    // Datanet b publishes at once (nothing to backfill) and c too.
    assert_eq!(s.datanet(b).backfill_remaining, None);
    for d in [b, c] {
        s.exec(&owner, ExecuteMsg::PublishVersion { datanet_id: d })
            .unwrap();
    }
    assert_eq!(
        proof_err(&s, b1, 1),
        ContractError::ContributionNeverAccepted {
            id: b1,
            status: ContributionStatus::Pending
        }
    );
}

/// The README's worked example: alice's contribution 2 in version 1 of datanet 1, whose log
/// holds the acceptances of contributions 1, 2 and 3 (data `0`, `1`, `2` as 4-byte numbers).
fn readme_example() -> (Suite, ContributionProofResponse) {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let (alice, bob) = (s.addr("alice"), s.addr("bob"));
    let id = s.create(&owner, open_datanet());
    for (who, n) in [(&bob, 0), (&alice, 1), (&bob, 2)] {
        s.contribute(who, id, n);
    }
    s.review(
        &owner,
        id,
        vec![accept(1, 100), accept(2, 250), accept(3, 40)],
    )
    .unwrap();
    s.exec(&owner, ExecuteMsg::PublishVersion { datanet_id: id })
        .unwrap();
    let answer = proof_of(&s, 2, 1);
    (s, answer)
}

#[test]
fn readme_contribution_proof_example_is_a_real_answer_and_verifies() {
    let (s, answer) = readme_example();
    let readme = include_str!("../../README.md");
    let block: String = readme
        .split("```json answer\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows a contribution_proof answer")
        .to_string();
    let shown: ContributionProofResponse = from_json(block.as_bytes()).unwrap();
    assert_eq!(shown, answer);
    let leaf = answer.leaf_hash.to_array().unwrap();
    let root = answer.root.to_array().unwrap();
    let proof = hashes(&answer.proof);
    version_tree::verify_inclusion(&leaf, 1, 3, &proof, &root).unwrap();
    assert_eq!(s.datanet(1).root, answer.root);
    // The README's shell recipe: the leaf and the root, from printf and sha256sum.
    assert!(readme.contains(&answer.leaf_hash.to_hex()));
    assert!(readme.contains("0x43"));
}
