use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Failing settlement submessages and replies
// ---------------------------------------------------------------------------------------------

/// The milestone's model fee was paid at delivery: whatever happened to the model since, the
/// approval pays the protocol 100 and the agent 900, the model and its data keep the 1 000
/// and nothing goes back to the client. (0.2.0 paid the fee at settlement: model licensing
/// refused it and the client got it back, so the model and its data went unpaid.)
fn fee_paid_at_delivery_settles(w: &mut World, id: u64) {
    w.approve(id, 0).unwrap();
    book_paid_settlement(w);
    w.check();
    let t = w.task(id);
    assert_eq!(t.task.status, TaskStatus::Completed);
    let fee = &t.milestones[0].inferences[0];
    assert_eq!(
        (fee.status, fee.error.as_deref()),
        (ModelFeeStatus::Paid, None)
    );
    assert_eq!(
        (
            t.task.model_fees_paid.u128(),
            t.task.model_fees_refunded.u128(),
            t.task.paid_to_agent.u128()
        ),
        (MODEL_FEE, 0, 900)
    );
}

#[test]
fn attack_model_paused_after_delivery_before_approval() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("paused")])
        .unwrap();
    book_delivery_fee(&mut w);
    w.set_model_status(ModelStatus::Paused);
    fee_paid_at_delivery_settles(&mut w, id);
}

#[test]
fn attack_model_retired_after_delivery_before_approval() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("retired")])
        .unwrap();
    book_delivery_fee(&mut w);
    w.set_model_status(ModelStatus::Retired);
    fee_paid_at_delivery_settles(&mut w, id);
}

#[test]
fn attack_model_fee_raised_after_delivery_before_approval() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("repriced")])
        .unwrap();
    book_delivery_fee(&mut w);
    let (owner, models) = (w.model_owner.clone(), w.models.clone());
    w.s.app
        .execute_contract(
            owner,
            models,
            &ModelExec::UpdateModel {
                model_id: 1,
                metadata_uri: None,
                inference_fee: Some(Uint128::new(MODEL_FEE + 1)),
                tiers: None,
                hosts: None,
            },
            &[],
        )
        .unwrap();
    fee_paid_at_delivery_settles(&mut w, id);
}

/// Someone pays the inference id the agent's delivery will use, first: ids are per payer, so
/// the escrow's payment of the same id still goes through and the delivery is paid.
#[test]
fn attack_inference_id_paid_directly_before_delivery() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    let (mallory, models, pool) = (w.s.addr("mallory"), w.models.clone(), w.s.pool.clone());
    w.s.fund(&mallory, MODEL_FEE);
    w.s.send(
        &mallory,
        &models,
        MODEL_FEE,
        &ModelHook::PayInference(w.lineage_inference("front-run")),
    )
    .unwrap();
    w.s.moved(&mallory, &models, 200);
    w.s.moved(&mallory, &pool, 800);
    w.submit(id, 0, vec![w.lineage_inference("front-run")])
        .unwrap();
    book_delivery_fee(&mut w);
    fee_paid_at_delivery_settles(&mut w, id);
}

/// A receipt signed with the client as payer: the escrow pays at delivery, model licensing
/// refuses the receipt and the whole submission fails with its error; nothing moves.
#[test]
fn attack_receipt_signed_for_another_payer_fails_the_delivery() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    let attribution = shares(&[(1, 7_000), (2, 3_000)]);
    let r = receipt(
        &w.s,
        &w.models,
        1,
        "wrong-payer",
        &w.client,
        MODEL_FEE,
        attribution.clone(),
    );
    let payment = InferencePayment {
        model_id: 1,
        inference_id: "wrong-payer".into(),
        attribution: Some(attribution),
        receipt_signature: Some(w.host.sign(&r)),
        io: None,
    };
    let e = refused_any(&mut w, |w| w.submit(id, 0, vec![payment]));
    assert_eq!(
        e.downcast::<model_licensing::ContractError>().unwrap(),
        model_licensing::ContractError::InvalidReceiptSignature {
            model_id: 1,
            inference_id: "wrong-payer".into()
        }
    );
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Pending);
}

#[test]
fn attack_failing_submessage_unknown_reply_id() {
    let mut deps = mock_dependencies();
    for id in [0, 2, 42, u64::MAX] {
        #[allow(deprecated)]
        let r = Reply {
            id,
            payload: Binary::default(),
            gas_used: 0,
            result: SubMsgResult::Err("refused".into()),
        };
        assert_eq!(
            agent_escrow::contract::reply(deps.as_mut(), mock_env(), r).unwrap_err(),
            ContractError::UnknownReplyId { id }
        );
    }
}

#[test]
fn attack_failing_submessage_successful_model_fee_reply() {
    let mut deps = mock_dependencies();
    #[allow(deprecated)]
    let r = Reply {
        id: agent_escrow::state::REPLY_MODEL_FEE,
        payload: Binary::default(),
        gas_used: 0,
        result: SubMsgResult::Ok(SubMsgResponse {
            events: vec![],
            data: None,
            msg_responses: vec![],
        }),
    };
    assert_eq!(
        agent_escrow::contract::reply(deps.as_mut(), mock_env(), r).unwrap_err(),
        ContractError::UnexpectedReply {
            id: agent_escrow::state::REPLY_MODEL_FEE
        }
    );
}

#[test]
fn attack_failing_submessage_reply_for_a_fee_never_sent() {
    let mut deps = mock_dependencies();
    let payload = agent_escrow::state::ModelFeePayload {
        task_id: 9,
        milestone: 0,
        item: 0,
        amount: Uint128::new(MODEL_FEE),
    };
    let r = Reply {
        id: agent_escrow::state::REPLY_MODEL_FEE,
        payload: to_json_binary(&payload).unwrap(),
        gas_used: 0,
        result: SubMsgResult::Err("refused".into()),
    };
    assert_eq!(
        agent_escrow::contract::reply(deps.as_mut(), mock_env(), r).unwrap_err(),
        ContractError::ReplyMismatch {
            task_id: 9,
            milestone: 0,
            item: 0
        }
    );
}
