mod escrow;
mod escrow_tasks;
mod models;
mod pool;
mod registry;
