use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Missing authorization for every privileged message
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_auth_register_datanet_by_the_pool_owner() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::RegisterDatanet {
                datanet_id: 3,
                mode: AttributionMode::Weight,
            },
        )
    });
    assert_eq!(e, not_registry("register datanets", &deployer));
    w.s.check();
}

#[test]
fn attack_auth_update_weights_by_the_datanet_owner() {
    let mut w = world();
    let owner = w.owner.clone();
    let msg = weights(1, vec![(owner.to_string(), 10_000)]);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&owner, &msg));
    assert_eq!(e, not_registry("update weights", &owner));
    w.s.check();
}

#[test]
fn attack_auth_registry_entry_points_before_the_registry_is_set() {
    let mut w = world();
    let (deployer, mallory) = (w.deployer.clone(), w.mallory.clone());
    let code = w.s.app.store_code(openledger_tests::pool_contract());
    let fresh =
        w.s.app
            .instantiate_contract(
                code,
                deployer.clone(),
                &openledger_common::msg::reward_pool::InstantiateMsg {
                    owner: None,
                    token: w.s.token.to_string(),
                    registry: None,
                    unbonding_period: 60,
                    curators_bps: None,
                },
                &[],
                "fresh pool",
                None,
            )
            .unwrap();
    w.s.ledger.insert(fresh.clone(), 0);
    for msg in [
        PoolExec::RegisterDatanet {
            datanet_id: 1,
            mode: AttributionMode::Weight,
        },
        weights(1, vec![(mallory.to_string(), 1)]),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.app
                .execute_contract(mallory.clone(), fresh.clone(), &msg, &[])
        });
        assert_eq!(e, PoolError::RegistryNotSet);
    }
    w.s.check();
}

#[test]
fn attack_auth_previous_registry_after_rewiring() {
    let mut w = world();
    let (deployer, registry, alice) = (w.deployer.clone(), w.registry.clone(), w.alice.clone());
    let new_registry = w.s.addr("registry-v2");
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateConfig {
            registry: Some(new_registry.to_string()),
            unbonding_period: None,
            staking_reward_period: None,
            curators_bps: None,
        },
    )
    .unwrap();
    let msg = weights(1, vec![(alice.to_string(), 1)]);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
    assert_eq!(e, not_registry("update weights", &registry));
    w.s.check();
}

#[test]
fn attack_auth_withdraw_treasury_by_a_stranger_or_the_registry() {
    let mut w = world();
    for who in [w.mallory.clone(), w.registry.clone(), w.owner.clone()] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(
                &who,
                &PoolExec::WithdrawTreasury {
                    amount: Uint128::new(TREASURY),
                    recipient: Some(who.to_string()),
                },
            )
        });
        assert_eq!(ownership_error(e), NOT_OWNER);
    }
    w.s.check();
}

#[test]
fn attack_auth_update_config_by_the_registry() {
    let mut w = world();
    let registry = w.registry.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &registry,
            &PoolExec::UpdateConfig {
                registry: None,
                unbonding_period: Some(0),
                staking_reward_period: None,
                curators_bps: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_update_attribution_config_by_an_attestor() {
    let mut w = world();
    let attestor = w.attestor.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::UpdateAttributionConfig {
                challenge_window: Some(1),
                attestor_bond: Some(Uint128::one()),
                challenge_bond: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_update_attestors_by_an_attestor_approving_a_friend() {
    let mut w = world();
    let (attestor, mallory) = (w.attestor.clone(), w.mallory.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::UpdateAttestors {
                add: vec![mallory.to_string()],
                remove: vec![],
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_post_root_by_a_revoked_attestor() {
    let mut w = world();
    let (deployer, attestor) = (w.deployer.clone(), w.attestor.clone());
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttestors {
            add: vec![],
            remove: vec![attestor.to_string()],
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &attestor, DEFAULT_ATTESTOR_BOND.u128());
    let tree_root = w.tree.root();
    let total = w.tree.total;
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::PostAttributionRoot {
                datanet_id: 2,
                epoch: 1,
                root: tree_root,
                cumulative_total: Uint128::new(total),
                version: None,
            },
        )
    });
    assert_eq!(
        e,
        PoolError::NotAttestor {
            address: attestor.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_auth_bond_attestor_by_an_unapproved_account() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 5_000, &PoolHook::BondAttestor {})
    });
    assert_eq!(
        e,
        PoolError::NotAttestor {
            address: mallory.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_auth_resolve_challenge_by_the_attestor_of_the_root() {
    let mut w = world();
    w.post();
    w.challenge();
    let attestor = w.attestor.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &attestor,
            &PoolExec::ResolveChallenge {
                datanet_id: 2,
                epoch: 1,
                void: false,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_claim_of_another_accounts_rewards() {
    // Claims pay the sender's own position only.
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &mallory,
            &PoolExec::Claim {
                datanet_ids: Some(vec![1]),
            },
        )
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    w.s.check();
}

#[test]
fn attack_auth_claim_attribution_with_another_accounts_proof() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let mallory = w.mallory.clone();
    let msg = w.claim_alice(1, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&mallory, &msg));
    assert_eq!(
        e,
        PoolError::InvalidProof {
            datanet_id: 2,
            epoch: 1
        }
    );
    w.s.check();
}

#[test]
fn attack_auth_unstake_of_another_accounts_stake() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &mallory,
            &PoolExec::Unstake {
                amount: Uint128::one(),
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientStake {
            staked: Uint128::zero(),
            requested: Uint128::one()
        }
    );
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// OPEN token: authorization and amounts
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_auth_token_transfer_from_without_allowance() {
    let mut w = world();
    let (alice, mallory) = (w.alice.clone(), w.mallory.clone());
    let e = w.s.refused(|s| spend_allowance(s, &alice, &mallory));
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "No allowance for this account");
    w.s.check();
}

#[test]
fn attack_auth_token_mint_without_a_minter() {
    let mut w = world();
    let (mallory, token) = (w.mallory.clone(), w.s.token.clone());
    let e = w.s.refused(|s| {
        s.app.execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Mint {
                recipient: mallory.to_string(),
                amount: Uint128::new(1_000_000),
            },
            &[],
        )
    });
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Unauthorized");
    w.s.check();
}

#[test]
fn attack_amount_token_transfer_one_more_than_the_balance() {
    let mut w = world();
    let (alice, bob, token) = (w.alice.clone(), w.bob.clone(), w.s.token.clone());
    let balance = w.s.balance(&alice);
    let e = w.s.refused(|s| {
        s.app.execute_contract(
            alice.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: bob.to_string(),
                amount: Uint128::new(balance + 1),
            },
            &[],
        )
    });
    let e = e.downcast::<open_token::ContractError>().unwrap();
    // cosmwasm-std 2 no longer names the operands of an overflow.
    assert_eq!(e.to_string(), "Overflow: Cannot Sub with given operands");
    assert_eq!(w.s.balance(&alice), balance);
    w.s.check();
}
