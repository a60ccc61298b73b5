//! Attacks on the escrow's workflows: delegation of sub-tasks out of a milestone, evaluators
//! and bonded arbiters, escalation of a silent evaluator, client ratings and the bond a
//! record of work raises or lowers. A refused attack asserts the escrow's exact error and
//! that no storage and no balance changed; an absorbed one asserts every payout, the ledger
//! and the escrow's solvency after each step.
//!
//! The world: agent bond 10 000, minimum bond 5 000, protocol fee 5 % (rounded up), slash
//! 50 %, evaluators bonded with 10 000 and charging 100 per verdict (`kit`).

pub mod kit;

mod delegation;
mod evaluators;
mod feedback;
mod reputation;
mod silence;
mod subtasks;
mod sybil;
