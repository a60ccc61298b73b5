use crate::setup::staking::*;

// ---------------------------------------------------------------------------------------------
// Finding 6 and every dropped remainder
// ---------------------------------------------------------------------------------------------

/// A weight-mode datanet of `n` contributors of weight 1, each accepted, and version 1
/// published: returns the contributors.
fn datanet_of(s: &mut Suite, owner: &Addr, n: u64) -> Vec<Addr> {
    s.registry_exec(
        owner,
        &RegExec::CreateDatanet(NewDatanet {
            name: format!("of-{n}"),
            description: String::new(),
            metadata_uri: format!("ipfs://of-{n}"),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
    )
    .unwrap();
    let contributors: Vec<Addr> = (0..n).map(|i| s.addr(&format!("c{i}"))).collect();
    for (i, c) in contributors.iter().enumerate() {
        s.registry_exec(
            c,
            &RegExec::Contribute(NewContribution {
                datanet_id: 1,
                data_hash: data_hash(&format!("d{i}")),
                uri: format!("ipfs://d{i}"),
                size_bytes: 1,
                license_note: None,
            }),
        )
        .unwrap();
    }
    s.registry_exec(
        owner,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: (1..=n)
                .map(|id| ReviewDecision::Accept {
                    contribution_id: id,
                    weight: 1,
                })
                .collect(),
        },
    )
    .unwrap();
    s.registry_exec(owner, &RegExec::PublishVersion { datanet_id: 1 })
        .unwrap();
    contributors
}

/// The deployer pays `amount` to version `version` of datanet 1.
fn pay_version(s: &mut Suite, amount: u128, version: u32) {
    let (deployer, pool) = (s.deployer.clone(), s.pool.clone());
    s.send(
        &deployer,
        &pool,
        amount,
        &PoolHook::Distribute {
            allocations: vec![Allocation::Datanet {
                id: 1,
                amount: Uint128::new(amount),
                version: Some(version),
            }],
        },
    )
    .unwrap();
    s.moved(&deployer, &pool, amount);
}

/// 50 contributors share a 49-unit fee for version 1 (0.98 unit each, nothing whole), then all
/// 50 contributions are removed and version 2 (empty) is published. 0.2.0 deleted each position
/// with its 0.98 and kept the 49 units owed forever; the first 0.3.0 fix sent them to the
/// treasury. With fees scoped by version, the removed contributors are still the contributors
/// of version 1: their 0.98 stays theirs, nothing moves to the treasury, and one more unit for
/// version 1 makes each of them whole: all 50 claim 1 and the pool owes nothing.
#[test]
fn removed_contributors_keep_their_remainders_until_a_fee_for_their_version_makes_them_whole() {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let contributors = datanet_of(&mut s, &owner, 50);
    pay_version(&mut s, 49, 1);
    let sol = check(&s);
    assert_eq!(sol.liabilities.contributor_rewards.u128(), 49);
    // 49·10^18 / 50 = 0.98·10^18 per position: nothing whole to claim.
    let e = refused::<PoolError>(&mut s, |s| {
        s.pool_exec(&contributors[0], &PoolExec::Claim { datanet_ids: None })
    });
    assert_eq!(e, PoolError::NothingToClaim);
    for k in 1..=50u64 {
        s.registry_exec(
            &owner,
            &RegExec::RemoveContribution {
                contribution_id: k,
                reason: "deletion request".into(),
            },
        )
        .unwrap();
    }
    s.registry_exec(&owner, &RegExec::PublishVersion { datanet_id: 1 })
        .unwrap();
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.contributor_rewards.u128(),
            sol.remainders.contributors
        ),
        (0, 49, Uint256::zero())
    );
    // A fee for version 2 (nobody holds weight in it) goes to the treasury.
    pay_version(&mut s, 5, 2);
    assert_eq!(s.treasury(), 5);
    // One more unit for version 1: 0.98 + 0.02 = 1 each.
    pay_version(&mut s, 1, 1);
    let pool = s.pool.clone();
    for c in &contributors {
        s.pool_exec(c, &PoolExec::Claim { datanet_ids: None })
            .unwrap();
        s.moved(&pool, c, 1);
    }
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.contributor_rewards.u128()
        ),
        (5, 0)
    );
}

/// 1 unit over three equal weights: each holds ⌊10^18/3⌋ and the unit is counted as owed
/// (rounded up), 1 scaled unit held by nobody. When all three leave, they keep their thirds
/// (they are still version 1's contributors) and nothing reaches the treasury; 2 more units for
/// version 1 leave each 10^18 − 1 (nothing whole), 3 more let each claim 1, and what the pool
/// owes is exactly what can still be claimed, rounded up to whole units.
#[test]
fn the_rounding_of_a_distribution_stays_with_the_holders_of_its_version() {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let cs = datanet_of(&mut s, &owner, 3);
    pay_version(&mut s, 1, 1);
    let third = REWARD_SCALE / 3;
    assert_eq!(
        check(&s).remainders.contributors,
        Uint256::from(REWARD_SCALE - 3 * third)
    );
    for id in 1..=3u64 {
        s.registry_exec(
            &owner,
            &RegExec::RemoveContribution {
                contribution_id: id,
                reason: "gone".into(),
            },
        )
        .unwrap();
        check(&s);
    }
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.contributor_rewards.u128(),
            sol.remainders.contributors
        ),
        (0, 1, Uint256::one())
    );
    pay_version(&mut s, 2, 1);
    for c in &cs {
        let e = refused::<PoolError>(&mut s, |s| {
            s.pool_exec(c, &PoolExec::Claim { datanet_ids: None })
        });
        assert_eq!(e, PoolError::NothingToClaim);
    }
    pay_version(&mut s, 3, 1);
    let pool = s.pool.clone();
    for c in &cs {
        s.pool_exec(c, &PoolExec::Claim { datanet_ids: None })
            .unwrap();
        s.moved(&pool, c, 1);
    }
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.contributor_rewards.u128(),
            sol.remainders.contributors
        ),
        (0, 3, Uint256::from(3u8))
    );
}

/// Stakers 1 and 2 share 100 units: ⌊100·10^18/3⌋ per unit of stake (33.33… and 66.66…),
/// 100 counted as owed with 1 scaled unit held by nobody. Both claim and leave with a third
/// and two thirds of a unit: 1 + ⅓ + ⅔ (scaled, exactly 10^18) goes to the treasury. 0.2.0
/// kept the unit owed (and both positions stored) forever.
#[test]
fn stakers_who_leave_hand_their_remainders_to_the_treasury() {
    let mut s = Suite::default();
    let (a, b) = (s.addr("a"), s.addr("b"));
    let deployer = s.deployer.clone();
    s.fund(&a, 1);
    s.fund(&b, 2);
    stake(&mut s, &a, 1);
    stake(&mut s, &b, 2);
    to_stakers(&mut s, &deployer, 100);
    s.advance(PERIOD);
    let per_unit = 100 * REWARD_SCALE / 3;
    assert_eq!(
        check(&s).remainders.stakers,
        Uint256::from(100 * REWARD_SCALE - 3 * per_unit)
    );
    unstake(&mut s, &a, 1);
    claim_staking(&mut s, &a, per_unit / REWARD_SCALE);
    check(&s);
    unstake(&mut s, &b, 2);
    claim_staking(&mut s, &b, 2 * per_unit / REWARD_SCALE);
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.staking_rewards.u128(),
            sol.remainders.stakers
        ),
        (1, 0, Uint256::zero())
    );
    let p = staking_pool(&s);
    assert_eq!(
        (
            p.total_distributed.u128(),
            p.total_claimed.u128(),
            p.total_forfeited.u128()
        ),
        (100, 99, 1)
    );
    // Their withdrawals still pay the stakes in full.
    s.advance(UNBONDING_PERIOD);
    let pool = s.pool.clone();
    for (who, amount) in [(&a, 1), (&b, 2)] {
        s.pool_exec(who, &PoolExec::WithdrawUnbonded {}).unwrap();
        s.moved(&pool, who, amount);
    }
    check(&s);
    assert_eq!(s.balance(&pool), 1);
}
