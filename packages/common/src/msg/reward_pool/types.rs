//! Attribution modes, limits and defaults, and the states of attribution roots and challenges.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Uint128;

use crate::attribution::DatanetId;

/// How a datanet's share reaches its contributors.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum AttributionMode {
    /// In proportion to curator-accepted weights, through a reward-per-weight accumulator.
    Weight,
    /// By attested, challengeable Merkle roots of influence-based entitlements; the datanet's
    /// share accrues to an unallocated bucket that roots may allocate.
    Influence,
}

crate::wire_names!(AttributionMode { Weight => "weight", Influence => "influence" });

/// The most allocations one `distribute` may carry.
pub const MAX_ALLOCATIONS: usize = 32;
/// The most datanets one `claim` may name.
pub const MAX_CLAIM_DATANETS: usize = 30;
/// The most weight updates one `update_weights` may carry (one review batch).
pub const MAX_WEIGHT_UPDATES: usize = 50;
/// The most unbonding entries a staker may have at once.
pub const MAX_UNBONDING_ENTRIES: usize = 16;
/// The longest unbonding period the owner may set (365 days): `release_at` can never overflow
/// and no stake can be locked for longer.
pub const MAX_UNBONDING_PERIOD: u64 = 365 * 24 * 3_600;
/// Staking reward period of a new pool: seven days. A stakers allocation streams to the
/// stakers over this period (see `staking_pool`), so a stake made just before a large
/// allocation earns only its time-weighted share of it.
pub const DEFAULT_STAKING_REWARD_PERIOD: u64 = 7 * 24 * 3_600;
/// The shortest staking reward period the owner may set, in seconds.
pub const MIN_STAKING_REWARD_PERIOD: u64 = 1;
/// The longest staking reward period the owner may set: 365 days.
pub const MAX_STAKING_REWARD_PERIOD: u64 = 365 * 24 * 3_600;
/// The most addresses one `update_attestors` may add, and the most it may remove.
pub const MAX_ATTESTOR_UPDATES: usize = 50;
/// The longest Merkle proof `claim_attribution` takes (enough for 2^64 leaves).
pub const MAX_PROOF_LEN: usize = crate::merkle::MAX_PROOF_LEN;
/// Challenge window of a new pool: one hour.
pub const DEFAULT_CHALLENGE_WINDOW: u64 = 3_600;
/// The shortest challenge window the owner may set, in seconds.
pub const MIN_CHALLENGE_WINDOW: u64 = 1;
/// The longest challenge window the owner may set: 30 days.
pub const MAX_CHALLENGE_WINDOW: u64 = 30 * 24 * 3_600;
/// Minimum attestor bond of a new pool, in token base units.
pub const DEFAULT_ATTESTOR_BOND: Uint128 = Uint128::new(1_000_000);
/// Minimum challenge bond of a new pool, in token base units.
pub const DEFAULT_CHALLENGE_BOND: Uint128 = Uint128::new(1_000_000);
/// The share of a voided root's slash paid to its challengers, in basis points (20 %), shared
/// among them in proportion to their bonds; the rest of the slash goes to the treasury. An
/// attestor that challenges its own root (through any address) thus loses at least 80 % of it.
pub const CHALLENGER_REWARD_BPS: crate::Bps = 2_000;
/// The most roots one attestor may have inside their challenge window or under challenge at
/// once (each reserves one `attestor_bond` of its bond until it is settled).
pub const MAX_ATTESTOR_PENDING_ROOTS: usize = 32;

/// Where an attribution root stands.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum RootStatus {
    /// Posted, inside its challenge window: not claimable yet, challengeable.
    InChallengeWindow,
    /// Challenged: frozen until the owner resolves the challenge.
    Challenged,
    /// Claimable: the datanet's newest claimable root.
    Claimable,
}

crate::wire_names!(RootStatus { InChallengeWindow => "in_challenge_window", Challenged => "challenged", Claimable => "claimable" });

/// Where a challenge stands.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum ChallengeStatus {
    /// The root is still pending: the owner has not resolved it.
    Open,
    /// The root was voided: the challenger withdraws its bond and its reward share.
    Void,
    /// The root was upheld: the bond went to the treasury; withdrawing only removes the record.
    Upheld,
}

crate::wire_names!(ChallengeStatus { Open => "open", Void => "void", Upheld => "upheld" });

/// The largest share of a datanet allocation its curators may be given, in basis points.
pub const MAX_CURATORS_BPS: u16 = 2_000;

/// The most version ranges one `claim` or `claim_ranges` settles (and one `pending_rewards`
/// page reads).
pub const MAX_CLAIM_RANGES: usize = 64;

/// What an account credit (`Allocation::Account`) pays for.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Eq)]
pub enum EarningSource {
    /// A model owner's share of a fee paid to the model, or to a model derived from it (a
    /// royalty).
    ModelOwner {
        /// The model whose owner is paid.
        model_id: u64,
    },
    /// The share of an inference fee for the host that served it.
    Host {
        /// The model served.
        model_id: u64,
    },
    /// The curators' share of a datanet's income.
    Curator {
        /// The datanet curated.
        datanet_id: DatanetId,
    },
}
