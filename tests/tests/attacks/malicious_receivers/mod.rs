mod escrow;
mod escrow_tasks;
mod models;
