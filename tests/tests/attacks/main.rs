//! Attacks on the suite, one module per attack class. Inside a class, one module per contract
//! (or per area) holds its attacks; `setup` holds the fixtures and helpers they share. A
//! refused attack asserts the contract's exact error and that no contract's storage and no
//! party's balance changed; an attack the suite absorbs asserts the exact payouts.

mod setup;

mod addresses;
mod amounts;
mod attribution_roots;
mod authorization;
mod bad_input;
mod bond_cover;
mod changed_terms;
mod donations;
mod duplicate_ids;
mod extreme_numbers;
mod failing_submessages;
mod front_running;
mod malformed_hooks;
mod malicious_receivers;
mod migration;
mod native_coins;
mod oversized;
mod ownership;
mod payer_ids;
mod replay;
mod reporting;
mod rounding;
mod staking_rewards;
mod strict_messages;
mod timing;
mod workflows;
mod wrong_token;
