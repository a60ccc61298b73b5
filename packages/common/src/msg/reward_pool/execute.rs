//! What the reward pool is sent: instantiation, the cw20 hook messages (distribution, stake,
//! bonds), execution and migration.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{HexBinary, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::attribution::DatanetId;
use crate::ownership::OwnershipAction;

use super::types::{AttributionMode, EarningSource};

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
    /// Share of every datanet allocation that goes to the datanet's curators, in basis points
    /// (at most `MAX_CURATORS_BPS`); 0 when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curators_bps: Option<u16>,
}

/// One part of a `distribute`.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum Allocation {
    /// For a datanet's contributors: in weight mode, exactly the contributors of `version` by
    /// their weight in it; in influence mode, the datanet's unallocated bucket (the version is
    /// recorded with the amount).
    Datanet {
        /// The datanet.
        id: DatanetId,
        /// Amount in token base units.
        amount: Uint128,
        /// The published version the amount is for (a model's fee names the version of its
        /// lineage). Omitted: the datanet's latest published version; a datanet with no
        /// published version has no contributor set to pay, so the amount goes to the
        /// treasury.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u32>,
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
    /// Credited to one account, which claims it with `claim` (one credit instead of one
    /// transfer per recipient); `earnings` shows it by source.
    Account {
        /// The account credited.
        address: String,
        /// Amount in token base units.
        amount: Uint128,
        /// What the amount pays for.
        source: EarningSource,
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
    /// Registry only: `version` of a datanet was published with `total_weight` (the sum of its
    /// contributors' weights in the pool, which it must equal). From now on fees for that
    /// version reach exactly the contributors who held weight in it.
    PublishVersion {
        /// The datanet.
        datanet_id: DatanetId,
        /// The new version: exactly one more than the last one the pool knows.
        version: u32,
        /// Its total weight (0 for an influence-mode datanet).
        total_weight: u64,
    },
    /// Registry only: the registered datanet's curators are now exactly `curators` (at most
    /// `datanet_registry::MAX_CURATORS`, 16, valid addresses, each once; empty: none). They
    /// share `curators_bps` of every allocation the datanet receives from now on. Curators who
    /// leave keep what they earned so far (it becomes an account credit with source
    /// `curator { datanet_id }`); curators who join earn from the next allocation on; curators
    /// who stay are untouched.
    SetCurators {
        /// The datanet.
        datanet_id: DatanetId,
        /// Its full curator set.
        curators: Vec<String>,
    },
    /// Pays the sender everything earned in the given datanets (at most 30), or in the first
    /// 30 datanets they hold a position in (as a contributor or as a curator) when omitted,
    /// plus their account credits. A claim settles at most `MAX_CLAIM_RANGES` positions: each
    /// curator position first, then version ranges; when a contributor holds more ranges, the
    /// response's `next_range` attribute names where `claim_ranges` continues.
    Claim {
        /// Datanets to claim from.
        datanet_ids: Option<Vec<DatanetId>>,
    },
    /// Pays the sender what it earned in the version ranges of one datanet after
    /// `start_after` (a range's first version), at most `limit` ranges (default and maximum
    /// `MAX_CLAIM_RANGES`).
    ClaimRanges {
        /// The datanet.
        datanet_id: DatanetId,
        /// Continue after the range that starts at this version.
        start_after: Option<u32>,
        /// How many ranges to settle.
        limit: Option<u32>,
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
    /// an unbonding entry keeps its `release_at`), the staking reward period (applies to
    /// later stakers allocations; the running stream keeps its end) or the curators' share
    /// (applies to later datanet allocations).
    UpdateConfig {
        /// New datanet registry.
        registry: Option<String>,
        /// New unbonding period in seconds (0 to `MAX_UNBONDING_PERIOD`).
        unbonding_period: Option<u64>,
        /// New staking reward period in seconds (`MIN_STAKING_REWARD_PERIOD` to
        /// `MAX_STAKING_REWARD_PERIOD`).
        staking_reward_period: Option<u64>,
        /// New curators' share of datanet allocations in basis points (at most
        /// `MAX_CURATORS_BPS`); applies to allocations from now on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curators_bps: Option<u16>,
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
        /// The published version of the datanet whose contributions the attribution was
        /// computed over; recorded with the root and shown by `attribution_root`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u32>,
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

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}
