//! Capability discovery: `agents_by_capability` and `evaluators_by_capability` page through
//! the declared tags by address (`start_after` exclusive, `limit` 1..=50), each entry with its
//! bond and reputation; updating an agent's or evaluator's tags moves its entries, and malformed
//! tag lists are refused.

use cosmwasm_std::{Addr, Uint128};
use openledger_common::msg::agent_escrow::{
    self as escrow, AgentStatus, CapableAgentsResponse, ExecuteMsg,
};
use openledger_tests::escrow::{world, World, DELIVERY};
use openledger_tests::workflow::{with_overseers, EscrowError, EVALUATION_FEE, EVALUATOR_BOND};

/// The addresses of a page of agents.
fn agent_page(w: &World, tag: &str, start_after: Option<&Addr>, limit: Option<u32>) -> Vec<Addr> {
    w.agents_with(tag, start_after, limit)
        .agents
        .into_iter()
        .map(|a| a.address)
        .collect()
}

/// The addresses of a page of evaluators.
fn evaluator_page(
    w: &World,
    tag: &str,
    start_after: Option<&Addr>,
    limit: Option<u32>,
) -> Vec<Addr> {
    w.evaluators_with(tag, start_after, limit)
        .evaluators
        .into_iter()
        .map(|e| e.address)
        .collect()
}

/// `addresses` in the order of the index (by address).
fn sorted(addresses: &[&Addr]) -> Vec<Addr> {
    let mut v: Vec<Addr> = addresses.iter().map(|a| (*a).clone()).collect();
    v.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    v
}

/// The capability update of `who` (an agent or, with `evaluator`, an evaluator).
fn retag(
    w: &mut World,
    who: &Addr,
    tags: &[&str],
    evaluator: bool,
) -> anyhow::Result<cw_multi_test::AppResponse> {
    let capabilities = Some(tags.iter().map(|t| t.to_string()).collect());
    let msg = match evaluator {
        false => ExecuteMsg::UpdateAgent {
            name: None,
            metadata_uri: None,
            models: None,
            capabilities,
        },
        true => ExecuteMsg::UpdateEvaluator {
            name: None,
            metadata_uri: None,
            capabilities,
            fee: Some(Uint128::new(150)),
        },
    };
    w.exec(who, &msg)
}

/// Five agents ann..eve (bonds 5 000..5 004): all declare `translation`, ann, cat and eve
/// `summarize` too.
fn hire_five(w: &mut World) -> Vec<Addr> {
    let both = ["translation", "summarize"];
    let names = ["ann", "bob", "cat", "dan", "eve"];
    let mut agents = vec![];
    for (i, name) in names.iter().enumerate() {
        let tags = if i % 2 == 0 { &both[..] } else { &both[..1] };
        agents.push(w.hire(name, 5_000 + i as u128, tags));
    }
    w.check();
    agents
}

/// Four evaluators eval-a..eval-d (fees 200..203): all declare `review`, eval-d `arbitration`
/// too.
fn appoint_four(w: &mut World) -> Vec<Addr> {
    let names = ["eval-a", "eval-b", "eval-c", "eval-d"];
    let mut evaluators = vec![];
    for (i, name) in names.iter().enumerate() {
        let tags: &[&str] = if i == 3 {
            &["review", "arbitration"]
        } else {
            &["review"]
        };
        let terms = (EVALUATOR_BOND, EVALUATION_FEE + i as u128);
        evaluators.push(w.appoint(name, terms, tags));
    }
    w.check();
    evaluators
}

#[test]
fn agents_are_found_by_capability_page_by_page() {
    let mut w = world();
    let a = hire_five(&mut w);
    let translators = sorted(&a.iter().collect::<Vec<_>>());
    assert_eq!(agent_page(&w, "translation", None, None), translators);
    // Pages of two, each starting after the last address of the previous one.
    let p1 = agent_page(&w, "translation", None, Some(2));
    let p2 = agent_page(&w, "translation", Some(&p1[1]), Some(2));
    let p3 = agent_page(&w, "translation", Some(&p2[1]), Some(2));
    assert_eq!((p1.len(), p2.len(), p3.len()), (2, 2, 1));
    assert_eq!([p1, p2, p3.clone()].concat(), translators);
    let none = Vec::<Addr>::new();
    assert_eq!(agent_page(&w, "translation", Some(&p3[0]), Some(2)), none);
    let summarizers = sorted(&[&a[0], &a[2], &a[4]]);
    assert_eq!(agent_page(&w, "summarize", None, None), summarizers);
    assert_eq!(agent_page(&w, "code-review", None, None), none);
    // The world's agent declared no capability: it is found under none.
    assert!(!agent_page(&w, "translation", None, Some(50)).contains(&w.agent));
    for limit in [0, 51] {
        let r: Result<CapableAgentsResponse, _> = w.s.app.wrap().query_wasm_smart(
            &w.escrow,
            &escrow::QueryMsg::AgentsByCapability {
                capability: "translation".into(),
                start_after: None,
                limit: Some(limit),
            },
        );
        let expected =
            openledger_common::pagination::PaginationError::LimitOutOfRange { limit, max: 50 };
        let e = r.expect_err("an out-of-range limit is refused");
        assert!(
            format!("{e}").contains(&expected.to_string()),
            "limit {limit}: {e}"
        );
    }
}

#[test]
fn an_agent_entry_shows_its_record_and_moves_with_its_tags() {
    let mut w = world();
    let a = hire_five(&mut w);
    let (client, bob) = (w.client.clone(), a[1].clone());
    // A task that pays bob at least the minimum bond (5 000) proves its record.
    let id = w.open(w.task_for(&bob, &[6_000], w.now() + DELIVERY));
    w.accept(&bob, id).unwrap();
    w.deliver(&bob, (id, 0), vec![]).unwrap();
    w.approve_as(&client, (id, 0)).unwrap();
    w.to_pool(300);
    w.paid(&bob, 5_700);
    w.check();
    let page = w.agents_with("translation", None, None);
    let entry = page.agents.iter().find(|e| e.address == bob).expect("bob");
    assert_eq!(
        (entry.name.as_str(), entry.free.u128(), entry.status.clone()),
        ("bob", 5_001, AgentStatus::Active)
    );
    assert_eq!(entry.capabilities, vec!["translation".to_string()]);
    let r = &entry.reputation;
    assert_eq!(
        (
            r.completed,
            r.proven,
            r.earned.u128(),
            r.bond_multiplier_bps
        ),
        (1, 1, 5_700, 9_750)
    );

    // bob leaves translation for summarize and code-review, then drops every tag.
    retag(&mut w, &bob, &["summarize", "code-review"], false).unwrap();
    let translators = sorted(&[&a[0], &a[2], &a[3], &a[4]]);
    assert_eq!(agent_page(&w, "translation", None, None), translators);
    let summarizers = sorted(&[&a[0], &a[1], &a[2], &a[4]]);
    assert_eq!(agent_page(&w, "summarize", None, None), summarizers);
    assert_eq!(agent_page(&w, "code-review", None, None), vec![bob.clone()]);
    let tags = w.agent_info(&bob).capabilities;
    assert_eq!(tags, vec!["summarize", "code-review"]);
    retag(&mut w, &bob, &[], false).unwrap();
    assert_eq!(
        agent_page(&w, "code-review", None, None),
        Vec::<Addr>::new()
    );
    let summarizers = sorted(&[&a[0], &a[2], &a[4]]);
    assert_eq!(agent_page(&w, "summarize", None, None), summarizers);
}

#[test]
fn evaluators_are_found_by_capability_with_their_fee_and_record() {
    let mut w = world();
    let e = appoint_four(&mut w);
    let mut pages = vec![];
    let mut last: Option<Addr> = None;
    while let Some(next) = evaluator_page(&w, "review", last.as_ref(), Some(1)).pop() {
        pages.push(next.clone());
        last = Some(next);
    }
    assert_eq!(pages, sorted(&e.iter().collect::<Vec<_>>()));
    assert_eq!(
        evaluator_page(&w, "arbitration", None, None),
        vec![e[3].clone()]
    );

    // eval-a approves one delivery: evaluator 200, protocol 50, agent 750.
    let agent = w.agent.clone();
    let task = w.task_for(&agent, &[1_000], w.now() + DELIVERY);
    let id = w.open(with_overseers(task, Some(&e[0]), None));
    w.accept(&agent, id).unwrap();
    w.submit(id, 0, vec![]).unwrap();
    w.evaluate(&e[0], (id, 0), true).unwrap();
    w.paid(&e[0], EVALUATION_FEE);
    w.to_pool(50);
    w.paid(&agent, 750);
    w.check();
    let page = w.evaluators_with("review", None, None);
    let first = page.evaluators.iter().find(|x| x.address == e[0]);
    let first = first.expect("eval-a");
    let stats = &first.reputation.stats;
    assert_eq!(
        (
            first.fee.u128(),
            first.free.u128(),
            stats.evaluated,
            stats.approved
        ),
        (EVALUATION_FEE, EVALUATOR_BOND, 1, 1)
    );

    // eval-b becomes an arbiter only (with a new fee): it moves from review to arbitration.
    retag(&mut w, &e[1], &["arbitration"], true).unwrap();
    let reviewers = sorted(&[&e[0], &e[2], &e[3]]);
    assert_eq!(evaluator_page(&w, "review", None, None), reviewers);
    let arbiters = sorted(&[&e[1], &e[3]]);
    assert_eq!(evaluator_page(&w, "arbitration", None, None), arbiters);
    let page = w.evaluators_with("arbitration", None, None);
    let b = page.evaluators.iter().find(|x| x.address == e[1]);
    let b = b.expect("eval-b");
    assert_eq!(
        (b.fee.u128(), b.capabilities.clone()),
        (150, vec!["arbitration".to_string()])
    );
}

#[test]
fn malformed_tag_lists_are_refused_and_change_nothing() {
    let mut w = world();
    let e = appoint_four(&mut w);
    let agent = w.agent.clone();
    let nine: Vec<String> = (0..9).map(|i| format!("tag-{i}")).collect();
    let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
    let err = w.refused_with(|w| retag(w, &e[2], &nine, true));
    assert_eq!(err, EscrowError::TooManyCapabilities { count: 9, max: 8 });
    let err = w.refused_with(|w| retag(w, &e[2], &["review", "review"], true));
    let tag = "review".to_string();
    assert_eq!(err, EscrowError::DuplicateCapability { tag });
    let err = w.refused_with(|w| retag(w, &agent, &["Code Review"], false));
    let tag = "Code Review".to_string();
    assert_eq!(err, EscrowError::InvalidTag { tag, max: 32 });
    let long = "x".repeat(33);
    let err = w.refused_with(|w| retag(w, &agent, &[long.as_str()], false));
    assert_eq!(err, EscrowError::InvalidTag { tag: long, max: 32 });
    // Eight distinct tags of 32 characters are the most a list holds.
    let eight: Vec<String> = (0..8).map(|i| format!("{i}").repeat(32)).collect();
    let eight: Vec<&str> = eight.iter().map(String::as_str).collect();
    retag(&mut w, &agent, &eight, false).unwrap();
    assert_eq!(agent_page(&w, &"7".repeat(32), None, None), vec![agent]);
    let reviewers = sorted(&e.iter().collect::<Vec<_>>());
    assert_eq!(evaluator_page(&w, "review", None, None), reviewers);
}
