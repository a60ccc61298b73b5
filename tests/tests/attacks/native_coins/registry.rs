use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Native coins attached to every execute message kind
// ---------------------------------------------------------------------------------------------

/// Each test: the sender, bank-funded, attaches one coin to an otherwise valid message; the
/// registry refuses it with `NonPayable` and nothing changes; the same message without coins
/// then gets its normal answer (`$then`), so the coin was the only fault.
macro_rules! native_coins_refused {
    ($name:ident, $sender:ident, $msg:expr, $then:expr) => {
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
            let msg: RegExec = ($msg)(&mut w);
            let registry = w.s.registry.clone();
            let e = refused::<RegError>(&mut w.s, |s| {
                s.app
                    .execute_contract(sender.clone(), registry.clone(), &msg, &coins(1, DENOM))
            });
            assert_eq!(e, RegError::Payment(PaymentError::NonPayable {}));
            let res =
                w.s.app
                    .execute_contract(sender.clone(), registry, &msg, &[]);
            #[allow(clippy::redundant_closure_call)]
            ($then)(&mut w, res);
            let native = w.s.app.wrap().query_balance(&sender, DENOM).unwrap();
            assert_eq!(native.amount.u128(), 1_000);
            w.s.check();
        }
    };
}

fn ok(_: &mut World, res: anyhow::Result<AppResponse>) {
    res.unwrap();
}

native_coins_refused!(
    attack_native_coins_on_receive,
    mallory,
    |w: &mut World| RegExec::Receive(Cw20ReceiveMsg {
        sender: w.mallory.to_string(),
        amount: Uint128::new(BOND),
        msg: to_json_binary(&RegHook::Contribute(contribution(1, "n"))).unwrap(),
    }),
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<RegError>().unwrap();
        assert_eq!(e, unexpected_token(&w.s, &w.mallory));
    }
);
native_coins_refused!(
    attack_native_coins_on_create_datanet,
    owner,
    |_: &mut World| RegExec::CreateDatanet(new_datanet("n", 0, AttributionMode::Weight, vec![])),
    |_: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<RegError>().unwrap();
        assert_eq!(
            e,
            RegError::CreationFeeRequired {
                fee: Uint128::new(FEE)
            }
        );
    }
);
native_coins_refused!(
    attack_native_coins_on_update_datanet,
    owner,
    |_: &mut World| RegExec::UpdateDatanet {
        datanet_id: 1,
        description: Some("new".into()),
        metadata_uri: None,
        policy: None,
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_curators,
    owner,
    |w: &mut World| RegExec::UpdateCurators {
        datanet_id: 1,
        add: vec![w.mallory.to_string()],
        remove: vec![],
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_allowlist,
    curator,
    |w: &mut World| RegExec::UpdateAllowlist {
        datanet_id: 1,
        add: vec![w.bob.to_string()],
        remove: vec![],
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_close_datanet,
    owner,
    |_: &mut World| RegExec::CloseDatanet { datanet_id: 2 },
    ok
);
native_coins_refused!(
    attack_native_coins_on_transfer_datanet,
    owner,
    |w: &mut World| RegExec::TransferDatanet {
        datanet_id: 1,
        new_owner: w.bob.to_string(),
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_accept_datanet,
    bob,
    |w: &mut World| {
        let (owner, bob) = (w.owner.clone(), w.bob.clone());
        w.s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: bob.to_string(),
            },
        )
        .unwrap();
        RegExec::AcceptDatanet { datanet_id: 1 }
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_contribute,
    alice,
    |_: &mut World| RegExec::Contribute(contribution(2, "native")),
    ok
);
native_coins_refused!(
    attack_native_coins_on_commit_contribution,
    alice,
    |w: &mut World| RegExec::CommitContribution {
        datanet_id: 2,
        commitment: openledger_common::msg::datanet_registry::contribution_commitment(
            &data_hash("committed"),
            w.alice.as_str(),
        ),
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_reveal_contribution,
    alice,
    |w: &mut World| {
        let alice = w.alice.clone();
        let commitment = openledger_common::msg::datanet_registry::contribution_commitment(
            &data_hash("revealed"),
            alice.as_str(),
        );
        w.s.registry_exec(
            &alice,
            &RegExec::CommitContribution {
                datanet_id: 2,
                commitment,
            },
        )
        .unwrap();
        w.s.advance(5);
        RegExec::RevealContribution(contribution(2, "revealed"))
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_contribution,
    bob,
    |_: &mut World| RegExec::WithdrawContribution { contribution_id: 2 },
    ok
);
native_coins_refused!(
    attack_native_coins_on_review_contributions,
    curator,
    |_: &mut World| review(1, vec![accept(2, 7)]),
    ok
);
native_coins_refused!(
    attack_native_coins_on_remove_contribution,
    curator,
    |_: &mut World| RegExec::RemoveContribution {
        contribution_id: 1,
        reason: "poisoned".into(),
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_publish_version,
    curator,
    |_: &mut World| RegExec::PublishVersion { datanet_id: 1 },
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_bonds,
    alice,
    |_: &mut World| RegExec::WithdrawBonds {},
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (registry, alice) = (w.s.registry.clone(), w.alice.clone());
        w.s.moved(&registry, &alice, BOND);
    }
);
native_coins_refused!(
    attack_native_coins_on_update_config,
    deployer,
    |_: &mut World| RegExec::UpdateConfig {
        creation_fee: Some(Uint128::zero()),
        reward_pool: None,
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_ownership,
    deployer,
    |w: &mut World| transfer_ownership(w.bob.as_str(), None),
    ok
);
