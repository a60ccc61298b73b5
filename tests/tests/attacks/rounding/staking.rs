use crate::setup::staking::*;

// ---------------------------------------------------------------------------------------------
// Finding 6 and every dropped remainder
// ---------------------------------------------------------------------------------------------

/// 50 contributors share a 49-unit distribution (0.98 unit each, nothing whole), then all 50
/// contributions are removed. 0.2.0 deleted each position with its 0.98 and kept the 49 units
/// counted as owed forever (treasury 0). Now each removed remainder is counted as held by
/// nobody and whole units move to the treasury as they add up: after k removals the treasury
/// holds ⌊0.98·k⌋, the contributors are owed 49 − ⌊0.98·k⌋; after all 50, 49 and 0.
#[test]
fn removed_contributions_hand_their_remainders_to_the_treasury() {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let deployer = s.deployer.clone();
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(NewDatanet {
            name: "fifty".into(),
            description: String::new(),
            metadata_uri: "ipfs://fifty".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
    )
    .unwrap();
    let contributors: Vec<Addr> = (0..50).map(|i| s.addr(&format!("c{i}"))).collect();
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
        &owner,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: (1..=50)
                .map(|id| ReviewDecision::Accept {
                    contribution_id: id,
                    weight: 1,
                })
                .collect(),
        },
    )
    .unwrap();
    let pool = s.pool.clone();
    s.send(
        &deployer,
        &pool,
        49,
        &PoolHook::Distribute {
            allocations: vec![Allocation::Datanet {
                id: 1,
                amount: Uint128::new(49),
                version: None,
            }],
        },
    )
    .unwrap();
    s.moved(&deployer, &pool, 49);
    let sol = check(&s);
    assert_eq!(sol.liabilities.contributor_rewards.u128(), 49);
    // 49·10^18 / 50 = 0.98·10^18 per position: nothing whole to claim.
    let e = refused::<PoolError>(&mut s, |s| {
        s.pool_exec(&contributors[0], &PoolExec::Claim { datanet_ids: None })
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let each = 49 * REWARD_SCALE / 50;
    for k in 1..=50u128 {
        s.registry_exec(
            &owner,
            &RegExec::RemoveContribution {
                contribution_id: k as u64,
                reason: "deletion request".into(),
            },
        )
        .unwrap();
        let to_treasury = k * each / REWARD_SCALE;
        let sol = check(&s);
        assert_eq!(
            (
                sol.liabilities.treasury.u128(),
                sol.liabilities.contributor_rewards.u128(),
                sol.remainders.contributors
            ),
            (
                to_treasury,
                49 - to_treasury,
                Uint256::from(k * each - to_treasury * REWARD_SCALE)
            ),
            "after {k} removals"
        );
    }
    assert_eq!(s.treasury(), 49);
    let sol = check(&s);
    assert_eq!(sol.liabilities.contributor_rewards, Uint128::zero());
}

/// 1 unit over three equal weights: each holds ⌊10^18/3⌋ and the unit is counted as owed
/// (rounded up), 1 scaled unit held by nobody. When all three leave, 1 + 3·⌊10^18/3⌋ = 10^18:
/// the unit goes to the treasury. 0.2.0 kept it owed forever.
#[test]
fn the_rounding_of_a_distribution_reaches_the_treasury_when_its_holders_leave() {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let deployer = s.deployer.clone();
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(NewDatanet {
            name: "three".into(),
            description: String::new(),
            metadata_uri: "ipfs://three".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
    )
    .unwrap();
    let cs: Vec<Addr> = (0..3).map(|i| s.addr(&format!("c{i}"))).collect();
    for (i, c) in cs.iter().enumerate() {
        s.registry_exec(
            c,
            &RegExec::Contribute(NewContribution {
                datanet_id: 1,
                data_hash: data_hash(&format!("t{i}")),
                uri: format!("ipfs://t{i}"),
                size_bytes: 1,
                license_note: None,
            }),
        )
        .unwrap();
    }
    s.registry_exec(
        &owner,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: (1..=3)
                .map(|id| ReviewDecision::Accept {
                    contribution_id: id,
                    weight: 1,
                })
                .collect(),
        },
    )
    .unwrap();
    let pool = s.pool.clone();
    s.send(
        &deployer,
        &pool,
        1,
        &PoolHook::Distribute {
            allocations: vec![Allocation::Datanet {
                id: 1,
                amount: Uint128::one(),
                version: None,
            }],
        },
    )
    .unwrap();
    s.moved(&deployer, &pool, 1);
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
        (1, 0, Uint256::zero())
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
