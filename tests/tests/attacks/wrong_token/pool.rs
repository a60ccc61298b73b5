use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Receive from a wrong token, or a forged Cw20ReceiveMsg from a wallet: every hook
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_distribute_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    fake_token_refused(&mut w, &mallory, 100, &distribute(vec![to_datanet(1, 100)]));
}

#[test]
fn attack_wrong_token_stake_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    fake_token_refused(&mut w, &mallory, 1_000_000, &PoolHook::Stake {});
    assert!(staker_of(&w.s, &mallory).staked.is_zero());
}

#[test]
fn attack_wrong_token_bond_attestor_from_fake_cw20() {
    let mut w = world();
    let attestor = w.attestor.clone();
    fake_token_refused(&mut w, &attestor, 1_000_000, &PoolHook::BondAttestor {});
    assert_eq!(attestor_of(&w.s, &attestor).bond, DEFAULT_ATTESTOR_BOND);
}

#[test]
fn attack_wrong_token_challenge_root_from_fake_cw20() {
    // A worthless challenge would freeze an honest root.
    let mut w = world();
    w.post();
    let mallory = w.mallory.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    fake_token_refused(&mut w, &mallory, DEFAULT_CHALLENGE_BOND.u128(), &hook);
    assert_eq!(
        roots(&w.s).pending.unwrap().status,
        RootStatus::InChallengeWindow
    );
}

#[test]
fn attack_wrong_token_forged_distribute_from_wallet() {
    let mut w = world();
    let mallory = w.mallory.clone();
    forged_receive_refused(
        &mut w,
        &mallory,
        &mallory,
        1_000,
        &distribute(vec![to_datanet(2, 1_000)]),
    );
}

#[test]
fn attack_wrong_token_forged_stake_in_the_name_of_another() {
    let mut w = world();
    let (mallory, staker) = (w.mallory.clone(), w.staker.clone());
    forged_receive_refused(&mut w, &mallory, &staker, 1_000_000, &PoolHook::Stake {});
    assert_eq!(staker_of(&w.s, &staker).staked.u128(), STAKE);
}

#[test]
fn attack_wrong_token_forged_bond_attestor_by_the_attestor() {
    let mut w = world();
    let attestor = w.attestor.clone();
    forged_receive_refused(
        &mut w,
        &attestor,
        &attestor,
        1_000_000,
        &PoolHook::BondAttestor {},
    );
}

#[test]
fn attack_wrong_token_forged_challenge_root_from_wallet() {
    let mut w = world();
    w.post();
    let mallory = w.mallory.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    forged_receive_refused(
        &mut w,
        &mallory,
        &mallory,
        DEFAULT_CHALLENGE_BOND.u128(),
        &hook,
    );
}

#[test]
fn attack_wrong_token_forged_receive_from_the_registry_address() {
    // The registry is trusted for weights, not as a token.
    let mut w = world();
    let registry = w.registry.clone();
    forged_receive_refused(
        &mut w,
        &registry,
        &registry,
        500,
        &distribute(vec![Allocation::Treasury {
            amount: Uint128::new(500),
        }]),
    );
}
