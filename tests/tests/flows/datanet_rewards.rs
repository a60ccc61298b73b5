//! Contribute with bond → review → distribute → claim, across several datanets and
//! contributors, with every party's balance checked against the test's ledger after every step.

use cosmwasm_std::{Addr, Uint128};
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionPolicy, ContributorResponse, ExecuteMsg as RegExec,
    NewContribution, NewDatanet, QueryMsg as RegQuery, ReceiveMsg as RegHook, ReviewDecision,
};
use openledger_common::msg::reward_pool::{
    Allocation, ExecuteMsg as PoolExec, PendingRewardsResponse, PositionResponse,
    QueryMsg as PoolQuery, ReceiveMsg as PoolHook, SolvencyResponse, StakerResponse,
};
use openledger_tests::{data_hash, Suite, UNBONDING_PERIOD};

/// The pool's default staking reward period.
const STAKING_PERIOD: u64 = openledger_common::msg::reward_pool::DEFAULT_STAKING_REWARD_PERIOD;

const FEE: u128 = 1_000;
const BOND: u128 = 100;

fn new_datanet(
    name: &str,
    bond: u128,
    policy: ContributionPolicy,
    curators: &[&Addr],
) -> NewDatanet {
    NewDatanet {
        name: name.into(),
        description: format!("{name}: a community dataset"),
        metadata_uri: format!("ipfs://{name}"),
        curators: curators.iter().map(|c| c.to_string()).collect(),
        policy,
        contribution_bond: Uint128::new(bond),
        attribution_mode: AttributionMode::Weight,
    }
}

fn contribution(datanet_id: u64, seed: &str) -> NewContribution {
    NewContribution {
        datanet_id,
        data_hash: data_hash(seed),
        uri: format!("ipfs://{seed}"),
        size_bytes: 1_024,
        license_note: Some("CC-BY-4.0".into()),
    }
}

fn accept(contribution_id: u64, weight: u64) -> ReviewDecision {
    ReviewDecision::Accept {
        contribution_id,
        weight,
    }
}

fn claimable(s: &Suite, who: &Addr, datanet_id: u64) -> u128 {
    let p: PositionResponse = s.query_pool(&PoolQuery::Position {
        datanet_id,
        address: who.to_string(),
    });
    p.claimable.u128()
}

/// Distributes from the deployer and records it in the ledger.
fn distribute(s: &mut Suite, allocations: Vec<Allocation>) {
    let amount: u128 = allocations
        .iter()
        .map(|a| match a {
            Allocation::Datanet { amount, .. }
            | Allocation::Stakers { amount }
            | Allocation::Treasury { amount }
            | Allocation::Account { amount, .. } => amount.u128(),
        })
        .sum();
    let (deployer, pool) = (s.deployer.clone(), s.pool.clone());
    s.send(
        &deployer,
        &pool,
        amount,
        &PoolHook::Distribute { allocations },
    )
    .unwrap();
    s.moved(&deployer, &pool, amount);
}

fn dn(id: u64, amount: u128) -> Allocation {
    Allocation::Datanet {
        id,
        amount: Uint128::new(amount),
        version: None,
    }
}

/// `curator` publishes datanet `id`'s next version.
fn publish(s: &mut Suite, curator: &Addr, id: u64) {
    s.registry_exec(curator, &RegExec::PublishVersion { datanet_id: id })
        .unwrap();
}

/// Claims everything for `who` and records the payout; returns it.
fn claim(s: &mut Suite, who: &Addr, datanet_ids: Option<Vec<u64>>) -> u128 {
    let res = s.pool_exec(who, &PoolExec::Claim { datanet_ids }).unwrap();
    let paid: u128 = res
        .events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == "amount")
        .map(|a| a.value.parse().unwrap())
        .unwrap();
    let pool = s.pool.clone();
    s.moved(&pool, who, paid);
    paid
}

#[test]
fn contribute_review_distribute_claim_with_exact_balances() {
    let mut s = Suite::new(Uint128::new(FEE));
    let owner = s.addr("datanet-owner");
    let curator = s.addr("curator");
    let [c1, c2, c3, c4] = ["c1", "c2", "c3", "c4"].map(|n| s.addr(n));
    s.fund(&owner, 10_000);
    for c in [&c1, &c2, &c3, &c4] {
        s.fund(c, 1_000);
    }
    s.check();

    // Two datanets, each paying the creation fee into the treasury.
    let (registry, pool) = (s.registry.clone(), s.pool.clone());
    s.send(
        &owner,
        &registry,
        FEE,
        &RegHook::CreateDatanet(new_datanet(
            "speech",
            BOND,
            ContributionPolicy::Open,
            &[&curator],
        )),
    )
    .unwrap();
    s.moved(&owner, &pool, FEE);
    s.send(
        &owner,
        &registry,
        FEE,
        &RegHook::CreateDatanet(new_datanet(
            "medical",
            0,
            ContributionPolicy::Allowlist,
            &[&curator],
        )),
    )
    .unwrap();
    s.moved(&owner, &pool, FEE);
    assert_eq!(s.treasury(), 2 * FEE);
    s.check();

    s.registry_exec(
        &curator,
        &RegExec::UpdateAllowlist {
            datanet_id: 2,
            add: vec![c3.to_string(), c4.to_string()],
            remove: vec![],
        },
    )
    .unwrap();

    // Datanet 1 takes bonded contributions through the cw20 hook: ids 1, 2 (c1), 3 (c2), 4 (c3).
    for (who, seed) in [(&c1, "c1-a"), (&c1, "c1-b"), (&c2, "c2-a"), (&c3, "c3-a")] {
        s.send(
            who,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, seed)),
        )
        .unwrap();
        s.moved(who, &registry, BOND);
    }
    // Datanet 2 takes unbonded contributions directly: ids 5 (c3), 6 (c4).
    s.registry_exec(&c3, &RegExec::Contribute(contribution(2, "c3-med")))
        .unwrap();
    s.registry_exec(&c4, &RegExec::Contribute(contribution(2, "c4-med")))
        .unwrap();
    s.check();

    // Review: three accepted, c3's rejected (its bond goes to the treasury).
    s.registry_exec(
        &curator,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: vec![
                accept(1, 100),
                accept(2, 200),
                accept(3, 300),
                ReviewDecision::Reject {
                    contribution_id: 4,
                    reason: "duplicate of public corpus".into(),
                },
            ],
        },
    )
    .unwrap();
    s.moved(&registry, &pool, BOND);
    assert_eq!(s.treasury(), 2 * FEE + BOND);
    s.registry_exec(
        &curator,
        &RegExec::ReviewContributions {
            datanet_id: 2,
            decisions: vec![accept(5, 1), accept(6, 3)],
        },
    )
    .unwrap();
    s.check();

    // Both datanets publish version 1: the fees below name no version, so they reach the
    // latest one's contributors.
    publish(&mut s, &curator, 1);
    publish(&mut s, &curator, 2);

    // Accepted bonds are returned pull-based.
    s.registry_exec(&c1, &RegExec::WithdrawBonds {}).unwrap();
    s.moved(&registry, &c1, 2 * BOND);
    s.registry_exec(&c2, &RegExec::WithdrawBonds {}).unwrap();
    s.moved(&registry, &c2, BOND);
    s.check();
    let c1_stats: ContributorResponse = s.query_registry(&RegQuery::Contributor {
        datanet_id: 1,
        address: c1.to_string(),
    });
    assert_eq!((c1_stats.weight, c1_stats.accepted), (300, 2));

    // First distribution: nobody stakes yet, so the stakers' part goes to the treasury.
    distribute(
        &mut s,
        vec![
            dn(1, 3_000),
            dn(2, 2_000),
            Allocation::Stakers {
                amount: Uint128::new(600),
            },
            Allocation::Treasury {
                amount: Uint128::new(400),
            },
        ],
    );
    assert_eq!(s.treasury(), 2 * FEE + BOND + 1_000);
    assert_eq!(
        (claimable(&s, &c1, 1), claimable(&s, &c2, 1)),
        (1_500, 1_500)
    );
    assert_eq!((claimable(&s, &c3, 2), claimable(&s, &c4, 2)), (500, 1_500));
    s.check();

    // c4 joins datanet 1 after that distribution: it earns nothing from it; version 2 holds
    // it.
    s.send(
        &c4,
        &registry,
        BOND,
        &RegHook::Contribute(contribution(1, "c4-a")),
    )
    .unwrap();
    s.moved(&c4, &registry, BOND);
    s.registry_exec(
        &curator,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: vec![accept(7, 600)],
        },
    )
    .unwrap();
    assert_eq!(claimable(&s, &c4, 1), 0);
    publish(&mut s, &curator, 1);
    distribute(&mut s, vec![dn(1, 1_200)]);
    assert_eq!(
        (
            claimable(&s, &c1, 1),
            claimable(&s, &c2, 1),
            claimable(&s, &c4, 1)
        ),
        (1_500 + 300, 1_500 + 300, 600)
    );
    s.check();

    // c2's contribution is removed and version 3 published: it keeps what it earned and
    // earns nothing from fees for version 3.
    s.registry_exec(
        &curator,
        &RegExec::RemoveContribution {
            contribution_id: 3,
            reason: "deletion request".into(),
        },
    )
    .unwrap();
    publish(&mut s, &curator, 1);
    distribute(&mut s, vec![dn(1, 900)]);
    assert_eq!(
        (
            claimable(&s, &c1, 1),
            claimable(&s, &c2, 1),
            claimable(&s, &c4, 1)
        ),
        (1_800 + 300, 1_800, 600 + 600)
    );
    s.check();

    // Claims: all positions at once, or named datanets.
    let pending: PendingRewardsResponse = s.query_pool(&PoolQuery::PendingRewards {
        address: c4.to_string(),
        datanet_ids: None,
        start_after: None,
        limit: None,
    });
    assert_eq!(pending.total.u128(), 1_200 + 1_500);
    assert_eq!(claim(&mut s, &c1, None), 2_100);
    assert_eq!(claim(&mut s, &c2, Some(vec![1])), 1_800);
    assert_eq!(claim(&mut s, &c3, None), 500);
    assert_eq!(claim(&mut s, &c4, None), 2_700);
    s.check();
    // The withdrawn bond of c4 for datanet 1 is still in the registry until withdrawn.
    s.registry_exec(&c4, &RegExec::WithdrawBonds {}).unwrap();
    s.moved(&registry, &c4, BOND);

    // Every reward is paid: only the treasury remains in the pool.
    let solvency: SolvencyResponse = s.query_pool(&PoolQuery::Solvency {});
    assert_eq!(solvency.liabilities.contributor_rewards, Uint128::zero());
    assert_eq!(solvency.total_liabilities.u128(), 2 * FEE + BOND + 1_000);
    assert_eq!(solvency.balance, solvency.total_liabilities);

    // The pool owner withdraws the treasury.
    let deployer = s.deployer.clone();
    let treasury = s.treasury();
    s.pool_exec(
        &deployer,
        &PoolExec::WithdrawTreasury {
            amount: Uint128::new(treasury),
            recipient: None,
        },
    )
    .unwrap();
    s.moved(&pool, &deployer, treasury);
    s.check();
    assert_eq!(s.balance(&pool), 0);
}

#[test]
fn rounding_dust_stays_below_one_unit_per_recipient() {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let [c1, c2, c3] = ["c1", "c2", "c3"].map(|n| s.addr(n));
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(new_datanet("tiny", 0, ContributionPolicy::Open, &[])),
    )
    .unwrap();
    for (i, c) in [&c1, &c2, &c3].into_iter().enumerate() {
        s.registry_exec(c, &RegExec::Contribute(contribution(1, &format!("d{i}"))))
            .unwrap();
    }
    s.registry_exec(
        &owner,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: vec![accept(1, 1), accept(2, 1), accept(3, 1)],
        },
    )
    .unwrap();
    publish(&mut s, &owner, 1);

    // 100 over three equal weights: 33 each now; 1/3 unit stays attributed to each.
    distribute(&mut s, vec![dn(1, 100)]);
    for c in [&c1, &c2, &c3] {
        assert_eq!(claim(&mut s, c, None), 33);
    }
    let sol: SolvencyResponse = s.query_pool(&PoolQuery::Solvency {});
    assert_eq!(sol.liabilities.contributor_rewards.u128(), 1);
    assert!(
        sol.liabilities.contributor_rewards.u128() < 3,
        "dust below one unit per recipient"
    );
    s.check();

    // Fractions do not pile up: after another 3 units each recipient is still short of its
    // exact share (34.33…) by less than one unit, and the pool still owes exactly that.
    distribute(&mut s, vec![dn(1, 3)]);
    for c in [&c1, &c2, &c3] {
        assert_eq!(claim(&mut s, c, None), 1);
    }
    let sol: SolvencyResponse = s.query_pool(&PoolQuery::Solvency {});
    assert_eq!(sol.liabilities.contributor_rewards.u128(), 1);
    assert_eq!(s.treasury(), 0);
    s.check();
}

/// Stakers allocations stream over the staking reward period (seven days, like the
/// unbonding period here): each step below lets the period pass before looking.
#[test]
fn staking_earns_only_while_staked() {
    let mut s = Suite::default();
    let [st1, st2] = ["staker1", "staker2"].map(|n| s.addr(n));
    s.fund(&st1, 1_000);
    s.fund(&st2, 3_000);
    let pool = s.pool.clone();
    s.send(&st1, &pool, 1_000, &PoolHook::Stake {}).unwrap();
    s.moved(&st1, &pool, 1_000);
    distribute(
        &mut s,
        vec![Allocation::Stakers {
            amount: Uint128::new(400),
        }],
    );
    s.advance(STAKING_PERIOD);
    // staker2 arrives after the first distribution has streamed.
    s.send(&st2, &pool, 3_000, &PoolHook::Stake {}).unwrap();
    s.moved(&st2, &pool, 3_000);
    distribute(
        &mut s,
        vec![Allocation::Stakers {
            amount: Uint128::new(400),
        }],
    );
    s.advance(STAKING_PERIOD);
    let r1: StakerResponse = s.query_pool(&PoolQuery::Staker {
        address: st1.to_string(),
    });
    let r2: StakerResponse = s.query_pool(&PoolQuery::Staker {
        address: st2.to_string(),
    });
    assert_eq!(
        (r1.claimable_rewards.u128(), r2.claimable_rewards.u128()),
        (500, 300)
    );
    s.check();

    s.pool_exec(&st1, &PoolExec::ClaimStakingRewards {})
        .unwrap();
    s.moved(&pool, &st1, 500);
    s.pool_exec(
        &st1,
        &PoolExec::Unstake {
            amount: Uint128::new(1_000),
        },
    )
    .unwrap();
    distribute(
        &mut s,
        vec![Allocation::Stakers {
            amount: Uint128::new(300),
        }],
    );
    s.check();

    s.advance(UNBONDING_PERIOD - 1);
    // One second before the release: refused, naming when it will be.
    let release_at = s.app.block_info().time.seconds() + 1;
    assert_eq!(
        openledger_tests::err::<reward_pool::ContractError>(
            s.pool_exec(&st1, &PoolExec::WithdrawUnbonded {})
        ),
        reward_pool::ContractError::NothingUnbonded {
            next_release: Some(release_at)
        }
    );
    s.advance(1);
    s.pool_exec(&st1, &PoolExec::WithdrawUnbonded {}).unwrap();
    s.moved(&pool, &st1, 1_000);
    // The unbonding period is the staking reward period: the 300 have streamed, all to st2.
    assert_eq!(UNBONDING_PERIOD, STAKING_PERIOD);
    let r2: StakerResponse = s.query_pool(&PoolQuery::Staker {
        address: st2.to_string(),
    });
    assert_eq!(r2.claimable_rewards.u128(), 600);
    s.pool_exec(&st2, &PoolExec::ClaimStakingRewards {})
        .unwrap();
    s.moved(&pool, &st2, 600);
    s.check();
}
