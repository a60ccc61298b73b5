mod escrow_economics;
mod models_terms;
mod staking;
