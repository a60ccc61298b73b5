//! Limits shared by every list query of the suite.

use thiserror::Error;

/// Items a list query returns when no limit is given.
pub const DEFAULT_LIMIT: u32 = 10;
/// The largest page a list query serves.
pub const MAX_LIMIT: u32 = 50;

#[derive(Error, Debug, PartialEq)]
pub enum PaginationError {
    #[error("limit {limit} is out of range: a page holds 1 to {max} items")]
    LimitOutOfRange { limit: u32, max: u32 },
}

/// The page size for `limit`: `DEFAULT_LIMIT` when absent; 0 or above `MAX_LIMIT` is refused
/// (a silently clamped limit would hide a client's mistake).
pub fn page_limit(limit: Option<u32>) -> Result<usize, PaginationError> {
    match limit {
        None => Ok(DEFAULT_LIMIT as usize),
        Some(l) if (1..=MAX_LIMIT).contains(&l) => Ok(l as usize),
        Some(l) => Err(PaginationError::LimitOutOfRange {
            limit: l,
            max: MAX_LIMIT,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(page_limit(None), Ok(10));
        assert_eq!(page_limit(Some(1)), Ok(1));
        assert_eq!(page_limit(Some(50)), Ok(50));
        assert_eq!(
            page_limit(Some(51)),
            Err(PaginationError::LimitOutOfRange { limit: 51, max: 50 })
        );
        assert_eq!(
            page_limit(Some(0)),
            Err(PaginationError::LimitOutOfRange { limit: 0, max: 50 })
        );
    }
}
