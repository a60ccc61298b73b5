mod staking;
