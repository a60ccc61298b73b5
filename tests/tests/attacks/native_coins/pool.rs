use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Native coins attached to every execute message kind (pool and token)
// ---------------------------------------------------------------------------------------------

/// Each test: the bank-funded sender attaches one coin to an otherwise valid message to
/// `$contract`; it is refused with `$err` and nothing changes; the same message without coins
/// then gets its normal answer (`$then`).
macro_rules! native_coins_refused {
    ($name:ident, $sender:ident, $contract:ident, $msg:expr, $err:expr, $then:expr) => {
        #[test]
        fn $name() {
            let mut w = world();
            let sender = w.$sender.clone();
            w.s.app.init_modules(|router, _, storage| {
                router
                    .bank
                    .init_balance(storage, &sender, coins(1_000, DENOM))
                    .unwrap()
            });
            #[allow(clippy::redundant_closure_call)]
            let msg = ($msg)(&mut w);
            let contract = w.s.$contract.clone();
            let e = w.s.refused(|s| {
                s.app
                    .execute_contract(sender.clone(), contract.clone(), &msg, &coins(1, DENOM))
            });
            #[allow(clippy::redundant_closure_call)]
            ($err)(e);
            let res =
                w.s.app
                    .execute_contract(sender.clone(), contract, &msg, &[]);
            #[allow(clippy::redundant_closure_call)]
            ($then)(&mut w, res);
            let native = w.s.app.wrap().query_balance(&sender, DENOM).unwrap();
            assert_eq!(native.amount.u128(), 1_000);
            w.s.check();
        }
    };
}

fn pool_nonpayable(e: anyhow::Error) {
    assert_eq!(
        e.downcast::<PoolError>().unwrap(),
        PoolError::Payment(PaymentError::NonPayable {})
    );
}

fn token_nonpayable(e: anyhow::Error) {
    assert_eq!(
        e.downcast::<open_token::ContractError>().unwrap(),
        open_token::ContractError::NativeCoinsRefused {
            sent: format!("1{DENOM}")
        }
    );
}

fn ok(_: &mut World, res: anyhow::Result<AppResponse>) {
    res.unwrap();
}

/// The answer without coins pays `amount` from the pool to `who`.
fn pays(
    who: fn(&World) -> Addr,
    amount: u128,
) -> impl FnOnce(&mut World, anyhow::Result<AppResponse>) {
    move |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (pool, to) = (w.s.pool.clone(), who(w));
        w.s.moved(&pool, &to, amount);
    }
}

native_coins_refused!(
    attack_native_coins_on_receive,
    mallory,
    pool,
    |w: &mut World| PoolExec::Receive(Cw20ReceiveMsg {
        sender: w.mallory.to_string(),
        amount: Uint128::new(10),
        msg: to_json_binary(&PoolHook::Stake {}).unwrap(),
    }),
    pool_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<PoolError>().unwrap();
        assert_eq!(e, unexpected_token(&w.s, &w.mallory));
    }
);
native_coins_refused!(
    attack_native_coins_on_register_datanet,
    registry,
    pool,
    |_: &mut World| PoolExec::RegisterDatanet {
        datanet_id: 99,
        mode: AttributionMode::Weight,
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_weights,
    registry,
    pool,
    |w: &mut World| weights(1, vec![(w.alice.to_string(), 20)]),
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_claim,
    alice,
    pool,
    |_: &mut World| PoolExec::Claim { datanet_ids: None },
    pool_nonpayable,
    pays(|w| w.alice.clone(), DATANET_REWARD)
);
native_coins_refused!(
    attack_native_coins_on_unstake,
    staker,
    pool,
    |_: &mut World| PoolExec::Unstake {
        amount: Uint128::new(100)
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_unbonded,
    staker,
    pool,
    |w: &mut World| {
        let staker = w.staker.clone();
        w.s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::new(100),
            },
        )
        .unwrap();
        w.s.advance(UNBONDING_PERIOD);
        PoolExec::WithdrawUnbonded {}
    },
    pool_nonpayable,
    pays(|w| w.staker.clone(), 100)
);
native_coins_refused!(
    attack_native_coins_on_claim_staking_rewards,
    staker,
    pool,
    |_: &mut World| PoolExec::ClaimStakingRewards {},
    pool_nonpayable,
    pays(|w| w.staker.clone(), STAKER_REWARD)
);
native_coins_refused!(
    attack_native_coins_on_withdraw_treasury,
    deployer,
    pool,
    |_: &mut World| PoolExec::WithdrawTreasury {
        amount: Uint128::new(100),
        recipient: None,
    },
    pool_nonpayable,
    pays(|w| w.deployer.clone(), 100)
);
native_coins_refused!(
    attack_native_coins_on_update_config,
    deployer,
    pool,
    |_: &mut World| PoolExec::UpdateConfig {
        registry: None,
        unbonding_period: Some(60),
        staking_reward_period: None,
        curators_bps: None,
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_attribution_config,
    deployer,
    pool,
    |_: &mut World| PoolExec::UpdateAttributionConfig {
        challenge_window: Some(60),
        attestor_bond: None,
        challenge_bond: None,
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_attestors,
    deployer,
    pool,
    |w: &mut World| PoolExec::UpdateAttestors {
        add: vec![w.mallory.to_string()],
        remove: vec![],
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_post_attribution_root,
    attestor,
    pool,
    |w: &mut World| PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: w.tree.root(),
        cumulative_total: Uint128::new(w.tree.total),
        version: None,
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_challenge_root,
    challenger,
    pool,
    |w: &mut World| {
        w.post();
        PoolExec::ChallengeRoot {
            datanet_id: 2,
            epoch: 1,
        }
    },
    pool_nonpayable,
    |_: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<PoolError>().unwrap();
        assert_eq!(
            e,
            PoolError::ChallengeBondRequired {
                required: DEFAULT_CHALLENGE_BOND
            }
        );
    }
);
native_coins_refused!(
    attack_native_coins_on_resolve_challenge,
    deployer,
    pool,
    |w: &mut World| {
        w.post();
        w.challenge();
        // Challenges are resolved once the window has closed.
        w.s.advance(DEFAULT_CHALLENGE_WINDOW);
        PoolExec::ResolveChallenge {
            datanet_id: 2,
            epoch: 1,
            void: false,
        }
    },
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_challenge,
    challenger,
    pool,
    |w: &mut World| {
        w.post();
        w.challenge();
        w.s.advance(DEFAULT_CHALLENGE_WINDOW);
        let deployer = w.deployer.clone();
        let resolve = PoolExec::ResolveChallenge {
            datanet_id: 2,
            epoch: 1,
            void: true,
        };
        w.s.pool_exec(&deployer, &resolve).unwrap();
        PoolExec::WithdrawChallenge { datanet_id: 2 }
    },
    pool_nonpayable,
    // Its bond back plus the challengers' reward: 20 % of the slashed minimum bond.
    pays(
        |w| w.challenger.clone(),
        DEFAULT_CHALLENGE_BOND.u128() + DEFAULT_ATTESTOR_BOND.u128() / 5
    )
);
native_coins_refused!(
    attack_native_coins_on_claim_attribution,
    alice,
    pool,
    |w: &mut World| {
        w.post();
        w.s.advance(DEFAULT_CHALLENGE_WINDOW);
        w.claim_alice(1, ALICE_LEAF)
    },
    pool_nonpayable,
    pays(|w| w.alice.clone(), ALICE_LEAF)
);
native_coins_refused!(
    attack_native_coins_on_update_ownership,
    deployer,
    pool,
    |w: &mut World| transfer_ownership(w.bob.as_str(), None),
    pool_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_token_transfer,
    alice,
    token,
    |w: &mut World| Cw20ExecuteMsg::Transfer {
        recipient: w.bob.to_string(),
        amount: Uint128::new(10),
    },
    token_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (alice, bob) = (w.alice.clone(), w.bob.clone());
        w.s.moved(&alice, &bob, 10);
    }
);
native_coins_refused!(
    attack_native_coins_on_token_send_to_the_pool,
    alice,
    token,
    |w: &mut World| Cw20ExecuteMsg::Send {
        contract: w.s.pool.to_string(),
        amount: Uint128::new(10),
        msg: to_json_binary(&PoolHook::Stake {}).unwrap(),
    },
    token_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
        w.s.moved(&alice, &pool, 10);
    }
);
native_coins_refused!(
    attack_native_coins_on_token_increase_allowance,
    alice,
    token,
    |w: &mut World| Cw20ExecuteMsg::IncreaseAllowance {
        spender: w.bob.to_string(),
        amount: Uint128::new(10),
        expires: None,
    },
    token_nonpayable,
    ok
);
native_coins_refused!(
    attack_native_coins_on_token_transfer_from,
    bob,
    token,
    |w: &mut World| {
        let (alice, bob, token) = (w.alice.clone(), w.bob.clone(), w.s.token.clone());
        w.s.app
            .execute_contract(
                alice.clone(),
                token,
                &Cw20ExecuteMsg::IncreaseAllowance {
                    spender: bob.to_string(),
                    amount: Uint128::new(10),
                    expires: None,
                },
                &[],
            )
            .unwrap();
        Cw20ExecuteMsg::TransferFrom {
            owner: alice.to_string(),
            recipient: bob.to_string(),
            amount: Uint128::new(10),
        }
    },
    token_nonpayable,
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (alice, bob) = (w.alice.clone(), w.bob.clone());
        w.s.moved(&alice, &bob, 10);
    }
);
