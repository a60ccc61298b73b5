//! Reputation: the client rates the agent and the evaluator of an ended task that paid them,
//! once each, weighted by what the task paid the rated party (the score is the weighted
//! average); and an agent's record scales the free bond it must hold to accept a task: 250 bps
//! off per completed task (at most 5 000), 2 500 bps more per loss — a lost ruling, a missed
//! deadline, a rejection that stood — (at most 20 000), read from the `reputation` query.

use cosmwasm_std::{Addr, Uint128};
use openledger_common::msg::agent_escrow::{
    ExecuteMsg, FeedbackSubject, Ratings, ReceiveMsg, TaskStatus,
};
use openledger_tests::escrow::{attr, world, World, ACCEPT, DELIVERY, REVIEW};
use openledger_tests::workflow::{with_overseers, EscrowError, EVALUATION_FEE, EVALUATOR_BOND};

/// A task of `amounts` for `agent`, optionally with `evaluator`, created by the client.
fn task(w: &mut World, agent: &Addr, amounts: &[u128], evaluator: Option<&Addr>) -> u64 {
    let t = w.task_for(agent, amounts, w.now() + DELIVERY);
    w.open(with_overseers(t, evaluator, None))
}

/// `agent` completes a task of `amount` for the client, which pays the protocol fee (5 %,
/// rounded up) and the agent the rest.
fn complete(w: &mut World, agent: &Addr, amount: u128) {
    let client = w.client.clone();
    let id = task(w, agent, &[amount], None);
    w.accept(agent, id).unwrap();
    w.deliver(agent, (id, 0), vec![]).unwrap();
    w.approve_as(&client, (id, 0)).unwrap();
    let fee = (amount * 5).div_ceil(100);
    w.to_pool(fee);
    w.paid(agent, amount - fee);
}

/// `agent` completes a proven task: 5 264 pays the agent 5 000 (the minimum bond) after a
/// protocol fee of 264.
fn complete_proven(w: &mut World, agent: &Addr) {
    complete(w, agent, 5_264);
}

/// `agent` accepts a task of 100 and lets its delivery deadline pass; a stranger refunds it.
fn miss_delivery(w: &mut World, agent: &Addr, ids: &[u64]) {
    let (client, stranger) = (w.client.clone(), w.s.addr("stranger"));
    for id in ids {
        w.accept(agent, *id).unwrap();
    }
    w.at(w.now() + DELIVERY);
    for id in ids {
        w.refund(&stranger, *id).unwrap();
        w.paid(&client, 100);
    }
}

/// The bond multiplier of `agent`, from the `reputation` query.
fn multiplier(w: &World, agent: &Addr) -> u32 {
    let r = w.reputation(agent);
    r.agent.expect("an agent").bond_multiplier_bps
}

/// The refusal of an acceptance for want of free bond.
fn too_low(bond: u128, reserved: u128, required: u128) -> EscrowError {
    EscrowError::FreeBondTooLow {
        bond: Uint128::new(bond),
        reserved: Uint128::new(reserved),
        free: Uint128::new(bond - reserved),
        required: Uint128::new(required),
    }
}

/// Rates the agent of `subject`'s task with `rating` and `tag`.
fn of_agent(rating: u8, tag: &str) -> (FeedbackSubject, u8, &str) {
    (FeedbackSubject::Agent, rating, tag)
}

/// A task of 10 000 with `evaluator`, refused a rating while in progress, approved by the
/// evaluator (evaluator 200, protocol 500, agent 9 300), then rated once per subject by its
/// client only: the agent 80 (weight 9 300), the evaluator 90 (weight 200). Returns its id.
fn rate_an_evaluated_task(w: &mut World, evaluator: &Addr) -> u64 {
    let (client, agent) = (w.client.clone(), w.agent.clone());
    let stranger = w.s.addr("stranger");
    let t1 = task(w, &agent, &[10_000], Some(evaluator));
    w.accept(&agent, t1).unwrap();
    let e = w.refused_with(|w| w.rate(&client, t1, of_agent(80, "on-time")));
    let status = TaskStatus::InProgress;
    assert_eq!(
        e,
        EscrowError::TaskNotEnded {
            task_id: t1,
            status
        }
    );
    w.submit(t1, 0, vec![]).unwrap();
    w.evaluate(evaluator, (t1, 0), true).unwrap();
    w.paid(evaluator, EVALUATION_FEE);
    w.to_pool(500);
    w.paid(&agent, 9_300);
    let e = w.refused_with(|w| w.rate(&stranger, t1, of_agent(0, "bad")));
    assert_eq!(e, EscrowError::NotClient { task_id: t1 });
    let res = w.rate(&client, t1, of_agent(80, "on-time")).unwrap();
    assert_eq!(attr(&res, "weight"), "9300");
    let e = w.refused_with(|w| w.rate(&client, t1, of_agent(10, "changed-mind")));
    let subject = "agent".to_string();
    assert_eq!(
        e,
        EscrowError::AlreadyRated {
            task_id: t1,
            subject
        }
    );
    let res = w
        .rate(&client, t1, (FeedbackSubject::Evaluator, 90, "thorough"))
        .unwrap();
    assert_eq!(attr(&res, "weight"), EVALUATION_FEE.to_string());
    t1
}

/// A task of 5 000 ruled 50 %: it paid the agent 2 500 − protocol 125 = 2 375, the weight of
/// the client's rating of 40 (after a rating out of range and a malformed tag are refused).
fn rate_a_split_ruling(w: &mut World) {
    let (client, agent) = (w.client.clone(), w.agent.clone());
    let t2 = w.accepted(&[5_000]);
    w.submit(t2, 0, vec![]).unwrap();
    w.dispute(t2, 0).unwrap();
    w.resolve(t2, 0, 5_000).unwrap();
    w.to_pool(125);
    w.paid(&agent, 2_375);
    w.paid(&client, 2_500);
    let e = w.refused_with(|w| w.rate(&client, t2, of_agent(101, "great")));
    assert_eq!(
        e,
        EscrowError::InvalidRating {
            rating: 101,
            max: 100
        }
    );
    let e = w.refused_with(|w| w.rate(&client, t2, of_agent(40, "Late")));
    let tag = "Late".to_string();
    assert_eq!(e, EscrowError::InvalidTag { tag, max: 32 });
    let res = w.rate(&client, t2, of_agent(40, "late")).unwrap();
    assert_eq!(attr(&res, "weight"), "2375");
    let e = w.refused_with(|w| w.rate(&client, t2, (FeedbackSubject::Evaluator, 50, "none")));
    assert_eq!(e, EscrowError::NoEvaluator { task_id: t2 });
}

/// Tasks that paid nothing to the rated party: a cancelled one, and one whose evaluator's
/// verdict the client pre-empted by approving (protocol 50, agent 950).
fn nothing_to_rate(w: &mut World, evaluator: &Addr) {
    let (client, agent) = (w.client.clone(), w.agent.clone());
    let t3 = w.create(&[2_000]);
    w.exec(&client, &ExecuteMsg::CancelTask { task_id: t3 })
        .unwrap();
    w.paid(&client, 2_000);
    let e = w.refused_with(|w| w.rate(&client, t3, of_agent(0, "no-show")));
    let subject = "agent".to_string();
    assert_eq!(
        e,
        EscrowError::NothingToRate {
            task_id: t3,
            subject
        }
    );
    let t4 = task(w, &agent, &[1_000], Some(evaluator));
    w.accept(&agent, t4).unwrap();
    w.submit(t4, 0, vec![]).unwrap();
    w.approve(t4, 0).unwrap();
    w.to_pool(50);
    w.paid(&agent, 950);
    let rating = (FeedbackSubject::Evaluator, 50, "idle");
    let e = w.refused_with(|w| w.rate(&client, t4, rating));
    let subject = "evaluator".to_string();
    assert_eq!(
        e,
        EscrowError::NothingToRate {
            task_id: t4,
            subject
        }
    );
}

#[test]
fn ratings_weigh_what_each_ended_task_paid_the_rated_party() {
    let mut w = world();
    let agent = w.agent.clone();
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let t1 = rate_an_evaluated_task(&mut w, &evaluator);
    rate_a_split_ruling(&mut w);
    nothing_to_rate(&mut w, &evaluator);
    w.check();

    // Score: (80 × 9 300 + 40 × 2 375) / (9 300 + 2 375) = 839 000 / 11 675 = 71.9 → 71.
    let r = w.reputation(&agent);
    let a = r.agent.expect("an agent");
    let ratings = Ratings {
        count: 2,
        sum: 120,
        weighted_sum: Uint128::new(839_000),
        weight: Uint128::new(11_675),
    };
    assert_eq!((a.ratings, a.score), (ratings, Some(71)));
    assert_eq!(
        (a.completed, a.volume.u128(), a.earned.u128()),
        (3, 13_500, 12_625)
    );
    // Only the task that paid 9 300 proves the record (2 375 and 950 are below the 5 000
    // minimum bond): 10 000 − 250.
    assert_eq!(
        (a.proven, a.disputed, a.lost, a.bond_multiplier_bps),
        (1, 1, 0, 9_750)
    );
    assert_eq!(r.evaluator, None);
    let r = w.reputation(&evaluator);
    let e = r.evaluator.expect("an evaluator");
    assert_eq!(
        (
            e.score,
            e.stats.ratings.weight.u128(),
            e.stats.ratings.count
        ),
        (Some(90), 200, 1)
    );
    assert_eq!(r.agent, None);
    let f = w.feedback(t1);
    let entries: Vec<_> = f
        .entries
        .iter()
        .map(|e| {
            (
                e.subject,
                e.address.clone(),
                e.rating,
                e.tag.as_str(),
                e.weight.u128(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            (FeedbackSubject::Agent, agent.clone(), 80, "on-time", 9_300),
            (
                FeedbackSubject::Evaluator,
                evaluator.clone(),
                90,
                "thorough",
                EVALUATION_FEE
            ),
        ]
    );
}

#[test]
fn losses_raise_the_free_bond_an_agent_must_hold() {
    let mut w = world();
    let client = w.client.clone();
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let careless = w.hire("careless", 7_000, &[]);
    let fresh = w.hire("fresh", 7_000, &[]);
    let stranger = w.s.addr("stranger");
    assert_eq!(multiplier(&w, &careless), 10_000);

    // A task it never accepted does not count against it.
    let expired = task(&mut w, &careless, &[1_000], None);
    w.at(w.now() + ACCEPT);
    w.refund(&stranger, expired).unwrap();
    w.paid(&client, 1_000);
    assert_eq!(multiplier(&w, &careless), 10_000);
    // A missed delivery deadline on a task it accepted: +2 500.
    let late = task(&mut w, &careless, &[100], None);
    miss_delivery(&mut w, &careless, &[late]);
    assert_eq!(multiplier(&w, &careless), 12_500);
    // A rejection that stood: +2 500 (the acceptance needed 6 250 free, it had 7 000).
    let rejected = task(&mut w, &careless, &[2_000], Some(&evaluator));
    w.accept(&careless, rejected).unwrap();
    w.deliver(&careless, (rejected, 0), vec![]).unwrap();
    w.evaluate(&evaluator, (rejected, 0), false).unwrap();
    w.paid(&evaluator, EVALUATION_FEE);
    w.at(w.now() + REVIEW);
    w.finalize_as(&stranger, (rejected, 0)).unwrap();
    w.paid(&client, 1_800);
    w.check();
    let r = w.reputation(&careless).agent.expect("an agent");
    assert_eq!(
        (r.missed, r.rejected, r.lost, r.bond_multiplier_bps),
        (1, 1, 0, 15_000)
    );

    // 5 000 × 150 % = 7 500 free bond required; the fresh agent with the same bond needs 5 000.
    let mine = task(&mut w, &careless, &[1_000], None);
    let theirs = task(&mut w, &fresh, &[1_000], None);
    let e = w.refused_with(|w| w.accept(&careless, mine));
    assert_eq!(e, too_low(7_000, 0, 7_500));
    w.accept(&fresh, theirs).unwrap();
    assert_eq!(w.agent_info(&fresh).reserved.u128(), 1_000);
    // With exactly the required free bond it is accepted.
    let escrow = w.escrow.clone();
    w.s.fund(&careless, 500);
    w.s.send(&careless, &escrow, 500, &ReceiveMsg::TopUpBond {})
        .unwrap();
    w.s.moved(&careless, &escrow, 500);
    w.accept(&careless, mine).unwrap();
    w.check();
    assert_eq!(w.task(mine).task.bond_reserved, Some(Uint128::new(1_000)));

    // A lost ruling: +2 500 more (the whole reservation slashed to the client). Its task counts
    // as completed (every milestone settled) but proves nothing: it paid the agent nothing.
    w.deliver(&careless, (mine, 0), vec![]).unwrap();
    w.dispute(mine, 0).unwrap();
    w.resolve(mine, 0, 0).unwrap();
    w.paid(&client, 1_000 + 1_000);
    w.check();
    let r = w.reputation(&careless).agent.expect("an agent");
    assert_eq!(
        (
            r.lost,
            r.completed,
            r.proven,
            r.slashed.u128(),
            r.bond_multiplier_bps
        ),
        (1, 1, 0, 1_000, 17_500)
    );
    let next = task(&mut w, &careless, &[1_000], None);
    let e = w.refused_with(|w| w.accept(&careless, next));
    assert_eq!(e, too_low(6_500, 0, 8_750));
}

#[test]
fn proven_tasks_lower_the_free_bond_an_agent_must_hold() {
    let mut w = world();
    let veteran = w.hire("veteran", 9_000, &[]);
    let novice = w.hire("novice", 9_000, &[]);
    // A task that pays it one unit less than the minimum bond proves nothing.
    complete(&mut w, &veteran, 5_263);
    let r = w.reputation(&veteran).agent.expect("an agent");
    assert_eq!((r.completed, r.proven, r.earned.u128()), (1, 0, 4_999));
    assert_eq!(r.bond_multiplier_bps, 10_000);
    for done in 1..=4u32 {
        complete_proven(&mut w, &veteran);
        assert_eq!(multiplier(&w, &veteran), 10_000 - 250 * done);
    }
    w.check();
    // Each takes a task of 5 000 first: min(5 000, 50 % of 9 000) = 4 500 reserved, 4 500 free.
    let big = [
        task(&mut w, &veteran, &[5_000], None),
        task(&mut w, &novice, &[5_000], None),
    ];
    w.accept(&veteran, big[0]).unwrap();
    w.accept(&novice, big[1]).unwrap();
    let small = [
        task(&mut w, &veteran, &[1_000], None),
        task(&mut w, &novice, &[1_000], None),
    ];
    // The novice needs the minimum, 5 000; the veteran 5 000 × 90 % = 4 500, exactly its free bond.
    let e = w.refused_with(|w| w.accept(&novice, small[1]));
    assert_eq!(e, too_low(9_000, 4_500, 5_000));
    w.accept(&veteran, small[0]).unwrap();
    let v = w.agent_info(&veteran);
    assert_eq!(
        (v.reserved.u128(), v.free.u128(), v.open_tasks),
        (4_500 + 1_000, 3_500, 2)
    );
    w.check();
}

#[test]
fn the_record_moves_the_multiplier_within_its_bounds() {
    let mut w = world();
    let agent = w.hire("busy", 9_000, &[]);
    let stranger = w.s.addr("stranger");
    for done in 1..=21u32 {
        complete_proven(&mut w, &agent);
        assert_eq!(multiplier(&w, &agent), 10_000 - (250 * done).min(5_000));
    }
    // Losses add on top of the discount, up to 20 000: nine accepted tasks miss their delivery.
    let late: Vec<u64> = (0..9).map(|_| task(&mut w, &agent, &[100], None)).collect();
    for id in &late {
        w.accept(&agent, *id).unwrap();
    }
    w.at(w.now() + DELIVERY);
    let client = w.client.clone();
    for (i, id) in late.iter().enumerate() {
        w.refund(&stranger, *id).unwrap();
        w.paid(&client, 100);
        let losses = i as u32 + 1;
        assert_eq!(multiplier(&w, &agent), 5_000 + (2_500 * losses).min(20_000));
    }
    w.check();
    let r = w.reputation(&agent).agent.expect("an agent");
    assert_eq!(
        (r.completed, r.missed, r.bond_multiplier_bps),
        (21, 9, 25_000)
    );
    // 5 000 × 250 % = 12 500: more than its whole bond.
    let id = task(&mut w, &agent, &[100], None);
    let e = w.refused_with(|w| w.accept(&agent, id));
    assert_eq!(e, too_low(9_000, 0, 12_500));
}
