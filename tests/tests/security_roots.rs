//! Security review (issue 13), findings 1 and 2 and their class in the pool's attestation:
//! epochs that lock a bucket, an attestor escaping its slash by challenging its own root, one
//! bond backing several roots, terms changed between a quote and its transaction, challenges
//! joined after the verdict, challenge counts, and remainders of the challengers' reward.
//!
//! Each attack fails with its exact error and changes no contract's storage and no balance
//! (`Suite::refused`); each fix is checked with exact amounts against the test's own ledger,
//! with a comment saying what 0.2.0 did.

use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::Executor;
use openledger_common::msg::reward_pool::{
    AttestorResponse, AttributionRootResponse, ChallengeResponse, ChallengeStatus,
    ExecuteMsg as PoolExec, QueryMsg as PoolQuery, ReceiveMsg as PoolHook, SolvencyResponse,
    CHALLENGER_REWARD_BPS, DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND, DEFAULT_CHALLENGE_WINDOW,
};
use openledger_tests::{influence_entries, refused, AttributionTree, Suite};
use reward_pool::ContractError;

const BOND: u128 = DEFAULT_ATTESTOR_BOND.u128();
const CBOND: u128 = DEFAULT_CHALLENGE_BOND.u128();
const WINDOW: u64 = DEFAULT_CHALLENGE_WINDOW;
/// What each influence datanet's bucket holds.
const BUCKET: u128 = 100_000;

/// The challengers' reward of a slash, computed here (20 %, rounded down).
fn reward_of(slash: u128) -> u128 {
    slash * u128::from(CHALLENGER_REWARD_BPS) / 10_000
}

struct World {
    s: Suite,
    /// Influence datanet with `BUCKET`.
    d: u64,
    attestor: Addr,
    /// An address the attestor controls (funded by it).
    sybil: Addr,
    honest: Addr,
    alice: Addr,
    /// Gives everything to the sybil: a bad root.
    bad: AttributionTree,
    /// Alice 60 000, the honest challenger 40 000: a fair root.
    good: AttributionTree,
}

/// An influence datanet holding `BUCKET`, an attestor bonded the minimum, a sybil the attestor
/// funded with one challenge bond, and an honest challenger with ten.
fn world() -> World {
    let mut s = Suite::default();
    let curator = s.addr("curator");
    let (attestor, sybil, honest, alice) = (
        s.addr("attestor"),
        s.addr("sybil"),
        s.addr("honest"),
        s.addr("alice"),
    );
    let d = s.create_influence_datanet(&curator, "influence");
    s.fund_datanet(d, BUCKET);
    s.add_attestor(&attestor, BOND);
    s.fund(&attestor, 10 * CBOND);
    s.app
        .execute_contract(
            attestor.clone(),
            s.token.clone(),
            &cw20::Cw20ExecuteMsg::Transfer {
                recipient: sybil.to_string(),
                amount: Uint128::new(CBOND),
            },
            &[],
        )
        .unwrap();
    s.moved(&attestor, &sybil, CBOND);
    s.fund(&honest, 10 * CBOND);
    let bad = AttributionTree::new(d, &influence_entries(1, &[(&sybil, BUCKET)], 1, 1));
    let good = AttributionTree::new(
        d,
        &influence_entries(2, &[(&alice, 60_000), (&honest, 40_000)], 1, 1),
    );
    s.check();
    World {
        s,
        d,
        attestor,
        sybil,
        honest,
        alice,
        bad,
        good,
    }
}

impl World {
    fn challenge(&mut self, who: &Addr, epoch: u64, bond: u128) -> anyhow::Result<()> {
        let pool = self.s.pool.clone();
        let hook = PoolHook::ChallengeRoot {
            datanet_id: self.d,
            epoch,
        };
        self.s.send(who, &pool, bond, &hook)?;
        self.s.moved(who, &pool, bond);
        self.s.check();
        Ok(())
    }

    fn resolve(&mut self, epoch: u64, void: bool) {
        let deployer = self.s.deployer.clone();
        let msg = PoolExec::ResolveChallenge {
            datanet_id: self.d,
            epoch,
            void,
        };
        self.s.pool_exec(&deployer, &msg).unwrap();
        self.s.check();
    }

    /// `who` withdraws its challenge, which must pay exactly `amount`.
    fn withdraw(&mut self, who: &Addr, amount: u128) {
        let msg = PoolExec::WithdrawChallenge { datanet_id: self.d };
        self.s.pool_exec(who, &msg).unwrap();
        let pool = self.s.pool.clone();
        self.s.moved(&pool, who, amount);
        self.s.check();
    }

    fn roots(&self) -> AttributionRootResponse {
        self.s
            .query_pool(&PoolQuery::AttributionRoot { datanet_id: self.d })
    }

    fn challenge_of(&self, who: &Addr) -> ChallengeResponse {
        self.s.query_pool(&PoolQuery::Challenge {
            datanet_id: self.d,
            address: who.to_string(),
        })
    }

    fn liabilities(&self) -> (u128, u128, u128) {
        let r: SolvencyResponse = self.s.query_pool(&PoolQuery::Solvency {});
        (
            r.liabilities.attestor_bonds.u128(),
            r.liabilities.challenge_bonds.u128(),
            r.liabilities.challenge_rewards.u128(),
        )
    }
}

fn attestor_of(s: &Suite, who: &Addr) -> AttestorResponse {
    s.query_pool(&PoolQuery::Attestor {
        address: who.to_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// Finding 1: epochs
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_epoch_u64_max_is_refused_and_the_bucket_stays_claimable() {
    // 0.2.0 took epoch u64::MAX; voided or not, every later root then failed with
    // EpochNotIncreasing { last: u64::MAX } and the bucket was locked for good.
    let mut w = world();
    let (attestor, d) = (w.attestor.clone(), w.d);
    for epoch in [u64::MAX, 0, 2] {
        let e = refused::<ContractError>(&mut w.s, |s| s.post_root(&attestor, epoch, &w.bad));
        assert_eq!(
            e,
            ContractError::UnexpectedEpoch {
                datanet_id: d,
                epoch,
                expected: 1
            }
        );
    }
    assert_eq!(w.roots().next_epoch, 1);
    w.s.post_root(&attestor, 1, &w.good).unwrap();
    w.s.advance(WINDOW);
    assert_eq!(w.roots().next_epoch, 2);
    let (alice, honest, pool) = (w.alice.clone(), w.honest.clone(), w.s.pool.clone());
    for (who, amount) in [(&alice, 60_000), (&honest, 40_000)] {
        w.s.claim_attribution(who, 1, &w.good).unwrap();
        w.s.moved(&pool, who, amount);
    }
    w.s.check();
    let r = w.roots();
    assert_eq!((r.total_paid.u128(), r.unallocated.u128()), (BUCKET, 0));
}

#[test]
fn a_voided_epoch_is_posted_again_by_a_valid_root_and_the_bucket_empties() {
    // 0.2.0 kept the voided epoch as `last_epoch`: the next root had to skip it.
    let mut w = world();
    let (attestor, honest, d) = (w.attestor.clone(), w.honest.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    let r = w.roots();
    assert_eq!(
        (r.last_voided_epoch, r.next_epoch, r.unallocated.u128()),
        (Some(1), 1, BUCKET)
    );
    // The attestor tops its bond up and posts epoch 1 again, a valid root this time.
    let pool = w.s.pool.clone();
    w.s.fund(&attestor, BOND);
    w.s.send(&attestor, &pool, BOND, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&attestor, &pool, BOND);
    let e = refused::<ContractError>(&mut w.s, |s| s.post_root(&attestor, 2, &w.good));
    assert_eq!(
        e,
        ContractError::UnexpectedEpoch {
            datanet_id: d,
            epoch: 2,
            expected: 1
        }
    );
    w.s.post_root(&attestor, 1, &w.good).unwrap();
    w.s.advance(WINDOW);
    let alice = w.alice.clone();
    for (who, amount) in [(&alice, 60_000), (&honest, 40_000)] {
        w.s.claim_attribution(who, 1, &w.good).unwrap();
        w.s.moved(&pool, who, amount);
    }
    w.withdraw(&honest, CBOND + reward_of(BOND));
    assert_eq!(w.roots().unallocated.u128(), 0);
    assert_eq!(w.liabilities(), (BOND, 0, 0));
}

// ---------------------------------------------------------------------------------------------
// Finding 2: reporting must not pay the reported
// ---------------------------------------------------------------------------------------------

#[test]
fn an_attestor_challenging_its_own_root_alone_loses_the_slash_minus_the_reward() {
    // 0.2.0: the sybil's challenge paid it its bond plus the whole slash, so the bad root cost
    // the attestor nothing.
    let mut w = world();
    let (attestor, sybil) = (w.attestor.clone(), w.sybil.clone());
    let held = w.s.ledger[&attestor] + w.s.ledger[&sybil];
    let treasury = w.s.treasury();
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    let reward = reward_of(BOND);
    assert_eq!(w.s.treasury(), treasury + BOND - reward);
    w.withdraw(&sybil, CBOND + reward);
    // Its tokens plus its bond left in the pool: the slash minus the reward is gone.
    let a = attestor_of(&w.s, &attestor);
    let now_held = w.s.ledger[&attestor] + w.s.ledger[&sybil] + a.bond.u128();
    assert_eq!(held + BOND - now_held, BOND - reward);
    assert_eq!(BOND - reward, 800_000);
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn an_honest_challenger_joins_after_the_attestors_sybil_and_shares_the_reward() {
    // 0.2.0 refused the honest challenge (RootAlreadyChallenged) and paid the sybil
    // bond + slash.
    let mut w = world();
    let (attestor, sybil, honest) = (w.attestor.clone(), w.sybil.clone(), w.honest.clone());
    let held = w.s.ledger[&attestor] + w.s.ledger[&sybil];
    let (honest_held, treasury) = (w.s.ledger[&honest], w.s.treasury());
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    w.s.advance(WINDOW / 2);
    w.challenge(&honest, 1, CBOND).unwrap();
    let p = w.roots().pending.unwrap();
    assert_eq!(
        (p.challengers, p.challenge_bonds.u128(), p.stake.u128()),
        (2, 2 * CBOND, BOND)
    );
    assert_eq!(p.challenge.unwrap().challenger, sybil);
    w.s.advance(WINDOW / 2);
    w.resolve(1, true);
    // Reward 200 000, shared by bond: 100 000 each; 800 000 to the treasury.
    let share = reward_of(BOND) / 2;
    assert_eq!(share, 100_000);
    assert_eq!(w.s.treasury(), treasury + BOND - 2 * share);
    let c = w.challenge_of(&honest);
    assert_eq!(
        (c.status, c.reward.u128(), c.withdrawable.u128()),
        (ChallengeStatus::Void, share, CBOND + share)
    );
    w.withdraw(&honest, CBOND + share);
    w.withdraw(&sybil, CBOND + share);
    assert_eq!(w.s.ledger[&honest], honest_held + share);
    let now_held = w.s.ledger[&attestor] + w.s.ledger[&sybil];
    assert_eq!(held + BOND - now_held, BOND - share);
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn attack_the_same_address_challenges_twice() {
    let mut w = world();
    let (attestor, sybil, pool, d) = (w.attestor.clone(), w.sybil.clone(), w.s.pool.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: d,
        epoch: 1,
    };
    w.s.fund(&sybil, CBOND);
    let e = refused::<ContractError>(&mut w.s, |s| s.send(&sybil, &pool, CBOND, &hook));
    assert_eq!(
        e,
        ContractError::DuplicateChallenge {
            datanet_id: d,
            epoch: 1,
            challenger: sybil.to_string()
        }
    );
}

#[test]
fn forty_early_challengers_cannot_shut_out_an_honest_one() {
    // There is no cap to fill: every address may challenge once, and each withdraws its own
    // settlement (pull), so the resolution costs the same for 1 or 41 challengers.
    let mut w = world();
    let (attestor, honest) = (w.attestor.clone(), w.honest.clone());
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let sybils: Vec<Addr> = (0..40).map(|i| w.s.addr(&format!("sybil{i}"))).collect();
    for who in &sybils {
        w.s.fund(who, CBOND);
        w.challenge(who, 1, CBOND).unwrap();
    }
    w.challenge(&honest, 1, CBOND).unwrap();
    assert_eq!(w.roots().pending.unwrap().challengers, 41);
    w.s.advance(WINDOW);
    let treasury = w.s.treasury();
    w.resolve(1, true);
    // 200 000 / 41 = 4 878 each (by equal bonds); 200 000 − 41 × 4 878 = 2 dust units go to
    // the treasury with the last withdrawal.
    let reward = reward_of(BOND);
    let share = reward / 41;
    assert_eq!((share, reward - 41 * share), (4_878, 2));
    w.withdraw(&honest, CBOND + share);
    for who in &sybils {
        w.withdraw(who, CBOND + share);
    }
    assert_eq!(w.s.treasury(), treasury + BOND - reward + 2);
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn an_upheld_root_pays_every_challenge_bond_to_the_treasury() {
    let mut w = world();
    let (attestor, sybil, honest) = (w.attestor.clone(), w.sybil.clone(), w.honest.clone());
    w.s.post_root(&attestor, 1, &w.good).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    w.challenge(&honest, 1, 3 * CBOND).unwrap();
    w.s.advance(WINDOW);
    let treasury = w.s.treasury();
    w.resolve(1, false);
    assert_eq!(w.s.treasury(), treasury + 4 * CBOND);
    assert_eq!(w.liabilities(), (BOND, 0, 0));
    // Withdrawing a forfeited challenge pays nothing and removes it.
    assert_eq!(w.challenge_of(&honest).status, ChallengeStatus::Upheld);
    w.withdraw(&honest, 0);
    let d = w.d;
    let e = refused::<ContractError>(&mut w.s, |s| {
        s.pool_exec(&honest, &PoolExec::WithdrawChallenge { datanet_id: d })
    });
    assert_eq!(
        e,
        ContractError::NoChallenge {
            datanet_id: d,
            address: honest.to_string()
        }
    );
    // The sybil's forfeited record is settled by its next challenge in the datanet.
    let bad2 = AttributionTree::new(w.d, &influence_entries(1, &[(&sybil, BUCKET)], 2, 1));
    w.s.post_root(&attestor, 2, &bad2).unwrap();
    w.s.fund(&sybil, CBOND);
    w.challenge(&sybil, 2, CBOND).unwrap();
    assert_eq!(w.challenge_of(&sybil).epoch, 2);
}

#[test]
fn attack_withdrawing_before_the_verdict_or_without_a_challenge() {
    let mut w = world();
    let (attestor, honest, alice, d) = (w.attestor.clone(), w.honest.clone(), w.alice.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    let msg = PoolExec::WithdrawChallenge { datanet_id: d };
    let e = refused::<ContractError>(&mut w.s, |s| s.pool_exec(&honest, &msg));
    assert_eq!(
        e,
        ContractError::ChallengeNotResolved {
            datanet_id: d,
            epoch: 1
        }
    );
    let e = refused::<ContractError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        ContractError::NoChallenge {
            datanet_id: d,
            address: alice.to_string()
        }
    );
}

// ---------------------------------------------------------------------------------------------
// The class: a verdict seen before joining, one bond behind several roots, terms changed
// between a quote and its transaction
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_joining_after_the_window_or_resolving_inside_it() {
    // Shares are fixed before the verdict: the owner resolves only after the window, and
    // nobody joins after it (0.2.0 resolved at once; a join in front of a visible void would
    // have taken most of the reward).
    let mut w = world();
    let (attestor, honest, sybil, d) = (w.attestor.clone(), w.honest.clone(), w.sybil.clone(), w.d);
    let res = w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let closes_at = res
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == "claimable_at")
        .unwrap()
        .value
        .parse::<u64>()
        .unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.advance(WINDOW - 1);
    let deployer = w.s.deployer.clone();
    let resolve = PoolExec::ResolveChallenge {
        datanet_id: d,
        epoch: 1,
        void: true,
    };
    let e = refused::<ContractError>(&mut w.s, |s| s.pool_exec(&deployer, &resolve));
    assert_eq!(
        e,
        ContractError::ChallengeWindowOpen {
            datanet_id: d,
            epoch: 1,
            closes_at
        }
    );
    w.s.advance(1);
    let pool = w.s.pool.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: d,
        epoch: 1,
    };
    let e = refused::<ContractError>(&mut w.s, |s| s.send(&sybil, &pool, CBOND, &hook));
    assert_eq!(
        e,
        ContractError::ChallengeWindowClosed {
            datanet_id: d,
            epoch: 1,
            closed_at: closes_at
        }
    );
    w.resolve(1, true);
    w.withdraw(&honest, CBOND + reward_of(BOND));
}

#[test]
fn attack_one_bond_behind_roots_of_two_datanets() {
    // 0.2.0 let one minimum bond back a root in each datanet: the first void slashed it all
    // and the second found nothing (its challenger got only its own bond back).
    let mut w = world();
    let (attestor, honest, curator) = (w.attestor.clone(), w.honest.clone(), w.s.addr("curator"));
    let d2 = w.s.create_influence_datanet(&curator, "second");
    w.s.fund_datanet(d2, BUCKET);
    let bad2 = AttributionTree::new(
        d2,
        &influence_entries(1, &[(&w.sybil.clone(), BUCKET)], 1, 1),
    );
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let e = refused::<ContractError>(&mut w.s, |s| s.post_root(&attestor, 1, &bad2));
    assert_eq!(
        e,
        ContractError::AttestorBondTooLow {
            address: attestor.to_string(),
            required: Uint128::new(2 * BOND),
            bonded: Uint128::new(BOND),
            reserved: Uint128::new(BOND),
        }
    );
    assert!(!attestor_of(&w.s, &attestor).can_post);
    // With a second minimum bond both roots are covered, and both voids slash in full.
    let pool = w.s.pool.clone();
    w.s.fund(&attestor, BOND);
    w.s.send(&attestor, &pool, BOND, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&attestor, &pool, BOND);
    w.s.post_root(&attestor, 1, &bad2).unwrap();
    let a = attestor_of(&w.s, &attestor);
    assert_eq!((a.pending_roots, a.reserved.u128()), (2, 2 * BOND));
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.send(
        &honest,
        &pool,
        CBOND,
        &PoolHook::ChallengeRoot {
            datanet_id: d2,
            epoch: 1,
        },
    )
    .unwrap();
    w.s.moved(&honest, &pool, CBOND);
    w.s.advance(WINDOW);
    let treasury = w.s.treasury();
    w.resolve(1, true);
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::ResolveChallenge {
            datanet_id: d2,
            epoch: 1,
            void: true,
        },
    )
    .unwrap();
    let reward = reward_of(BOND);
    assert_eq!(w.s.treasury(), treasury + 2 * (BOND - reward));
    w.withdraw(&honest, CBOND + reward);
    w.s.pool_exec(&honest, &PoolExec::WithdrawChallenge { datanet_id: d2 })
        .unwrap();
    w.s.moved(&pool, &honest, CBOND + reward);
    w.s.check();
    let a = attestor_of(&w.s, &attestor);
    assert_eq!((a.bond.u128(), a.reserved.u128()), (0, 0));
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn attack_challenge_bond_raised_between_the_quote_and_the_send() {
    // The challenge carries its amount: a bond raised in front of it refuses the challenge and
    // the whole cw20 send reverts, so the challenger keeps its tokens.
    let mut w = world();
    let (attestor, honest, d) = (w.attestor.clone(), w.honest.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttributionConfig {
            challenge_window: None,
            attestor_bond: None,
            challenge_bond: Some(Uint128::new(2 * CBOND)),
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: d,
        epoch: 1,
    };
    let e = refused::<ContractError>(&mut w.s, |s| s.send(&honest, &pool, CBOND, &hook));
    assert_eq!(
        e,
        ContractError::ChallengeBondTooLow {
            required: Uint128::new(2 * CBOND),
            sent: Uint128::new(CBOND)
        }
    );
}

#[test]
fn the_attestor_bond_raised_under_a_posted_root_slashes_only_the_posted_stake() {
    // Terms bind at posting: 0.2.0 slashed min(the new attestor_bond, bond) = 3 000 000 here.
    let mut w = world();
    let (attestor, honest) = (w.attestor.clone(), w.honest.clone());
    let pool = w.s.pool.clone();
    w.s.fund(&attestor, 3 * BOND);
    w.s.send(&attestor, &pool, 3 * BOND, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&attestor, &pool, 3 * BOND);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttributionConfig {
            challenge_window: None,
            attestor_bond: Some(Uint128::new(3 * BOND)),
            challenge_bond: None,
        },
    )
    .unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    assert_eq!(attestor_of(&w.s, &attestor).bond.u128(), 3 * BOND);
    w.withdraw(&honest, CBOND + reward_of(BOND));
}

#[test]
fn attack_worst_numbers_in_challenges_and_withdrawals() {
    let mut w = world();
    let (attestor, honest, d) = (w.attestor.clone(), w.honest.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let pool = w.s.pool.clone();
    let e = refused::<ContractError>(&mut w.s, |s| {
        s.send(
            &honest,
            &pool,
            CBOND,
            &PoolHook::ChallengeRoot {
                datanet_id: d,
                epoch: u64::MAX,
            },
        )
    });
    assert_eq!(
        e,
        ContractError::UnknownRoot {
            datanet_id: d,
            epoch: u64::MAX
        }
    );
    let e = refused::<ContractError>(&mut w.s, |s| {
        s.pool_exec(
            &honest,
            &PoolExec::WithdrawChallenge {
                datanet_id: u64::MAX,
            },
        )
    });
    assert_eq!(e, ContractError::UnknownDatanet { id: u64::MAX });
    // A whale's bond dilutes the others' shares but never overflows (shares are taken in 256
    // bits): 900 000 000 000 against 1 000 000.
    let whale = w.s.addr("whale");
    w.s.fund(&whale, 900_000_000_000);
    w.challenge(&whale, 1, 900_000_000_000).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    let reward = reward_of(BOND);
    let total = 900_000_000_000 + CBOND;
    let (whale_share, honest_share) = (reward * 900_000_000_000 / total, reward * CBOND / total);
    assert_eq!((whale_share, honest_share), (199_999, 0));
    let treasury = w.s.treasury();
    w.withdraw(&honest, CBOND + honest_share);
    w.withdraw(&whale, 900_000_000_000 + whale_share);
    assert_eq!(
        w.s.treasury(),
        treasury + reward - whale_share - honest_share
    );
    assert_eq!(w.liabilities(), (0, 0, 0));
}
