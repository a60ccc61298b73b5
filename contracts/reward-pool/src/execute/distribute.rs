//! The cw20 hook: every hook's dispatch, and `distribute`, which splits what arrives over
//! datanets, stakers and the treasury.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Storage, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;
use openledger_common::attribution::DatanetId;
use openledger_common::hook::{receive_paid, Paid};
use openledger_common::msg::reward_pool::{
    Allocation, AttributionMode, ReceiveMsg, MAX_ALLOCATIONS,
};

use super::{attestors, challenges, forfeit_contributor_remainder, staking};
use crate::error::ContractError;
use crate::math;
use crate::state::{
    add_to_treasury, DatanetPool, InfluenceState, StakingPool, Totals, CONFIG, DATANETS, INFLUENCE,
    STAKING, TOTALS,
};

/// `receive`: a cw20 send of the fee token, dispatched on its hook message.
pub fn receive_cw20(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let hook: Paid<ReceiveMsg> =
        receive_paid::<_, ContractError>(deps.api, &config.token, &info.sender, wrapper)?;
    let (sender, amount) = (hook.payer, hook.amount);
    match hook.msg {
        ReceiveMsg::Distribute { allocations } => {
            distribute(deps, env, sender, amount, allocations)
        }
        ReceiveMsg::Stake {} => staking::stake(deps, env, sender, amount),
        ReceiveMsg::BondAttestor {} => attestors::bond_attestor(deps, sender, amount),
        ReceiveMsg::ChallengeRoot { datanet_id, epoch } => {
            challenges::challenge_root(deps, env, sender, amount, datanet_id, epoch)
        }
    }
}

/// Refuses an empty or too long list of allocations, a zero allocation, and allocations that
/// do not sum to `amount` exactly.
fn check_allocations(allocations: &[Allocation], amount: Uint128) -> Result<(), ContractError> {
    if allocations.is_empty() || allocations.len() > MAX_ALLOCATIONS {
        return Err(ContractError::AllocationCount {
            got: allocations.len(),
            max: MAX_ALLOCATIONS,
        });
    }
    let mut allocated = Uint128::zero();
    for (index, a) in allocations.iter().enumerate() {
        let part = match a {
            Allocation::Datanet { amount, .. }
            | Allocation::Stakers { amount }
            | Allocation::Treasury { amount } => *amount,
        };
        if part.is_zero() {
            return Err(ContractError::ZeroAllocation { index });
        }
        allocated = allocated.checked_add(part)?;
    }
    if allocated != amount {
        return Err(ContractError::AllocationSumMismatch {
            sent: amount,
            allocated,
        });
    }
    Ok(())
}

/// One `distribute` in progress: what its allocations have done so far.
struct Distribution {
    /// The block time.
    now: u64,
    /// The configured staking reward period.
    period: u64,
    totals: Totals,
    /// Loaded (and its stream released up to now) at the first stakers allocation.
    staking: Option<StakingPool>,
    /// Whole units for the treasury: treasury allocations and what nobody can earn.
    to_treasury: Uint128,
    /// What releasing the stakers' stream credited to the treasury.
    streamed_to_treasury: Uint128,
    /// Scaled rounding counted as owed to contributors and held by no position.
    unheld: Uint256,
}

impl Distribution {
    /// Credits `amount` to datanet `id`; returns what its contributors are owed for it.
    fn credit_datanet(
        &mut self,
        storage: &mut dyn Storage,
        id: DatanetId,
        amount: Uint128,
    ) -> Result<Uint128, ContractError> {
        let mut pool = DatanetPool::load(storage, id)?;
        let (credited, dust) = match pool.mode {
            AttributionMode::Influence => {
                // What arrived bounds what roots may allocate.
                let mut state = InfluenceState::stored_or_initial(storage, id, &pool)?;
                state.total_received = state.total_received.checked_add(amount)?;
                INFLUENCE.save(storage, id, &state)?;
                pool.unallocated = pool.unallocated.checked_add(amount)?;
                self.totals.influence_outstanding =
                    self.totals.influence_outstanding.checked_add(amount)?;
                (amount, Uint128::zero())
            }
            // Nobody holds weight: nobody can earn it, so the treasury takes it.
            AttributionMode::Weight if pool.total_weight == 0 => (Uint128::zero(), amount),
            AttributionMode::Weight => {
                let c = math::increment(amount, Uint128::from(pool.total_weight))?;
                pool.reward_per_weight = pool.reward_per_weight.checked_add(c.inc)?;
                pool.total_distributed = pool.total_distributed.checked_add(c.credited)?;
                self.totals.contributor_outstanding = self
                    .totals
                    .contributor_outstanding
                    .checked_add(c.credited)?;
                self.unheld = self.unheld.checked_add(c.unheld_scaled)?;
                (c.credited, amount.checked_sub(c.credited)?)
            }
        };
        DATANETS.save(storage, id, &pool)?;
        self.to_treasury = self.to_treasury.checked_add(dust)?;
        Ok(credited)
    }

    /// Streams `amount` to the stakers (with nobody staked, to the treasury); adds the
    /// `streamed` (first stakers allocation only) and `stakers` attributes.
    fn credit_stakers(
        &mut self,
        storage: &mut dyn Storage,
        amount: Uint128,
        mut res: Response,
    ) -> Result<Response, ContractError> {
        let pool = match self.staking.take() {
            Some(pool) => pool,
            None => {
                let (pool, streamed) = staking::staking_at(storage, self.now)?;
                res = res.add_attribute("streamed", streamed.released);
                // Credited to the treasury by `staking_at` already.
                self.streamed_to_treasury = streamed.to_treasury;
                pool
            }
        };
        let pool = self.staking.insert(pool);
        // Nobody staked: nobody can earn it, so the treasury takes it (as in 0.2.0).
        // Otherwise it streams: a stake made just before earns only its share of what is
        // released while it is staked.
        let streaming = if pool.total_staked.is_zero() {
            self.to_treasury = self.to_treasury.checked_add(amount)?;
            Uint128::zero()
        } else {
            math::extend(&mut pool.stream, amount, self.now, self.period)?;
            amount
        };
        Ok(res.add_attribute("stakers", streaming))
    }

    /// Saves the totals and the staking pool and credits the treasury; adds the
    /// `stream_end` and `treasury` attributes.
    fn finish(
        mut self,
        storage: &mut dyn Storage,
        res: Response,
    ) -> Result<Response, ContractError> {
        let mut res = res;
        let forfeited = forfeit_contributor_remainder(storage, &mut self.totals, self.unheld)?;
        TOTALS.save(storage, &self.totals)?;
        if let Some(pool) = &self.staking {
            res = res.add_attribute("stream_end", pool.stream.end.to_string());
            STAKING.save(storage, pool)?;
        }
        add_to_treasury(storage, self.to_treasury)?;
        let treasury = self
            .to_treasury
            .checked_add(forfeited)?
            .checked_add(self.streamed_to_treasury)?;
        Ok(res.add_attribute("treasury", treasury))
    }
}

/// `distribute` hook: splits `amount` over the allocations; they must sum to it exactly.
fn distribute(
    deps: DepsMut,
    env: Env,
    sender: Addr,
    amount: Uint128,
    allocations: Vec<Allocation>,
) -> Result<Response, ContractError> {
    check_allocations(&allocations, amount)?;
    let config = CONFIG.load(deps.storage)?;
    let mut d = Distribution {
        now: env.block.time.seconds(),
        period: config.staking_reward_period,
        totals: TOTALS.load(deps.storage)?,
        staking: None,
        to_treasury: Uint128::zero(),
        streamed_to_treasury: Uint128::zero(),
        unheld: Uint256::zero(),
    };
    let mut res = Response::new()
        .add_attribute("action", "distribute")
        .add_attribute("sender", sender.as_str())
        .add_attribute("amount", amount);
    for a in allocations {
        match a {
            Allocation::Datanet { id, amount } => {
                let credited = d.credit_datanet(deps.storage, id, amount)?;
                res = res.add_attribute(format!("datanet_{id}"), credited);
            }
            Allocation::Stakers { amount } => {
                res = d.credit_stakers(deps.storage, amount, res)?;
            }
            Allocation::Treasury { amount } => {
                d.to_treasury = d.to_treasury.checked_add(amount)?;
            }
        }
    }
    d.finish(deps.storage, res)
}
