mod escrow;
mod models;
