//! Checked arithmetic on the plain integers contracts count with (ids, counters, tallies):
//! an overflow is cosmwasm's `OverflowError`, never a wrap or a panic.

use cosmwasm_std::{OverflowError, OverflowOperation};

/// Checked `+`, `-` and `+= 1` for `u32` and `u64`.
pub trait Checked: Sized + Copy {
    /// `self + other`, or an overflow error.
    fn add_checked(self, other: Self) -> Result<Self, OverflowError>;
    /// `self - other`, or an overflow error.
    fn sub_checked(self, other: Self) -> Result<Self, OverflowError>;
    /// Adds one in place and returns the new value.
    fn increment(&mut self) -> Result<Self, OverflowError>;
}

macro_rules! impl_checked {
    ($($t:ty),+) => {$(
        impl Checked for $t {
            fn add_checked(self, other: Self) -> Result<Self, OverflowError> {
                self.checked_add(other)
                    .ok_or(OverflowError::new(OverflowOperation::Add))
            }

            fn sub_checked(self, other: Self) -> Result<Self, OverflowError> {
                self.checked_sub(other)
                    .ok_or(OverflowError::new(OverflowOperation::Sub))
            }

            fn increment(&mut self) -> Result<Self, OverflowError> {
                *self = self.add_checked(1)?;
                Ok(*self)
            }
        }
    )+};
}

impl_checked!(u32, u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflows_are_errors() {
        assert_eq!(2u32.add_checked(3), Ok(5));
        assert_eq!(
            u64::MAX.add_checked(1),
            Err(OverflowError::new(OverflowOperation::Add))
        );
        assert_eq!(
            0u32.sub_checked(1),
            Err(OverflowError::new(OverflowOperation::Sub))
        );
        let mut n = 7u64;
        assert_eq!(n.increment(), Ok(8));
        assert_eq!(n, 8);
        let mut max = u32::MAX;
        assert!(max.increment().is_err());
        assert_eq!(max, u32::MAX);
    }
}
