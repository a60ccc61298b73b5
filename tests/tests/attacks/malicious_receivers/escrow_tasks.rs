use crate::setup::escrow_tasks::*;

// ---------------------------------------------------------------------------------------------
// Callbacks during settlement
// ---------------------------------------------------------------------------------------------

/// The agent is a contract with a cw20 `Receive` hook that calls back into the escrow. The
/// escrow pays agents (and clients) with cw20 `transfer`, which never calls the recipient, so
/// its hook does not run during settlement; called any other way, its callback is refused.
#[test]
fn a_contract_agent_is_paid_by_transfer_and_cannot_call_back() {
    let mut w = world();
    let (escrow, pool, token) = (w.escrow.clone(), w.s.pool.clone(), w.s.token.clone());
    let evil = malicious::deploy(&mut w, "evil-agent");
    w.s.fund(&evil, BOND);
    // It registers (a cw20 send by the contract) and arms its callback: finalize the milestone
    // again, and refund the task.
    malicious::call(
        &mut w,
        &evil,
        &token,
        &Cw20ExecuteMsg::Send {
            contract: escrow.to_string(),
            amount: Uint128::new(BOND),
            msg: to_json_binary(&ReceiveMsg::RegisterAgent {
                name: "evil".into(),
                metadata_uri: String::new(),
                models: vec![1],
                capabilities: None,
            })
            .unwrap(),
        },
    )
    .unwrap();
    w.s.moved(&evil, &escrow, BOND);
    w.agent = evil.clone();
    let id = w.create(&[2_000]);
    malicious::call(
        &mut w,
        &evil,
        &escrow,
        &ExecuteMsg::AcceptTask { task_id: id },
    )
    .unwrap();
    let submit = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: "ab".repeat(32),
        result_uri: String::new(),
        inferences: vec![w.lineage_inference("evil-1")],
        input_hash: None,
    };
    malicious::call(&mut w, &evil, &escrow, &submit).unwrap();
    // The delivery pays the model fee: 200 stays with model licensing, 800 reaches the pool.
    w.s.moved(&escrow, &w.models.clone(), 200);
    w.s.moved(&escrow, &pool, 800);
    w.check();
    malicious::arm(
        &mut w,
        &evil,
        &escrow,
        bin(&ExecuteMsg::Finalize {
            task_id: id,
            milestone: 0,
        }),
    );

    // Approval: model 1 000 (paid at delivery), protocol 100, agent 900 by transfer. Its hook
    // never ran.
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 100);
    w.s.moved(&escrow, &evil, 900);
    w.check();
    assert_eq!(malicious::hooks(&w, &evil), 0);
    assert_eq!(w.task(id).task.status, TaskStatus::Completed);

    // Were its hook called (here by a cw20 `send` from a stranger), the callback would find
    // the milestone paid: the escrow refuses and the whole send reverts.
    let stranger = w.s.addr("stranger");
    w.s.fund(&stranger, 10);
    let e = w.refused(|w| {
        w.s.app.execute_contract(
            stranger.clone(),
            token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: evil.to_string(),
                amount: Uint128::new(10),
                msg: Binary::default(),
            },
            &[],
        )
    });
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    assert_eq!(malicious::hooks(&w, &evil), 0);
    // Nor may it approve its own work.
    let e = w.refused(|w| {
        malicious::call(
            w,
            &evil,
            &escrow,
            &ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: 0,
            },
        )
    });
    assert_eq!(contract_err(e), ContractError::NotClient { task_id: id });
}

/// The only contract the escrow calls with a hook is model licensing, when a delivery pays its
/// model fees. Here a hostile contract stands in for it (wired by the owner) and calls back
/// into the escrow from `pay_inference`: state was written before the funds moved, so the
/// callback finds the milestone submitted (its review window open) and is refused, and as the
/// fee payment is a plain submessage the whole submission reverts: nothing moves, nothing is
/// paid twice. (0.2.0 paid the fees at settlement and returned a refused one to the client in
/// `reply`.)
#[test]
fn a_callback_from_the_model_contract_during_delivery_reverts_the_submission() {
    let mut w = world();
    let pool = w.s.pool.clone();
    let evil_models = malicious::deploy(&mut w, "evil-models");
    let arbiter = w.arbiter.clone();
    let escrow = w.s.deploy_escrow(&evil_models, &arbiter);
    w.escrow = escrow.clone();
    let other_agent = w.s.addr("agent-2");
    w.s.fund(&other_agent, BOND);
    w.register(&other_agent, BOND, vec![1]).unwrap();
    w.agent = other_agent.clone();
    w.check();

    let first = w.accepted(&[3_000]);
    let second = w.accepted(&[3_000]);
    let review_deadline = w.now() + REVIEW;
    for (id, callback, expected) in [
        (
            first,
            ExecuteMsg::Finalize {
                task_id: first,
                milestone: 0,
            },
            ContractError::ReviewWindowOpen {
                task_id: first,
                milestone: 0,
                review_deadline,
            },
        ),
        (
            second,
            ExecuteMsg::Refund { task_id: second },
            ContractError::MilestoneUnderReview {
                task_id: second,
                milestone: 0,
                review_deadline,
            },
        ),
    ] {
        malicious::arm(&mut w, &evil_models, &escrow, bin(&callback));
        let item = w.lineage_inference(&format!("x-{id}"));
        let e = w.refused(|w| w.submit(id, 0, vec![item]));
        assert_eq!(contract_err(e), expected);
        let t = w.task(id);
        assert_eq!(
            (t.milestones[0].status, t.task.escrowed.u128()),
            (MilestoneStatus::Pending, 3_000)
        );
    }
    assert_eq!(
        malicious::hooks(&w, &evil_models),
        0,
        "every hook call was reverted with its callback"
    );

    // Control: without a callback the same contract takes the fees, so the callback was the
    // cause of the refusals above; each delivery pays 1 000, each approval protocol 150 and
    // agent 1 850.
    malicious::disarm(&mut w, &evil_models, &escrow);
    for id in [first, second] {
        w.submit(id, 0, vec![w.lineage_inference(&format!("x-{id}"))])
            .unwrap();
        w.s.moved(&escrow, &evil_models, MODEL_FEE);
        w.check();
        let res = w.approve(id, 0).unwrap();
        assert_eq!(attr(&res, "task_status"), "completed");
        w.s.moved(&escrow, &pool, 150);
        w.s.moved(&escrow, &other_agent, 1_850);
        w.check();
        let t = w.task(id);
        assert_eq!(t.milestones[0].inferences[0].status, ModelFeeStatus::Paid);
        assert_eq!(
            (t.task.paid_to_agent.u128(), t.task.model_fees_paid.u128()),
            (1_850, MODEL_FEE)
        );
    }
    assert_eq!(malicious::hooks(&w, &evil_models), 2);
}
