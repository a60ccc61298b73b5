//! The reconciliation: every balance and total the payments touch, before and after, against
//! the fee split of the model licensing's own quote and the pool's accumulator arithmetic
//! (the economics model).

use anyhow::{ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow as escrow;
use openledger_common::msg::model_licensing as models;
use openledger_common::msg::reward_pool as pool;
use openledger_economics::increment;

use super::{say, Load, Options, Payer, FEE};

/// The state the reconciliation compares before and after.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Snapshot {
    payers: Vec<u128>,
    pool: u128,
    models: u128,
    earnings: u128,
    /// The host's earnings in model licensing (the load's receipts are all signed by it).
    host_earnings: u128,
    datanet_distributed: u128,
    datanet_weight: u64,
    staking_distributed: u128,
    total_staked: u128,
    treasury: u128,
    /// What the pool owes: contributors (weight mode), stakers (released and unclaimed), and
    /// the stakers' stream not yet released.
    contributor_rewards: u128,
    staking_rewards: u128,
    staking_stream: u128,
    paid_inferences: u64,
    inference_revenue: u128,
}

impl Snapshot {
    /// The pool's treasury and everything it owes.
    fn owed(&self) -> u128 {
        self.treasury + self.contributor_rewards + self.staking_rewards + self.staking_stream
    }
}

/// What `amount` credits to holders of `total` units in the pool's accumulator (rounded up,
/// as the pool credits), or nothing when nobody holds any.
fn credited(amount: u128, total: u128) -> Result<u128> {
    if total == 0 {
        return Ok(0);
    }
    Ok(increment(amount, total)?.credited)
}

/// The balances and counters the load run reconciles, read before or after the payments.
pub(super) fn snapshot(load: &Load, payers: &[Payer]) -> Result<Snapshot> {
    let (chain, s) = (load.chain, &load.s);
    let stats: models::ModelStatsResponse = chain.query(
        &load.models_addr,
        &models::QueryMsg::ModelStats {
            model_id: load.model_id,
        },
    )?;
    let bucket: pool::DatanetPoolResponse = chain.query(
        &s.pool,
        &pool::QueryMsg::DatanetPool {
            datanet_id: load.datanet_id,
        },
    )?;
    let staking: pool::StakingPoolResponse =
        chain.query(&s.pool, &pool::QueryMsg::StakingPool {})?;
    let solvency: pool::SolvencyResponse = chain.query(&s.pool, &pool::QueryMsg::Solvency {})?;
    let earnings: Uint128 = chain.query(
        &load.models_addr,
        &models::QueryMsg::Earnings {
            address: load.owner.clone(),
        },
    )?;
    let host_earnings: Uint128 = chain.query(
        &load.models_addr,
        &models::QueryMsg::Earnings {
            address: load.host_addr.clone(),
        },
    )?;
    Ok(Snapshot {
        payers: payers
            .iter()
            .map(|p| s.balance(&p.address))
            .collect::<Result<_>>()?,
        pool: s.balance(&s.pool)?,
        models: s.balance(&load.models_addr)?,
        earnings: earnings.u128(),
        host_earnings: host_earnings.u128(),
        datanet_distributed: bucket.total_distributed.u128(),
        datanet_weight: bucket.total_weight,
        staking_distributed: staking.total_distributed.u128(),
        total_staked: staking.total_staked.u128(),
        treasury: solvency.liabilities.treasury.u128(),
        contributor_rewards: solvency.liabilities.contributor_rewards.u128(),
        staking_rewards: solvency.liabilities.staking_rewards.u128(),
        staking_stream: solvency.liabilities.staking_stream.u128(),
        paid_inferences: stats.paid_inferences,
        inference_revenue: stats.inference_revenue.u128(),
    })
}

/// One payment's split as model licensing quotes it: (datanets, owner, hosts, stakers,
/// treasury) and what the datanet's accumulator credits of its part.
fn quoted_split(load: &Load, before: &Snapshot) -> Result<([u128; 5], u128)> {
    let quote: models::FeeQuoteResponse = load.chain.query(
        &load.models_addr,
        &models::QueryMsg::FeeQuote {
            model_id: load.model_id,
            attribution: Some(load.attribution.clone()),
        },
    )?;
    ensure!(
        quote.fee.u128() == FEE && quote.datanets.len() == 1,
        "unexpected fee quote {quote:?}"
    );
    let split = &quote.split;
    let d_credited = credited(
        quote.datanets[0].amount.u128(),
        u128::from(before.datanet_weight),
    )?;
    Ok((
        [
            split.datanets.u128(),
            split.model_owner.u128(),
            split.hosts.u128(),
            split.stakers.u128(),
            split.treasury.u128(),
        ],
        d_credited,
    ))
}

/// Checks every figure the payments moved; the suite stays solvent.
pub(super) fn reconcile(
    load: &Load,
    payers: &[Payer],
    o: &Options,
    before: &Snapshot,
    after: &Snapshot,
) -> Result<()> {
    let ([d, owner_share, hosts, st, t], d_credited) = quoted_split(load, before)?;
    let n = o.inferences as u128;
    // Stakers' shares join the pool's reward stream (or, with nothing staked, the treasury);
    // what the stream releases meanwhile is credited with the pool's rounding, and sub-unit
    // remainders reach the treasury in whole units: the pool's three owed amounts and its
    // treasury together grow by exactly what it received.
    let mut wrong = vec![];
    let mut check = |what: &str, got: u128, want: u128| {
        if got != want {
            wrong.push(format!("{what}: {got}, expected {want}"));
        }
    };
    check(
        "paid inferences added",
        u128::from(after.paid_inferences - before.paid_inferences),
        n,
    );
    check(
        "inference revenue added",
        after.inference_revenue - before.inference_revenue,
        n * FEE,
    );
    for (i, p) in payers.iter().enumerate() {
        check(
            &format!("{} paid", p.key),
            before.payers[i] - after.payers[i],
            p.inferences as u128 * FEE,
        );
    }
    let to_pool = n * (d + st + t);
    check("reward pool received", after.pool - before.pool, to_pool);
    check(
        "model licensing kept",
        after.models - before.models,
        n * (owner_share + hosts),
    );
    check(
        "model owner's earnings",
        after.earnings - before.earnings,
        n * owner_share,
    );
    check(
        "host's earnings (every receipt signed by it)",
        after.host_earnings - before.host_earnings,
        n * hosts,
    );
    check(
        "datanet credited",
        after.datanet_distributed - before.datanet_distributed,
        n * d_credited,
    );
    let staking_in = (after.staking_distributed + after.staking_stream)
        .saturating_sub(before.staking_distributed + before.staking_stream);
    check(
        "stakers credited or streaming, at most their shares",
        staking_in.min(n * st),
        staking_in,
    );
    check(
        "treasury and what the pool owes",
        after.owed() - before.owed(),
        to_pool,
    );
    ensure!(
        wrong.is_empty(),
        "the load does not reconcile: {}",
        wrong.join("; ")
    );
    load.s.assert_solvent()?;
    let es: escrow::EscrowSolvencyResponse = load
        .chain
        .query(&load.escrow_addr, &escrow::QueryMsg::Solvency {})?;
    ensure!(es.solvent, "agent escrow insolvent: {es:?}");
    say(format!(
        "reconciled: model {} +{n} paid inferences; each payer paid inferences × {FEE}; pool +{to_pool} (datanet {} +{}, stakers' stream and rewards +{staking_in}, treasury +{}), owner earnings +{}, host earnings +{}; every contract solvent",
        load.model_id,
        load.datanet_id,
        n * d_credited,
        after.treasury - before.treasury,
        n * owner_share,
        n * hosts
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use openledger_economics::REWARD_SCALE;

    #[test]
    fn credited_matches_the_pools_rounding() {
        // 500 over a weight of 500: exact.
        assert_eq!(credited(500, 500).unwrap(), 500);
        // 200 over 3 staked: 66.66… per unit, 66_666_666_666_666_666_666 scaled, rounded up.
        assert_eq!(credited(200, 3).unwrap(), 200);
        // 1 over 3: inc = 333…333, inc × 3 = 999…999, rounded up to 1.
        assert_eq!(credited(1, 3).unwrap(), 1);
        // 200 over 7e18: inc = 28, 28 × 7e18 / 1e18 = 196.
        assert_eq!(credited(200, 7 * REWARD_SCALE).unwrap(), 196);
        assert_eq!(credited(200, 0).unwrap(), 0);
    }
}
