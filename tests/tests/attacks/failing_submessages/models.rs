use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Failing settlement submessages
// ---------------------------------------------------------------------------------------------

/// The pool refuses the `distribute` of a payment (model licensing was re-wired to the escrow,
/// which takes no such hook): the payment reverts as a whole, the owner is credited nothing.
#[test]
fn attack_failing_submessage_pool_refuses_the_distribution() {
    let mut w = world();
    let (deployer, escrow, client, owner) = (
        w.s.deployer.clone(),
        w.escrow.clone(),
        w.client.clone(),
        w.model_owner.clone(),
    );
    exec(
        &mut w,
        &deployer,
        &ExecuteMsg::UpdateConfig {
            fee_split: None,
            reward_pool: Some(escrow.to_string()),
            registry: None,
        },
    )
    .unwrap();
    let e = refused_any(&mut w, |w| {
        pay(
            w,
            &client,
            MODEL_FEE,
            &ReceiveMsg::PayInference(lineage("lost")),
        )
    })
    .downcast::<agent_escrow::ContractError>()
    .expect("the escrow's refusal");
    assert!(matches!(
        e,
        agent_escrow::ContractError::Hook(HookError::InvalidHook { .. })
    ));
    assert_eq!(earnings(&w, &owner), 0);
    w.check();
}

/// Licences bought while the pool refuses are refunded in full by the revert, too.
#[test]
fn attack_failing_submessage_pool_refuses_a_licence_purchase() {
    let mut w = world();
    add_tier(&mut w);
    let (deployer, escrow, client) = (w.s.deployer.clone(), w.escrow.clone(), w.client.clone());
    exec(
        &mut w,
        &deployer,
        &ExecuteMsg::UpdateConfig {
            fee_split: None,
            reward_pool: Some(escrow.to_string()),
            registry: None,
        },
    )
    .unwrap();
    let hook = buy_tier(1);
    let e = refused_any(&mut w, |w| pay(w, &client, PRICE, &hook))
        .downcast::<agent_escrow::ContractError>()
        .expect("the escrow's refusal");
    assert!(matches!(
        e,
        agent_escrow::ContractError::Hook(HookError::InvalidHook { .. })
    ));
    w.check();
}
