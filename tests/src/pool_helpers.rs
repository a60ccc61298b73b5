//! Reward-pool checks shared by the security tests and the property tests: "what the pool owes
//! equals what can still be claimed", read from the pool's raw storage.
//!
//! The pool counts contributor and staker rewards as whole units (`contributor_rewards`,
//! `staking_rewards` in `solvency`); the positions hold scaled units (10^18 per unit), and the
//! sub-unit part that no position holds is reported in `solvency.remainders` (below one unit,
//! whole units of it go to the treasury). So, at every moment:
//!
//! ```text
//! contributor_rewards · 10^18 = Σ contributor positions' settled accrued_scaled + remainders.contributors
//! staking_rewards     · 10^18 = Σ stakers' settled accrued_scaled              + remainders.stakers
//! remainders.contributors < 10^18,   remainders.stakers < 10^18
//! ```
//!
//! where "settled" means `accrued_scaled + weight · (accumulator − index)` with the datanet's
//! `reward_per_weight`, or the `reward_per_stake` the `staking_pool` query reports (the stream
//! released up to the block time).

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Uint128, Uint256};
use cw_multi_test::App;
use openledger_common::msg::reward_pool as pool;
use reward_pool::math::SCALE;
use reward_pool::state::Position;

/// Scaled rewards the positions hold, settled now.
#[derive(Debug, Default, PartialEq)]
pub struct RewardHoldings {
    /// Σ over every weight-mode position (all datanets) of its settled `accrued_scaled`.
    pub contributors_scaled: Uint256,
    /// Σ over every staker of its settled `accrued_scaled`.
    pub stakers_scaled: Uint256,
    /// Number of contributor positions stored.
    pub positions: usize,
    /// Number of staker positions stored.
    pub stakers: usize,
}

/// A cw-storage-plus map namespace as it prefixes the raw keys of its entries.
fn map_prefix(namespace: &str) -> Vec<u8> {
    let mut p = (namespace.len() as u16).to_be_bytes().to_vec();
    p.extend_from_slice(namespace.as_bytes());
    p
}

fn settled(pos: &Position, acc: Uint256) -> Uint256 {
    pos.accrued_scaled + Uint256::from(pos.weight) * (acc - pos.index)
}

/// What every position of the pool at `pool` holds, settled at the block time.
pub fn reward_holdings(app: &App, pool_addr: &Addr) -> RewardHoldings {
    let staking: pool::StakingPoolResponse = app
        .wrap()
        .query_wasm_smart(pool_addr, &pool::QueryMsg::StakingPool {})
        .unwrap();
    let mut h = RewardHoldings::default();
    // Version ranges (datanets scoped by version): settled against each datanet's tree.
    let storage = app.contract_storage(pool_addr);
    for item in reward_pool::versions::RANGES.range(
        storage.as_ref(),
        None,
        None,
        cosmwasm_std::Order::Ascending,
    ) {
        let ((_, id, from), mut range) = item.unwrap();
        let p = reward_pool::state::DATANETS
            .load(storage.as_ref(), id)
            .unwrap();
        reward_pool::versions::settle(storage.as_ref(), &p, id, from, &mut range).unwrap();
        h.contributors_scaled += range.accrued_scaled;
        h.positions += 1;
    }
    let positions = map_prefix("positions");
    let stakers = map_prefix("stakers");
    let mut per_weight: BTreeMap<u64, Uint256> = BTreeMap::new();
    for (key, value) in app.dump_wasm_raw(pool_addr) {
        if let Some(rest) = key.strip_prefix(positions.as_slice()) {
            // (address, datanet id): the length-prefixed address, then the id big-endian.
            let id = u64::from_be_bytes(rest[rest.len() - 8..].try_into().unwrap());
            let acc = *per_weight.entry(id).or_insert_with(|| {
                let p: pool::DatanetPoolResponse = app
                    .wrap()
                    .query_wasm_smart(pool_addr, &pool::QueryMsg::DatanetPool { datanet_id: id })
                    .unwrap();
                p.reward_per_weight
            });
            let pos: Position = cosmwasm_std::from_json(&value).unwrap();
            h.contributors_scaled += settled(&pos, acc);
            // Once the pool has met the datanet since the upgrade, the position also holds
            // its weight in every slot since (it turns into a range from slot 1 when touched).
            let p = reward_pool::state::DATANETS
                .load(storage.as_ref(), id)
                .unwrap();
            if p.synced {
                h.contributors_scaled += Uint256::from(pos.weight) * p.slots_sum;
            }
            h.positions += 1;
        } else if key.starts_with(&stakers) {
            let pos: Position = cosmwasm_std::from_json(&value).unwrap();
            h.stakers_scaled += settled(&pos, staking.reward_per_stake);
            h.stakers += 1;
        }
    }
    h
}

/// Asserts that the pool's reward liabilities are exactly what its positions can still claim
/// (see the module's equations); returns the solvency report.
pub fn assert_liabilities_match_claims(app: &App, pool_addr: &Addr) -> pool::SolvencyResponse {
    let s: pool::SolvencyResponse = app
        .wrap()
        .query_wasm_smart(pool_addr, &pool::QueryMsg::Solvency {})
        .unwrap();
    let h = reward_holdings(app, pool_addr);
    let scaled = |u: Uint128| Uint256::from(u) * SCALE;
    assert!(s.remainders.contributors < SCALE, "{s:?}");
    assert!(s.remainders.stakers < SCALE, "{s:?}");
    assert_eq!(
        scaled(s.liabilities.contributor_rewards),
        h.contributors_scaled + s.remainders.contributors,
        "contributor rewards owed ≠ held by positions + unheld remainder: {h:?} {s:?}"
    );
    assert_eq!(
        scaled(s.liabilities.staking_rewards),
        h.stakers_scaled + s.remainders.stakers,
        "staking rewards owed ≠ held by stakers + unheld remainder: {h:?} {s:?}"
    );
    s
}
