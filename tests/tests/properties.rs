//! Property tests over random sequences of every user action of the suite (cw-multi-test):
//! OPEN transfers, datanets, contributions (plain, or committed and revealed, with copies sent
//! in front of the reveal) and reviews, published datanet versions, rewards (for a version, or
//! the latest) and claims, staking and the stakers' reward stream (and its period, set by the
//! pool's owner), models (on the latest published versions, or on one not published yet) and
//! derived models (a parent and a royalty), licences and (signed, batched) inference payments,
//! earnings, agents and every step of a task, and time jumps; performed by eight accounts with
//! amounts that include 0, 1, a whole balance and far more than anyone holds. After every step
//! the simulation (`sim.rs`) checks that a refused action changed nothing and the eleven
//! invariants of the protocol (their check counts are printed), the last one "every fee
//! reaches only contributors of the versions its model names" (the pool's version ranges of
//! every account against `econ::VersionedRewards`, to the unit); a failure shrinks to a
//! minimal sequence, kept in `proptest-regressions/properties.txt`.
//!
//! The run fails if any action kind never succeeded, or if the new rules' deep states were
//! never reached (a stream release, a stake in the block of a stakers distribution, a copy
//! displaced by a reveal, a ruling of 0 slashing a reservation, an acceptance refused for the
//! free bond, a fee for a version after the first, a fee reaching a contributor removed since
//! its version, a royalty credited to an ancestor's owner), so the generator is known to reach
//! them and the old ones (disputes, resolutions, refunds, withdrawals after unbonding). To
//! reach them in 50 steps: each case has a focus (a part of the protocol drawn more often, or
//! none); actions mostly pick an object in the state they need (`Target::Fit`) and sometimes
//! any; `Jump` moves time to a pending deadline; and the guided actions (`Progress`,
//! `Unbonding`, `Bonds`, `Reveals`, `Streams`, `Versions`) read the state and run as the next
//! step of a task, an unbonding, a contribution bond, a commitment, the stream or the lineage
//! datanets' versions and their models, each counted as the action it runs as. Run with
//! `--nocapture` to see the counts; `OPENLEDGER_HEAVY=1` runs 4 096 cases instead of 256.

use std::cell::RefCell;
use std::time::Instant;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

use openledger_tests::sim::{
    Action, Amount, Sim, Stats, Target, Who, FEE_SPLITS, INVARIANTS, KINDS,
};

/// Where failing seeds are kept, relative to the `tests` crate (cargo runs tests there).
const REGRESSIONS: &str = "proptest-regressions/properties.txt";

fn actor() -> impl Strategy<Value = u8> {
    0u8..8
}

/// An actor, or (8) the first actor the action applies to.
fn fitting() -> impl Strategy<Value = u8> {
    prop_oneof![3 => Just(8u8), 1 => actor()]
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        1 => Just(Amount::Zero),
        1 => Just(Amount::One),
        4 => any::<u16>().prop_map(Amount::Small),
        4 => (1u32..50).prop_map(Amount::Large),
        1 => Just(Amount::All),
        1 => Just(Amount::Max),
    ]
}

/// Amounts that a deep state needs to succeed more often than not (bonds, stakes).
fn sizeable() -> impl Strategy<Value = Amount> {
    prop_oneof![
        1 => Just(Amount::Zero),
        1 => Just(Amount::One),
        8 => (5u32..50).prop_map(Amount::Large),
        1 => Just(Amount::All),
        1 => Just(Amount::Max),
    ]
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![6 => Just(Who::Right), 1 => actor().prop_map(Who::Actor)]
}

fn pick() -> impl Strategy<Value = u8> {
    any::<u8>()
}

/// Mostly an object in the state the action needs, sometimes any.
fn target() -> impl Strategy<Value = Target> {
    prop_oneof![3 => pick().prop_map(Target::Fit), 1 => pick().prop_map(Target::Any)]
}

/// An evaluator's fee per verdict: mostly one a milestone can pay.
fn fee() -> impl Strategy<Value = Amount> {
    prop_oneof![
        2 => Just(Amount::Zero),
        1 => Just(Amount::One),
        4 => (1u16..500).prop_map(Amount::Small),
        1 => (1u32..4).prop_map(Amount::Large),
    ]
}

/// A delegation's deposit, in bps of what the milestone can still spend (above 10 000: over
/// budget).
fn share() -> impl Strategy<Value = u16> {
    prop_oneof![
        1 => Just(0u16),
        4 => 1u16..=10_000,
        1 => Just(10_000u16),
        2 => 10_001u16..12_000,
    ]
}

/// Datanet 1's share of a signed attribution, or the lineage.
fn attribution() -> impl Strategy<Value = Option<u16>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(10_000u16)),
        1 => Just(Some(0u16)),
        3 => (1u16..10_000).prop_map(Some),
    ]
}

/// The parts of the protocol whose deep states take a chain of actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    /// Datanets, contributions, reviews, bonds, versions, distributions and claims.
    Rewards,
    /// Stakes, staking rewards and agents' bonds: bonding, unbonding and withdrawing.
    Unbonding,
    /// Models (derived ones too), licences, inference payments and earnings.
    Models,
    /// Every step of a task.
    Escrow,
    /// The escrow's workflows: evaluators, verdicts, escalations, appeals, delegation to
    /// sub-tasks and ratings.
    Workflow,
}

/// How much more often a case's focus group is drawn.
const FOCUS: u32 = 5;

/// A case's focus: one group drawn `FOCUS` times as often (so that its long chains, such as
/// create, accept, submit, dispute and resolve a task, fit in one case), or none.
fn focus() -> impl Strategy<Value = Option<Group>> {
    prop_oneof![
        Just(None),
        Just(Some(Group::Rewards)),
        Just(Some(Group::Unbonding)),
        Just(Some(Group::Models)),
        Just(Some(Group::Escrow)),
        Just(Some(Group::Workflow)),
    ]
}

/// A case: up to 50 actions, weighted toward its focus.
fn actions() -> impl Strategy<Value = Vec<Action>> {
    focus().prop_flat_map(|focus| vec(action(focus), 1..=50))
}

fn action(focus: Option<Group>) -> impl Strategy<Value = Action> {
    let boost = |group: Group, weight: u32| {
        if focus == Some(group) {
            weight * FOCUS
        } else {
            weight
        }
    };
    // The guided actions (`Progress`, `Unbonding`, `Bonds`): rare outside their focus, a large
    // share of the steps within it.
    let guide = |group: Group, weight: u32, focused: u32| {
        if focus == Some(group) {
            focused
        } else {
            weight
        }
    };
    // Versions matter to the rewards (fees follow them) and to the models (trained on them).
    let publish = match focus {
        Some(Group::Rewards | Group::Models) => 2 * FOCUS,
        _ => 2,
    };
    prop_oneof![
        3 => (actor(), actor(), amount())
            .prop_map(|(from, to, amount)| Action::Transfer { from, to, amount }),
        boost(Group::Rewards, 3) => (actor(), prop_oneof![1 => Just(Amount::Zero), 1 => Just(Amount::One),
                4 => (1u32..5).prop_map(Amount::Large)], prop::bool::weighted(0.2))
            .prop_map(|(who, bond, influence)| Action::CreateDatanet { who, bond, influence }),
        boost(Group::Rewards, 6) => (actor(), prop_oneof![pick().prop_map(Target::Fit), pick().prop_map(Target::Any)],
              prop::bool::weighted(0.9))
            .prop_map(|(who, datanet, exact)| Action::Contribute { who, datanet, exact }),
        boost(Group::Rewards, 6) => (who(), target(), vec((pick(), prop_oneof![
                4 => (1u64..=10_000).prop_map(Some),
                1 => Just(Some(0u64)),
                1 => Just(Some(10_001u64)),
                2 => Just(None),
            ]), 1..4))
            .prop_map(|(who, datanet, decisions)| Action::Review { who, datanet, decisions }),
        boost(Group::Rewards, 2) => (who(), pick())
            .prop_map(|(who, contribution)| Action::RemoveContribution { who, contribution }),
        boost(Group::Rewards, 5) => (actor(), pick(), amount(), prop_oneof![2 => Just(Amount::Zero), 1 => amount()],
              prop_oneof![3 => Just(None), 1 => pick().prop_map(Some)])
            .prop_map(|(who, datanet, amount, stakers, version)| Action::Distribute {
                who, datanet, amount, stakers, version,
            }),
        publish => (who(), target())
            .prop_map(|(who, datanet)| Action::PublishVersion { who, datanet }),
        boost(Group::Rewards, 5) => (fitting(), prop::option::of(pick()))
            .prop_map(|(who, datanet)| Action::Claim { who, datanet }),
        boost(Group::Unbonding, 3) => (actor(), sizeable()).prop_map(|(who, amount)| Action::Stake { who, amount }),
        boost(Group::Unbonding, 4) => (fitting(), prop_oneof![2 => Just(Amount::All), 1 => amount()])
            .prop_map(|(who, amount)| Action::Unstake { who, amount }),
        boost(Group::Unbonding, 4) => fitting().prop_map(|who| Action::WithdrawUnbonded { who }),
        boost(Group::Unbonding, 2) => fitting().prop_map(|who| Action::ClaimStakingRewards { who }),
        boost(Group::Rewards, 4) => fitting().prop_map(|who| Action::WithdrawBonds { who }),
        boost(Group::Rewards, 2) => (actor(), pick())
            .prop_map(|(who, datanet)| Action::Commit { who, datanet }),
        boost(Group::Rewards, 1) => (who(), target())
            .prop_map(|(who, commitment)| Action::Reveal { who, commitment }),
        boost(Group::Rewards, 1) => (actor(), pick())
            .prop_map(|(who, commitment)| Action::Copy { who, commitment }),
        boost(Group::Unbonding, 1) => (prop_oneof![4 => Just(Who::Right), 1 => actor().prop_map(Who::Actor)],
              prop_oneof![Just(0u64), Just(1), Just(3_600), Just(24 * 3_600), Just(7 * 24 * 3_600),
                Just(30 * 24 * 3_600), Just(366 * 24 * 3_600)])
            .prop_map(|(who, seconds)| Action::SetRewardPeriod { who, seconds }),
        boost(Group::Models, 2) => (actor(), amount(), amount(), prop_oneof![4 => Just(None), 1 => pick().prop_map(Some)])
            .prop_map(|(who, fee, price, lineage)| Action::RegisterModel { who, fee, price, lineage }),
        boost(Group::Models, 2) => (who(), target(), prop_oneof![6 => 1u16..=5_000, 1 => Just(0u16), 1 => Just(5_001u16)],
              amount())
            .prop_map(|(who, parent, royalty_bps, fee)| Action::RegisterDerivedModel {
                who, parent, royalty_bps, fee,
            }),
        boost(Group::Models, 3) => (actor(), pick(), prop::bool::weighted(0.9))
            .prop_map(|(who, model, exact)| Action::PurchaseLicense { who, model, exact }),
        boost(Group::Models, 4) => (actor(), pick(), attribution(), prop::bool::weighted(0.1))
            .prop_map(|(who, model, attribution, forged)| Action::PayInference {
                who, model, attribution, forged,
            }),
        boost(Group::Models, 2) => (actor(), vec((pick(), attribution()), 1..4))
            .prop_map(|(who, items)| Action::PayInferences { who, items }),
        boost(Group::Models, 2) => fitting().prop_map(|who| Action::WithdrawEarnings { who }),
        boost(Group::Unbonding, 2) => (actor(), sizeable()).prop_map(|(who, bond)| Action::RegisterAgent { who, bond }),
        boost(Group::Unbonding, 2) => fitting().prop_map(|who| Action::UnbondAgent { who }),
        boost(Group::Unbonding, 4) => fitting().prop_map(|who| Action::WithdrawAgentBond { who }),
        boost(Group::Escrow, 5) => (actor(), prop_oneof![3 => Just(3u8), 1 => actor()],
              vec(sizeable(), 1..4), prop::bool::weighted(0.9),
              prop::option::weighted(0.3, fitting()), prop::option::weighted(0.15, actor()))
            .prop_map(|(client, agent, milestones, exact, evaluator, arbiter)| Action::CreateTask {
                client, agent, milestones, exact, evaluator, arbiter,
            }),
        boost(Group::Workflow, 2) => (actor(), sizeable(), fee())
            .prop_map(|(who, bond, fee)| Action::RegisterEvaluator { who, bond, fee }),
        boost(Group::Workflow, 3) => (who(), target(), prop_oneof![2 => Just(8u8), 1 => actor()], share(),
              pick(), prop::option::weighted(0.3, fitting()))
            .prop_map(|(who, task, agent, share_bps, milestones, evaluator)| Action::DelegateTask {
                who, task, agent, share_bps, milestones, evaluator,
            }),
        boost(Group::Workflow, 3) => (who(), target(), any::<bool>(), prop::bool::weighted(0.9))
            .prop_map(|(who, task, approve, exact)| Action::EvaluateMilestone { who, task, approve, exact }),
        boost(Group::Workflow, 2) => (actor(), target()).prop_map(|(who, task)| Action::Escalate { who, task }),
        boost(Group::Workflow, 2) => (who(), target()).prop_map(|(who, task)| Action::Appeal { who, task }),
        boost(Group::Workflow, 2) => (who(), target(), prop::bool::weighted(0.4))
            .prop_map(|(who, task, arbiter)| Action::ResignOversight { who, task, arbiter }),
        boost(Group::Workflow, 2) => (who(), target(), any::<bool>(), prop_oneof![6 => 0u8..=100, 1 => Just(101u8)])
            .prop_map(|(who, task, evaluator, rating)| Action::GiveFeedback { who, task, evaluator, rating }),
        boost(Group::Escrow, 5) => (who(), target()).prop_map(|(who, task)| Action::AcceptTask { who, task }),
        boost(Group::Escrow, 6) => (who(), target(), vec(attribution(), 0..3))
            .prop_map(|(who, task, inferences)| Action::SubmitMilestone { who, task, inferences }),
        boost(Group::Escrow, 4) => (who(), target()).prop_map(|(who, task)| Action::ApproveMilestone { who, task }),
        boost(Group::Escrow, 3) => (who(), target()).prop_map(|(who, task)| Action::DisputeMilestone { who, task }),
        boost(Group::Escrow, 3) => (who(), target(), prop_oneof![Just(0u16), Just(5_000u16), Just(10_000u16),
                0u16..=10_000, Just(10_001u16)])
            .prop_map(|(who, task, share_bps)| Action::Resolve { who, task, share_bps }),
        boost(Group::Escrow, 5) => (actor(), target()).prop_map(|(who, task)| Action::Finalize { who, task }),
        boost(Group::Escrow, 2) => (actor(), target()).prop_map(|(who, task)| Action::Refund { who, task }),
        guide(Group::Escrow, 4, 200) => (prop_oneof![3 => Just(0u8), 1 => pick()], pick())
            .prop_map(|(nth, choice)| Action::Progress { nth, choice }),
        guide(Group::Workflow, 1, 200) => (prop_oneof![3 => Just(0u8), 1 => pick()], pick())
            .prop_map(|(nth, choice)| Action::Workflows { nth, choice }),
        guide(Group::Unbonding, 3, 100) => pick().prop_map(|choice| Action::Unbonding { choice }),
        guide(Group::Rewards, 2, 60) => pick().prop_map(|choice| Action::Bonds { choice }),
        guide(Group::Rewards, 2, 80) => pick().prop_map(|choice| Action::Reveals { choice }),
        guide(Group::Unbonding, 3, 80) => pick().prop_map(|choice| Action::Streams { choice }),
        guide(Group::Models, 2, 60) => pick().prop_map(|choice| Action::Versions { choice }),
        5 => prop_oneof![3 => Just(0u8), 1 => 0u8..4].prop_map(|nth| Action::Jump { nth }),
        5 => prop_oneof![
                3 => (1u64..3_600).prop_map(|seconds| Action::Advance { seconds }),
                2 => (3_600u64..12 * 24 * 3_600).prop_map(|seconds| Action::Advance { seconds }),
                // Just past the windows: accept 1 day, review 2, arbitration 3, unbonding 7,
                // delivery 10.
                4 => prop_oneof![Just(1u64), Just(2), Just(3), Just(7), Just(7), Just(10)]
                    .prop_map(|days| Action::Advance { seconds: days * 24 * 3_600 + 1 }),
            ],
    ]
}

/// 256 cases, 4 096 with `OPENLEDGER_HEAVY=1`; `PROPTEST_CASES` overrides both.
fn cases() -> u32 {
    if let Some(n) = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    match std::env::var("OPENLEDGER_HEAVY").as_deref() {
        Ok("1") => 4_096,
        _ => 256,
    }
}

#[test]
fn random_action_sequences_keep_every_invariant_and_reach_every_action() {
    let config = Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let totals = RefCell::new(Stats::default());
    let started = Instant::now();
    let result = runner.run(&actions(), |actions| {
        let mut sim = Sim::new();
        for a in &actions {
            if let Err(e) = sim.step(a) {
                return Err(TestCaseError::fail(e));
            }
        }
        totals.borrow_mut().merge(&sim.stats);
        Ok(())
    });
    let elapsed = started.elapsed();
    if let Err(e) = result {
        panic!("{e}");
    }
    let totals = totals.into_inner();
    for kind in KINDS {
        println!(
            "{kind:>22}: {:>6} succeeded of {:>6}",
            totals.successes.get(kind).copied().unwrap_or(0),
            totals.attempts.get(kind).copied().unwrap_or(0)
        );
    }
    for name in INVARIANTS {
        println!(
            "{name:>36}: {:>8} checks",
            totals.invariants.get(name).copied().unwrap_or(0)
        );
    }
    println!(
        "properties: cases {}, steps {}, checks {}, fee splits {}, stream releases {}, \
         stakes just before a distribution {}, copies displaced {}, slashes {}, \
         acceptances refused for the free bond {}, fees for a later version {}, fees reaching a \
         removed contributor {}, royalties {}, sub-tasks {} ({} at the depth bound), \
         delegations refused over budget {}, too deep {} and beyond the reserved bond {}, \
         refunds paying back what sub-tasks spent {}, sub-tasks refunded {}, rejections \
         that stood {}, appeals won {}, evaluators slashed {}, bonded rulings {}, resignations \
         of evaluators {} and arbiters {} (refused busy {}, the default arbiter a party {}), \
         {:.1} s",
        totals.cases,
        totals.steps,
        totals.checks,
        totals.fee_splits,
        totals.releases,
        totals.jit,
        totals.displaced,
        totals.slashes,
        totals.bond_refusals,
        totals.later_versions,
        totals.removed_paid,
        totals.royalties,
        totals.subtasks,
        totals.deepest,
        totals.over_budget,
        totals.too_deep,
        totals.above_bond,
        totals.compensations,
        totals.subtask_refunds,
        totals.rejections_stood,
        totals.overturned,
        totals.evaluator_slashes,
        totals.bonded_rulings,
        totals.evaluator_resignations,
        totals.arbiter_resignations,
        totals.overseer_busy,
        totals.default_arbiter_party,
        elapsed.as_secs_f64()
    );
    assert_eq!(
        totals.invariants.get(FEE_SPLITS).copied().unwrap_or(0),
        totals.fee_splits,
        "fee splits counted twice or not at all"
    );
    let never: Vec<&str> = KINDS
        .iter()
        .copied()
        .filter(|k| totals.successes.get(k).copied().unwrap_or(0) == 0)
        .collect();
    assert!(
        never.is_empty(),
        "action kinds that never succeeded: {never:?}"
    );
    // The new rules' deep states were reached too.
    for (what, n) in [
        ("stream releases", totals.releases),
        ("stakes just before a distribution", totals.jit),
        ("copies displaced by a reveal", totals.displaced),
        ("rulings of 0 slashing a reservation", totals.slashes),
        (
            "acceptances refused for the free bond",
            totals.bond_refusals,
        ),
        ("fees for a version after the first", totals.later_versions),
        (
            "fees reaching a contributor removed since their version",
            totals.removed_paid,
        ),
        (
            "royalties credited to an ancestor's owner",
            totals.royalties,
        ),
    ] {
        assert!(n > 0, "no {what} in the run");
    }
}

/// The deep actions the random run rarely reaches, in one fixed sequence that must succeed at
/// every step: a bonded contribution accepted and its bond withdrawn, a stake unbonded and
/// withdrawn after the unbonding period, an agent's bond withdrawn after unbonding, and a
/// milestone finalized after its review window.
#[test]
fn fixed_sequence_reaches_every_withdrawal_and_finalize() {
    let mut sim = Sim::new();
    let day = 24 * 3_600;
    let steps = [
        Action::CreateDatanet {
            who: 6,
            bond: Amount::Large(2),
            influence: false,
        },
        Action::Contribute {
            who: 7,
            datanet: Target::Any(2),
            exact: true,
        },
        Action::Review {
            who: Who::Actor(6),
            datanet: Target::Any(2),
            decisions: vec![(0, Some(500))],
        },
        Action::WithdrawBonds { who: 7 },
        Action::Stake {
            who: 6,
            amount: Amount::Large(10),
        },
        Action::Unstake {
            who: 6,
            amount: Amount::All,
        },
        Action::RegisterAgent {
            who: 7,
            bond: Amount::Large(6),
        },
        Action::UnbondAgent { who: 7 },
        Action::CreateTask {
            client: 2,
            agent: 3,
            milestones: vec![Amount::Large(20)],
            exact: true,
            evaluator: None,
            arbiter: None,
        },
        Action::AcceptTask {
            who: Who::Right,
            task: Target::Any(0),
        },
        Action::SubmitMilestone {
            who: Who::Right,
            task: Target::Any(0),
            inferences: vec![None, Some(2_500)],
        },
        Action::Advance {
            seconds: 7 * day + 1,
        },
        Action::WithdrawUnbonded { who: 6 },
        Action::WithdrawAgentBond { who: 7 },
        Action::Finalize {
            who: 0,
            task: Target::Any(0),
        },
    ];
    for a in &steps {
        sim.step(a).unwrap();
    }
    for kind in [
        "create_datanet",
        "contribute",
        "review",
        "withdraw_bonds",
        "stake",
        "unstake",
        "register_agent",
        "unbond_agent",
        "create_task",
        "accept_task",
        "submit_milestone",
        "withdraw_unbonded",
        "withdraw_agent_bond",
        "finalize",
    ] {
        assert_eq!(
            sim.stats.successes.get(kind),
            Some(&1),
            "{kind} did not succeed"
        );
    }
}

/// The rules of 0.3.0 in one fixed sequence that must succeed at every step, with every
/// invariant checked after each: a copy of a committed hash displaced by the reveal (its bond
/// returned), a stake made in the block of a stakers distribution earning only its share of
/// what the stream releases while time passes, a lower period bringing the stream's end
/// forward, and a ruling of 0 slashing exactly the task's reservation.
#[test]
fn fixed_sequence_reaches_the_security_rules() {
    let mut sim = Sim::new();
    let steps = [
        Action::CreateDatanet {
            who: 0,
            bond: Amount::Large(2),
            influence: false,
        },
        Action::Commit { who: 6, datanet: 2 },
        Action::Advance { seconds: 5 },
        Action::Copy {
            who: 7,
            commitment: 0,
        },
        Action::Reveal {
            who: Who::Right,
            commitment: Target::Fit(0),
        },
        Action::Review {
            who: Who::Right,
            datanet: Target::Fit(0),
            decisions: vec![(0, Some(10))],
        },
        Action::WithdrawBonds { who: 7 },
        Action::WithdrawBonds { who: 6 },
        Action::Stake {
            who: 5,
            amount: Amount::Large(10),
        },
        Action::Advance {
            seconds: 24 * 3_600,
        },
        Action::Stake {
            who: 6,
            amount: Amount::Large(30),
        },
        Action::Distribute {
            who: 0,
            datanet: 0,
            amount: Amount::One,
            stakers: Amount::Large(50),
            version: None,
        },
        Action::Advance { seconds: 3_600 },
        Action::ClaimStakingRewards { who: 6 },
        Action::SetRewardPeriod {
            who: Who::Right,
            seconds: 3_600,
        },
        Action::Advance { seconds: 3_601 },
        Action::ClaimStakingRewards { who: 5 },
        Action::CreateTask {
            client: 2,
            agent: 3,
            milestones: vec![Amount::Large(20)],
            exact: true,
            evaluator: None,
            arbiter: None,
        },
        Action::AcceptTask {
            who: Who::Right,
            task: Target::Any(0),
        },
        Action::SubmitMilestone {
            who: Who::Right,
            task: Target::Any(0),
            inferences: vec![None],
        },
        Action::DisputeMilestone {
            who: Who::Right,
            task: Target::Any(0),
        },
        Action::Resolve {
            who: Who::Right,
            task: Target::Any(0),
            share_bps: 0,
        },
    ];
    for a in &steps {
        sim.step(a).unwrap_or_else(|e| panic!("{e}"));
    }
    for (kind, n) in [
        ("create_datanet", 1),
        ("commit_contribution", 1),
        ("contribute", 1),
        ("reveal_contribution", 1),
        ("review", 1),
        ("withdraw_bonds", 2),
        ("stake", 2),
        ("distribute", 1),
        ("claim_staking_rewards", 2),
        ("set_reward_period", 1),
        ("create_task", 1),
        ("accept_task", 1),
        ("submit_milestone", 1),
        ("dispute_milestone", 1),
        ("resolve", 1),
    ] {
        assert_eq!(
            sim.stats.successes.get(kind),
            Some(&n),
            "{kind} did not succeed {n} times"
        );
    }
    assert_eq!(sim.stats.displaced, 1, "copies displaced");
    assert_eq!(sim.stats.jit, 1, "stakes just before a distribution");
    assert_eq!(sim.stats.slashes, 1, "rulings of 0 slashing a reservation");
    assert!(
        sim.stats.releases >= 2,
        "stream releases: {}",
        sim.stats.releases
    );
}

/// Exact provenance (issue 15) in one fixed sequence that must succeed at every step, with
/// every invariant checked after each: a contributor accepted after version 1 is in version 2
/// only; a model trained on version 2 pays exactly its contributors, also after one of them
/// is removed (and version 3 published without it); a model derived from it pays its owner a
/// royalty as a pool credit, claimed with the rewards; a fee for version 1 reaches version 1's
/// contributor alone.
#[test]
fn fixed_sequence_reaches_version_scoped_rewards() {
    let mut sim = Sim::new();
    let steps = [
        // Alice's contribution (3) to datanet 1, accepted with weight 300; version 2.
        Action::Contribute {
            who: 6,
            datanet: Target::Any(0),
            exact: true,
        },
        Action::Review {
            who: Who::Right,
            datanet: Target::Any(0),
            decisions: vec![(0, Some(300))],
        },
        Action::PublishVersion {
            who: Who::Right,
            datanet: Target::Fit(0),
        },
        // Model 2 on datanet 1 v2 and datanet 2 v1, fee 1 000: 300 to datanet 1 v2 per fee.
        Action::RegisterModel {
            who: 1,
            fee: Amount::Large(1),
            price: Amount::Large(2),
            lineage: None,
        },
        Action::PayInference {
            who: 2,
            model: 1,
            attribution: None,
            forged: false,
        },
        // Alice removed; version 3 without her; model 2 still pays version 2, Alice included.
        Action::RemoveContribution {
            who: Who::Right,
            contribution: 2,
        },
        Action::PublishVersion {
            who: Who::Right,
            datanet: Target::Fit(0),
        },
        Action::PayInference {
            who: 2,
            model: 1,
            attribution: None,
            forged: false,
        },
        // Model 3, derived from model 2 by its owner at 2 000 bps, on datanet 1 v3.
        Action::RegisterDerivedModel {
            who: Who::Right,
            parent: Target::Any(1),
            royalty_bps: 2_000,
            fee: Amount::Large(1),
        },
        Action::PayInference {
            who: 2,
            model: 2,
            attribution: None,
            forged: false,
        },
        Action::Claim {
            who: 1,
            datanet: None,
        },
        Action::Claim {
            who: 6,
            datanet: None,
        },
        // Version 1 (k = 0): contributor-0 alone.
        Action::Distribute {
            who: 0,
            datanet: 0,
            amount: Amount::Large(1),
            stakers: Amount::Zero,
            version: Some(0),
        },
    ];
    for a in &steps {
        sim.step(a).unwrap_or_else(|e| panic!("{e}"));
    }
    for (kind, n) in [
        ("contribute", 1),
        ("review", 1),
        ("publish_version", 2),
        ("register_model", 1),
        ("pay_inference", 3),
        ("remove_contribution", 1),
        ("register_derived_model", 1),
        ("claim", 2),
        ("distribute", 1),
    ] {
        assert_eq!(
            sim.stats.successes.get(kind),
            Some(&n),
            "{kind} did not succeed {n} times"
        );
    }
    let (owner, alice) = (sim.actors[1].clone(), sim.actors[6].clone());
    // Model 3's fee of 1 000: owner share 200, of which model 2's owner takes 2 000 bps.
    assert_eq!(sim.credits.get(&(owner.clone(), 2)), Some(&40));
    assert_eq!(sim.credits_claimed.get(&owner), Some(&40));
    // Alice: 300 × 300/400 from each of model 2's fees, and 300/400 of model 3's royalty data
    // for datanet 1 v2 (500 × 20 % × 60 % = 60): 225 + 225 + 45.
    assert_eq!(sim.claimed.get(&(1, alice)), Some(&495));
    assert_eq!(sim.stats.royalties, 1, "royalties credited");
    assert!(sim.stats.later_versions >= 3, "fees for a later version");
    assert!(
        sim.stats.removed_paid >= 2,
        "fees reaching a removed contributor"
    );
}

/// The agent escrow's workflows in one fixed sequence, every invariant checked after each
/// step: a tree of sub-tasks down to the depth bound (a fourth level refused with
/// `DelegationTooDeep`, a delegation over budget with `DelegationOverBudget`), settled from
/// the leaves up; the root judged by its evaluator, rejected, appealed and ruled by its bonded
/// named arbiter (paid before the split, the rejection overturned); ratings of the agents and
/// the evaluator; a silent evaluator escalated and slashed; a rejection that stood; and a
/// sub-task refunded into its parent milestone, which pays it to the coordinator at approval;
/// overseers resigning (`resign_oversight`): refused while a delivery waits for the verdict,
/// then an evaluator and a bonded arbiter stepping down (the client reviewing, the default
/// arbiter ruling unpaid, the resigned evaluator still rated), and a silent default arbiter
/// after a resignation (the client refunded, nobody slashed), and an arbiter's resignation
/// refused because the default arbiter is the task's client.
#[test]
fn fixed_sequence_reaches_every_workflow() {
    let mut sim = Sim::new();
    let day = 24 * 3_600;
    let (right, fit) = (Who::Right, Target::Fit(0));
    let delegate = |k: u8, agent: u8, share_bps: u16| Action::DelegateTask {
        who: Who::Right,
        task: Target::Fit(k),
        agent,
        share_bps,
        milestones: 0,
        evaluator: None,
    };
    // Alice (6, bond 30 000) coordinates the trees: her reservation for a task of 20 000
    // (min(20 000, free × 50 %)) covers what she delegates; the world's agent (3, bond
    // 10 000) reserves at most 5 000.
    let create_for = |agent: u8, evaluator: Option<u8>, arbiter: Option<u8>| Action::CreateTask {
        client: 2,
        agent,
        milestones: vec![Amount::Large(20)],
        exact: true,
        evaluator,
        arbiter,
    };
    let accept = Action::AcceptTask {
        who: right,
        task: fit,
    };
    let submit = |inferences: Vec<Option<u16>>| Action::SubmitMilestone {
        who: right,
        task: fit,
        inferences,
    };
    let approve = Action::ApproveMilestone {
        who: right,
        task: fit,
    };
    let verdict = |approve: bool, exact: bool| Action::EvaluateMilestone {
        who: right,
        task: fit,
        approve,
        exact,
    };
    let resign = |task: Target, arbiter: bool| Action::ResignOversight {
        who: right,
        task,
        arbiter,
    };
    let rate = |evaluator: bool, rating: u8| Action::GiveFeedback {
        who: right,
        task: fit,
        evaluator,
        rating,
    };
    let steps = [
        // Alice, a second agent; Bob, an evaluator (fee 100); contributor-0 (fee 200), the
        // root's named arbiter.
        Action::RegisterAgent {
            who: 6,
            bond: Amount::Large(30),
        },
        Action::RegisterEvaluator {
            who: 7,
            bond: Amount::Large(40),
            fee: Amount::Small(100),
        },
        Action::RegisterEvaluator {
            who: 5,
            bond: Amount::Large(40),
            fee: Amount::Small(200),
        },
        // Task 1 (the root, Alice's) → 2 (the agent) → 3 (Alice) → 4 (the agent): depth 3.
        create_for(6, Some(7), Some(5)),
        accept.clone(),
        delegate(0, 3, 5_000),
        accept.clone(),
        delegate(1, 6, 5_000),
        accept.clone(),
        delegate(2, 3, 5_000),
        accept.clone(),
        // Refused: a fourth level; more than the root's milestone can still spend.
        delegate(3, 6, 5_000),
        delegate(0, 3, 12_000),
        // Settled from the leaf up.
        submit(vec![None]),
        approve.clone(),
        submit(vec![]),
        approve.clone(),
        submit(vec![]),
        approve.clone(),
        // The root: rejected by its evaluator, appealed, 70 % for the agent.
        submit(vec![None]),
        verdict(false, true),
        Action::Appeal {
            who: right,
            task: fit,
        },
        Action::Resolve {
            who: right,
            task: fit,
            share_bps: 7_000,
        },
        rate(false, 80),
        rate(true, 90),
        rate(false, 60),
        // Task 5: the agent may not delegate 60 % of what its milestone can spend (11 340): its
        // bond reserves 5 000 for the task. The evaluator stays silent; escalated, ruled by
        // the default arbiter.
        create_for(3, Some(7), None),
        accept.clone(),
        delegate(0, 6, 6_000),
        submit(vec![]),
        Action::Advance { seconds: day + 1 },
        Action::Escalate { who: 0, task: fit },
        Action::Resolve {
            who: right,
            task: fit,
            share_bps: 10_000,
        },
        // Task 6: a verdict on another result is refused; the rejection stands.
        create_for(3, Some(7), None),
        accept.clone(),
        submit(vec![]),
        verdict(true, false),
        verdict(false, true),
        Action::Advance {
            seconds: 2 * day + 1,
        },
        Action::Finalize { who: 0, task: fit },
        // Task 7 (Alice's) → 8: the agent lets the accept window pass; the refund goes back to
        // task 7. Alice delegates 70 % of the 19 000 her milestone can spend, within the 15 000
        // her bond reserves.
        create_for(6, None, None),
        accept.clone(),
        delegate(0, 3, 7_000),
        Action::Advance { seconds: day + 1 },
        Action::Refund { who: 0, task: fit },
        submit(vec![]),
        approve,
        // Task 9 (two milestones; Bob evaluating, contributor-0 its bonded arbiter): Bob may
        // not resign while the first delivery waits for his verdict; after approving it he
        // resigns, then the arbiter does (the default arbiter takes over, unpaid); the second
        // delivery goes to the client's review, is disputed and ruled by the default arbiter,
        // and Bob is still rated for the verdict the task paid him.
        Action::CreateTask {
            client: 2,
            agent: 3,
            milestones: vec![Amount::Large(10); 2],
            exact: true,
            evaluator: Some(7),
            arbiter: Some(5),
        },
        accept.clone(),
        submit(vec![]),
        resign(Target::Any(0), false),
        verdict(true, true),
        resign(fit, false),
        resign(fit, true),
        submit(vec![None]),
        Action::DisputeMilestone {
            who: right,
            task: fit,
        },
        Action::Resolve {
            who: right,
            task: fit,
            share_bps: 5_000,
        },
        // Ended tasks whose evaluator is not rated yet: 2 to 9.
        Action::GiveFeedback {
            who: right,
            task: Target::Fit(7),
            evaluator: true,
            rating: 70,
        },
        // Task 10: its bonded arbiter resigns before the work starts; the default arbiter lets
        // the dispute's window pass: the client is refunded and nobody is slashed.
        create_for(3, None, Some(5)),
        resign(fit, true),
        accept.clone(),
        submit(vec![]),
        Action::DisputeMilestone {
            who: right,
            task: fit,
        },
        Action::Advance {
            seconds: 3 * day + 1,
        },
        Action::Refund { who: 0, task: fit },
        // Task 11, given by the default arbiter itself: its named arbiter may not resign (the
        // default arbiter would rule on its own task).
        Action::CreateTask {
            client: 4,
            agent: 3,
            milestones: vec![Amount::Large(10)],
            exact: true,
            evaluator: None,
            arbiter: Some(5),
        },
        resign(fit, true),
    ];
    for a in &steps {
        sim.step(a).unwrap_or_else(|e| panic!("{e}"));
    }
    for (kind, n) in [
        ("register_agent", 1),
        ("register_evaluator", 2),
        ("create_task", 7),
        ("accept_task", 9),
        ("delegate_task", 4),
        ("submit_milestone", 10),
        ("approve_milestone", 4),
        ("evaluate_milestone", 3),
        ("appeal", 1),
        ("dispute_milestone", 2),
        ("resolve", 3),
        ("give_feedback", 4),
        ("escalate", 1),
        ("finalize", 1),
        ("refund", 2),
        ("resign_oversight", 3),
    ] {
        assert_eq!(
            sim.stats.successes.get(kind),
            Some(&n),
            "{kind} did not succeed {n} times"
        );
    }
    let s = &sim.stats;
    assert_eq!(
        (
            s.subtasks,
            s.deepest,
            s.too_deep,
            s.over_budget,
            s.above_bond
        ),
        (4, 1, 1, 1, 1),
        "sub-tasks, at the depth bound, refused too deep, over budget, beyond the reserved bond"
    );
    assert_eq!(
        (
            s.overturned,
            s.bonded_rulings,
            s.evaluator_slashes,
            s.rejections_stood,
            s.subtask_refunds
        ),
        (1, 1, 1, 1, 1),
        "appeals won, bonded rulings, evaluators slashed, rejections that stood, sub-tasks refunded"
    );
    assert_eq!(
        (
            s.evaluator_resignations,
            s.arbiter_resignations,
            s.overseer_busy,
            s.default_arbiter_party
        ),
        (1, 2, 1, 1),
        "resignations of evaluators and arbiters, refused busy, refused for the default arbiter"
    );
    // The root: 20 000 at 5 %, model fees 1 000, 9 350 delegated to task 2 (all of it spent
    // there), the evaluator's 100 and the arbiter's 200; 70 %: B = 14 000, protocol fee
    // ⌈(14 000 − 9 350) × 5 %⌉ = 233, the agent 14 000 − 10 650 − 233 = 3 117, the client 6 000.
    let root = &sim.tasks[0];
    assert_eq!(root.milestones[0].spent.delegated, 9_350);
    assert_eq!(root.returned, 6_000);
    let (bob, arbiter) = (sim.actors[7].clone(), sim.actors[5].clone());
    // Bob reserved min(20 000, 40 000 × 50 %) for task 5, all of it slashed.
    assert_eq!(
        sim.evaluators[&bob].bond,
        40_000 - 20_000,
        "Bob slashed once"
    );
    assert_eq!(sim.evaluators[&arbiter].bond, 40_000);
    // Task 8 gave its whole deposit back: 70 % of 20 000 − ⌈1 000⌉ = 13 300, paid to Alice
    // with task 7's milestone.
    assert_eq!(sim.tasks[7].deposit, 13_300);
    assert_eq!(sim.tasks[7].returned, 13_300);
    // Tasks 9 and 10 ended with the default arbiter on duty, nothing reserved by the ones
    // that resigned, and nobody slashed by the silent default arbiter: task 10's deposit went
    // back whole.
    let default = sim.w.arbiter.clone();
    for t in &sim.tasks[8..10] {
        assert_eq!(
            (&t.arbiter, t.bonded_arbiter, t.arbiter_resigned, t.fees.1),
            (&default, false, true, 0),
            "task {}'s arbiter",
            t.id
        );
    }
    assert!(sim.tasks[8].evaluator_resigned);
    assert_eq!(sim.tasks[9].returned, 20_000);
    // Contributor-0 reserves for task 11 alone (still open): min(10 000, 40 000 × 50 %).
    assert_eq!(sim.evaluator_reserved(&arbiter), 10_000);
    assert_eq!(sim.evaluator_reserved(&bob), 0);
    assert_eq!(sim.evaluators[&arbiter].bond, 40_000);
}
