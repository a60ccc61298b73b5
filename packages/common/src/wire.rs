//! Wire names of the suite's field-less enums.
//!
//! Events and error messages name a status or a mode as it appears in JSON (`in_progress`, not
//! `InProgress`). [`wire_names!`](crate::wire_names) writes `as_str()` beside each enum, and a
//! test checks every name against the enum's serde encoding, so the two cannot drift apart.

/// Implements `as_str()` (the JSON name) and `Display` for a field-less enum:
/// `wire_names!(Status { Open => "open", Closed => "closed" });`
#[macro_export]
macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// The name of this value in JSON messages, events and errors.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }

            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$(Self::$variant),+];
        }

        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::msg::agent_escrow::{MilestoneStatus, ModelFeeStatus, RefundReason, TaskStatus};
    use crate::msg::datanet_registry::{ContributionPolicy, ContributionStatus, DatanetStatus};
    use crate::msg::model_licensing::ModelStatus;
    use crate::msg::reward_pool::{AttributionMode, ChallengeStatus, RootStatus};

    /// `as_str()` of every value equals its JSON encoding.
    fn check<T: serde::Serialize>(all: &[T], name: impl Fn(&T) -> &'static str) {
        for value in all {
            let json = cosmwasm_std::to_json_string(value).unwrap();
            assert_eq!(json, format!("\"{}\"", name(value)));
        }
    }

    #[test]
    fn every_wire_name_is_the_json_name() {
        check(TaskStatus::ALL, TaskStatus::as_str);
        check(RefundReason::ALL, RefundReason::as_str);
        check(MilestoneStatus::ALL, MilestoneStatus::as_str);
        check(ModelFeeStatus::ALL, ModelFeeStatus::as_str);
        check(ContributionPolicy::ALL, ContributionPolicy::as_str);
        check(DatanetStatus::ALL, DatanetStatus::as_str);
        check(ContributionStatus::ALL, ContributionStatus::as_str);
        check(ModelStatus::ALL, ModelStatus::as_str);
        check(AttributionMode::ALL, AttributionMode::as_str);
        check(RootStatus::ALL, RootStatus::as_str);
        check(ChallengeStatus::ALL, ChallengeStatus::as_str);
        assert_eq!(TaskStatus::InProgress.to_string(), "in_progress");
    }
}
