//! The errors of the reward pool.

use cosmwasm_std::Uint128;
use openledger_common::merkle::MerkleError;

openledger_common::contract_error! {
    /// Every error of the reward pool: the suite's shared variants first, then the pool's own,
    /// whose message names what to fix.
    pub enum ContractError {
        /// A claim whose leaf cannot be hashed (an address too long for a leaf).
        #[error("{0}")]
        Merkle(#[from] MerkleError),

        /// A registry-only message sent by another address.
        #[error("only the datanet registry may {action}; {sender} is not it")]
        NotRegistry { action: String, sender: String },

        /// A registry-only message arrives before the owner set the registry.
        #[error("the datanet registry is not set yet: the owner sets it with update_config")]
        RegistryNotSet,

        /// No datanet of this id is registered in the pool.
        #[error("datanet {id} is not registered in the reward pool")]
        UnknownDatanet { id: u64 },

        /// The datanet is registered a second time.
        #[error("datanet {id} is already registered")]
        DatanetExists { id: u64 },

        /// Weights are updated in a datanet paid by attribution roots.
        #[error("datanet {id} is not in weight mode: its rewards are paid by attribution roots")]
        NotWeightMode { id: u64 },

        /// A distribution's allocations do not add up to the amount sent.
        #[error("allocations sum to {allocated} but {sent} was sent: they must match exactly")]
        AllocationSumMismatch { sent: Uint128, allocated: Uint128 },

        /// A distribution carries no allocation or more than allowed.
        #[error("a distribution needs 1 to {max} allocations; got {got}")]
        AllocationCount { got: usize, max: usize },

        /// A distribution carries an allocation of zero.
        #[error("allocation #{index} is zero; every allocation must carry a positive amount")]
        ZeroAllocation { index: usize },

        /// An amount to unstake, or to withdraw from the treasury, is zero.
        #[error("amount must be positive")]
        ZeroAmount,

        /// A claim names more datanets than allowed.
        #[error("at most {max} datanets per call; got {got}")]
        TooManyDatanets { got: usize, max: usize },

        /// A claim names the same datanet twice.
        #[error("datanet {id} is named twice")]
        DuplicateDatanet { id: u64 },

        /// A weight update carries no update.
        #[error("update_weights carries no update")]
        EmptyUpdates,

        /// An update that changes nothing.
        #[error("nothing to update: give at least one field")]
        NothingToUpdate,

        /// A weight update carries more updates than allowed.
        #[error("at most {max} weight updates per call; got {got}")]
        TooManyUpdates { got: usize, max: usize },

        /// A call names the same address twice.
        #[error("address {address} is updated twice in one call")]
        DuplicateAddress { address: String },

        /// The sender has nothing to claim.
        #[error("nothing to claim")]
        NothingToClaim,

        /// The sender unstakes more than it has staked.
        #[error("cannot unstake {requested}: only {staked} is staked")]
        InsufficientStake { staked: Uint128, requested: Uint128 },

        /// The sender has the most unbonding entries allowed.
        #[error("at most {max} unbonding entries at once: withdraw matured ones first")]
        TooManyUnbonding { max: usize },

        /// The unbonding period is above its maximum.
        #[error("unbonding period {period} s is out of range: at most {max} s")]
        InvalidUnbondingPeriod { period: u64, max: u64 },

        /// The staking reward period is outside its bounds.
        #[error("staking reward period {period} s is out of range: {min} to {max} s")]
        InvalidStakingRewardPeriod { period: u64, min: u64, max: u64 },

        /// No unbonding entry of the sender has matured yet.
        #[error("no unbonding entry has matured yet (next release at {next_release:?})")]
        NothingUnbonded { next_release: Option<u64> },

        /// The owner withdraws more than the treasury holds.
        #[error("treasury holds {available}; cannot withdraw {requested}")]
        InsufficientTreasury {
            available: Uint128,
            requested: Uint128,
        },

        /// Roots are posted or claimed in a datanet paid by weight.
        #[error("datanet {id} is not in influence mode: its rewards are paid by weight")]
        NotInfluenceMode { id: u64 },

        /// The challenge window is outside its bounds.
        #[error("challenge window {window} s is out of range: {min} to {max} s")]
        InvalidChallengeWindow { window: u64, min: u64, max: u64 },

        /// An attestor or challenge bond is set to zero.
        #[error("{field} must be positive")]
        ZeroBond { field: String },

        /// An attestor update adds or removes more attestors than allowed.
        #[error("at most {max} attestors may be added and {max} removed per call; got {got}")]
        TooManyAttestorUpdates { got: usize, max: usize },

        /// The sender is not an approved attestor.
        #[error("{address} is not an approved attestor")]
        NotAttestor { address: String },

        /// The attestor's bond does not cover its reserved bonds plus one more root.
        #[error("attestor {address} holds a bond of {bonded}, {reserved} of it reserved by its pending roots; posting needs at least {required} (reserved + attestor_bond)")]
        AttestorBondTooLow {
            address: String,
            required: Uint128,
            bonded: Uint128,
            reserved: Uint128,
        },

        /// The attestor has the most pending roots allowed.
        #[error("attestor {address} has {max} roots pending (in their window or challenged): wait for one to settle")]
        TooManyPendingRoots { address: String, max: usize },

        /// An attestor with open challenges is removed.
        #[error("attestor {address} has {open} open challenge(s): resolve them before removing it")]
        AttestorHasOpenChallenges { address: String, open: u32 },

        /// An attestor is removed while a root of it is in its challenge window.
        #[error("attestor {address}'s bond is locked until {until}: a root of it is still in its challenge window")]
        AttestorBondLocked { address: String, until: u64 },

        /// An attribution root is not 32 bytes long.
        #[error("an attribution root must be 32 bytes; got {len}")]
        InvalidRoot { len: usize },

        /// A root carries another epoch than the datanet's next.
        #[error("datanet {datanet_id}'s next root must carry epoch {expected}; got {epoch}")]
        UnexpectedEpoch {
            datanet_id: u64,
            epoch: u64,
            expected: u64,
        },

        /// A root is posted while the datanet's pending root is in its challenge window.
        #[error("datanet {datanet_id}'s root of epoch {epoch} is still in its challenge window (claimable at {claimable_at}); post after that")]
        PendingRootInWindow {
            datanet_id: u64,
            epoch: u64,
            claimable_at: u64,
        },

        /// A root is posted while the datanet's pending root is challenged.
        #[error("datanet {datanet_id}'s root of epoch {epoch} is challenged: the owner must resolve the challenge first")]
        PendingRootChallenged { datanet_id: u64, epoch: u64 },

        /// A root's cumulative total is below the claimable root's.
        #[error(
            "cumulative total {got} is below the claimable root's {previous}: totals never decrease"
        )]
        CumulativeTotalDecreased { previous: Uint128, got: Uint128 },

        /// A root's cumulative total exceeds what the datanet has received.
        #[error("cumulative total {cumulative_total} exceeds the {received} datanet {datanet_id} has received")]
        RootExceedsBucket {
            datanet_id: u64,
            cumulative_total: Uint128,
            received: Uint128,
        },

        /// A challenge arrives without a bond.
        #[error("a challenge needs a bond of at least {required}: send it with the challenge_root hook of a cw20 send of the fee token")]
        ChallengeBondRequired { required: Uint128 },

        /// A challenge's bond is below the challenge bond.
        #[error("a challenge needs a bond of at least {required}; {sent} was sent")]
        ChallengeBondTooLow { required: Uint128, sent: Uint128 },

        /// The datanet has no root of this epoch.
        #[error("datanet {datanet_id} has no root of epoch {epoch} to act on")]
        UnknownRoot { datanet_id: u64, epoch: u64 },

        /// A root is challenged after its challenge window closed.
        #[error("the challenge window of datanet {datanet_id}'s root of epoch {epoch} closed at {closed_at}")]
        ChallengeWindowClosed {
            datanet_id: u64,
            epoch: u64,
            closed_at: u64,
        },

        /// The sender challenges the same root a second time.
        #[error("{challenger} has already challenged datanet {datanet_id}'s root of epoch {epoch}")]
        DuplicateChallenge {
            datanet_id: u64,
            epoch: u64,
            challenger: String,
        },

        /// The sender has no challenge in the datanet.
        #[error("{address} has no challenge to settle in datanet {datanet_id}")]
        NoChallenge { datanet_id: u64, address: String },

        /// A challenge is withdrawn before the owner resolved it.
        #[error("datanet {datanet_id}'s root of epoch {epoch} is still challenged: the owner has not resolved it")]
        ChallengeNotResolved { datanet_id: u64, epoch: u64 },

        /// A challenge is resolved while the root's challenge window is still open.
        #[error("datanet {datanet_id}'s root of epoch {epoch} is in its challenge window until {closes_at}: challenges are resolved after it")]
        ChallengeWindowOpen {
            datanet_id: u64,
            epoch: u64,
            closes_at: u64,
        },

        /// A challenge is resolved on a root that has no open challenge.
        #[error("datanet {datanet_id}'s root of epoch {epoch} has no open challenge")]
        NoOpenChallenge { datanet_id: u64, epoch: u64 },

        /// A claim against a root still in its challenge window.
        #[error("datanet {datanet_id}'s root of epoch {epoch} is in its challenge window: claimable from {claimable_at}")]
        RootInChallengeWindow {
            datanet_id: u64,
            epoch: u64,
            claimable_at: u64,
        },

        /// A claim against a challenged root.
        #[error("datanet {datanet_id}'s root of epoch {epoch} is challenged: claimable only if the owner upholds it")]
        RootChallenged { datanet_id: u64, epoch: u64 },

        /// A claim against a voided root.
        #[error("datanet {datanet_id}'s root of epoch {epoch} was voided")]
        RootVoided { datanet_id: u64, epoch: u64 },

        /// A claim against a root that a later one replaced.
        #[error(
            "datanet {datanet_id}'s root of epoch {epoch} is superseded: claim against epoch {current}"
        )]
        RootSuperseded {
            datanet_id: u64,
            epoch: u64,
            current: u64,
        },

        /// A claim in a datanet with no claimable root.
        #[error("datanet {datanet_id} has no claimable root yet")]
        NoClaimableRoot { datanet_id: u64 },

        /// A proof is longer than allowed.
        #[error("a proof has at most {max} elements; got {len}")]
        ProofTooLong { len: usize, max: usize },

        /// A proof element is not 32 bytes long.
        #[error("proof element #{index} has {len} bytes; each must be 32")]
        InvalidProofElement { index: usize, len: usize },

        /// A proof does not lead from the sender's leaf to the root.
        #[error("the proof does not lead from the sender's leaf to datanet {datanet_id}'s root of epoch {epoch}")]
        InvalidProof { datanet_id: u64, epoch: u64 },

        /// A claim would pay out more than the root allocates.
        #[error("datanet {datanet_id}'s root of epoch {epoch} allocates {cumulative_total}; {paid} is paid and {requested} more would exceed it")]
        RootTotalExceeded {
            datanet_id: u64,
            epoch: u64,
            cumulative_total: Uint128,
            paid: Uint128,
            requested: Uint128,
        },

        /// A fee names a version the datanet has not published.
        #[error("datanet {datanet_id} has no version {version}: it has published {versions}")]
        UnknownVersion {
            datanet_id: u64,
            version: u32,
            versions: u32,
        },

        /// The registry reports a version that is not the next one.
        #[error("datanet {datanet_id}'s next version is {expected}; got {got}")]
        VersionOutOfOrder {
            datanet_id: u64,
            expected: u32,
            got: u32,
        },

        /// The curators' share is above its maximum.
        #[error("curators_bps {bps} is out of range: at most {max}")]
        InvalidCuratorsBps { bps: u16, max: u16 },

        /// A curator set holds more curators than allowed.
        #[error("a datanet has at most {max} curators; got {got}")]
        TooManyCurators { got: usize, max: usize },

        /// A curator set names the same address twice.
        #[error("curator {address} is named twice")]
        DuplicateCurator { address: String },

        /// The registry's total weight of a new version differs from the pool's.
        #[error("datanet {datanet_id}'s version {version} has total weight {reported} in the registry and {held} in the pool")]
        VersionWeightMismatch {
            datanet_id: u64,
            version: u32,
            reported: u64,
            held: u64,
        },
    }
}
