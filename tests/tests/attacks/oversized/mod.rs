mod escrow;
mod escrow_tags;
mod models;
mod pool;
mod registry;
