use crate::setup::escrow_tasks::*;

// ---------------------------------------------------------------------------------------------
// Bad tasks
// ---------------------------------------------------------------------------------------------

#[test]
fn milestones_must_sum_to_the_deposit() {
    let mut w = world();
    let t = w.new_task(&[600, 500]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(1_000),
            sum: Uint128::new(1_100)
        }
    );
    let t = w.new_task(&[600, 300]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(1_000),
            sum: Uint128::new(900)
        }
    );
    let t = w.new_task(&[1_000, 0]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(contract_err(e), ContractError::ZeroMilestone { index: 1 });
    let t = w.new_task(&[1; 11]);
    let e = w.refused(|w| w.create_with(11, t));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneCount { count: 11, max: 10 }
    );
}

#[test]
fn deadlines_in_the_past_or_overflowing_are_refused() {
    let mut w = world();
    let now = w.now();
    for deadline in [1, now - 1, now] {
        let mut t = w.new_task(&[1_000]);
        t.delivery_deadline = deadline;
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::DeadlineNotInFuture { deadline, now }
        );
    }
    for deadline in [now + MAX_TASK_DURATION + 1, u64::MAX] {
        let mut t = w.new_task(&[1_000]);
        t.delivery_deadline = deadline;
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::DeadlineTooFar {
                deadline,
                latest: now + MAX_TASK_DURATION
            }
        );
    }
    let mut t = w.new_task(&[1_000]);
    t.delivery_deadline = now + ACCEPT;
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::DeadlineWithinAcceptWindow {
            deadline: now + ACCEPT,
            accept_deadline: now + ACCEPT
        }
    );
    let mut t = w.new_task(&[1_000]);
    t.accept_window = u64::MAX;
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::WindowOutOfRange {
            field: "accept_window".into(),
            value: u64::MAX,
            min: 1,
            max: MAX_WINDOW
        }
    );
    let mut t = w.new_task(&[1_000]);
    t.review_window = u64::MAX;
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::WindowOutOfRange {
            field: "review_window".into(),
            value: u64::MAX,
            min: 1,
            max: MAX_WINDOW
        }
    );
}

#[test]
fn a_hook_from_another_token_is_refused() {
    let mut w = world();
    let client = w.client.clone();
    let fake = w.s.fake_token(&client, 1_000_000);
    let task = w.new_task(&[1_000]);
    let send = Cw20ExecuteMsg::Send {
        contract: w.escrow.to_string(),
        amount: Uint128::new(1_000),
        msg: to_json_binary(&ReceiveMsg::CreateTask(task)).unwrap(),
    };
    let e = w.refused(|w| {
        w.s.app
            .execute_contract(client.clone(), fake.clone(), &send, &[])
    });
    assert_eq!(
        contract_err(e),
        ContractError::Hook(HookError::UnexpectedToken {
            expected: w.s.token.to_string(),
            received: fake.to_string()
        })
    );
}
