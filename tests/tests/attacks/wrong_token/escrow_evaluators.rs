use crate::workflows::kit::*;

// ---------------------------------------------------------------------------------------------
// Evaluator hooks from a wrong token, or from a wallet calling `receive` itself
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_register_evaluator_with_second_cw20() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let fake = second_token(&mut w, &mallory);
    let hook = evaluator_hook(vec!["code-review".into()], 0);
    let e = refused(&mut w, |w| fake_send(w, &fake, &mallory, 50_000, &hook));
    assert_eq!(e, unexpected_token(&w, &fake));
    let evaluators: openledger_common::msg::agent_escrow::EvaluatorsResponse =
        w.query(&QueryMsg::Evaluators {
            start_after: None,
            limit: None,
        });
    assert!(evaluators.evaluators.is_empty());
    w.check();
}

#[test]
fn attack_wrong_token_top_up_evaluator_bond_with_second_cw20() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let fake = second_token(&mut w, &judge);
    let e = refused(&mut w, |w| {
        fake_send(
            w,
            &fake,
            &judge,
            500_000,
            &ReceiveMsg::TopUpEvaluatorBond {},
        )
    });
    assert_eq!(e, unexpected_token(&w, &fake));
    assert_eq!(evaluator_info(&w, &judge).bond.u128(), EVALUATOR_BOND);
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_for_evaluator_hooks() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let hook = bin(&evaluator_hook(vec![], 0));
    let e = refused(&mut w, |w| {
        forged_receive(w, &mallory, &mallory, BOND, hook)
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    // Nor can it top up an evaluator's bond (raising its cover) with tokens it never sent.
    let top_up = bin(&ReceiveMsg::TopUpEvaluatorBond {});
    let e = refused(&mut w, |w| {
        forged_receive(w, &mallory, &judge, 1_000_000, top_up)
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    assert_eq!(evaluator_info(&w, &judge).bond.u128(), EVALUATOR_BOND);
    w.check();
}

#[test]
fn attack_wrong_token_zero_or_small_evaluator_bonds_of_open() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let rookie = w.s.addr("rookie");
    w.s.fund(&rookie, MIN_BOND);
    let e = refused(&mut w, |w| {
        raw_send(
            w,
            &judge,
            0,
            &to_json_vec(&ReceiveMsg::TopUpEvaluatorBond {}).unwrap(),
        )
    });
    assert_eq!(e, ContractError::Hook(HookError::ZeroAmount));
    let hook = evaluator_hook(vec![], 0);
    let escrow = w.escrow.clone();
    let e = refused(&mut w, |w| w.s.send(&rookie, &escrow, MIN_BOND - 1, &hook));
    assert_eq!(
        e,
        ContractError::BondTooLow {
            bond: Uint128::new(MIN_BOND - 1),
            required: Uint128::new(MIN_BOND)
        }
    );
    w.s.fund(&judge, MIN_BOND);
    let e = refused(&mut w, |w| w.s.send(&judge, &escrow, MIN_BOND, &hook));
    assert_eq!(
        e,
        ContractError::EvaluatorAlreadyRegistered {
            address: judge.to_string()
        }
    );
    w.check();
}
