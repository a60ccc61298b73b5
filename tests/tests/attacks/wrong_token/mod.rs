mod escrow;
mod escrow_evaluators;
mod models;
mod pool;
mod registry;
