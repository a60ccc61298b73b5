mod escrow;
mod models;
mod pool;
mod registry;
mod registry_commitments;
