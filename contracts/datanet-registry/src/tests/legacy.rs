//! Contributions stored by 0.2.0 and 0.3.0: one whole record each under `contributions`, with
//! its (datanet, status) and contributor index entries, as 0.3.0's `IndexedMap` wrote them (the
//! test keeps a copy of that definition). They load, answer the same queries with the same
//! JSON, and move to the split layout (submission + review state) at their first change, one by
//! one; `migrate` touches none of them.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_vec, Storage, Timestamp};
use cw_storage_plus::{Index, IndexList, IndexedMap, MultiIndex};

use super::*;
use crate::state::{
    status_key, Submission, CONTRIBUTIONS, CONTRIBUTIONS_BY_STATUS, CONTRIBUTORS, REVIEWS,
};

/// The contribution record of 0.3.0 (0.2.0's lacked `committed_at` and `displaced_by`).
#[cw_serde]
pub(super) struct Contribution030 {
    datanet_id: u64,
    contributor: Addr,
    data_hash: String,
    uri: String,
    size_bytes: u64,
    license_note: Option<String>,
    bond: Uint128,
    status: ContributionStatus,
    weight: u64,
    reason: Option<String>,
    submitted_at: Timestamp,
    reviewed_by: Option<Addr>,
    reviewed_at: Option<Timestamp>,
    #[serde(default)]
    committed_at: Option<Timestamp>,
    #[serde(default)]
    displaced_by: Option<u64>,
}

struct Indexes030<'a> {
    datanet_status: MultiIndex<'a, (u64, u8), Contribution030, u64>,
    contributor: MultiIndex<'a, Addr, Contribution030, u64>,
}

impl IndexList<Contribution030> for Indexes030<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Contribution030>> + '_> {
        let v: Vec<&dyn Index<Contribution030>> = vec![&self.datanet_status, &self.contributor];
        Box::new(v.into_iter())
    }
}

/// 0.3.0's definition of the contributions map, indexes included.
const CONTRIBUTIONS_030: IndexedMap<u64, Contribution030, Indexes030> = IndexedMap::new(
    "contributions",
    Indexes030 {
        datanet_status: MultiIndex::new(
            |_pk, c: &Contribution030| (c.datanet_id, status_key(c.status)),
            "contributions",
            "contributions__datanet_status",
        ),
        contributor: MultiIndex::new(
            |_pk, c: &Contribution030| c.contributor.clone(),
            "contributions",
            "contributions__contributor",
        ),
    },
);

/// The record 0.3.0 kept for the contribution `c` answers for (without its leaf positions,
/// which 0.3.0 did not have).
fn record_030(c: &ContributionResponse) -> Contribution030 {
    Contribution030 {
        datanet_id: c.datanet_id,
        contributor: c.contributor.clone(),
        data_hash: c.data_hash.clone(),
        uri: c.uri.clone(),
        size_bytes: c.size_bytes,
        license_note: c.license_note.clone(),
        bond: c.bond,
        status: c.status,
        weight: c.weight,
        reason: c.reason.clone(),
        submitted_at: c.submitted_at,
        reviewed_by: c.reviewed_by.clone(),
        reviewed_at: c.reviewed_at,
        committed_at: c.committed_at,
        displaced_by: c.displaced_by,
    }
}

/// Rewrites contribution `id` as 0.3.0 stored it, from what it answers now: its submission,
/// review state and index entries go, and 0.3.0's `IndexedMap` stores the whole record with
/// its index entries. Returns the record's JSON as stored.
pub(super) fn store_as_0_3_0(s: &mut Suite, id: u64) -> String {
    let c = s.contribution(id);
    let storage = &mut s.deps.storage;
    CONTRIBUTIONS.remove(storage, id).unwrap();
    REVIEWS.remove(storage, id);
    CONTRIBUTIONS_BY_STATUS.remove(storage, (c.datanet_id, status_key(c.status), id));
    CONTRIBUTIONS_030
        .save(storage, id, &record_030(&c))
        .unwrap();
    String::from_utf8(storage.get(&CONTRIBUTIONS.key(id)).unwrap()).unwrap()
}

fn raw(s: &Suite, key: &[u8]) -> Option<Vec<u8>> {
    s.deps.storage.get(key)
}

/// Every storage entry, for before/after comparisons.
fn dump(s: &Suite) -> Vec<(Vec<u8>, Vec<u8>)> {
    s.deps
        .storage
        .range(None, None, cosmwasm_std::Order::Ascending)
        .collect()
}

fn contribution_json(s: &Suite, id: u64) -> Binary {
    query(
        s.deps.as_ref(),
        s.env.clone(),
        QueryMsg::Contribution {
            contribution_id: id,
        },
    )
    .unwrap()
}

fn by_status(s: &Suite, datanet_id: u64, status: ContributionStatus) -> Vec<u64> {
    let page: ContributionsResponse = s.query(QueryMsg::ContributionsByDatanet {
        datanet_id,
        status,
        start_after: None,
        limit: Some(50),
    });
    page.contributions.iter().map(|c| c.id).collect()
}

fn list_json(s: &Suite, msg: QueryMsg) -> Binary {
    query(s.deps.as_ref(), s.env.clone(), msg).unwrap()
}

#[test]
fn the_status_index_keeps_the_keys_of_the_0_3_0_multi_index() {
    let mut s = Suite::new(0);
    let record = Contribution030 {
        datanet_id: 7,
        contributor: s.addr("alice"),
        data_hash: data_hash(1),
        uri: "ipfs://data/1".into(),
        size_bytes: 1,
        license_note: None,
        bond: Uint128::zero(),
        status: ContributionStatus::Removed,
        weight: 3,
        reason: Some("poisoned".into()),
        submitted_at: s.env.block.time,
        reviewed_by: None,
        reviewed_at: None,
        committed_at: None,
        displaced_by: None,
    };
    let before = dump(&s);
    CONTRIBUTIONS_030
        .save(&mut s.deps.storage, 300, &record)
        .unwrap();
    let written: Vec<_> = dump(&s)
        .into_iter()
        .filter(|e| !before.contains(e))
        .collect();
    // The record, its status entry and its contributor entry, exactly where the current code
    // reads them, with the value the current code writes.
    let status_key = CONTRIBUTIONS_BY_STATUS.key((7, 4, 300)).to_vec();
    assert!(written.contains(&(status_key, to_json_vec(&8u32).unwrap())));
    assert!(written
        .iter()
        .any(|(k, _)| *k == CONTRIBUTIONS.key(300).to_vec()));
    assert_eq!(written.len(), 3);
    let ids: Vec<u64> = CONTRIBUTIONS_BY_STATUS
        .prefix((7, 4))
        .keys(&s.deps.storage, None, None, cosmwasm_std::Order::Ascending)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, [300]);
    let ids: Vec<u64> = CONTRIBUTIONS
        .idx
        .contributor
        .prefix(s.addr("alice"))
        .keys(&s.deps.storage, None, None, cosmwasm_std::Order::Ascending)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, [300]);
}

#[test]
fn a_new_contribution_stores_its_submission_once_and_each_change_a_small_review_state() {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let bob = s.addr("bob");
    let id = s.create(&owner, open_datanet());
    let c = s.contribute(&bob, id, 1);
    let submission_key = CONTRIBUTIONS.key(c).to_vec();
    let submitted = raw(&s, &submission_key).unwrap();
    let t = s.env.block.time.nanos();
    assert_eq!(
        String::from_utf8(submitted.clone()).unwrap(),
        format!(
            r#"{{"datanet_id":{id},"contributor":"{bob}","data_hash":"{}","uri":"ipfs://data/1","size_bytes":1000,"license_note":null,"bond":"0","submitted_at":"{t}"}}"#,
            data_hash(1)
        )
    );
    assert_eq!(raw(&s, &REVIEWS.key(c)), None);

    later(&mut s, 7);
    s.review(&owner, id, vec![accept(c, 40)]).unwrap();
    let t = s.env.block.time.nanos();
    assert_eq!(raw(&s, &submission_key).unwrap(), submitted);
    let review = String::from_utf8(raw(&s, &REVIEWS.key(c)).unwrap()).unwrap();
    assert_eq!(
        review,
        format!(r#"{{"s":"accepted","w":40,"b":"{owner}","t":"{t}","a":0}}"#)
    );

    later(&mut s, 7);
    let msg = ExecuteMsg::RemoveContribution {
        contribution_id: c,
        reason: "poisoned".into(),
    };
    s.exec(&owner, msg).unwrap();
    let t = s.env.block.time.nanos();
    assert_eq!(raw(&s, &submission_key).unwrap(), submitted);
    let review = String::from_utf8(raw(&s, &REVIEWS.key(c)).unwrap()).unwrap();
    assert_eq!(
        review,
        format!(r#"{{"s":"removed","w":40,"r":"poisoned","b":"{owner}","t":"{t}","a":0,"x":1}}"#)
    );
    let answer = s.contribution(c);
    assert_eq!(
        (
            answer.status,
            answer.weight,
            answer.accepted_seq,
            answer.removed_seq
        ),
        (ContributionStatus::Removed, 40, Some(0), Some(1))
    );
    assert_eq!(
        (
            answer.reason.as_deref(),
            answer.reviewed_by,
            answer.reviewed_at
        ),
        (Some("poisoned"), Some(owner), Some(s.env.block.time))
    );
    assert_eq!(by_status(&s, id, ContributionStatus::Removed), [c]);
    for status in [ContributionStatus::Pending, ContributionStatus::Accepted] {
        assert_eq!(by_status(&s, id, status), Vec::<u64>::new());
    }
}

/// A bonded datanet in 0.3.0 state: alice's 1 accepted (weight 30), 2 rejected, 3 and 4
/// pending (4 a 0.2.0-shaped record: no `committed_at` nor `displaced_by`); bob's 5 pending
/// (revealed from a commitment), 6 accepted (weight 50) and 8 withdrawn; carol's 7 displaced by
/// bob's 8.
struct Migrated {
    s: Suite,
    owner: Addr,
    alice: Addr,
    bob: Addr,
    carol: Addr,
    id: u64,
    /// Each contribution's query answer (JSON) before its record was rewritten as 0.3.0's.
    answers: Vec<Binary>,
    /// The stored records, as 0.3.0 wrote them.
    records: Vec<Vec<u8>>,
}

fn migrated() -> Migrated {
    let mut s = Suite::new(0);
    let owner = s.addr("owner");
    let (alice, bob, carol) = (s.addr("alice"), s.addr("bob"), s.addr("carol"));
    let id = s.create(&owner, datanet_msg(vec![], 10, AttributionMode::Weight));
    for n in 1..=4 {
        s.contribute_bonded(&alice, id, n, 10);
    }
    commit(&mut s, &bob, id, 5).unwrap();
    commit(&mut s, &bob, id, 7).unwrap();
    later(&mut s, 5);
    s.hook(
        &bob,
        10,
        ReceiveMsg::RevealContribution(contribution(id, 5)),
    )
    .unwrap();
    s.contribute_bonded(&bob, id, 6, 10);
    s.contribute_bonded(&carol, id, 7, 10);
    s.hook(
        &bob,
        10,
        ReceiveMsg::RevealContribution(contribution(id, 7)),
    )
    .unwrap();
    // Bob's reveal of 7 (id 8) displaced carol's copy (id 7); withdraw it to keep the set small.
    s.exec(
        &bob,
        ExecuteMsg::WithdrawContribution { contribution_id: 8 },
    )
    .unwrap();
    later(&mut s, 10);
    s.review(&owner, id, vec![accept(1, 30), reject(2), accept(6, 50)])
        .unwrap();
    let answers: Vec<Binary> = (1..=7).map(|c| contribution_json(&s, c)).collect();
    super::versions::make_0_3_0(&mut s, id, &(1..=8).collect::<Vec<_>>());
    // Contribution 4 as 0.2.0 kept it (no commitment nor displacement fields).
    let key = CONTRIBUTIONS.key(4);
    let raw4 = String::from_utf8(raw(&s, &key).unwrap()).unwrap();
    let shape_020 = raw4.replace(r#","committed_at":null,"displaced_by":null"#, "");
    assert_ne!(raw4, shape_020);
    s.deps.storage.set(&key, shape_020.as_bytes());
    let records = (1..=7)
        .map(|c| raw(&s, &CONTRIBUTIONS.key(c)).unwrap())
        .collect();
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.3.0").unwrap();
    migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    Migrated {
        s,
        owner,
        alice,
        bob,
        carol,
        id,
        answers,
        records,
    }
}

#[test]
fn contributions_stored_by_0_3_0_answer_with_the_same_json_after_migrate() {
    let m = migrated();
    let s = &m.s;
    // migrate rewrote no contribution and wrote no review state.
    for c in 1..=7u64 {
        assert_eq!(
            raw(s, &CONTRIBUTIONS.key(c)).unwrap(),
            m.records[c as usize - 1]
        );
        assert_eq!(raw(s, &REVIEWS.key(c)), None);
    }
    let record: String = String::from_utf8(m.records[0].clone()).unwrap();
    assert!(
        record.contains(r#""status":"accepted","weight":30"#),
        "{record}"
    );
    // The same bytes as before, but for the leaf positions 0.3.0 did not have (1 and 6 were
    // accepted at seqs 0 and 1: they are now owed to the backfill).
    for c in [2u64, 3, 4, 5, 7] {
        assert_eq!(contribution_json(s, c), m.answers[c as usize - 1], "{c}");
    }
    for (c, seq) in [(1u64, 0u64), (6, 1)] {
        let before: ContributionResponse = from_json(&m.answers[c as usize - 1]).unwrap();
        assert_eq!(before.accepted_seq, Some(seq));
        let now = s.contribution(c);
        assert_eq!(
            now,
            ContributionResponse {
                accepted_seq: None,
                ..before
            }
        );
    }
    let seven = s.contribution(7);
    assert_eq!(
        (seven.status, seven.displaced_by),
        (ContributionStatus::Displaced, Some(8))
    );
    let five = s.contribution(5);
    assert_eq!(five.committed_at, Some(s.env.block.time.minus_seconds(15)));
    // The lists come from the indexes 0.3.0 wrote.
    let id = m.id;
    for (status, ids) in [
        (ContributionStatus::Pending, vec![3u64, 4, 5]),
        (ContributionStatus::Accepted, vec![1, 6]),
        (ContributionStatus::Rejected, vec![2]),
        (ContributionStatus::Displaced, vec![7]),
        (ContributionStatus::Withdrawn, vec![8]),
    ] {
        assert_eq!(by_status(s, id, status), ids, "{status}");
    }
    let page = list_json(
        s,
        QueryMsg::ContributionsByContributor {
            contributor: m.alice.to_string(),
            start_after: Some(1),
            limit: Some(2),
        },
    );
    let page: ContributionsResponse = from_json(&page).unwrap();
    let expected: Vec<ContributionResponse> = [2usize, 3]
        .iter()
        .map(|c| from_json(&m.answers[c - 1]).unwrap())
        .collect();
    assert_eq!(page.contributions, expected);
    let bobs: ContributionsResponse = s.query(QueryMsg::ContributionsByContributor {
        contributor: m.bob.to_string(),
        start_after: None,
        limit: None,
    });
    let ids: Vec<u64> = bobs.contributions.iter().map(|c| c.id).collect();
    assert_eq!(ids, [5, 6, 8]);
    let carols: ContributionsResponse = s.query(QueryMsg::ContributionsByContributor {
        contributor: m.carol.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(carols.contributions, [seven]);
}

#[test]
fn a_0_3_0_contribution_moves_to_the_split_layout_at_its_first_change() {
    let mut m = migrated();
    let (owner, alice, bob, id) = (m.owner.clone(), m.alice.clone(), m.bob.clone(), m.id);
    let s = &mut m.s;
    let alice_before = s.withdrawable(&alice);
    let bob_before = s.withdrawable(&bob);
    let totals_before = crate::state::BOND_TOTALS.load(&s.deps.storage).unwrap();
    let tally_before = s.datanet(id);
    assert_eq!(
        (tally_before.total_weight, tally_before.pending_count),
        (80, 3)
    );
    assert_eq!(tally_before.backfill_remaining, Some(2));

    // A review of two 0.3.0 pending records: 3 accepted, 4 rejected.
    later(s, 7);
    let res = s
        .review(&owner, id, vec![accept(3, 20), reject(4)])
        .unwrap();
    assert_eq!(attr(&res, "accepted_ids"), "3");
    assert_eq!(attr(&res, "rejected_ids"), "4");
    assert_eq!(attr(&res, "total_weight"), "100");
    // Its leaf is the first of the log: the two 0.3.0 acceptances come by the backfill.
    assert_eq!(attr(&res, "log_size"), "1");
    for c in [3u64, 4] {
        assert_eq!(
            raw(s, &CONTRIBUTIONS.key(c)).unwrap(),
            m.records[c as usize - 1],
            "the submission of {c} is never rewritten"
        );
    }
    let now = s.env.block.time;
    let three = s.contribution(3);
    let three_before: ContributionResponse = from_json(&m.answers[2]).unwrap();
    assert_eq!(
        three,
        ContributionResponse {
            status: ContributionStatus::Accepted,
            weight: 20,
            reviewed_by: Some(owner.clone()),
            reviewed_at: Some(now),
            accepted_seq: Some(0),
            ..three_before
        }
    );
    let four = s.contribution(4);
    assert_eq!(
        (four.status, four.reason.as_deref(), four.reviewed_at),
        (
            ContributionStatus::Rejected,
            Some("duplicate content"),
            Some(now)
        )
    );
    let review = String::from_utf8(raw(s, &REVIEWS.key(3)).unwrap()).unwrap();
    assert_eq!(
        review,
        format!(
            r#"{{"s":"accepted","w":20,"b":"{owner}","t":"{}","a":0}}"#,
            now.nanos()
        )
    );
    assert_eq!(by_status(s, id, ContributionStatus::Accepted), [1, 3, 6]);
    assert_eq!(by_status(s, id, ContributionStatus::Rejected), [2, 4]);
    assert_eq!(by_status(s, id, ContributionStatus::Pending), [5]);
    // 3's bond is alice's to withdraw; 4's went to the treasury.
    assert_eq!(s.withdrawable(&alice), alice_before + Uint128::new(10));
    assert_eq!(
        msgs(&res),
        vec![
            s.pool()
                .update_weights(
                    id,
                    vec![WeightUpdate {
                        address: alice.to_string(),
                        weight: 50
                    }]
                )
                .unwrap(),
            s.pool().to_treasury(&s.token, Uint128::new(10)).unwrap()
        ]
    );
    let a = s.contributor(id, &alice);
    assert_eq!((a.weight, a.pending, a.accepted, a.rejected), (50, 0, 2, 2));

    // Removing 0.3.0's acceptance of 1 (never backfilled: no leaf to undo) takes its weight
    // from the legacy fields.
    later(s, 7);
    let res = s
        .exec(
            &owner,
            ExecuteMsg::RemoveContribution {
                contribution_id: 1,
                reason: "deletion request".into(),
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "weight"), "30");
    assert_eq!(attr(&res, "contributor_weight"), "20");
    assert_eq!(attr(&res, "total_weight"), "70");
    assert_eq!(attr(&res, "log_size"), "1");
    let one = s.contribution(1);
    let one_before: ContributionResponse = from_json(&m.answers[0]).unwrap();
    assert_eq!(
        one,
        ContributionResponse {
            status: ContributionStatus::Removed,
            reason: Some("deletion request".into()),
            reviewed_by: Some(owner.clone()),
            reviewed_at: Some(s.env.block.time),
            accepted_seq: None,
            removed_seq: None,
            ..one_before
        }
    );
    assert_eq!(raw(s, &CONTRIBUTIONS.key(1)).unwrap(), m.records[0]);

    // Bob withdraws his revealed 0.3.0 pending record: its bond is his again, its hash free.
    let res = s
        .exec(
            &bob,
            ExecuteMsg::WithdrawContribution { contribution_id: 5 },
        )
        .unwrap();
    assert_eq!(attr(&res, "bond"), "10");
    assert_eq!(s.withdrawable(&bob), bob_before + Uint128::new(10));
    let five = s.contribution(5);
    assert_eq!(five.status, ContributionStatus::Withdrawn);
    assert_eq!(
        five.committed_at,
        Some(s.env.block.time.minus_seconds(7 + 7 + 15))
    );
    assert_eq!(
        by_status(s, id, ContributionStatus::Pending),
        Vec::<u64>::new()
    );
    assert_eq!(by_status(s, id, ContributionStatus::Withdrawn), [5, 8]);
    let totals = crate::state::BOND_TOTALS.load(&s.deps.storage).unwrap();
    assert_eq!(
        (totals.pending, totals.withdrawable),
        (
            totals_before.pending - Uint128::new(30),
            totals_before.withdrawable + Uint128::new(20)
        )
    );

    // The backfill reaches 6 (still accepted: it gets its leaf and its first review state,
    // status unchanged) and skips 1 (removed).
    let res = s
        .exec(
            &owner,
            ExecuteMsg::BackfillVersionTree {
                datanet_id: id,
                limit: None,
            },
        )
        .unwrap();
    assert_eq!(
        (attr(&res, "appended"), attr(&res, "skipped_removed")),
        ("1".to_string(), "1".to_string())
    );
    let six_before: ContributionResponse = from_json(&m.answers[5]).unwrap();
    assert_eq!(
        s.contribution(6),
        ContributionResponse {
            accepted_seq: Some(1),
            ..six_before
        }
    );
    assert_eq!(raw(s, &CONTRIBUTIONS.key(6)).unwrap(), m.records[5]);
    let d = s.datanet(id);
    assert_eq!(
        (
            d.log_size,
            d.backfill_remaining,
            d.total_weight,
            d.pending_count
        ),
        (2, None, 70, 0)
    );
    let stats = CONTRIBUTORS.load(&s.deps.storage, (id, &bob)).unwrap();
    assert_eq!((stats.weight, stats.pending, stats.accepted), (50, 0, 1));
    // 5's data hash was freed by the withdrawal.
    let nine = s.contribute_bonded(&m.carol, id, 5, 10);
    assert_eq!(
        (nine, s.contribution(nine).status),
        (9, ContributionStatus::Pending)
    );
}

#[test]
fn a_submission_record_loads_from_either_shape() {
    // A 0.2.0 record: the review fields present, no commitment nor displacement fields.
    let json = r#"{"datanet_id":2,"contributor":"alice","data_hash":"ab","uri":"u","size_bytes":5,"license_note":"cc-by","bond":"7","status":"rejected","weight":0,"reason":"spam","submitted_at":"5","reviewed_by":"owner","reviewed_at":"9"}"#;
    let s: Submission = from_json(json.as_bytes()).unwrap();
    assert_eq!(
        (
            s.status,
            s.reason.as_deref(),
            s.committed_at,
            s.displaced_by
        ),
        (Some(ContributionStatus::Rejected), Some("spam"), None, None)
    );
    let review = crate::state::ReviewState::from_submission(&s);
    assert_eq!(
        (
            review.status,
            review.reviewed_by,
            review.reviewed_at,
            review.accepted_seq
        ),
        (
            ContributionStatus::Rejected,
            Some(Addr::unchecked("owner")),
            Some(Timestamp::from_nanos(9)),
            None
        )
    );
    // A record stored now: no review fields, so it is pending.
    let json = r#"{"datanet_id":2,"contributor":"alice","data_hash":"ab","uri":"u","size_bytes":5,"license_note":null,"bond":"0","submitted_at":"5","committed_at":"3"}"#;
    let s: Submission = from_json(json.as_bytes()).unwrap();
    let review = crate::state::ReviewState::from_submission(&s);
    assert_eq!(
        (review.status, review.weight),
        (ContributionStatus::Pending, 0)
    );
    assert_eq!(s.committed_at, Some(Timestamp::from_nanos(3)));
    assert_eq!(String::from_utf8(to_json_vec(&s).unwrap()).unwrap(), json);
}
