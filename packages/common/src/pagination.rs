//! Limits shared by every list query of the suite, and the page of a map keyed by address.

use cosmwasm_std::{Addr, Api, Order, StdError, StdResult, Storage};
use cw_storage_plus::{Bound, Map, PrimaryKey};
use serde::de::DeserializeOwned;
use serde::Serialize;
use thiserror::Error;

use crate::validate::{validate_addr, AddressError};

/// Items a list query returns when no limit is given.
pub const DEFAULT_LIMIT: u32 = 10;
/// The largest page a list query serves.
pub const MAX_LIMIT: u32 = 50;

/// A page size a list query refuses.
#[derive(Error, Debug, PartialEq)]
pub enum PaginationError {
    /// `limit` is 0 or above [`MAX_LIMIT`].
    #[error("limit {limit} is out of range: a page holds 1 to {max} items")]
    LimitOutOfRange {
        /// The limit as given.
        limit: u32,
        /// The largest page.
        max: u32,
    },
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

/// The lower bound of a page: the entries after `start_after` (exclusive).
pub fn after<'a, K: PrimaryKey<'a>>(start_after: Option<K>) -> Option<Bound<'a, K>> {
    start_after.map(Bound::exclusive)
}

/// The first `limit` of `entries` (a range after a page's start), each made into a response
/// by `f`.
pub fn page<K, T, R>(
    entries: impl Iterator<Item = StdResult<(K, T)>>,
    limit: usize,
    f: impl Fn(K, T) -> R,
) -> StdResult<Vec<R>> {
    entries
        .take(limit)
        .map(|r| r.map(|(k, v)| f(k, v)))
        .collect()
}

/// A page of `map`, keyed by address: up to `limit` entries (see [`page_limit`]) after
/// `start_after` (exclusive; validated as the field `start_after`), in address order.
pub fn addr_page<T, E>(
    storage: &dyn Storage,
    api: &dyn Api,
    map: &Map<&Addr, T>,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<Vec<(Addr, T)>, E>
where
    T: Serialize + DeserializeOwned,
    E: From<PaginationError> + From<AddressError> + From<StdError>,
{
    let limit = page_limit(limit)?;
    let start = start_after
        .map(|s| validate_addr(api, "start_after", &s))
        .transpose()?;
    let entries = map.range(storage, after(start.as_ref()), None, Order::Ascending);
    Ok(page(entries, limit, |addr, value| (addr, value))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::{MockApi, MockStorage};

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

    crate::contract_error! {
        /// A contract's errors, for the test.
        pub enum ContractError {}
    }

    #[test]
    fn addr_page_starts_after_a_valid_address_and_stops_at_the_limit() {
        const SCORES: Map<&Addr, u32> = Map::new("scores");
        let (mut storage, api) = (MockStorage::new(), MockApi::default());
        let mut addrs: Vec<Addr> = (0..5).map(|i| api.addr_make(&format!("a{i}"))).collect();
        addrs.sort();
        for (i, a) in addrs.iter().enumerate() {
            SCORES.save(&mut storage, a, &(i as u32)).unwrap();
        }
        let fetch = |start: Option<&Addr>, limit| {
            addr_page::<u32, ContractError>(
                &storage,
                &api,
                &SCORES,
                start.map(|a| a.to_string()),
                limit,
            )
        };
        assert_eq!(fetch(None, None).unwrap().len(), 5);
        let second = fetch(Some(&addrs[1]), Some(2)).unwrap();
        assert_eq!(second, vec![(addrs[2].clone(), 2), (addrs[3].clone(), 3)]);
        assert_eq!(
            fetch(None, Some(0)),
            Err(ContractError::Pagination(
                PaginationError::LimitOutOfRange {
                    limit: 0,
                    max: MAX_LIMIT
                }
            ))
        );
        let bad = addr_page::<u32, ContractError>(&storage, &api, &SCORES, Some("X".into()), None);
        let Err(ContractError::InvalidAddress { field, .. }) = bad else {
            panic!("an invalid start_after must be refused");
        };
        assert_eq!(field, "start_after");
    }
}
