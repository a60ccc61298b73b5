//! A storage that counts its reads and writes, to measure what one execution touches.

use std::cell::Cell;

use cosmwasm_std::testing::{MockApi, MockQuerier};
use cosmwasm_std::{MemoryStorage, Order, OwnedDeps, Record, Storage};

/// Counts storage reads (gets and range items) and writes (sets and removes).
#[derive(Default)]
pub struct CountingStorage {
    /// The storage that holds the data.
    pub inner: MemoryStorage,
    /// Reads so far.
    pub reads: Cell<u64>,
    /// Writes so far.
    pub writes: Cell<u64>,
}

impl CountingStorage {
    /// Starts counting again from zero.
    pub fn reset(&self) {
        self.reads.set(0);
        self.writes.set(0);
    }

    /// `(reads, writes)` since the last reset.
    pub fn counts(&self) -> (u64, u64) {
        (self.reads.get(), self.writes.get())
    }
}

impl Storage for CountingStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.reads.set(self.reads.get() + 1);
        self.inner.get(key)
    }
    fn range<'a>(
        &'a self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'a> {
        Box::new(self.inner.range(start, end, order).inspect(|_| {
            self.reads.set(self.reads.get() + 1);
        }))
    }
    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.writes.set(self.writes.get() + 1);
        self.inner.set(key, value)
    }
    fn remove(&mut self, key: &[u8]) {
        self.writes.set(self.writes.get() + 1);
        self.inner.remove(key)
    }
}

/// Mock dependencies on a [`CountingStorage`].
pub type CountingDeps = OwnedDeps<CountingStorage, MockApi, MockQuerier>;

/// Fresh [`CountingDeps`].
pub fn counting_deps() -> CountingDeps {
    OwnedDeps {
        storage: CountingStorage::default(),
        api: MockApi::default(),
        querier: MockQuerier::default(),
        custom_query_type: std::marker::PhantomData,
    }
}
