//! Messages of model licensing: models with lineage, licences, paid inferences, receipts.

mod execute;
mod query;
mod types;

pub use execute::*;
pub use query::*;
pub use types::*;
