//! The story's ledger: every balance it expects, what moved by category, the treasury's
//! intake, and the protocol's arithmetic that predicts them, taken from the economics model
//! (`openledger-economics`): the pool's accumulators, the fee split of model payments and the
//! escrow's settlement of a milestone.

use std::collections::BTreeMap;

use anyhow::{bail, ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::attribution::AttributionShare;
use openledger_common::bps::Bps;
use openledger_common::curation::curators_cut;
use openledger_economics::{
    derived_payment, settle, shares, Accumulator, FeeSplit, Outcome, Party, Payments, ServedBy,
    VersionedRewards, REWARD_SCALE,
};

use super::plan::STAKE_QUANTUM;

/// What the ledger follows of a datanet: a weight-mode datanet's contributors version by version
/// (a fee for a version reaches that version's contributors only), or what an influence-mode
/// datanet's bucket received and paid.
pub(super) enum DatanetModel {
    /// A weight-mode datanet: its versions' accumulators.
    Weight(VersionedRewards<String>),
    /// An influence-mode datanet: what its bucket received and what claims paid of it.
    Influence { received: u128, paid: u128 },
}

/// The expected state: every balance, and the protocol's internal figures the story asserts.
pub(super) struct Ledger {
    /// Address → display name.
    pub(super) names: BTreeMap<String, String>,
    /// Every followed address's OPEN balance when the story began.
    pub(super) start: BTreeMap<String, u128>,
    /// Every followed address's OPEN balance as the ledger expects it now.
    pub(super) expected: BTreeMap<String, u128>,
    /// Per address, what moved by category (first-seen order).
    pub(super) lines: BTreeMap<String, Vec<(String, i128)>>,
    /// The pool's treasury when the story began.
    pub(super) treasury_start: u128,
    /// What the story paid into the treasury, by source (first-seen order).
    pub(super) intake: Vec<(String, u128)>,
    /// What the story withdrew from the treasury.
    pub(super) treasury_withdrawn: u128,
    /// The story's datanets, by id.
    pub(super) datanets: BTreeMap<u64, DatanetModel>,
    /// The stakers' accumulator (the total includes other accounts' stakes).
    pub(super) staking: Accumulator,
    /// Credited to the model owner in model licensing, not withdrawn.
    pub(super) earnings: u128,
    /// Credited to hosts in model licensing for the inferences they served, not withdrawn.
    pub(super) host_earnings: BTreeMap<String, u128>,
    /// Credited to accounts in the pool (ancestors' owners of derived models), not claimed.
    pub(super) pool_credits: BTreeMap<String, u128>,
    /// Model licensing's fee split, read from the chain.
    pub(super) fee_split: FeeSplit,
    /// The pool's curators' share of datanet allocations, read from the chain.
    pub(super) curators_bps: Bps,
    /// The story's datanets' curators, by datanet (the pool splits their share equally).
    pub(super) curators: BTreeMap<u64, Vec<String>>,
    /// Earned by curators in the pool and not claimed, by curator.
    pub(super) curator_pending: BTreeMap<String, u128>,
    /// The datanet registry.
    pub(super) registry: String,
    /// The reward pool.
    pub(super) pool: String,
    /// Model licensing.
    pub(super) models: String,
    /// The agent escrow.
    pub(super) escrow: String,
}

impl Ledger {
    /// The display name of `addr` (the address itself when it has none).
    pub(super) fn name<'a>(&'a self, addr: &'a str) -> &'a str {
        self.names.get(addr).map(String::as_str).unwrap_or(addr)
    }

    /// Notes `amount` moved for `addr` under the category `what`.
    pub(super) fn note(&mut self, addr: &str, what: &str, amount: i128) {
        let lines = self.lines.entry(addr.to_string()).or_default();
        match lines.iter_mut().find(|(w, _)| w == what) {
            Some(l) => l.1 += amount,
            None => lines.push((what.to_string(), amount)),
        }
    }

    /// Renames `addr`'s category `from` to `to`.
    pub(super) fn relabel(&mut self, addr: &str, from: &str, to: &str) {
        if let Some(l) = self
            .lines
            .get_mut(addr)
            .and_then(|ls| ls.iter_mut().find(|(w, _)| w == from))
        {
            l.0 = to.to_string();
        }
    }

    /// Moves `amount` from `from` to `to`, noting it under `out` and `into`.
    pub(super) fn mv(
        &mut self,
        from: &str,
        to: &str,
        amount: u128,
        out: &str,
        into: &str,
    ) -> Result<()> {
        let name = self.name(from).to_string();
        let f = self
            .expected
            .get_mut(from)
            .with_context(|| format!("{name} is not in the ledger"))?;
        *f = f.checked_sub(amount).with_context(|| {
            format!("the ledger has {name} pay {amount} OPEN units it does not hold")
        })?;
        let to_name = self.name(to).to_string();
        *self
            .expected
            .get_mut(to)
            .with_context(|| format!("{to_name} is not in the ledger"))? += amount;
        self.note(from, out, -(amount as i128));
        self.note(to, into, amount as i128);
        Ok(())
    }

    /// Counts `amount` into the treasury under `source`.
    pub(super) fn take_intake(&mut self, source: &str, amount: u128) {
        if amount == 0 {
            return;
        }
        match self.intake.iter_mut().find(|(s, _)| s == source) {
            Some(e) => e.1 += amount,
            None => self.intake.push((source.to_string(), amount)),
        }
    }

    /// The treasury's intake during the story.
    pub(super) fn intake_total(&self) -> u128 {
        self.intake.iter().map(|(_, a)| a).sum()
    }

    /// The pool's treasury as the ledger expects it.
    pub(super) fn treasury(&self) -> u128 {
        self.treasury_start + self.intake_total() - self.treasury_withdrawn
    }

    /// What the pool does with one `distribute` whose tokens the ledger already moved to it:
    /// datanet allocations (ascending (id, version)), then stakers, then treasury.
    pub(super) fn distribute(
        &mut self,
        datanets: &BTreeMap<(u64, u32), u128>,
        stakers: u128,
        treasury: &[(&str, u128)],
    ) -> Result<()> {
        for (&(id, version), &amount) in datanets {
            if amount == 0 {
                continue;
            }
            let curators = self.curators.get(&id).cloned().unwrap_or_default();
            let cut = curators_cut(
                Uint128::new(amount),
                self.curators_bps,
                curators.len() as u32,
            )?;
            for curator in &curators {
                *self.curator_pending.entry(curator.clone()).or_default() += cut.per_curator.u128();
            }
            let amount = cut.rest.u128();
            match self.datanets.get_mut(&id) {
                Some(DatanetModel::Weight(versions)) => {
                    let credit = versions.distribute(Some(version), amount)?;
                    let dust = credit.dust;
                    let source = if credit.credited == 0 && dust == amount {
                        "datanet shares with no accepted weight"
                    } else {
                        "rounding dust"
                    };
                    self.take_intake(source, dust);
                }
                Some(DatanetModel::Influence { received, .. }) => *received += amount,
                None => bail!("datanet {id} is not in the ledger"),
            }
        }
        if stakers > 0 {
            ensure!(
                stakers % STAKE_QUANTUM == 0,
                "the story's plan sends {stakers} to stakers, not a multiple of {STAKE_QUANTUM}"
            );
            let nothing_staked = self.staking.total == 0;
            let credit = self.staking.distribute(stakers)?;
            for (who, w) in &self.staking.weights {
                let earned = w
                    .checked_mul(credit.inc)
                    .context("staking reward overflow")?;
                ensure!(
                    earned % REWARD_SCALE == 0,
                    "the story's stake plan leaves {who} a fraction of a unit ({w} of {} staked, {stakers} to stakers)",
                    self.staking.total
                );
            }
            self.take_intake(
                if nothing_staked {
                    "stakers' shares with nothing staked"
                } else {
                    "rounding dust"
                },
                credit.dust,
            );
        }
        for (source, amount) in treasury {
            self.take_intake(source, *amount);
        }
        Ok(())
    }

    /// One message to model licensing paying `items` (fee, attribution, who served it) of a
    /// model whose lineage names `versions` (datanet → version): `payer` sends the fees, model
    /// licensing credits the owner's share and the hosts' parts (to the signing host, else to
    /// the owner) and sends the rest to the pool in one `distribute`.
    pub(super) fn model_payment(
        &mut self,
        payer: &str,
        items: &[(u128, Vec<AttributionShare>, ServedBy)],
        versions: &BTreeMap<u64, u32>,
        what: &str,
    ) -> Result<()> {
        let items: Vec<_> = items
            .iter()
            .map(|(fee, attribution, by)| (*fee, shares(attribution), by.clone()))
            .collect();
        let p = Payments::of(&self.fee_split, &items)?;
        let (models, pool) = (self.models.clone(), self.pool.clone());
        self.mv(payer, &models, p.fees, what, "fees received")?;
        if p.to_pool() > 0 {
            self.mv(
                &models,
                &pool,
                p.to_pool(),
                "sent to the pool",
                "fee splits",
            )?;
        }
        self.earnings += p.owners_credit();
        for (host, amount) in &p.hosts {
            *self.host_earnings.entry(host.clone()).or_default() += amount;
        }
        let datanets = at_versions(&p.datanets, versions)?;
        self.distribute(
            &datanets,
            p.stakers,
            &[
                (
                    "treasury share of model fees and licences",
                    p.treasury_share,
                ),
                ("rounding dust", p.dust),
            ],
        )
    }

    /// One inference of a derived model paid by `payer`, served by `served_by`. `parties` are
    /// the model itself, then each ancestor with a share: its party (share and attribution),
    /// the versions its lineage names, and (ancestors only) the owner credited in the pool. The
    /// model's own owner (and its host) is credited in model licensing, as for any model.
    pub(super) fn derived_payment(
        &mut self,
        payer: &str,
        fee: u128,
        parties: &[(Party, BTreeMap<u64, u32>, Option<String>)],
        served_by: ServedBy,
        what: &str,
    ) -> Result<()> {
        let split_parties: Vec<Party> = parties.iter().map(|(p, _, _)| p.clone()).collect();
        let s = derived_payment(&self.fee_split, fee, &split_parties, served_by)?;
        let (models, pool) = (self.models.clone(), self.pool.clone());
        self.mv(payer, &models, fee, what, "fees received")?;
        self.mv(
            &models,
            &pool,
            s.to_pool(fee),
            "sent to the pool",
            "fee splits",
        )?;
        self.earnings += s.owner_credit();
        if let ServedBy::Host(host) = &s.served_by {
            *self.host_earnings.entry(host.clone()).or_default() += s.hosts;
        }
        let mut datanets: BTreeMap<(u64, u32), u128> = BTreeMap::new();
        for (i, (_, versions, owner)) in parties.iter().enumerate() {
            let parts: BTreeMap<u64, u128> = s.datanets[i].iter().copied().collect();
            for (key, amount) in at_versions(&parts, versions)? {
                *datanets.entry(key).or_default() += amount;
            }
            if let Some(owner) = owner {
                *self.pool_credits.entry(owner.clone()).or_default() += s.owners[i];
            }
        }
        self.distribute(
            &datanets,
            s.stakers,
            &[
                (
                    "treasury share of model fees and licences",
                    s.treasury_share,
                ),
                ("rounding dust", s.dust),
            ],
        )
    }

    /// The escrow settles a milestone of `amount` as `outcome` says; its work used `fees`
    /// (paid to model licensing when the milestone was delivered). Returns what the agent and
    /// the client receive.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn settle_milestone(
        &mut self,
        task_id: u64,
        amount: u128,
        outcome: Outcome,
        fees: &[(u128, Vec<AttributionShare>, ServedBy)],
        versions: &BTreeMap<u64, u32>,
        protocol_bps: Bps,
        client: &str,
        agent: &str,
    ) -> Result<(u128, u128)> {
        let escrow = self.escrow.clone();
        let pool = self.pool.clone();
        let mut model_fees: u128 = 0;
        for (fee, attribution, served_by) in fees {
            // Each fee is its own cw20 send to model licensing, made at delivery: the data is
            // paid whatever the ruling.
            self.model_payment(
                &escrow,
                &[(*fee, attribution.clone(), served_by.clone())],
                versions,
                "model fees paid for agents",
            )?;
            model_fees = model_fees
                .checked_add(*fee)
                .context("model fees overflow")?;
        }
        // The protocol fee rounds up (a non-zero amount at a non-zero rate never pays 0).
        let s = settle(amount, model_fees, protocol_bps, outcome)?;
        if s.protocol_fee > 0 {
            self.mv(
                &escrow,
                &pool,
                s.protocol_fee,
                "protocol fees",
                "escrow protocol fees",
            )?;
            self.take_intake("escrow protocol fees", s.protocol_fee);
        }
        if s.agent > 0 {
            self.mv(
                &escrow,
                agent,
                s.agent,
                "paid to agents",
                &format!("escrow payouts, task {task_id}"),
            )?;
        }
        if s.client > 0 {
            self.mv(
                &escrow,
                client,
                s.client,
                "returned to clients",
                &format!("ruling refund, task {task_id}"),
            )?;
        }
        Ok((s.agent, s.client))
    }
}

/// The datanet amounts of a payment, each for the version the paying model's lineage names.
fn at_versions(
    datanets: &BTreeMap<u64, u128>,
    versions: &BTreeMap<u64, u32>,
) -> Result<BTreeMap<(u64, u32), u128>> {
    datanets
        .iter()
        .map(|(id, amount)| {
            let v = versions
                .get(id)
                .with_context(|| format!("datanet {id} is not in the paying model's lineage"))?;
            Ok(((*id, *v), *amount))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_payment_splits_by_the_protocols_fee_split() {
        let mut ledger = Ledger {
            names: BTreeMap::new(),
            start: BTreeMap::new(),
            expected: BTreeMap::from([
                ("payer".to_string(), 2_000),
                ("models".to_string(), 0),
                ("pool".to_string(), 0),
            ]),
            lines: BTreeMap::new(),
            treasury_start: 0,
            intake: vec![],
            treasury_withdrawn: 0,
            datanets: BTreeMap::from([
                (
                    1,
                    DatanetModel::Weight({
                        let mut v = VersionedRewards::default();
                        v.set_weight("x".to_string(), 3);
                        v.publish().unwrap();
                        v
                    }),
                ),
                (
                    2,
                    DatanetModel::Influence {
                        received: 0,
                        paid: 0,
                    },
                ),
            ]),
            staking: Accumulator::default(),
            earnings: 0,
            host_earnings: BTreeMap::new(),
            pool_credits: BTreeMap::new(),
            fee_split: FeeSplit::default(),
            curators_bps: 0,
            curators: BTreeMap::new(),
            curator_pending: BTreeMap::new(),
            registry: "registry".into(),
            pool: "pool".into(),
            models: "models".into(),
            escrow: "escrow".into(),
        };
        let lineage = |a: Bps, b: Bps| {
            vec![
                AttributionShare {
                    datanet_id: 1,
                    weight_bps: a,
                },
                AttributionShare {
                    datanet_id: 2,
                    weight_bps: b,
                },
            ]
        };
        // 1 001: owner 200, stakers 200 (nothing staked: to the treasury), datanets 500 split
        // 60/40 as 300/200, treasury 100 and 1 unit of split dust.
        ledger
            .model_payment(
                "payer",
                &[(1_001, lineage(6_000, 4_000), ServedBy::Owner)],
                &BTreeMap::from([(1, 1), (2, 1)]),
                "fees",
            )
            .unwrap();
        assert_eq!(ledger.expected["payer"], 999);
        assert_eq!(ledger.expected["models"], 200);
        assert_eq!(ledger.expected["pool"], 801);
        assert_eq!(ledger.earnings, 200);
        match &ledger.datanets[&1] {
            DatanetModel::Weight(versions) => {
                assert_eq!(versions.credited().unwrap(), 300);
                let x = "x".to_string();
                assert_eq!(versions.earned_scaled(&x).unwrap() / REWARD_SCALE, 300);
            }
            _ => panic!("datanet 1 is a weight datanet"),
        }
        assert!(matches!(
            ledger.datanets[&2],
            DatanetModel::Influence { received: 200, .. }
        ));
        assert_eq!(ledger.intake_total(), 301);
    }
}
