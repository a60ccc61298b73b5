//! Messages of the reward pool: fee distribution, contributor rewards by weight, staking,
//! treasury, and influence attribution (attestors, attested Merkle roots, challenges, claims
//! with proofs; the tree format is in `crate::merkle`).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;
use cw_ownable::{cw_ownable_execute, cw_ownable_query};

use crate::attribution::DatanetId;

/// How a datanet's share reaches its contributors.
#[cw_serde]
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

#[cw_serde]
pub struct InstantiateMsg {
    /// Owner of the pool (treasury withdrawals, configuration); defaults to the sender.
    pub owner: Option<String>,
    /// The fee token (OPEN) this pool holds and pays out.
    pub token: String,
    /// The datanet registry, the only account allowed to register datanets and update weights.
    /// May be set later with `update_config` (the two contracts refer to each other).
    pub registry: Option<String>,
    /// Seconds between `unstake` and the moment the tokens can be withdrawn.
    pub unbonding_period: u64,
}

/// One part of a `distribute`.
#[cw_serde]
pub enum Allocation {
    /// For a datanet's contributors.
    Datanet {
        /// The datanet.
        id: DatanetId,
        /// Amount in token base units.
        amount: Uint128,
    },
    /// For OPEN stakers, in proportion to their stake.
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
    /// challenger's bond: returned with the attestor's slashed bond if the owner voids the root,
    /// paid to the treasury if the owner upholds it. The root is frozen until resolved.
    ChallengeRoot {
        /// The datanet.
        datanet_id: DatanetId,
        /// The epoch of its pending root.
        epoch: u64,
    },
}

/// A contributor's new total weight in one datanet.
#[cw_serde]
pub struct WeightUpdate {
    /// The contributor.
    pub address: String,
    /// Their new total accepted weight in the datanet (absolute, not a delta).
    pub weight: u64,
}

#[cw_ownable_execute]
#[cw_serde]
pub enum ExecuteMsg {
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
    /// Pays the sender's accrued staking rewards.
    ClaimStakingRewards {},
    /// Owner only: pays `amount` of the treasury to `recipient`.
    WithdrawTreasury {
        /// Amount to withdraw, at most the treasury balance.
        amount: Uint128,
        /// Recipient; defaults to the owner.
        recipient: Option<String>,
    },
    /// Owner only: changes the registry or the unbonding period (applies to new unbondings).
    UpdateConfig {
        /// New datanet registry.
        registry: Option<String>,
        /// New unbonding period in seconds.
        unbonding_period: Option<u64>,
    },
    /// Owner only: changes the influence-attribution settings. A new window applies to roots
    /// posted from now on; a new attestor bond applies to the next post of every attestor.
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
    /// Attestor only (approved and bonded): posts the Merkle root of cumulative entitlements of
    /// an `influence`-mode datanet (leaf and tree format v1, see `merkle`). `epoch` must exceed
    /// the datanet's last posted epoch; `cumulative_total` may not decrease from the claimable
    /// root's and may not exceed what the datanet has received. The root becomes claimable
    /// `challenge_window` seconds after posting, unless challenged. Refused while the datanet's
    /// previous root is still pending (inside its window or challenged).
    PostAttributionRoot {
        /// The datanet (influence mode).
        datanet_id: DatanetId,
        /// The epoch (1, 2, ...; strictly increasing per datanet, gaps allowed).
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
    /// Owner only: settles the open challenge of a datanet's pending root. `void: true`
    /// discards the root, slashes the attestor's bond (up to the configured `attestor_bond`) to
    /// the challenger and returns the challenger's bond; `void: false` upholds it: the root
    /// becomes claimable at once and the challenger's bond goes to the treasury.
    ResolveChallenge {
        /// The datanet.
        datanet_id: DatanetId,
        /// The epoch of the challenged root.
        epoch: u64,
        /// Whether the root is void.
        void: bool,
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
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    /// The fee token.
    pub token: Addr,
    /// The datanet registry, once wired.
    pub registry: Option<Addr>,
    /// Unbonding period in seconds.
    pub unbonding_period: u64,
    /// Seconds from posting an attribution root to the moment it becomes claimable.
    pub challenge_window: u64,
    /// Minimum bond an attestor must hold to post roots.
    pub attestor_bond: Uint128,
    /// Minimum bond a challenge must carry.
    pub challenge_bond: Uint128,
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
    /// Staking rewards claimable now.
    pub claimable_rewards: Uint128,
    /// Pending unbondings, oldest first.
    pub unbonding: Vec<UnbondingEntry>,
}

#[cw_serde]
pub struct StakingPoolResponse {
    /// Sum of all stakes.
    pub total_staked: Uint128,
    /// Sum of all unbonding entries.
    pub total_unbonding: Uint128,
    /// Accumulated rewards per staked unit, scaled by 10^18.
    pub reward_per_stake: Uint256,
    /// Everything credited to stakers so far.
    pub total_distributed: Uint128,
    /// Everything stakers have claimed so far.
    pub total_claimed: Uint128,
}

/// What the pool owes, by kind.
#[cw_serde]
pub struct PoolLiabilities {
    /// Treasury balance.
    pub treasury: Uint128,
    /// Active stakes.
    pub staked: Uint128,
    /// Unbonding stakes.
    pub unbonding: Uint128,
    /// Staking rewards credited and not yet claimed.
    pub staking_rewards: Uint128,
    /// Contributor rewards credited and not yet claimed (all datanets).
    pub contributor_rewards: Uint128,
    /// Influence-mode buckets not yet claimed.
    pub influence_buckets: Uint128,
    /// Attestors' bonds.
    pub attestor_bonds: Uint128,
    /// Bonds of open challenges.
    pub challenge_bonds: Uint128,
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
}

/// Where an attribution root stands.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum RootStatus {
    /// Posted, inside its challenge window: not claimable yet, challengeable.
    InChallengeWindow,
    /// Challenged: frozen until the owner resolves the challenge.
    Challenged,
    /// Claimable: the datanet's newest claimable root.
    Claimable,
}

/// An open challenge.
#[cw_serde]
pub struct ChallengeInfo {
    /// Who challenged.
    pub challenger: Addr,
    /// Its bond.
    pub bond: Uint128,
    /// When (seconds since the epoch).
    pub challenged_at: u64,
}

/// One attribution root.
#[cw_serde]
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
    /// The open challenge, if any.
    pub challenge: Option<ChallengeInfo>,
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
    /// The last epoch posted (0 before the first root); a new root needs a greater epoch.
    pub last_epoch: u64,
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
    /// Approved and bonded at least the configured `attestor_bond`: it may post roots.
    pub can_post: bool,
}

#[cw_serde]
pub struct AttestorsResponse {
    /// Approved attestors, ascending by address.
    pub attestors: Vec<AttestorResponse>,
}
