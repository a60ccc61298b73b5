//! What the reward pool answers: its queries and their responses.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Uint128, Uint256};
use cw_ownable::cw_ownable_query;

use crate::attribution::DatanetId;

use super::types::{AttributionMode, ChallengeStatus, EarningSource, RootStatus};

#[cw_ownable_query]
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The pool's configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// What `address` could claim now, per datanet (the given ones, at most 30, or a page of
    /// the datanets it holds positions in, as a contributor or as a curator, after
    /// `start_after`), plus its account credits.
    #[returns(PendingRewardsResponse)]
    PendingRewards {
        /// The contributor.
        address: String,
        /// Datanets to look at (at most 30); when given, `start_after` and `limit` are ignored.
        datanet_ids: Option<Vec<DatanetId>>,
        /// Continue after this datanet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_after: Option<DatanetId>,
        /// Page size in datanets (default 10, at most 30).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
    /// What `address` earned and claimed: per version range of each datanet it contributed to
    /// (a range is the versions in which its weight was the same), and per source of its
    /// account credits (model owner, host, curator; a datanet it curates now is listed as a
    /// curator source even before its earnings reach its credits). Both lists are pages of at
    /// most `limit`.
    #[returns(EarningsResponse)]
    Earnings {
        /// Any address.
        address: String,
        /// Continue the ranges after this one.
        start_after_range: Option<RangeKey>,
        /// Continue the sources after this one.
        start_after_source: Option<EarningSource>,
        /// Page size of each list (default 10, at most 50).
        limit: Option<u32>,
    },
    /// The version ranges a contributor holds in a datanet: one page of its position.
    #[returns(RangesResponse)]
    Ranges {
        /// The datanet.
        datanet_id: DatanetId,
        /// The contributor.
        address: String,
        /// Continue after the range that starts at this version.
        start_after: Option<u32>,
        /// Page size (default 10, at most 50).
        limit: Option<u32>,
    },
    /// One datanet's reward state.
    #[returns(DatanetPoolResponse)]
    DatanetPool {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// One contributor's position in one datanet.
    #[returns(PositionResponse)]
    Position {
        /// The datanet.
        datanet_id: DatanetId,
        /// The contributor.
        address: String,
    },
    /// One staker's stake, rewards and unbonding entries.
    #[returns(StakerResponse)]
    Staker {
        /// The staker.
        address: String,
    },
    /// Totals of the staking pool.
    #[returns(StakingPoolResponse)]
    StakingPool {},
    /// Token balance against everything the pool owes.
    #[returns(SolvencyResponse)]
    Solvency {},
    /// An influence datanet's attribution state: its claimable and pending roots.
    #[returns(AttributionRootResponse)]
    AttributionRoot {
        /// The datanet (influence mode).
        datanet_id: DatanetId,
    },
    /// What `address` has claimed from an influence datanet so far.
    #[returns(ClaimedResponse)]
    Claimed {
        /// The datanet.
        datanet_id: DatanetId,
        /// The contributor.
        address: String,
    },
    /// What `claim_attribution` would pay `address` now with this leaf and proof, checked
    /// against the datanet's newest claimable root; a proof that does not verify is an error.
    #[returns(AttributionClaimableResponse)]
    AttributionClaimable {
        /// The datanet (influence mode).
        datanet_id: DatanetId,
        /// The contributor.
        address: String,
        /// Its cumulative amount in the root.
        cumulative_amount: Uint128,
        /// Sibling hashes from the leaf up to the root.
        proof: Vec<HexBinary>,
    },
    /// `address`'s challenge in a datanet (the latest one it has not withdrawn), where it
    /// stands and what `withdraw_challenge` would pay now.
    #[returns(ChallengeResponse)]
    Challenge {
        /// The datanet.
        datanet_id: DatanetId,
        /// The challenger.
        address: String,
    },
    /// A datanet's curators: the set the pool pays, what each has earned and not claimed yet,
    /// and the datanet's earned-per-curator counter.
    #[returns(CuratorsResponse)]
    Curators {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// Approved attestors, by address.
    #[returns(AttestorsResponse)]
    Attestors {
        /// Start after this address.
        start_after: Option<String>,
        /// Page size (default 10, at most 50).
        limit: Option<u32>,
    },
    /// One attestor (an address that is not approved is reported with `approved: false`).
    #[returns(AttestorResponse)]
    Attestor {
        /// The attestor.
        address: String,
    },
}

#[cw_serde]
pub struct ConfigResponse {
    /// The fee token.
    pub token: Addr,
    /// The datanet registry, once wired.
    pub registry: Option<Addr>,
    /// Unbonding period in seconds.
    pub unbonding_period: u64,
    /// Seconds over which a stakers allocation streams to the stakers.
    pub staking_reward_period: u64,
    /// Seconds from posting an attribution root to the moment it becomes claimable.
    pub challenge_window: u64,
    /// Minimum bond an attestor must hold to post roots.
    pub attestor_bond: Uint128,
    /// Minimum bond a challenge must carry.
    pub challenge_bond: Uint128,
    /// The share of a voided root's slash paid to its challengers, in basis points.
    pub challenger_reward_bps: u16,
    /// The share of every datanet allocation that goes to the datanet's curators, in basis
    /// points (0: none).
    pub curators_bps: u16,
}

#[cw_serde]
pub struct DatanetPoolResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Its attribution mode.
    pub mode: AttributionMode,
    /// Sum of its contributors' weights in the pool.
    pub total_weight: u64,
    /// Accumulated rewards per unit of weight, scaled by 10^18.
    pub reward_per_weight: Uint256,
    /// Everything credited to its contributors so far (weight mode).
    pub total_distributed: Uint128,
    /// Everything its contributors have claimed so far.
    pub total_claimed: Uint128,
    /// Influence mode: what arrived and awaits allocation by attested roots.
    pub unallocated: Uint128,
    /// Versions published (as the pool knows them).
    pub versions: u32,
    /// Versions published before the pool scoped rewards by version: they share one
    /// contributor set, the one the datanet had when the pool first met it after the upgrade.
    pub legacy_versions: u32,
}

#[cw_serde]
pub struct PositionResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The contributor.
    pub address: Addr,
    /// Their current weight.
    pub weight: u64,
    /// What they could claim now.
    pub claimable: Uint128,
    /// What they have claimed so far.
    pub claimed: Uint128,
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct PendingReward {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Claimable amount (of its first `MAX_CLAIM_RANGES` version ranges).
    pub amount: Uint128,
    /// The contributor holds more version ranges in the datanet than one claim settles: the
    /// rest is claimed with `claim_ranges`.
    pub more_ranges: bool,
    /// Earned as one of the datanet's curators and not claimed yet (`claim` pays it).
    #[serde(default)]
    pub curator: Uint128,
}

#[cw_serde]
pub struct PendingRewardsResponse {
    /// Per datanet.
    pub rewards: Vec<PendingReward>,
    /// The sum of their contributor amounts (`amount`).
    pub total: Uint128,
    /// The sum of their curator amounts (`curator`).
    #[serde(default)]
    pub curator_total: Uint128,
    /// Account credits claimable now (model owner, host and curator shares; see `earnings`).
    pub credits: Uint128,
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct UnbondingEntry {
    /// Amount unbonding.
    pub amount: Uint128,
    /// Seconds since the epoch from which it can be withdrawn (inclusive).
    pub release_at: u64,
}

#[cw_serde]
pub struct StakerResponse {
    /// The staker.
    pub address: Addr,
    /// Current stake.
    pub staked: Uint128,
    /// Staking rewards claimable now (the stream released up to the block time).
    pub claimable_rewards: Uint128,
    /// Pending unbondings, oldest first.
    pub unbonding: Vec<UnbondingEntry>,
}

/// Totals of the staking pool as of the block time (the stream released up to now).
#[cw_serde]
pub struct StakingPoolResponse {
    /// Sum of all stakes.
    pub total_staked: Uint128,
    /// Sum of all unbonding entries.
    pub total_unbonding: Uint128,
    /// Accumulated rewards per staked unit, scaled by 10^18.
    pub reward_per_stake: Uint256,
    /// Everything the stream has released to stakers so far.
    pub total_distributed: Uint128,
    /// Everything stakers have claimed so far.
    pub total_claimed: Uint128,
    /// Sub-unit remainders of stakers who left, and of the accumulator's rounding, moved to
    /// the treasury in whole units so far.
    pub total_forfeited: Uint128,
    /// Stakers allocations not released yet: owed to the stakers, released by `stream_end`.
    pub streaming: Uint128,
    /// When the stream will have released everything (seconds since the epoch; 0 before the
    /// first stream). The stream releases `streaming` evenly until then.
    pub stream_end: u64,
}

/// What the pool owes, by kind.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct PoolLiabilities {
    /// Treasury balance.
    pub treasury: Uint128,
    /// Active stakes.
    pub staked: Uint128,
    /// Unbonding stakes.
    pub unbonding: Uint128,
    /// Staking rewards released by the stream and not yet claimed.
    pub staking_rewards: Uint128,
    /// Stakers allocations the stream has not released yet.
    pub staking_stream: Uint128,
    /// Contributor rewards credited and not yet claimed (all datanets).
    pub contributor_rewards: Uint128,
    /// Account credits (model owners' royalties, hosts, curators who left a datanet) not yet
    /// claimed.
    pub account_credits: Uint128,
    /// Curators' earnings not yet claimed (nor moved to their account credits): for every
    /// curated datanet, its earned-per-curator counter minus each current curator's snapshot.
    #[serde(default)]
    pub curator_earnings: Uint128,
    /// Influence-mode buckets not yet claimed.
    pub influence_buckets: Uint128,
    /// Attestors' bonds.
    pub attestor_bonds: Uint128,
    /// Bonds of challenges not yet settled: open ones, and those of voided roots not yet
    /// withdrawn.
    pub challenge_bonds: Uint128,
    /// Challengers' rewards of voided roots not yet withdrawn (with their rounding dust, which
    /// goes to the treasury when the last challenger withdraws).
    pub challenge_rewards: Uint128,
}

#[cw_serde]
pub struct SolvencyResponse {
    /// The pool's balance of the fee token.
    pub balance: Uint128,
    /// What it owes, by kind.
    pub liabilities: PoolLiabilities,
    /// Sum of the liabilities.
    pub total_liabilities: Uint128,
    /// `balance >= total_liabilities`.
    pub solvent: bool,
    /// The sub-unit parts of the reward liabilities that no position holds.
    pub remainders: RewardRemainders,
}

/// What no position holds inside `contributor_rewards` and `staking_rewards`, scaled by 10^18
/// (each below 10^18: whole units move to the treasury as soon as they add up). With them the
/// liabilities equal what can still be claimed, exactly:
/// `contributor_rewards · 10^18 = Σ contributor positions' settled scaled rewards + contributors`
/// and `staking_rewards · 10^18 = Σ stakers' settled scaled rewards + stakers`.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct RewardRemainders {
    /// Scaled remainders of removed contributor positions and of distribution rounding.
    pub contributors: Uint256,
    /// Scaled remainders of stakers who left and of the stream's accumulator rounding.
    pub stakers: Uint256,
}

/// The first challenge of a root.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct ChallengeInfo {
    /// Who challenged first.
    pub challenger: Addr,
    /// Its bond.
    pub bond: Uint128,
    /// When (seconds since the epoch).
    pub challenged_at: u64,
}

/// One attribution root.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct AttributionRootInfo {
    /// Its epoch.
    pub epoch: u64,
    /// The 32-byte Merkle root.
    pub root: HexBinary,
    /// The sum of its leaves' cumulative amounts.
    pub cumulative_total: Uint128,
    /// The attestor that posted it.
    pub attestor: Addr,
    /// When it was posted (seconds since the epoch).
    pub posted_at: u64,
    /// From when it is claimable, unless challenged (inclusive); challenges are taken strictly
    /// before this time.
    pub claimable_at: u64,
    /// Where it stands now.
    pub status: RootStatus,
    /// The first challenge, if any (see `challengers` for all of them).
    pub challenge: Option<ChallengeInfo>,
    /// How many addresses have challenged it.
    pub challengers: u32,
    /// The sum of their bonds.
    pub challenge_bonds: Uint128,
    /// The attestor's bond this root reserved at posting: what voiding it slashes (0 for a
    /// root posted before reservations existed: voiding it slashes up to `attestor_bond`).
    pub stake: Uint128,
    /// The datanet version the attribution was computed over, if the attestor named it.
    pub version: Option<u32>,
}

#[cw_serde]
pub struct AttributionRootResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Everything the datanet has received.
    pub total_received: Uint128,
    /// Everything its contributors have claimed.
    pub total_paid: Uint128,
    /// Received and not allocated by the newest root that is not void (pending or claimable).
    pub unallocated: Uint128,
    /// The last epoch posted, voided or not (0 before the first root).
    pub last_epoch: u64,
    /// The epoch the next root must carry: the claimable root's epoch + 1 (1 before any
    /// claimable root). A pending root carries this epoch and blocks posting until settled:
    /// promoted or upheld, the next epoch is one more; voided, it is this one again.
    pub next_epoch: u64,
    /// The most recently voided epoch, if any.
    pub last_voided_epoch: Option<u64>,
    /// The newest claimable root: the only one claims are checked against.
    pub claimable: Option<AttributionRootInfo>,
    /// The root in its challenge window or under challenge, if any.
    pub pending: Option<AttributionRootInfo>,
}

#[cw_serde]
pub struct ClaimedResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The contributor.
    pub address: Addr,
    /// Claimed so far (the cumulative amount of its last claim).
    pub claimed: Uint128,
}

#[cw_serde]
pub struct AttributionClaimableResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The epoch of the root the proof was checked against.
    pub epoch: u64,
    /// The contributor.
    pub address: Addr,
    /// Its cumulative amount in that root.
    pub cumulative_amount: Uint128,
    /// Claimed so far.
    pub claimed: Uint128,
    /// What a claim would pay now (0 if nothing).
    pub claimable: Uint128,
}

#[cw_serde]
pub struct AttestorResponse {
    /// The attestor.
    pub address: Addr,
    /// Approved by the owner.
    pub approved: bool,
    /// Its bond.
    pub bond: Uint128,
    /// Open challenges against its roots.
    pub open_challenges: u32,
    /// Its bond cannot be returned before this time: the end of the challenge window of its
    /// latest root (seconds since the epoch; 0 if it never posted).
    pub locked_until: u64,
    /// Its roots inside their challenge window or under challenge.
    pub pending_roots: u32,
    /// The part of its bond those roots reserve (each its stake): slashable, not free to back
    /// another root.
    pub reserved: Uint128,
    /// Approved, with a bond of at least `reserved + attestor_bond` and fewer than
    /// `MAX_ATTESTOR_PENDING_ROOTS` pending roots: it may post a root now.
    pub can_post: bool,
}

#[cw_serde]
pub struct ChallengeResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The challenger.
    pub address: Addr,
    /// The epoch of the challenged root.
    pub epoch: u64,
    /// The challenger's bond.
    pub bond: Uint128,
    /// When it challenged (seconds since the epoch).
    pub challenged_at: u64,
    /// Where the challenge stands.
    pub status: ChallengeStatus,
    /// Its share of the challengers' reward (0 unless the root was voided).
    pub reward: Uint128,
    /// What `withdraw_challenge` pays now: bond + reward if voided, 0 otherwise.
    pub withdrawable: Uint128,
}

#[cw_serde]
pub struct AttestorsResponse {
    /// Approved attestors, ascending by address.
    pub attestors: Vec<AttestorResponse>,
}

/// Where a version range sits: its datanet and first version.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct RangeKey {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The range's first version.
    pub from_version: u32,
}

/// A run of consecutive versions of a datanet in which a contributor held the same weight.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct RangeEarnings {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// First version of the range.
    pub from_version: u32,
    /// The version the range ends before; `None` while it is open (the contributor's weight
    /// still counts for the next version).
    pub to_version: Option<u32>,
    /// The contributor's weight in each version of the range.
    pub weight: u64,
    /// Earned from fees for these versions so far (claimed or not).
    pub earned: Uint128,
    /// Claimed so far.
    pub claimed: Uint128,
    /// Claimable now.
    pub claimable: Uint128,
}

/// What one source of account credits paid an address.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct SourceEarnings {
    /// The source.
    pub source: EarningSource,
    /// Earned so far: credited to the account, plus `pending`.
    pub earned: Uint128,
    /// A curator source: earned as one of the datanet's current curators and not yet moved to
    /// the account's credits (the next `claim` naming the datanet pays it); 0 for other
    /// sources. What the source credited is `earned − pending`.
    #[serde(default)]
    pub pending: Uint128,
}

#[cw_serde]
pub struct EarningsResponse {
    /// The address.
    pub address: Addr,
    /// Its version ranges, ascending by datanet and first version (one page).
    pub ranges: Vec<RangeEarnings>,
    /// Its credit sources, ascending (one page).
    pub sources: Vec<SourceEarnings>,
    /// Everything credited to its account (all sources).
    pub credits_earned: Uint128,
    /// Account credits claimed.
    pub credits_claimed: Uint128,
    /// Account credits claimable now.
    pub credits_claimable: Uint128,
}

#[cw_serde]
pub struct RangesResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The contributor.
    pub address: Addr,
    /// One page of its ranges, ascending by first version.
    pub ranges: Vec<RangeEarnings>,
}

/// One curator of a datanet.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct CuratorInfo {
    /// The curator.
    pub address: Addr,
    /// Earned in the datanet and not claimed yet.
    pub pending: Uint128,
}

#[cw_serde]
pub struct CuratorsResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Whether the pool knows the datanet's curator set: false for a datanet registered by an
    /// earlier release until the registry sets it or, while `curators_bps > 0`, the pool
    /// learns it from the registry at the datanet's next allocation.
    pub known: bool,
    /// Whole units each curator of the datanet has earned since the start (the sum of every
    /// allocation's `per_curator`); a curator's pending amount is this minus its snapshot.
    pub earned_per_curator: Uint128,
    /// The curators, in the order the registry gave them (at most 16).
    pub curators: Vec<CuratorInfo>,
}
