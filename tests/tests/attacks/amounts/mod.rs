mod escrow;
mod models;
mod pool;
mod registry;
