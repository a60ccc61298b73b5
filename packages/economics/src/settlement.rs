//! The agent escrow's settlement of a milestone (`contracts/agent-escrow/src/execute/
//! settlement.rs`, `settlement` and `payout`). A milestone `A` spends, before it settles, its
//! model fees `F` (paid at delivery), the net amount `D` it moved to sub-tasks (their deposits
//! less what they gave back), the evaluator's fee `E` (paid on any verdict) and a bonded
//! arbiter's fee `X` (paid when it rules, before the split): the escrow holds
//! `A − F − D − E − X` for it, and the costs the settled part must cover are `F + D + E + X`
//! ([`Spent`]).
//! - approval, evaluation and finalization settle `A`: the protocol fee `P = ⌈(A − D) × bps⌉`
//!   (sub-tasks pay their own on `D`), capped at `A − costs`, to the pool's treasury and
//!   `A − costs − P` to the agent;
//! - a ruling of `s > 0` bps settles `B = ⌊A × s⌋`, which must cover `costs + ⌈(B − D) × bps⌉`:
//!   the agent gets `B − costs − P`, the client `A − B` (for a sub-task, back into its parent
//!   milestone);
//! - a ruling of 0 returns what the escrow holds, `A − costs`, to the client and pays no
//!   protocol fee (the slash of the agent's reserved bond comes on top, from the bond).
//!
//! Without sub-tasks and overseers (`D = E = X = 0`) this is the arithmetic of 0.3.0, which
//! [`settle`] keeps computing from the model fees alone.

use openledger_common::bps::{Bps, BPS_DENOMINATOR};

use crate::{add, bps_ceil, bps_floor, sub, EconomicsError, Result};

/// How a milestone is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Approved by the client or the evaluator, or finalized after the review window: all of
    /// it settles.
    Full,
    /// Ruled by the arbiter: this share (bps) settles for the agent, the rest goes back.
    Ruling(Bps),
}

/// What a milestone spent out of its amount before it settles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spent {
    /// Model fees paid at delivery (`F`).
    pub model_fees: u128,
    /// Net amount moved to sub-tasks: their deposits less what they gave back (`D`).
    pub delegated: u128,
    /// The evaluator's fee, paid on its verdict whatever it said (`E`; 0 without a verdict).
    pub evaluation_fee: u128,
    /// A bonded arbiter's fee, paid when it rules (`X`; 0 for an unbonded arbiter).
    pub arbitration_fee: u128,
}

impl Spent {
    /// Only model fees (a milestone without sub-tasks and overseers).
    pub fn model_fees(model_fees: u128) -> Self {
        Spent {
            model_fees,
            ..Spent::default()
        }
    }

    /// `F + D + E + X`: the costs a settlement must cover.
    pub fn total(&self) -> Result<u128> {
        add(
            add(self.model_fees, self.delegated)?,
            add(self.evaluation_fee, self.arbitration_fee)?,
        )
    }
}

/// What settling a milestone pays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Settlement {
    /// The amount settled for the agent (`A`, or `B` of a ruling).
    pub settled: u128,
    /// The protocol fee, to the reward pool's treasury.
    pub protocol_fee: u128,
    /// The agent's part.
    pub agent: u128,
    /// The client's part (without a slash): to the client of a root task, back into the
    /// parent milestone of a sub-task.
    pub client: u128,
}

/// Settles a milestone of `amount` whose delivery paid `model_fees` (no sub-tasks, no
/// overseers), at the task's `protocol_fee_bps`. A ruling whose settled part does not cover
/// the fees is refused ([`EconomicsError::BelowCosts`]), as the escrow refuses it.
pub fn settle(
    amount: u128,
    model_fees: u128,
    protocol_fee_bps: Bps,
    outcome: Outcome,
) -> Result<Settlement> {
    settle_spent(
        amount,
        Spent::model_fees(model_fees),
        protocol_fee_bps,
        outcome,
    )
}

/// Settles a milestone of `amount` that spent `spent` (model fees, net delegated, evaluation
/// and arbitration fees), at the task's `protocol_fee_bps`: the protocol fee is on the amount
/// less what sub-tasks received; a ruling whose settled part does not cover the costs and its
/// protocol fee is refused ([`EconomicsError::BelowCosts`], whose `model_fees` are then all
/// the costs), as the escrow refuses it (`AgentShareBelowCosts`).
pub fn settle_spent(
    amount: u128,
    spent: Spent,
    protocol_fee_bps: Bps,
    outcome: Outcome,
) -> Result<Settlement> {
    let costs = spent.total()?;
    let held = sub(amount, costs)?;
    let (settled, protocol_fee) = match outcome {
        Outcome::Full => (
            amount,
            bps_ceil(amount.saturating_sub(spent.delegated), protocol_fee_bps)?
                .min(amount.saturating_sub(costs)),
        ),
        Outcome::Ruling(0) => {
            return Ok(Settlement {
                client: held,
                ..Settlement::default()
            })
        }
        Outcome::Ruling(share) => {
            let settled = bps_floor(amount, share)?;
            let fee = bps_ceil(settled.saturating_sub(spent.delegated), protocol_fee_bps)?;
            (settled, fee)
        }
    };
    let agent = settled
        .checked_sub(costs)
        .and_then(|rest| rest.checked_sub(protocol_fee))
        .ok_or(EconomicsError::BelowCosts {
            settled,
            model_fees: costs,
            protocol_fee,
        })?;
    Ok(Settlement {
        settled,
        protocol_fee,
        agent,
        client: sub(sub(held, protocol_fee)?, agent)?,
    })
}

/// What a milestone of `amount` can spend on model fees at delivery: `A − ⌈A × bps⌉` (the
/// escrow refuses fees above it with `ModelFeesExceedMilestone`); 0 when the fee would take
/// all of it.
pub fn available_for_model_fees(amount: u128, protocol_fee_bps: Bps) -> Result<u128> {
    spendable(amount, protocol_fee_bps, (0, 0), Spent::default())
}

/// What a milestone of `amount` can still spend on model fees and sub-tasks (the escrow's
/// `spendable`): its amount less its protocol fee `⌈A × bps⌉`, the evaluator's and the
/// arbiter's fees fixed on the task (`fees`), and what it already `spent`; 0 when those take
/// all of it. A delegation above it is refused (`DelegationOverBudget`), and so are model
/// fees above it (`ModelFeesExceedMilestone`).
pub fn spendable(
    amount: u128,
    protocol_fee_bps: Bps,
    (evaluation_fee, arbitration_fee): (u128, u128),
    spent: Spent,
) -> Result<u128> {
    let reserved = add(
        add(bps_ceil(amount, protocol_fee_bps)?, evaluation_fee)?,
        add(arbitration_fee, spent.total()?)?,
    )?;
    Ok(amount.saturating_sub(reserved))
}

/// The fees every milestone of a new task must cover (the escrow refuses a smaller one with
/// `MilestoneBelowFees`): its protocol fee `⌈A × bps⌉`, a verdict and a ruling.
pub fn milestone_fees(
    amount: u128,
    protocol_fee_bps: Bps,
    (evaluation_fee, arbitration_fee): (u128, u128),
) -> Result<u128> {
    add(
        add(bps_ceil(amount, protocol_fee_bps)?, evaluation_fee)?,
        arbitration_fee,
    )
}

/// The bond an accepted task reserves of its agent's free bond, and a new task of its bonded
/// evaluator's and arbiter's: `min(deposit, ⌊free × slash_bps⌋)` (what a ruling of 0, or a
/// missed window, can take).
pub fn bond_reservation(deposit: u128, free_bond: u128, slash_bps: Bps) -> Result<u128> {
    Ok(deposit.min(bps_floor(free_bond, slash_bps)?))
}

/// Whether a ruling of `share` bps can settle a milestone without sub-tasks or overseers: 0
/// always can; a share above the whole never; any other only if its settled part covers the
/// fees.
pub fn ruling_allowed(amount: u128, model_fees: u128, protocol_fee_bps: Bps, share: Bps) -> bool {
    ruling_allowed_spent(
        amount,
        Spent::model_fees(model_fees),
        protocol_fee_bps,
        share,
    )
}

/// Whether a ruling of `share` bps can settle a milestone that spent `spent` (the arbiter's
/// fee included): 0 always can; a share above the whole never; any other only if its settled
/// part covers the costs and its protocol fee.
pub fn ruling_allowed_spent(amount: u128, spent: Spent, protocol_fee_bps: Bps, share: Bps) -> bool {
    share == 0
        || (share <= BPS_DENOMINATOR
            && settle_spent(amount, spent, protocol_fee_bps, Outcome::Ruling(share)).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_pays_the_rounded_up_protocol_fee_and_the_agent_the_rest() {
        // 10 001 at 2.5 %: 250.025 → 251; model fees 2 000 paid at delivery.
        assert_eq!(
            settle(10_001, 2_000, 250, Outcome::Full).unwrap(),
            Settlement {
                settled: 10_001,
                protocol_fee: 251,
                agent: 7_750,
                client: 0,
            }
        );
        // The fee is capped by what the model fees leave (a 0.2.0 submission).
        assert_eq!(
            settle(1_000, 990, 250, Outcome::Full).unwrap(),
            Settlement {
                settled: 1_000,
                protocol_fee: 10,
                agent: 0,
                client: 0,
            }
        );
        assert_eq!(
            settle(1_000, 995, 250, Outcome::Full).unwrap().protocol_fee,
            5
        );
    }

    #[test]
    fn a_ruling_splits_the_settled_part_and_returns_the_rest() {
        // 70 % of 10 001 = 7 000 (the odd unit stays with the client); fee ⌈175⌉ = 175.
        assert_eq!(
            settle(10_001, 2_000, 250, Outcome::Ruling(7_000)).unwrap(),
            Settlement {
                settled: 7_000,
                protocol_fee: 175,
                agent: 4_825,
                client: 3_001,
            }
        );
        // A ruling of 0 returns what the escrow holds and pays no fee.
        assert_eq!(
            settle(10_001, 2_000, 250, Outcome::Ruling(0)).unwrap(),
            Settlement {
                client: 8_001,
                ..Settlement::default()
            }
        );
        // 20 % = 2 000 cannot cover 2 000 of fees and its own fee of 50.
        assert_eq!(
            settle(10_001, 2_000, 250, Outcome::Ruling(2_000)),
            Err(EconomicsError::BelowCosts {
                settled: 2_000,
                model_fees: 2_000,
                protocol_fee: 50,
            })
        );
        assert!(ruling_allowed(10_001, 2_000, 250, 0));
        assert!(ruling_allowed(10_001, 2_000, 250, 2_100));
        assert!(!ruling_allowed(10_001, 2_000, 250, 2_000));
        assert!(!ruling_allowed(10_001, 0, 250, 10_001));
    }

    #[test]
    fn a_reservation_is_the_slashable_part_of_the_free_bond_up_to_the_deposit() {
        assert_eq!(bond_reservation(10_000, 50_000, 5_000).unwrap(), 10_000);
        assert_eq!(bond_reservation(10_000, 15_001, 5_000).unwrap(), 7_500);
        assert_eq!(bond_reservation(10_000, 15_001, 0).unwrap(), 0);
    }

    #[test]
    fn model_fees_fit_below_the_protocol_fee() {
        assert_eq!(available_for_model_fees(10_001, 250).unwrap(), 9_750);
        assert_eq!(available_for_model_fees(1, 250).unwrap(), 0);
        assert_eq!(available_for_model_fees(0, 250).unwrap(), 0);
    }

    #[test]
    fn without_sub_tasks_or_overseers_the_new_arithmetic_is_the_old_one() {
        for amount in [1u128, 19, 999, 1_000, 10_001, 123_457] {
            for fees in [0u128, 1, amount / 3, amount / 2] {
                for bps in [0u16, 1, 250, 500, 3_000] {
                    let spent = Spent::model_fees(fees);
                    let full = settle_spent(amount, spent, bps, Outcome::Full);
                    assert_eq!(full, settle(amount, fees, bps, Outcome::Full));
                    for share in [0u16, 1, 2_500, 5_000, 9_999, 10_000] {
                        let ruling = Outcome::Ruling(share);
                        assert_eq!(
                            settle_spent(amount, spent, bps, ruling),
                            settle(amount, fees, bps, ruling)
                        );
                        assert_eq!(
                            ruling_allowed_spent(amount, spent, bps, share),
                            ruling_allowed(amount, fees, bps, share)
                        );
                    }
                    assert_eq!(
                        spendable(amount, bps, (0, 0), Spent::default()),
                        available_for_model_fees(amount, bps)
                    );
                }
            }
        }
    }

    #[test]
    fn a_full_settlement_covers_every_cost_and_charges_the_protocol_on_what_stayed() {
        // 10 000 at 5 %: model fees 1 000, 3 000 delegated, evaluation fee 200. Protocol fee
        // on 7 000: 350; the agent gets 10 000 − 4 200 − 350; the escrow held 5 800.
        let spent = Spent {
            model_fees: 1_000,
            delegated: 3_000,
            evaluation_fee: 200,
            arbitration_fee: 0,
        };
        assert_eq!(spent.total().unwrap(), 4_200);
        assert_eq!(
            settle_spent(10_000, spent, 500, Outcome::Full).unwrap(),
            Settlement {
                settled: 10_000,
                protocol_fee: 350,
                agent: 5_450,
                client: 0,
            }
        );
        // A client conceding after a rejection: the evaluator was paid all the same.
        let judged = Spent {
            evaluation_fee: 100,
            ..Spent::default()
        };
        assert_eq!(
            settle_spent(1_000, judged, 250, Outcome::Full).unwrap(),
            Settlement {
                settled: 1_000,
                protocol_fee: 25,
                agent: 875,
                client: 0,
            }
        );
    }

    #[test]
    fn delegated_work_pays_the_protocol_fee_once() {
        // A root milestone of 10 000 at 5 % delegates 4 000, settled in full below: the
        // sub-task pays ⌈4 000 × 5 %⌉ = 200, the root ⌈6 000 × 5 %⌉ = 300: 500 in all, the fee
        // of 10 000.
        let sub = settle_spent(4_000, Spent::default(), 500, Outcome::Full).unwrap();
        let delegated = Spent {
            delegated: 4_000,
            ..Spent::default()
        };
        let root = settle_spent(10_000, delegated, 500, Outcome::Full).unwrap();
        assert_eq!((sub.protocol_fee, root.protocol_fee), (200, 300));
        assert_eq!((sub.agent, root.agent), (3_800, 5_700));
        // What a sub-task gives back lowers the net delegated: the root then pays on more.
        let returned = Spent {
            delegated: 1_000,
            ..Spent::default()
        };
        let root = settle_spent(10_000, returned, 500, Outcome::Full).unwrap();
        assert_eq!((root.protocol_fee, root.agent), (450, 8_550));
    }

    #[test]
    fn a_ruling_pays_the_bonded_arbiter_first_and_splits_what_is_left() {
        // 10 000 at 5 %: model fees 1 000, 3 000 delegated, evaluation 200, arbitration 300.
        // 70 %: B = 7 000, protocol fee ⌈(7 000 − 3 000) × 5 %⌉ = 200, the agent 7 000 − 4 500
        // − 200, the client A − B; what the escrow held (5 500) is paid out exactly.
        let spent = Spent {
            model_fees: 1_000,
            delegated: 3_000,
            evaluation_fee: 200,
            arbitration_fee: 300,
        };
        let s = settle_spent(10_000, spent, 500, Outcome::Ruling(7_000)).unwrap();
        assert_eq!(
            s,
            Settlement {
                settled: 7_000,
                protocol_fee: 200,
                agent: 2_300,
                client: 3_000,
            }
        );
        assert_eq!(s.protocol_fee + s.agent + s.client, 10_000 - 4_500);
        // A ruling of 0 returns all the escrow holds.
        assert_eq!(
            settle_spent(10_000, spent, 500, Outcome::Ruling(0)).unwrap(),
            Settlement {
                client: 5_500,
                ..Settlement::default()
            }
        );
        // 45.79 % settles 4 579: 4 500 of costs and a fee of ⌈78.95⌉ = 79 leave 0 for the
        // agent; one basis point less does not cover them.
        assert_eq!(
            settle_spent(10_000, spent, 500, Outcome::Ruling(4_579))
                .unwrap()
                .agent,
            0
        );
        assert_eq!(
            settle_spent(10_000, spent, 500, Outcome::Ruling(4_578)),
            Err(EconomicsError::BelowCosts {
                settled: 4_578,
                model_fees: 4_500,
                protocol_fee: 79,
            })
        );
        assert!(ruling_allowed_spent(10_000, spent, 500, 4_579));
        assert!(!ruling_allowed_spent(10_000, spent, 500, 4_578));
        assert!(ruling_allowed_spent(10_000, spent, 500, 0));
        assert!(!ruling_allowed_spent(10_000, spent, 500, 10_001));
        // A settled part below what was delegated pays no protocol fee and cannot cover it.
        let deep = Spent {
            delegated: 6_000,
            ..Spent::default()
        };
        assert_eq!(
            settle_spent(10_000, deep, 500, Outcome::Ruling(5_000)),
            Err(EconomicsError::BelowCosts {
                settled: 5_000,
                model_fees: 6_000,
                protocol_fee: 0,
            })
        );
    }

    #[test]
    fn a_milestone_spends_what_its_fees_leave() {
        // 10 001 at 2.5 %: 251; evaluation 100 and arbitration 50 fixed; 2 000 delegated.
        let delegated = Spent {
            delegated: 2_000,
            ..Spent::default()
        };
        assert_eq!(spendable(10_001, 250, (100, 50), delegated).unwrap(), 7_600);
        assert_eq!(
            spendable(10_001, 250, (100, 50), Spent::default()).unwrap(),
            9_600
        );
        // Nothing left: 0, never an underflow.
        assert_eq!(spendable(1_000, 500, (900, 100), delegated).unwrap(), 0);
        // A new milestone must cover ⌈A × bps⌉ + E + X.
        assert_eq!(milestone_fees(1_000, 500, (30, 20)).unwrap(), 100);
        assert_eq!(milestone_fees(19, 500, (0, 0)).unwrap(), 1);
    }

    #[test]
    fn whatever_fits_the_budget_settles_without_the_cap() {
        // Costs within `spendable` always leave the full protocol fee and a part for the
        // agent: the cap of a full settlement never binds on a milestone of this version.
        for amount in [100u128, 1_001, 10_000, 77_777] {
            for (e, x) in [(0u128, 0u128), (1, 0), (10, 20), (30, 0)] {
                let left = spendable(amount, 500, (e, x), Spent::default()).unwrap();
                for (f, d) in [(0, 0), (left, 0), (0, left), (left / 3, left - left / 3)] {
                    let spent = Spent {
                        model_fees: f,
                        delegated: d,
                        evaluation_fee: e,
                        arbitration_fee: x,
                    };
                    let s = settle_spent(amount, spent, 500, Outcome::Full).unwrap();
                    assert_eq!(s.protocol_fee, bps_ceil(amount - d, 500).unwrap());
                    assert_eq!(s.agent + s.protocol_fee + spent.total().unwrap(), amount);
                }
            }
        }
    }
}
