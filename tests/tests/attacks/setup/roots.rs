//! Security review (issue 13), findings 1 and 2 and their class in the pool's attestation:
//! epochs that lock a bucket, an attestor escaping its slash by challenging its own root, one
//! bond backing several roots, terms changed between a quote and its transaction, challenges
//! joined after the verdict, challenge counts, and remainders of the challengers' reward.
//!
//! Each attack fails with its exact error and changes no contract's storage and no balance
//! (`Suite::refused`); each fix is checked with exact amounts against the test's own ledger,
//! with a comment saying what 0.2.0 did.

pub use super::pool::attestor_of;
pub use cosmwasm_std::{Addr, Uint128};
pub use cw_multi_test::Executor;
pub use openledger_common::msg::reward_pool::{
    AttributionRootResponse, ChallengeResponse, ChallengeStatus, ExecuteMsg as PoolExec,
    QueryMsg as PoolQuery, ReceiveMsg as PoolHook, SolvencyResponse, CHALLENGER_REWARD_BPS,
    DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND, DEFAULT_CHALLENGE_WINDOW,
};
pub use openledger_tests::{influence_entries, refused, AttributionTree, Suite, SuiteBuilder};
pub use reward_pool::ContractError;

/// The attestor's bond: the pool's minimum.
pub const BOND: u128 = DEFAULT_ATTESTOR_BOND.u128();
/// A challenge bond: the pool's minimum.
pub const CBOND: u128 = DEFAULT_CHALLENGE_BOND.u128();
/// The challenge window of a root.
pub const WINDOW: u64 = DEFAULT_CHALLENGE_WINDOW;
/// What each influence datanet's bucket holds.
pub const BUCKET: u128 = 100_000;

/// The challengers' reward of a slash, computed here (20 %, rounded down).
pub fn reward_of(slash: u128) -> u128 {
    slash * u128::from(CHALLENGER_REWARD_BPS) / 10_000
}

/// The attestation world: a view over a suite with one influence datanet, naming its attestor,
/// challengers and trees.
pub struct World {
    /// The suite.
    pub s: Suite,
    /// Influence datanet with `BUCKET`.
    pub d: u64,
    /// Approved and bonded with [`BOND`].
    pub attestor: Addr,
    /// An address the attestor controls (funded by it).
    pub sybil: Addr,
    /// An honest challenger holding ten challenge bonds.
    pub honest: Addr,
    /// A contributor of the fair root.
    pub alice: Addr,
    /// Gives everything to the sybil: a bad root.
    pub bad: AttributionTree,
    /// Alice 60 000, the honest challenger 40 000: a fair root.
    pub good: AttributionTree,
}

/// An influence datanet holding `BUCKET`, an attestor bonded the minimum, a sybil the attestor
/// funded with one challenge bond, and an honest challenger with ten.
pub fn world() -> World {
    let mut s = SuiteBuilder::new().build();
    let curator = s.addr("curator");
    let (attestor, sybil, honest, alice) = (
        s.addr("attestor"),
        s.addr("sybil"),
        s.addr("honest"),
        s.addr("alice"),
    );
    let d = s.create_influence_datanet(&curator, "influence");
    s.fund_datanet(d, BUCKET);
    s.add_attestor(&attestor, BOND);
    s.fund(&attestor, 10 * CBOND);
    s.app
        .execute_contract(
            attestor.clone(),
            s.token.clone(),
            &cw20::Cw20ExecuteMsg::Transfer {
                recipient: sybil.to_string(),
                amount: Uint128::new(CBOND),
            },
            &[],
        )
        .unwrap();
    s.moved(&attestor, &sybil, CBOND);
    s.fund(&honest, 10 * CBOND);
    let bad = AttributionTree::new(d, &influence_entries(1, &[(&sybil, BUCKET)], 1, 1));
    let good = AttributionTree::new(
        d,
        &influence_entries(2, &[(&alice, 60_000), (&honest, 40_000)], 1, 1),
    );
    s.check();
    World {
        s,
        d,
        attestor,
        sybil,
        honest,
        alice,
        bad,
        good,
    }
}

impl World {
    /// `who` challenges `epoch` with `bond` (ledger updated on success, then checked).
    pub fn challenge(&mut self, who: &Addr, epoch: u64, bond: u128) -> anyhow::Result<()> {
        let pool = self.s.pool.clone();
        let hook = PoolHook::ChallengeRoot {
            datanet_id: self.d,
            epoch,
        };
        self.s.send(who, &pool, bond, &hook)?;
        self.s.moved(who, &pool, bond);
        self.s.check();
        Ok(())
    }

    /// The owner resolves the challenge of `epoch` (`void`: the root was wrong).
    pub fn resolve(&mut self, epoch: u64, void: bool) {
        let deployer = self.s.deployer.clone();
        let msg = PoolExec::ResolveChallenge {
            datanet_id: self.d,
            epoch,
            void,
        };
        self.s.pool_exec(&deployer, &msg).unwrap();
        self.s.check();
    }

    /// `who` withdraws its challenge, which must pay exactly `amount`.
    pub fn withdraw(&mut self, who: &Addr, amount: u128) {
        let msg = PoolExec::WithdrawChallenge { datanet_id: self.d };
        self.s.pool_exec(who, &msg).unwrap();
        let pool = self.s.pool.clone();
        self.s.moved(&pool, who, amount);
        self.s.check();
    }

    /// The datanet's attribution roots.
    pub fn roots(&self) -> AttributionRootResponse {
        self.s
            .query_pool(&PoolQuery::AttributionRoot { datanet_id: self.d })
    }

    /// The challenge `who` holds on the datanet.
    pub fn challenge_of(&self, who: &Addr) -> ChallengeResponse {
        self.s.query_pool(&PoolQuery::Challenge {
            datanet_id: self.d,
            address: who.to_string(),
        })
    }

    /// The pool's (attestor bonds, challenge bonds, challenge rewards) liabilities.
    pub fn liabilities(&self) -> (u128, u128, u128) {
        let r: SolvencyResponse = self.s.query_pool(&PoolQuery::Solvency {});
        (
            r.liabilities.attestor_bonds.u128(),
            r.liabilities.challenge_bonds.u128(),
            r.liabilities.challenge_rewards.u128(),
        )
    }
}
