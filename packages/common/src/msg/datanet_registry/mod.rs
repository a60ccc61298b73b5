//! Messages of the datanet registry: datanets, contributions, curation, versions.

mod execute;
mod query;
mod types;

pub use execute::*;
pub use query::*;
pub use types::*;
