//! Messages of the reward pool: fee distribution, contributor rewards by weight, staking,
//! treasury, and influence attribution (attestors, attested Merkle roots, challenges, claims
//! with proofs; the tree format is in `crate::merkle`).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;
use cw_ownable::cw_ownable_query;

use crate::ownership::OwnershipAction;

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

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// Owner of the pool (treasury withdrawals, configuration); defaults to the sender.
    pub owner: Option<String>,
    /// The fee token (OPEN) this pool holds and pays out.
    pub token: String,
    /// The datanet registry, the only account allowed to register datanets and update weights.
    /// May be set later with `update_config` (the two contracts refer to each other).
    pub registry: Option<String>,
    /// Seconds between `unstake` and the moment the tokens can be withdrawn (at most
    /// `MAX_UNBONDING_PERIOD`).
    pub unbonding_period: u64,
}

/// One part of a `distribute`.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum Allocation {
    /// For a datanet's contributors.
    Datanet {
        /// The datanet.
        id: DatanetId,
        /// Amount in token base units.
        amount: Uint128,
    },
    /// For OPEN stakers, in proportion to their stake and to time: the amount joins the
    /// stakers' reward stream, which releases it over about `staking_reward_period` seconds
    /// (see `staking_pool`). With nothing staked it goes to the treasury at once.
    Stakers {
        /// Amount in token base units.
        amount: Uint128,
    },
    /// For the protocol treasury.
    Treasury {
        /// Amount in token base units.
        amount: Uint128,
    },
}

/// Messages that travel inside a cw20 `send` of the fee token to the pool.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ReceiveMsg {
    /// Splits the tokens sent over datanets, stakers and the treasury. The allocations (at
    /// most 32) must sum exactly to the amount sent.
    Distribute {
        /// Where the tokens go.
        allocations: Vec<Allocation>,
    },
    /// Stakes the tokens sent for the sender of the cw20 `send`.
    Stake {},
    /// Adds the tokens sent to the sender's attestor bond. Only an approved attestor may bond;
    /// it may post roots while its bond is at least the configured `attestor_bond`.
    BondAttestor {},
    /// Challenges the pending attribution root `epoch` of `datanet_id` while it is inside its
    /// challenge window. The tokens sent (at least the configured `challenge_bond`) are the
    /// challenger's bond. Any number of addresses may challenge the same root, each once, until
    /// its window closes; the first challenge freezes it until the owner resolves it (after
    /// the window). If the owner voids the root,
    /// every challenger withdraws its bond plus its share (in proportion to its bond) of
    /// `CHALLENGER_REWARD_BPS` of the attestor's slash (`withdraw_challenge`); if the owner
    /// upholds it, the bonds go to the treasury.
    ChallengeRoot {
        /// The datanet.
        datanet_id: DatanetId,
        /// The epoch of its pending root.
        epoch: u64,
    },
}

/// A contributor's new total weight in one datanet.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct WeightUpdate {
    /// The contributor.
    pub address: String,
    /// Their new total accepted weight in the datanet (absolute, not a delta).
    pub weight: u64,
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ExecuteMsg {
    /// Two-step transfer of the contract's ownership: `transfer_ownership` (owner), then
    /// `accept_ownership` (the proposed owner), or `renounce_ownership`.
    UpdateOwnership(OwnershipAction),
    /// cw20 hook: only the configured token may call it.
    Receive(Cw20ReceiveMsg),
    /// Registry only: a datanet was created with this attribution mode.
    RegisterDatanet {
        /// The new datanet.
        datanet_id: DatanetId,
        /// How its share reaches its contributors.
        mode: AttributionMode,
    },
    /// Registry only: new total weights of contributors of one weight-mode datanet. The
    /// accumulator is settled for each before the change, so nobody earns for time before
    /// they held the weight.
    UpdateWeights {
        /// The datanet.
        datanet_id: DatanetId,
        /// At most 50 updates, each address at most once.
        updates: Vec<WeightUpdate>,
    },
    /// Pays the sender everything earned in the given datanets (at most 30), or in the first
    /// 30 datanets they hold a position in when omitted.
    Claim {
        /// Datanets to claim from.
        datanet_ids: Option<Vec<DatanetId>>,
    },
    /// Starts unbonding `amount` of the sender's stake; rewards stop accruing on it now.
    Unstake {
        /// Amount to unstake, at most the current stake.
        amount: Uint128,
    },
    /// Pays the sender every unbonding entry whose unbonding period has passed.
    WithdrawUnbonded {},
    /// Pays the sender's accrued staking rewards (what the stream has released up to now).
    ClaimStakingRewards {},
    /// Owner only: pays `amount` of the treasury to `recipient`.
    WithdrawTreasury {
        /// Amount to withdraw, at most the treasury balance.
        amount: Uint128,
        /// Recipient; defaults to the owner.
        recipient: Option<String>,
    },
    /// Owner only: changes the registry, the unbonding period (applies to later unstakes;
    /// an unbonding entry keeps its `release_at`) or the staking reward period (applies to
    /// later stakers allocations; the running stream keeps its end).
    UpdateConfig {
        /// New datanet registry.
        registry: Option<String>,
        /// New unbonding period in seconds (0 to `MAX_UNBONDING_PERIOD`).
        unbonding_period: Option<u64>,
        /// New staking reward period in seconds (`MIN_STAKING_REWARD_PERIOD` to
        /// `MAX_STAKING_REWARD_PERIOD`).
        staking_reward_period: Option<u64>,
    },
    /// Owner only: changes the influence-attribution settings. A new window applies to roots
    /// posted from now on; a new attestor bond applies to roots posted from now on (a posted
    /// root keeps the stake it reserved); a new challenge bond applies to challenges from now on.
    UpdateAttributionConfig {
        /// Seconds from posting a root to the moment it becomes claimable (1 to 30 days' worth).
        challenge_window: Option<u64>,
        /// Minimum bond an attestor must hold to post roots (positive).
        attestor_bond: Option<Uint128>,
        /// Minimum bond a challenge must carry (positive).
        challenge_bond: Option<Uint128>,
    },
    /// Owner only: approves (`add`) and revokes (`remove`) attestors, at most 50 of each. An
    /// attestor already approved stays as it is. Removing returns the attestor's bond; it is
    /// refused while a challenge against one of its roots is open or one of its roots is still
    /// inside its challenge window.
    UpdateAttestors {
        /// Addresses to approve.
        add: Vec<String>,
        /// Addresses to revoke.
        remove: Vec<String>,
    },
    /// Attestor only (approved, and bonded at least `attestor_bond` beyond what its other
    /// pending roots reserve): posts the Merkle root of cumulative entitlements of an
    /// `influence`-mode datanet (leaf and tree format v1, see `merkle`). `epoch` must be the
    /// datanet's `next_epoch` (the claimable root's epoch + 1, or 1; a voided epoch is posted
    /// again); `cumulative_total` may not decrease from the claimable root's and may not exceed
    /// what the datanet has received. The root reserves `attestor_bond` of the attestor's bond
    /// (its slashable stake) until it becomes claimable or is resolved, and becomes claimable
    /// `challenge_window` seconds after posting, unless challenged. Refused while the datanet's
    /// previous root is still pending (inside its window or challenged).
    PostAttributionRoot {
        /// The datanet (influence mode).
        datanet_id: DatanetId,
        /// The epoch: exactly the datanet's `next_epoch` (1, 2, ...; no gaps).
        epoch: u64,
        /// The 32-byte Merkle root, hex.
        root: HexBinary,
        /// The sum of all leaves' cumulative amounts, in token base units.
        cumulative_total: Uint128,
    },
    /// Always refused: a challenge carries a bond, so it is sent as a cw20 `send` of the fee
    /// token with the `challenge_root` hook (`ReceiveMsg::ChallengeRoot`).
    ChallengeRoot {
        /// The datanet.
        datanet_id: DatanetId,
        /// The epoch of its pending root.
        epoch: u64,
    },
    /// Owner only: settles the challenges of a datanet's pending root, once its challenge
    /// window has closed (so every challenger joined before the verdict). `void: true` discards
    /// the root and slashes the stake it reserved from the attestor's bond:
    /// `CHALLENGER_REWARD_BPS` of the slash becomes the challengers' reward, the rest goes to
    /// the treasury; each challenger then withdraws its bond and its share
    /// (`withdraw_challenge`). `void: false` upholds it: the root becomes claimable at once
    /// and every challenge bond goes to the treasury.
    /// A root posted before reservations existed (stake 0) is slashed up to `attestor_bond`.
    ResolveChallenge {
        /// The datanet.
        datanet_id: DatanetId,
        /// The epoch of the challenged root.
        epoch: u64,
        /// Whether the root is void.
        void: bool,
    },
    /// Settles the sender's challenge in a datanet once the owner has resolved it: if the root
    /// was voided, pays the sender its bond plus its share of the challengers' reward; if it
    /// was upheld, removes the challenge (its bond went to the treasury) and pays nothing.
    WithdrawChallenge {
        /// The datanet whose root the sender challenged.
        datanet_id: DatanetId,
    },
    /// Pays the sender `cumulative_amount` minus what it already claimed from the datanet,
    /// given the Merkle proof of its leaf in the datanet's newest claimable root.
    ClaimAttribution {
        /// The datanet (influence mode).
        datanet_id: DatanetId,
        /// The epoch of the datanet's newest claimable root.
        epoch: u64,
        /// The sender's cumulative amount in that root, in token base units.
        cumulative_amount: Uint128,
        /// Sibling hashes from the leaf up to the root (at most 64, each 32 bytes, hex).
        proof: Vec<HexBinary>,
    },
}

#[cw_ownable_query]
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The pool's configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// What `address` could claim now, per datanet (the given ones, at most 30, or the first
    /// 30 positions).
    #[returns(PendingRewardsResponse)]
    PendingRewards {
        /// The contributor.
        address: String,
        /// Datanets to look at.
        datanet_ids: Option<Vec<DatanetId>>,
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
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

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
    /// Claimable amount.
    pub amount: Uint128,
}

#[cw_serde]
pub struct PendingRewardsResponse {
    /// Per datanet.
    pub rewards: Vec<PendingReward>,
    /// Their sum.
    pub total: Uint128,
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
