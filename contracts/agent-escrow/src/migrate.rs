//! Migration of stored state from earlier releases (0.2.0 on): the task counter moves out of
//! the configuration into `TASK_COUNT`, and tasks accepted under 0.2.0 receive the bond
//! reservation they would have received at acceptance.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Order, StdResult, Storage};
use cw_storage_plus::Item;
use openledger_common::bps::apply_bps;
use openledger_common::msg::agent_escrow::{TaskId, TaskStatus};
use openledger_common::Checked;

use crate::error::ContractError;
use crate::state::{status_key, Agent, Task, AGENTS, CONFIG, TASKS, TASK_COUNT};

/// Tasks in progress that a migration gives a bond reservation at most (the rest, if any, keep
/// the 0.2.0 slash, capped at the free bond).
pub const MAX_MIGRATED_RESERVATIONS: usize = 1_000;

/// The part of a configuration stored before the counter moved out (0.2.0) that moved: the
/// task counter. Its other fields are read by `CONFIG` from the same key.
#[cw_serde]
struct ConfigWithCounter {
    /// Tasks created so far (the last id).
    task_count: u64,
}

/// The configuration as stored before the counter moved out.
const CONFIG_WITH_COUNTER: Item<ConfigWithCounter> = Item::new("config");

/// Moves the task counter of a configuration stored with it into `TASK_COUNT` and stores the
/// configuration without it. A state that already has `TASK_COUNT` is left as it is. Returns
/// whether the counter moved.
pub fn move_task_counter(storage: &mut dyn Storage) -> Result<bool, ContractError> {
    if TASK_COUNT.may_load(storage)?.is_some() {
        return Ok(false);
    }
    let task_count = CONFIG_WITH_COUNTER.load(storage)?.task_count;
    let config = CONFIG.load(storage)?;
    TASK_COUNT.save(storage, &task_count)?;
    CONFIG.save(storage, &config)?;
    Ok(true)
}

/// Gives every task in progress without a reservation (accepted under 0.2.0) the reservation it
/// would have received at acceptance, `min(deposit, slash_bps × free bond)`, in task order, so
/// that tasks accepted after the upgrade cannot use up the bond those tasks rely on. Returns how
/// many tasks it reserved for.
pub fn reserve_for_unreserved_tasks(storage: &mut dyn Storage) -> Result<u32, ContractError> {
    let in_progress: Vec<(TaskId, Task)> = TASKS
        .idx
        .status
        .prefix(status_key(TaskStatus::InProgress))
        .range(storage, None, None, Order::Ascending)
        .take(MAX_MIGRATED_RESERVATIONS)
        .collect::<StdResult<_>>()?;
    let mut count = 0u32;
    for (task_id, mut task) in in_progress {
        if task.ext.bond_reserved.is_some() {
            continue;
        }
        let mut agent = Agent::load(storage, &task.agent)?;
        let reserved = task
            .deposit
            .min(apply_bps(agent.free_bond()?, task.slash_bps)?);
        agent.reserved = agent.reserved.checked_add(reserved)?;
        task.ext.bond_reserved = Some(reserved);
        TASKS.save(storage, task_id, &task)?;
        AGENTS.save(storage, &task.agent, &agent)?;
        count.increment()?;
    }
    Ok(count)
}
