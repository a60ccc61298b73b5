//! The agent escrow's settlement of a milestone (`contracts/agent-escrow/src/execute.rs`,
//! `settlement` and `settle_milestone`). A milestone `A` paid its model fees `F` at delivery,
//! so the escrow holds `A − F` for it:
//! - approval and finalization settle `A`: the protocol fee `P = ⌈A × bps⌉`, capped at
//!   `A − F`, to the pool's treasury and `A − F − P` to the agent;
//! - a ruling of `s > 0` bps settles `B = ⌊A × s⌋`, which must cover `F + ⌈B × bps⌉`: the agent
//!   gets `B − F − P(B)`, the client `A − B`;
//! - a ruling of 0 returns `A − F` to the client and pays no protocol fee (the slash of the
//!   agent's reserved bond comes on top, from the bond).

use openledger_common::bps::{Bps, BPS_DENOMINATOR};

use crate::{bps_ceil, bps_floor, sub, EconomicsError, Result};

/// How a milestone is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Approved by the client, or finalized after the review window: all of it settles.
    Full,
    /// Ruled by the arbiter: this share (bps) settles for the agent, the rest goes back.
    Ruling(Bps),
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
    /// The client's part (without a slash).
    pub client: u128,
}

/// Settles a milestone of `amount` whose delivery paid `model_fees`, at the task's
/// `protocol_fee_bps`. A ruling whose settled part does not cover the fees is refused
/// ([`EconomicsError::BelowCosts`]), as the escrow refuses it.
pub fn settle(
    amount: u128,
    model_fees: u128,
    protocol_fee_bps: Bps,
    outcome: Outcome,
) -> Result<Settlement> {
    let held = sub(amount, model_fees)?;
    let (settled, protocol_fee) = match outcome {
        Outcome::Full => (
            amount,
            bps_ceil(amount, protocol_fee_bps)?.min(amount.saturating_sub(model_fees)),
        ),
        Outcome::Ruling(0) => {
            return Ok(Settlement {
                client: held,
                ..Settlement::default()
            })
        }
        Outcome::Ruling(share) => {
            let settled = bps_floor(amount, share)?;
            (settled, bps_ceil(settled, protocol_fee_bps)?)
        }
    };
    let agent = settled
        .checked_sub(model_fees)
        .and_then(|rest| rest.checked_sub(protocol_fee))
        .ok_or(EconomicsError::BelowCosts {
            settled,
            model_fees,
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
    Ok(amount - bps_ceil(amount, protocol_fee_bps)?.min(amount))
}

/// The bond an accepted task reserves of its agent's free bond: `min(deposit, ⌊free × slash_bps⌋)`
/// (what a ruling of 0 on it can take).
pub fn bond_reservation(deposit: u128, free_bond: u128, slash_bps: Bps) -> Result<u128> {
    Ok(deposit.min(bps_floor(free_bond, slash_bps)?))
}

/// Whether a ruling of `share` bps can settle a milestone: 0 always can; a share above the
/// whole never; any other only if its settled part covers the fees.
pub fn ruling_allowed(amount: u128, model_fees: u128, protocol_fee_bps: Bps, share: Bps) -> bool {
    share == 0
        || (share <= BPS_DENOMINATOR
            && settle(amount, model_fees, protocol_fee_bps, Outcome::Ruling(share)).is_ok())
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
}
