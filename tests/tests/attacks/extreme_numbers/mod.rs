mod escrow_economics;
mod registry_commitments;
mod staking;
