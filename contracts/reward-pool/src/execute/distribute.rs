//! The cw20 hook: every hook's dispatch, and `distribute`, which splits what arrives over
//! datanets, stakers and the treasury.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Storage, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;
use openledger_common::attribution::DatanetId;
use openledger_common::hook::{receive_paid, Paid};
use openledger_common::msg::reward_pool::{
    Allocation, AttributionMode, EarningSource, ReceiveMsg, MAX_ALLOCATIONS,
};
use openledger_common::validate_addr;

use super::{attestors, challenges, forfeit_contributor_remainder, staking};
use crate::curators;
use crate::error::ContractError;
use crate::math;
use crate::state::{
    add_to_treasury, DatanetPool, InfluenceState, StakingPool, Totals, CONFIG, DATANETS, INFLUENCE,
    STAKING, TOTALS,
};
use crate::versions;

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
            | Allocation::Treasury { amount }
            | Allocation::Account { amount, .. } => *amount,
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

/// What one datanet allocation did.
struct DatanetCredit {
    /// Owed to its contributors for it (0 when it went to the treasury).
    contributors: Uint128,
    /// Its curators' share (`per_curator × curators`).
    curators: Uint128,
    /// How many curators the pool learned from the registry for it, if it learned the set.
    learned: Option<usize>,
}

/// One `distribute` in progress: what its allocations have done so far.
struct Distribution {
    /// The block time.
    now: u64,
    /// The configured staking reward period.
    period: u64,
    /// The registry (asked once for the versions of a datanet of 0.2.0, and once for the
    /// curators of a datanet stored before curators were paid).
    registry: Option<Addr>,
    /// The curators' share of each datanet allocation, in basis points.
    curators_bps: u16,
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
    /// Credits `amount` to datanet `id` for `version` (the latest when `None`): the curators'
    /// share to its curators (see `curators`), the rest to its contributors as the whole
    /// amount would be without curators. Returns what it did.
    fn credit_datanet(
        &mut self,
        deps: &mut DepsMut,
        id: DatanetId,
        amount: Uint128,
        version: Option<u32>,
    ) -> Result<DatanetCredit, ContractError> {
        let mut pool = DatanetPool::load(deps.storage, id)?;
        pool.sync(
            &deps.querier,
            self.registry.as_ref(),
            id,
            None,
            deps.storage,
        )?;
        let slot = match version {
            Some(v) => Some(pool.slot_of(id, v)?),
            None if pool.slots == 0 => None,
            None => Some(pool.slots),
        };
        let (cut, learned) = curators::take_cut(
            (&mut *deps.storage, deps.api, &deps.querier),
            self.registry.as_ref(),
            (&mut pool, id),
            amount,
            self.curators_bps,
            &mut self.totals,
        )?;
        let amount = cut.rest;
        let storage = &mut *deps.storage;
        let (credited, dust) = match (pool.mode, slot) {
            (AttributionMode::Influence, _) => {
                // What arrived bounds what roots may allocate.
                let mut state = InfluenceState::stored_or_initial(storage, id, &pool)?;
                state.total_received = state.total_received.checked_add(amount)?;
                INFLUENCE.save(storage, id, &state)?;
                pool.unallocated = pool.unallocated.checked_add(amount)?;
                self.totals.influence_outstanding =
                    self.totals.influence_outstanding.checked_add(amount)?;
                (amount, Uint128::zero())
            }
            // No published version, or nobody holds weight in it: nobody can earn it, so the
            // treasury takes it.
            (AttributionMode::Weight, None) => (Uint128::zero(), amount),
            (AttributionMode::Weight, Some(s)) => match pool.credit_slot(storage, id, s, amount)? {
                None => (Uint128::zero(), amount),
                Some(c) => {
                    self.totals.contributor_outstanding = self
                        .totals
                        .contributor_outstanding
                        .checked_add(c.credited)?;
                    self.unheld = self.unheld.checked_add(c.unheld_scaled)?;
                    (c.credited, amount.checked_sub(c.credited)?)
                }
            },
        };
        DATANETS.save(storage, id, &pool)?;
        self.to_treasury = self.to_treasury.checked_add(dust)?;
        Ok(DatanetCredit {
            contributors: credited,
            curators: cut.curators,
            learned,
        })
    }

    /// Credits `amount` to `address`'s account for `source`.
    fn credit_account(
        &mut self,
        deps: &mut DepsMut,
        address: &str,
        amount: Uint128,
        source: &EarningSource,
    ) -> Result<Addr, ContractError> {
        let addr = validate_addr(deps.api, "address", address)?;
        versions::add_credit(deps.storage, &addr, source, amount)?;
        self.totals.credits_outstanding = self.totals.credits_outstanding.checked_add(amount)?;
        Ok(addr)
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
    mut deps: DepsMut,
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
        registry: config.registry.clone(),
        curators_bps: config.curators_bps,
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
            Allocation::Datanet {
                id,
                amount,
                version,
            } => {
                let c = d.credit_datanet(&mut deps, id, amount, version)?;
                if let Some(n) = c.learned {
                    res = res.add_attribute(format!("curators_learned_{id}"), n.to_string());
                }
                res = res.add_attribute(format!("datanet_{id}"), c.contributors);
                if !c.curators.is_zero() {
                    res = res.add_attribute(format!("datanet_{id}_curators"), c.curators);
                }
            }
            Allocation::Stakers { amount } => {
                res = d.credit_stakers(deps.storage, amount, res)?;
            }
            Allocation::Treasury { amount } => {
                d.to_treasury = d.to_treasury.checked_add(amount)?;
            }
            Allocation::Account {
                address,
                amount,
                source,
            } => {
                let addr = d.credit_account(&mut deps, &address, amount, &source)?;
                res = res.add_attribute(format!("account_{addr}"), amount);
            }
        }
    }
    d.finish(deps.storage, res)
}
