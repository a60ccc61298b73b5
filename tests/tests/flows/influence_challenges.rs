//! The life of attestors and challenges with real tokens: bonds in, a voided root slashing the
//! attestor (20 % to the challenger, withdrawn, the rest to the treasury) and its epoch posted
//! again by a fair root, an upheld root paying the challenger's bond to the treasury,
//! an attestor removed with its bond returned, and a migration of the live pool, with every
//! balance, the liabilities and solvency checked after every step.

use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::Executor;
use openledger_common::msg::reward_pool::{
    AttestorsResponse, ExecuteMsg as PoolExec, MigrateMsg, QueryMsg as PoolQuery,
    ReceiveMsg as PoolHook, SolvencyResponse, DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND,
    DEFAULT_CHALLENGE_WINDOW,
};
use openledger_tests::{err, influence_entries, AttributionTree, Suite};
use reward_pool::ContractError;

fn liabilities(s: &Suite) -> (u128, u128, u128) {
    let r: SolvencyResponse = s.query_pool(&PoolQuery::Solvency {});
    (
        r.liabilities.attestor_bonds.u128(),
        r.liabilities.challenge_bonds.u128(),
        r.liabilities.influence_buckets.u128(),
    )
}

fn challenge(s: &mut Suite, who: &Addr, datanet_id: u64, epoch: u64, bond: u128) {
    let pool = s.pool.clone();
    s.send(
        who,
        &pool,
        bond,
        &PoolHook::ChallengeRoot { datanet_id, epoch },
    )
    .unwrap();
    s.moved(who, &pool, bond);
    s.check();
}

fn resolve(s: &mut Suite, datanet_id: u64, epoch: u64, void: bool) {
    let deployer = s.deployer.clone();
    s.pool_exec(
        &deployer,
        &PoolExec::ResolveChallenge {
            datanet_id,
            epoch,
            void,
        },
    )
    .unwrap();
}

#[test]
fn void_rewards_the_challenger_upheld_pays_the_treasury_and_removal_returns_the_bond() {
    let mut s = Suite::default();
    let (curator, alice, bob) = (s.addr("curator"), s.addr("alice"), s.addr("bob"));
    let (attestor, challenger) = (s.addr("attestor"), s.addr("challenger"));
    let bond = DEFAULT_ATTESTOR_BOND.u128();
    let cbond = DEFAULT_CHALLENGE_BOND.u128();
    let d = s.create_influence_datanet(&curator, "challenged");
    // The attestor bonds two minimum bonds: a void costs it one.
    s.add_attestor(&attestor, 2 * bond);
    s.fund(&challenger, 5 * cbond);
    s.fund_datanet(d, 100_000);
    s.check();
    assert_eq!(liabilities(&s), (2 * bond, 0, 100_000));

    // Epoch 1 gives everything to bob: challenged and voided.
    let bad = AttributionTree::new(d, &influence_entries(1, &[(&bob, 100_000)], 1, 1));
    s.post_root(&attestor, 1, &bad).unwrap();
    s.advance(DEFAULT_CHALLENGE_WINDOW / 2);
    challenge(&mut s, &challenger, d, 1, cbond + 7);
    assert_eq!(liabilities(&s), (2 * bond, cbond + 7, 100_000));
    // The verdict comes once the window has closed.
    s.advance(DEFAULT_CHALLENGE_WINDOW / 2);
    let treasury = s.treasury();
    resolve(&mut s, d, 1, true);
    s.check();
    // The slash: 20 % set aside for the challenger, 80 % to the treasury.
    let reward = bond / 5;
    assert_eq!(s.treasury(), treasury + bond - reward);
    assert_eq!(liabilities(&s), (bond, cbond + 7, 100_000));
    let pool = s.pool.clone();
    s.pool_exec(&challenger, &PoolExec::WithdrawChallenge { datanet_id: d })
        .unwrap();
    s.moved(&pool, &challenger, cbond + 7 + reward);
    s.check();
    assert_eq!(liabilities(&s), (bond, 0, 100_000));
    let e = s.claim_attribution(&bob, 1, &bad);
    assert_eq!(
        err::<ContractError>(e),
        ContractError::RootVoided {
            datanet_id: d,
            epoch: 1
        }
    );

    // Epoch 1 again, fair this time; a frivolous challenge is upheld and its bond goes to the
    // treasury.
    let good = AttributionTree::new(
        d,
        &influence_entries(2, &[(&alice, 60_000), (&bob, 40_000)], 1, 1),
    );
    s.post_root(&attestor, 1, &good).unwrap();
    challenge(&mut s, &challenger, d, 1, cbond);
    // The attestor's bond is locked while its root is in its window.
    let deployer = s.deployer.clone();
    let remove = PoolExec::UpdateAttestors {
        add: vec![],
        remove: vec![attestor.to_string()],
    };
    let e = s.pool_exec(&deployer, &remove);
    assert!(matches!(
        err::<ContractError>(e),
        ContractError::AttestorHasOpenChallenges { open: 1, .. }
    ));
    s.advance(DEFAULT_CHALLENGE_WINDOW);
    let treasury = s.treasury();
    resolve(&mut s, d, 1, false);
    s.check();
    assert_eq!(s.treasury(), treasury + cbond);
    assert_eq!(liabilities(&s), (bond, 0, 100_000));
    // Upheld roots are claimable at once.
    for (who, amount) in [(&alice, 60_000u128), (&bob, 40_000)] {
        s.claim_attribution(who, 1, &good).unwrap();
        s.moved(&pool, who, amount);
        s.check();
    }
    assert_eq!(liabilities(&s), (bond, 0, 0));
    s.pool_exec(&deployer, &remove).unwrap();
    s.moved(&pool, &attestor, bond);
    s.check();
    assert_eq!(liabilities(&s), (0, 0, 0));
    let list: AttestorsResponse = s.query_pool(&PoolQuery::Attestors {
        start_after: None,
        limit: None,
    });
    assert!(list.attestors.is_empty());
    let e = s.post_root(&attestor, 3, &good);
    assert_eq!(
        err::<ContractError>(e),
        ContractError::NotAttestor {
            address: attestor.to_string()
        }
    );
}

#[test]
fn migrating_the_live_pool_keeps_roots_claims_and_settings() {
    let mut s = Suite::default();
    let (curator, alice, attestor) = (s.addr("curator"), s.addr("alice"), s.addr("attestor"));
    let d = s.create_influence_datanet(&curator, "migrated");
    s.add_attestor(&attestor, DEFAULT_ATTESTOR_BOND.u128());
    s.fund_datanet(d, 10_000);
    let deployer = s.deployer.clone();
    s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttributionConfig {
            challenge_window: Some(60),
            attestor_bond: None,
            challenge_bond: Some(Uint128::new(5)),
        },
    )
    .unwrap();
    let tree = AttributionTree::new(d, &influence_entries(8, &[(&alice, 2_000)], 3, 100));
    s.post_root(&attestor, 1, &tree).unwrap();

    let code_id = s
        .app
        .wrap()
        .query_wasm_contract_info(s.pool.clone())
        .unwrap()
        .code_id;
    let pool = s.pool.clone();
    s.app
        .migrate_contract(deployer, pool.clone(), &MigrateMsg {}, code_id)
        .unwrap();
    let c: openledger_common::msg::reward_pool::ConfigResponse =
        s.query_pool(&PoolQuery::Config {});
    assert_eq!((c.challenge_window, c.challenge_bond.u128()), (60, 5));
    s.advance(60);
    s.claim_attribution(&alice, 1, &tree).unwrap();
    s.moved(&pool, &alice, 2_000);
    s.check();
}
