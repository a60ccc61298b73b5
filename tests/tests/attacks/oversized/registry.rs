use crate::setup::registry::*;
use openledger_common::ValidationError;

// ---------------------------------------------------------------------------------------------
// Oversized lists and limits
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_curators_at_creation() {
    let mut w = world();
    let (owner, registry) = (w.owner.clone(), w.s.registry.clone());
    let seventeen = (0..17)
        .map(|i| w.s.addr(&format!("c{i}")).to_string())
        .collect();
    let new = new_datanet("many", 0, AttributionMode::Weight, seventeen);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
    });
    assert_eq!(e, RegError::TooManyCurators { got: 17, max: 16 });
    w.s.check();
}

#[test]
fn attack_oversized_curator_removal_list() {
    let mut w = world();
    let owner = w.owner.clone();
    let seventeen = (0..17)
        .map(|i| w.s.addr(&format!("c{i}")).to_string())
        .collect();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::UpdateCurators {
                datanet_id: 1,
                add: vec![],
                remove: seventeen,
            },
        )
    });
    assert_eq!(e, RegError::BatchTooLarge { got: 17, max: 16 });
    w.s.check();
}

#[test]
fn attack_oversized_allowlist_removal_and_exact_cap() {
    let mut w = world();
    let curator = w.curator.clone();
    let list = |w: &World, n: usize| -> Vec<String> {
        (0..n)
            .map(|i| w.s.addr(&format!("al{i}")).to_string())
            .collect()
    };
    let fifty_one = list(&w, 51);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::UpdateAllowlist {
                datanet_id: 1,
                add: vec![],
                remove: fifty_one,
            },
        )
    });
    assert_eq!(e, RegError::BatchTooLarge { got: 51, max: 50 });
    // Exactly 50 goes through.
    let fifty = list(&w, 50);
    w.s.registry_exec(
        &curator,
        &RegExec::UpdateAllowlist {
            datanet_id: 1,
            add: fifty,
            remove: vec![],
        },
    )
    .unwrap();
    w.s.check();
}

#[test]
fn attack_oversized_empty_batches() {
    let mut w = world();
    let (owner, curator) = (w.owner.clone(), w.curator.clone());
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&curator, &review(1, vec![])));
    assert_eq!(e, RegError::EmptyBatch);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::UpdateCurators {
                datanet_id: 1,
                add: vec![],
                remove: vec![],
            },
        )
    });
    assert_eq!(e, RegError::EmptyBatch);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::UpdateAllowlist {
                datanet_id: 1,
                add: vec![],
                remove: vec![],
            },
        )
    });
    assert_eq!(e, RegError::EmptyBatch);
    w.s.check();
}

#[test]
fn attack_oversized_texts_one_byte_over_each_cap() {
    let mut w = world();
    let (owner, alice, curator, registry) = (
        w.owner.clone(),
        w.alice.clone(),
        w.curator.clone(),
        w.s.registry.clone(),
    );
    let text = |field: &str, min: u64, max: u64| {
        RegError::Validation(ValidationError::InvalidText {
            field: field.into(),
            min,
            max,
        })
    };
    let mut named = new_datanet("x", 0, AttributionMode::Weight, vec![]);
    named.name = "n".repeat(65);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(named))
    });
    assert_eq!(e, text("name", 1, 64));
    let mut described = new_datanet("x", 0, AttributionMode::Weight, vec![]);
    described.description = "d".repeat(1_025);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(described))
    });
    assert_eq!(e, text("description", 0, 1_024));
    let mut c = contribution(2, "long");
    c.uri = "u".repeat(513);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::Contribute(c))
    });
    assert_eq!(e, text("uri", 1, 512));
    let mut c = contribution(2, "note");
    c.license_note = Some("l".repeat(257));
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::Contribute(c))
    });
    assert_eq!(e, text("license_note", 1, 256));
    let long_reason = ReviewDecision::Reject {
        contribution_id: 2,
        reason: "r".repeat(257),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![long_reason]))
    });
    assert_eq!(e, text("reason", 1, 256));
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::RemoveContribution {
                contribution_id: 1,
                reason: String::new(),
            },
        )
    });
    assert_eq!(e, text("reason", 1, 256));
    // At the caps, everything passes.
    let mut at_cap = new_datanet("x", 0, AttributionMode::Weight, vec![]);
    at_cap.name = "n".repeat(64);
    at_cap.description = "d".repeat(1_024);
    at_cap.metadata_uri = "m".repeat(512);
    w.s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(at_cap))
        .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&owner, &pool, FEE);
    w.s.check();
}

#[test]
fn attack_oversized_query_limits_zero_fifty_one_and_u32_max() {
    let w = world();
    let alice = w.alice.to_string();
    let queries = |limit: Option<u32>| {
        vec![
            RegQuery::Datanets {
                owner: None,
                start_after: None,
                limit,
            },
            RegQuery::ContributionsByDatanet {
                datanet_id: 1,
                status: ContributionStatus::Pending,
                start_after: None,
                limit,
            },
            RegQuery::ContributionsByContributor {
                contributor: alice.clone(),
                start_after: None,
                limit,
            },
            RegQuery::Versions {
                datanet_id: 1,
                start_after: None,
                limit,
            },
        ]
    };
    for limit in [0, 51, u32::MAX] {
        for q in queries(Some(limit)) {
            let e =
                w.s.app
                    .wrap()
                    .query_wasm_smart::<serde_json::Value>(&w.s.registry, &q)
                    .unwrap_err();
            assert!(
                e.to_string().contains(&format!(
                    "limit {limit} is out of range: a page holds 1 to 50 items"
                )),
                "{e}"
            );
        }
    }
    for q in queries(Some(50)) {
        w.s.app
            .wrap()
            .query_wasm_smart::<serde_json::Value>(&w.s.registry, &q)
            .unwrap();
    }
    w.s.check();
}
