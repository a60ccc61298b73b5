use crate::workflows::kit::*;

// ---------------------------------------------------------------------------------------------
// Oversized and malformed capability tags, names, feedback and sub-tasks
// ---------------------------------------------------------------------------------------------

/// Tags that are not 1..=32 lower-case ASCII letters, digits or `-`.
fn bad_tags() -> Vec<String> {
    let mut tags: Vec<String> = [
        "",
        "GPU",
        "Text-Generation",
        "text_generation",
        "speech recognition",
        "tab\tseparated",
        "café",
        "ocr🙂",
        "new\nline",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    tags.push("a".repeat(MAX_TAG_LEN + 1));
    tags.push("x".repeat(10_000));
    tags
}

fn invalid_tag(tag: &str) -> ContractError {
    ContractError::InvalidTag {
        tag: tag.to_string(),
        max: MAX_TAG_LEN as u64,
    }
}

fn nine_tags() -> Vec<String> {
    (0..=MAX_CAPABILITIES).map(|i| format!("tag-{i}")).collect()
}

/// The four ways capabilities are declared: agent and evaluator registration (hooks, with the
/// bond), and their profile updates. `who` registers (holding the bond) or updates (as
/// `agent` and `judge`).
fn declare(w: &mut World, way: usize, tags: Vec<String>) -> AnyResult<AppResponse> {
    let escrow = w.escrow.clone();
    let (agent, rookie) = (w.agent.clone(), w.s.addr("rookie"));
    let judge = w.s.addr("judge");
    match way {
        0 => w.s.send(
            &rookie,
            &escrow,
            BOND,
            &ReceiveMsg::RegisterAgent {
                name: "rookie".into(),
                metadata_uri: String::new(),
                models: vec![1],
                capabilities: Some(tags),
            },
        ),
        1 => w.s.send(&rookie, &escrow, BOND, &evaluator_hook(tags, 0)),
        2 => w.exec(
            &agent,
            &ExecuteMsg::UpdateAgent {
                name: None,
                metadata_uri: None,
                models: None,
                capabilities: Some(tags),
            },
        ),
        _ => w.exec(
            &judge,
            &ExecuteMsg::UpdateEvaluator {
                name: None,
                metadata_uri: None,
                capabilities: Some(tags),
                fee: None,
            },
        ),
    }
}

/// A world where `rookie` holds a bond and `judge` is a registered evaluator.
fn tag_world() -> World {
    let mut w = world();
    let rookie = w.s.addr("rookie");
    w.s.fund(&rookie, BOND);
    evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    w
}

#[test]
fn attack_oversized_capability_list() {
    let mut w = tag_world();
    for way in 0..4 {
        let e = refused(&mut w, |w| declare(w, way, nine_tags()));
        assert_eq!(
            e,
            ContractError::TooManyCapabilities {
                count: MAX_CAPABILITIES as u64 + 1,
                max: MAX_CAPABILITIES as u64
            }
        );
        let e = refused(&mut w, |w| declare(w, way, vec!["x".into(); 1_000]));
        assert_eq!(
            e,
            ContractError::TooManyCapabilities {
                count: 1_000,
                max: MAX_CAPABILITIES as u64
            }
        );
    }
    w.check();
}

#[test]
fn attack_oversized_or_malformed_capability_tags() {
    let mut w = tag_world();
    for way in 0..4 {
        for tag in bad_tags() {
            let tags = vec!["code-review".to_string(), tag.clone()];
            let e = refused(&mut w, |w| declare(w, way, tags));
            assert_eq!(e, invalid_tag(&tag));
        }
        let tags = vec!["ocr".to_string(), "asr".into(), "ocr".into()];
        let e = refused(&mut w, |w| declare(w, way, tags));
        assert_eq!(e, ContractError::DuplicateCapability { tag: "ocr".into() });
    }
    w.check();
    // The longest tags and the most of them pass, and are found by capability.
    let full: Vec<String> = (0..MAX_CAPABILITIES)
        .map(|i| format!("{i}-{}", "z".repeat(MAX_TAG_LEN - 2)))
        .collect();
    declare(&mut w, 3, full.clone()).unwrap();
    let found: openledger_common::msg::agent_escrow::CapableEvaluatorsResponse =
        w.query(&QueryMsg::EvaluatorsByCapability {
            capability: full[7].clone(),
            start_after: None,
            limit: None,
        });
    assert_eq!(found.evaluators.len(), 1);
    assert_eq!(found.evaluators[0].capabilities, full);
}

#[test]
fn attack_oversized_evaluator_name_and_metadata() {
    let mut w = tag_world();
    let (rookie, judge, escrow) = (w.s.addr("rookie"), w.s.addr("judge"), w.escrow.clone());
    let text = |field: &str, min: u64, max: u64| {
        ContractError::Validation(ValidationError::InvalidText {
            field: field.into(),
            min,
            max,
        })
    };
    for (name, metadata_uri, e) in [
        ("n".repeat(65), String::new(), text("name", 1, 64)),
        (String::new(), String::new(), text("name", 1, 64)),
        (
            "judge".into(),
            "u".repeat(513),
            text("metadata_uri", 0, 512),
        ),
    ] {
        let hook = ReceiveMsg::RegisterEvaluator {
            name: name.clone(),
            metadata_uri: metadata_uri.clone(),
            capabilities: vec![],
            fee: Uint128::zero(),
        };
        let got = refused(&mut w, |w| w.s.send(&rookie, &escrow, BOND, &hook));
        assert_eq!(got, e);
        let update = ExecuteMsg::UpdateEvaluator {
            name: (name != "judge").then(|| name.clone()),
            metadata_uri: Some(metadata_uri),
            capabilities: None,
            fee: None,
        };
        let got = refused(&mut w, |w| w.exec(&judge, &update));
        assert_eq!(got, e);
    }
    let e = refused(&mut w, |w| {
        w.exec(
            &judge,
            &ExecuteMsg::UpdateEvaluator {
                name: None,
                metadata_uri: None,
                capabilities: None,
                fee: None,
            },
        )
    });
    assert_eq!(e, ContractError::NothingToUpdate);
    w.check();
}

#[test]
fn attack_oversized_sub_task() {
    let mut w = world();
    let agent = w.agent.clone();
    let helper = worker(&mut w, "helper", BOND);
    let root = w.accepted(&[10_000]);
    let t = sub_task(&w, root, &helper, &[1; 11]);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(e, ContractError::MilestoneCount { count: 11, max: 10 });
    let mut t = sub_task(&w, root, &helper, &[1_000]);
    t.spec_uri = "s".repeat(513);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::InvalidText {
            field: "spec_uri".into(),
            min: 0,
            max: 512
        })
    );
    let mut t = sub_task(&w, root, &helper, &[1_000]);
    t.milestones[0].description = "d".repeat(257);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::InvalidText {
            field: "description".into(),
            min: 0,
            max: 256
        })
    );
    w.check();
}

#[test]
fn attack_malformed_hashes_in_verdicts_and_deliveries() {
    let mut w = world();
    let agent = w.agent.clone();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    let bad_input = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: result_of(id, 0),
        result_uri: String::new(),
        inferences: vec![],
        input_hash: Some("ab".repeat(1_000)),
    };
    let e = refused(&mut w, |w| w.exec(&agent, &bad_input));
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::InvalidHash {
            field: "input_hash".into(),
            value: "ab".repeat(1_000)
        })
    );
    submit_as(&mut w, &agent, id, 0).unwrap();
    let hash = |field: &str, value: &str| {
        ContractError::Validation(ValidationError::InvalidHash {
            field: field.into(),
            value: value.into(),
        })
    };
    for (result_hash, reason_hash, e) in [
        (
            "zz".repeat(32),
            data_hash("r"),
            hash("result_hash", &"zz".repeat(32)),
        ),
        (
            result_of(id, 0),
            "a".repeat(65),
            hash("reason_hash", &"a".repeat(65)),
        ),
        (
            data_hash("another result"),
            data_hash("r"),
            ContractError::ResultHashMismatch {
                given: data_hash("another result"),
                delivered: result_of(id, 0),
            },
        ),
    ] {
        let msg = ExecuteMsg::EvaluateMilestone {
            task_id: id,
            milestone: 0,
            result_hash,
            approve: true,
            reason_hash,
        };
        let got = refused(&mut w, |w| w.exec(&judge, &msg));
        assert_eq!(got, e);
    }
    // The delivered hash in capitals is the same result.
    let msg = ExecuteMsg::EvaluateMilestone {
        task_id: id,
        milestone: 0,
        result_hash: result_of(id, 0).to_uppercase(),
        approve: true,
        reason_hash: data_hash("r").to_uppercase(),
    };
    w.exec(&judge, &msg).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_800);
    w.check();
}
