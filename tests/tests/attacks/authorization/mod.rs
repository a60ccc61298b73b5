mod escrow;
mod escrow_tasks;
mod escrow_workflows;
mod models;
mod pool;
mod registry;
