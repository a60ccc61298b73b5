mod escrow_economics;
mod models_terms;
mod registry_commitments;
mod staking;
