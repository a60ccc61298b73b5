//! Execute handlers, one file per group of operations.

pub mod admin;
pub mod bonds;
pub mod commitments;
pub mod contributions;
pub mod curation;
pub mod datanets;
pub mod receive;
pub mod versions;
