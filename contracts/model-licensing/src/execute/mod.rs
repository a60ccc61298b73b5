//! Execute handlers, one file per group of operations:
//!
//! - `models`: register, update, status, two-step transfer of a model;
//! - `receive`: the cw20 hook, which dispatches to
//! - `payments`: paid inferences (one or a batch), and
//! - `licenses`: licence purchases and extensions, and licensed inferences;
//! - `earnings`: crediting owner shares, paying the pool, withdrawing earnings;
//! - `admin`: the configuration and the contract's ownership.

pub mod admin;
pub mod earnings;
pub mod licenses;
pub mod models;
pub mod payments;
pub mod receive;

pub use admin::update_config;
pub use earnings::withdraw_earnings;
pub use licenses::record_licensed_inference;
pub use models::{accept_model, register_model, set_model_status, transfer_model, update_model};
pub use receive::receive;
