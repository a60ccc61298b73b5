//! The fixtures and helpers of the attack classes, one module per area. Each area's world is a
//! view over one [`openledger_tests::Suite`] built by [`openledger_tests::SuiteBuilder`].

pub mod escrow;
pub mod escrow_economics;
pub mod escrow_tasks;
pub mod models;
pub mod pool;
pub mod registry;
pub mod roots;
pub mod staking;
