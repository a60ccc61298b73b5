//! Exact provenance (issue 15) in the simulation: a weight-mode datanet's contributors are paid
//! by version. The model keeps each such datanet's rewards in an `econ::VersionedRewards` (the
//! reference the pool is held to): every acceptance and removal sets the contributor's weight
//! for the next version, every `publish_version` freezes it, every fee's datanet part is
//! distributed to the version it names (a model's lineage version; the latest published one
//! for a `distribute` without a version). After every step the pool's version ranges of every
//! account are checked against it to the unit (`fees_reach_only_their_versions`), and what the
//! pool owes against what its ranges, positions and credits hold (`pool_holdings`). The guided
//! action `Versions` takes the lineage datanets and their models along versions.

use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::{Addr, Event, Order, Uint256};
use cw_multi_test::{App, AppResponse};
use openledger_common::msg::datanet_registry::{self as registry, AttributionMode};
use openledger_common::msg::model_licensing::MAX_ANCESTRY_DEPTH;
use openledger_common::msg::reward_pool::{
    self as pool, DatanetPoolResponse, EarningSource, EarningsResponse, PendingRewardsResponse,
    RangeEarnings, RangeKey, SourceEarnings, StakingPoolResponse,
};
use openledger_economics::{self as econ, pro_rata_scaled, VersionedRewards, REWARD_SCALE};
use reward_pool::state::{DatanetPool, POSITIONS, STAKERS};
use reward_pool::versions::{self, CREDITS, RANGES};

use super::{
    event_attr, model, payment_events, Action, Amount, ContributionState, Outcome, Sim, Target, Who,
};

/// Page size of the `earnings` query.
const EARNINGS_PAGE: u32 = 50;
/// At most this many pages of an account's earnings are read (more is a failure).
const EARNINGS_PAGES: usize = 64;

/// What the pool says an account earned: its version ranges (every datanet) and its credits.
#[derive(Clone, Debug, Default)]
pub struct Earned {
    /// Every range, ascending by datanet and first version.
    pub ranges: Vec<RangeEarnings>,
    /// Credits by source.
    pub sources: Vec<SourceEarnings>,
    /// Credited to the account so far.
    pub credits_earned: u128,
    /// Credits claimable now.
    pub credits_claimable: u128,
}

impl Earned {
    /// The ranges of datanet `id`.
    pub fn ranges_in(&self, id: u64) -> impl Iterator<Item = &RangeEarnings> + '_ {
        self.ranges.iter().filter(move |r| r.datanet_id == id)
    }
}

/// What the pool's positions hold, settled at the block time, read from its raw storage.
#[derive(Debug, Default, PartialEq)]
pub struct Holdings {
    /// Σ settled `accrued_scaled` of every contributor range and 0.2.0 position.
    pub contributors_scaled: Uint256,
    /// Σ settled `accrued_scaled` of every staker.
    pub stakers_scaled: Uint256,
    /// (contributor, datanet) pairs holding a range or a 0.2.0 position.
    pub held: BTreeSet<(Addr, u64)>,
    /// Staker positions stored.
    pub stakers: usize,
    /// Σ claimable account credits.
    pub credits: u128,
}

/// What the pool at `pool_addr` holds for contributors, stakers and accounts, settled now
/// (`staking`: its staking pool now, whose `reward_per_stake` settles the stakers): its raw
// storage read with the pool's own types (ranges settled against its Fenwick trees with
/// `versions::settle`).
pub fn pool_holdings(
    app: &App,
    pool_addr: &Addr,
    staking: &StakingPoolResponse,
) -> Result<Holdings, String> {
    let storage = app.contract_storage(pool_addr);
    let s = storage.as_ref();
    let e = |x: &dyn std::fmt::Display| x.to_string();
    let mut h = Holdings::default();
    for item in POSITIONS.range(s, None, None, Order::Ascending) {
        let ((addr, id), pos) = item.map_err(|x| e(&x))?;
        let acc = DatanetPool::load(s, id)
            .map_err(|x| e(&x))?
            .reward_per_weight;
        h.contributors_scaled += pos.settled(acc).map_err(|x| e(&x))?.accrued_scaled;
        h.held.insert((addr, id));
    }
    for item in RANGES.range(s, None, None, Order::Ascending) {
        let ((addr, id, from), mut range) = item.map_err(|x| e(&x))?;
        let p = DatanetPool::load(s, id).map_err(|x| e(&x))?;
        versions::settle(s, &p, id, from, &mut range).map_err(|x| e(&x))?;
        h.contributors_scaled += range.accrued_scaled;
        h.held.insert((addr, id));
    }
    for item in STAKERS.range(s, None, None, Order::Ascending) {
        let (_, pos) = item.map_err(|x| e(&x))?;
        h.stakers_scaled += pos
            .settled(staking.reward_per_stake)
            .map_err(|x| e(&x))?
            .accrued_scaled;
        h.stakers += 1;
    }
    for item in CREDITS.range(s, None, None, Order::Ascending) {
        let (_, c) = item.map_err(|x| e(&x))?;
        h.credits += c.claimable().map_err(|x| e(&x))?.u128();
    }
    Ok(h)
}

/// The payment event of `res` (model licensing's split attributes): the one there is, or the
/// one of `inference_id` (the escrow pays each model fee on its own).
pub fn payment_event<'a>(
    res: &'a AppResponse,
    inference_id: Option<&str>,
) -> Result<&'a Event, String> {
    let events: Vec<&Event> = payment_events(res)
        .into_iter()
        .filter(|e| inference_id.map_or(true, |id| event_attr(e, "inference_id") == Some(id)))
        .collect();
    match events.as_slice() {
        [e] => Ok(e),
        _ => Err(format!(
            "{} payment events for {inference_id:?}",
            events.len()
        )),
    }
}

impl Sim {
    /// The version-scoped rewards of weight-mode datanet `id`.
    pub(super) fn versioned(&mut self, id: u64) -> Result<&mut VersionedRewards<Addr>, String> {
        self.rewards
            .get_mut(&id)
            .ok_or(format!("datanet {id} has no version-scoped rewards"))
    }

    /// `amount` reached datanet `datanet_id` for `version` (the latest published when `None`):
    /// credits the contributors of that version by their weight in it (with no published
    /// version, or no weight in it, the treasury takes it; an influence datanet keeps it for
    /// attested roots).
    pub(super) fn credit(
        &mut self,
        datanet_id: u64,
        version: Option<u32>,
        amount: u128,
    ) -> Result<(), String> {
        let d = &self.datanets[(datanet_id - 1) as usize];
        if d.mode != AttributionMode::Weight || amount == 0 {
            return Ok(());
        }
        let rewards = self.versioned(datanet_id)?;
        let published = rewards.versions.len() as u32;
        model(rewards.distribute(version, amount))?;
        let v = match version {
            Some(v) => v,
            None if published == 0 => return Ok(()),
            None => published,
        };
        let acc = &rewards.versions[(v - 1) as usize];
        if acc.total == 0 {
            return Ok(());
        }
        let total = acc.total;
        let holders: Vec<(Addr, u128, bool)> = acc
            .weights
            .iter()
            .map(|(a, w)| (a.clone(), *w, !rewards.next.contains_key(a)))
            .collect();
        for (holder, w, removed) in holders {
            let share = model(pro_rata_scaled(amount, w, total))?;
            *self.credited.entry((datanet_id, holder)).or_default() += share;
            self.stats.removed_paid += u64::from(removed);
        }
        self.named.entry(datanet_id).or_default().insert(v);
        self.stats.later_versions += u64::from(v > 1);
        Ok(())
    }

    /// Whether datanet `d`'s next version would differ from its latest (or it has none).
    fn unpublished_changes(&self, d: &super::DatanetModel) -> bool {
        match self.rewards.get(&d.id) {
            Some(r) => r.versions.last().map_or(true, |v| v.weights != r.next),
            None => d.versions == 0,
        }
    }

    /// `publish_version` of a datanet (`Fit`: one with changes since its latest version): only
    /// its owner (the one curator of the simulation's datanets) may; the model freezes the
    /// next version's weights.
    pub(super) fn publish_version(&mut self, who: Who, target: Target) -> Outcome {
        let changed: Vec<super::DatanetModel> = self
            .datanets
            .iter()
            .filter(|d| self.unpublished_changes(d))
            .cloned()
            .collect();
        let from = match target {
            Target::Fit(_) if !changed.is_empty() => changed,
            _ => self.datanets.clone(),
        };
        let Some(d) = Self::pick(&from, target.index()).cloned() else {
            return Ok(false);
        };
        let who = self.who(who, &d.owner);
        let registry = self.w.s.registry.clone();
        let msg = registry::ExecuteMsg::PublishVersion { datanet_id: d.id };
        let res = match self.exec(&who, &registry, &msg) {
            Ok(res) => res,
            Err(e) => {
                let refusal = e.downcast_ref::<datanet_registry::ContractError>();
                let expected = datanet_registry::ContractError::NotCurator { datanet_id: d.id };
                if who == d.owner || refusal != Some(&expected) {
                    return Err(format!(
                        "publishing datanet {} by {who} (owner {}) was refused: {e:#}",
                        d.id, d.owner
                    ));
                }
                return Ok(false);
            }
        };
        ensure_eq!(who, d.owner, "datanet {} published by a non-curator", d.id);
        let version = d.versions + 1;
        ensure_eq!(
            crate::escrow::attr(&res, "version"),
            version.to_string(),
            "version published of datanet {}",
            d.id
        );
        self.datanets[(d.id - 1) as usize].versions = version;
        if d.mode == AttributionMode::Weight {
            let v = model(self.versioned(d.id)?.publish())?;
            ensure_eq!(v, version, "the model's version of datanet {}", d.id);
        }
        Ok(true)
    }

    /// Every range and credit source of `who`, paged through `earnings`.
    pub(super) fn earned(&self, who: &Addr) -> Result<Earned, String> {
        let mut out = Earned::default();
        let (mut after_range, mut after_source): (Option<RangeKey>, _) = (None, None);
        for _ in 0..EARNINGS_PAGES {
            let page: EarningsResponse = self.w.s.query_pool(&pool::QueryMsg::Earnings {
                address: who.to_string(),
                start_after_range: after_range.clone(),
                start_after_source: after_source.clone(),
                limit: Some(EARNINGS_PAGE),
            });
            out.credits_earned = page.credits_earned.u128();
            out.credits_claimable = page.credits_claimable.u128();
            let more = page.ranges.len() as u32 == EARNINGS_PAGE
                || page.sources.len() as u32 == EARNINGS_PAGE;
            if let Some(r) = page.ranges.last() {
                after_range = Some(RangeKey {
                    datanet_id: r.datanet_id,
                    from_version: r.from_version,
                });
            }
            if let Some(s) = page.sources.last() {
                after_source = Some(s.source.clone());
            }
            out.ranges.extend(page.ranges);
            out.sources.extend(page.sources);
            if !more {
                return Ok(out);
            }
        }
        Err(format!("{who} earns in more than {EARNINGS_PAGES} pages"))
    }

    /// What every account earned (`pending`: its pending rewards, in the same order). An
    /// account the pool lists in no datanet, with no credit claimable and none in the model,
    /// is taken to hold nothing (its earnings are not asked for): the model must then expect
    /// nothing of it either.
    pub(super) fn earned_all(
        &self,
        pending: &[(Addr, PendingRewardsResponse)],
    ) -> Result<Vec<(Addr, Earned)>, String> {
        pending
            .iter()
            .map(|(a, p)| {
                let credited = self.credits.keys().any(|(holder, _)| holder == a);
                if p.rewards.is_empty() && p.credits.is_zero() && !credited {
                    return Ok((a.clone(), Earned::default()));
                }
                Ok((a.clone(), self.earned(a)?))
            })
            .collect()
    }
}

/// 11. Every fee reaches only contributors of the versions its model names. For every account
///     and weight-mode datanet, the pool's version ranges (`earnings`) are the model's
///     (`econ::VersionedRewards`): the weight a range holds is the account's weight in each
///     version it covers, and 0 outside them (the open range's is its weight for the next
///     version); what each range earned (claimed + claimable) is, to the unit,
///     `⌊Σ over its versions v of weight · reward per weight of v / 10^18⌋`; an account in none
///     of the versions any fee was credited to earned 0 there; no range in any other datanet.
///     The pool and the registry count the versions the model published; each account's
///     credits are the model's. (`datanets`: each datanet as the pool and the registry answer
///     it; `earned`: every account's earnings.) Returns the number of (account, datanet) pairs
///     checked.
pub fn fees_reach_only_their_versions(
    sim: &Sim,
    datanets: &[(DatanetPoolResponse, registry::DatanetResponse)],
    earned: &[(Addr, Earned)],
) -> Result<u64, String> {
    ensure_eq!(datanets.len(), sim.datanets.len(), "datanets answered");
    for (d, (p, r)) in sim.datanets.iter().zip(datanets) {
        ensure_eq!(
            (p.datanet_id, p.versions, r.id, r.version_count),
            (d.id, d.versions, d.id, d.versions),
            "versions of datanet {} (pool, registry)",
            d.id
        );
    }
    let mut n = 0;
    for (who, e) in earned {
        for r in &e.ranges {
            ensure!(
                sim.rewards.contains_key(&r.datanet_id),
                "{who} holds a range in datanet {}, which has no version-scoped rewards: {r:?}",
                r.datanet_id
            );
        }
        for (&id, rewards) in &sim.rewards {
            ranges_match_the_model(sim, who, id, rewards, e)?;
            n += 1;
        }
        let credited: u128 = sim
            .credits
            .iter()
            .filter(|((a, _), _)| a == who)
            .map(|(_, c)| c)
            .sum();
        let claimed = sim.credits_claimed.get(who).copied().unwrap_or(0);
        ensure_eq!(
            (e.credits_earned, e.credits_claimable),
            (
                credited,
                credited
                    .checked_sub(claimed)
                    .ok_or(format!("{who} claimed {claimed} of credits {credited}"))?
            ),
            "{who}'s account credits (earned, claimable)"
        );
        let by_source: BTreeMap<u64, u128> = sim
            .credits
            .iter()
            .filter(|((a, _), c)| a == who && **c > 0)
            .map(|((_, m), c)| (*m, *c))
            .collect();
        let reported = e
            .sources
            .iter()
            .map(|s| match s.source {
                EarningSource::ModelOwner { model_id } => Ok((model_id, s.earned.u128())),
                ref other => Err(format!("{who} credited by {other:?}")),
            })
            .collect::<Result<BTreeMap<u64, u128>, String>>()?;
        ensure_eq!(reported, by_source, "{who}'s credits by ancestor model");
    }
    Ok(n)
}

/// Checks `who`'s ranges in datanet `id` against the model's `rewards` (see
/// [`fees_reach_only_their_versions`]).
fn ranges_match_the_model(
    sim: &Sim,
    who: &Addr,
    id: u64,
    rewards: &VersionedRewards<Addr>,
    e: &Earned,
) -> Result<(), String> {
    let published = rewards.versions.len() as u32;
    // The weight the pool's ranges give `who` in versions 1..=published + 1 (the next).
    let mut held = vec![None; published as usize + 2];
    let mut total = 0u128;
    for r in e.ranges_in(id) {
        let to = r.to_version.unwrap_or(published + 2);
        ensure!(
            r.from_version >= 1 && r.from_version < to && to <= published + 2,
            "{who}'s range in datanet {id} outside versions 1..={}: {r:?}",
            published + 1
        );
        let mut scaled = 0u128;
        for v in r.from_version..to {
            let slot = &mut held[v as usize];
            ensure!(
                slot.is_none(),
                "two ranges of {who} in datanet {id} cover version {v}"
            );
            *slot = Some(r.weight);
            if v <= published {
                let acc = &rewards.versions[(v - 1) as usize];
                if acc.weights.contains_key(who) {
                    scaled = econ_add(scaled, model(acc.earned_scaled(who))?)?;
                }
            }
        }
        ensure_eq!(
            (r.earned.u128(), r.claimed.u128() + r.claimable.u128()),
            (scaled / REWARD_SCALE, scaled / REWARD_SCALE),
            "{who} in datanet {id}, range {r:?}: earned, claimed + claimable vs the model"
        );
        total += r.earned.u128();
    }
    for v in 1..=published + 1 {
        let expected = match v {
            v if v <= published => rewards.versions[(v - 1) as usize].weights.get(who),
            _ => rewards.next.get(who),
        }
        .copied()
        .unwrap_or(0);
        let pool_weight = u128::from(held[v as usize].unwrap_or(0));
        ensure_eq!(
            pool_weight,
            expected,
            "{who}'s weight in version {v} of datanet {id} (the pool's ranges vs the model)"
        );
    }
    let named = sim.named.get(&id);
    let in_named = named.is_some_and(|vs| {
        vs.iter()
            .any(|v| rewards.versions[(v - 1) as usize].weights.contains_key(who))
    });
    ensure!(
        in_named || total == 0,
        "{who} earned {total} in datanet {id} without being in any version a fee named \
         ({named:?})"
    );
    Ok(())
}

fn econ_add(a: u128, b: u128) -> Result<u128, String> {
    a.checked_add(b)
        .ok_or_else(|| econ::EconomicsError::OutOfRange.to_string())
}

/// A datanet's version-scoped rewards before anything was accepted or published.
pub(super) fn no_versions() -> VersionedRewards<Addr> {
    VersionedRewards {
        next: BTreeMap::new(),
        versions: vec![],
        claimed: BTreeMap::new(),
    }
}

impl Sim {
    /// The action `Versions { choice }` runs as now (see `Action::Versions`).
    pub(super) fn versions_guide(&self, choice: u8) -> Action {
        let lineage = |id: u64| id == 1 || id == 2;
        // Datanet 1 or 2 with a pending contribution: its curator accepts it.
        let with_pending: Vec<u64> = self
            .datanets
            .iter()
            .filter(|d| {
                self.contributions
                    .iter()
                    .any(|c| c.datanet == d.id && c.state == ContributionState::Pending)
            })
            .map(|d| d.id)
            .collect();
        if let Some(i) = with_pending.iter().position(|id| lineage(*id)) {
            return Action::Review {
                who: Who::Right,
                datanet: Target::Any(i as u8),
                decisions: vec![(0, Some(1 + u64::from(choice) * 13 % 500))],
            };
        }
        // Datanet 1 or 2 changed since its latest version: its curator publishes one.
        let changed: Vec<u64> = self
            .datanets
            .iter()
            .filter(|d| self.unpublished_changes(d))
            .map(|d| d.id)
            .collect();
        if let Some(i) = changed.iter().position(|id| lineage(*id)) {
            return Action::PublishVersion {
                who: Who::Right,
                datanet: Target::Fit(i as u8),
            };
        }
        let latest = self.new_lineage(None);
        let later = latest.iter().any(|e| e.1 > 1);
        let on_latest: Vec<u64> = self
            .models
            .iter()
            .filter(|m| m.lineage == latest)
            .map(|m| m.id)
            .collect();
        let register = Action::RegisterModel {
            who: choice % 8,
            fee: Amount::Large(1),
            price: Amount::Large(2),
            lineage: None,
        };
        if on_latest.is_empty() && later {
            return register;
        }
        let who = choice / 4 % 8;
        let contribute = Action::Contribute {
            who,
            datanet: Target::Any(choice / 32 % 2),
            exact: true,
        };
        let pay = |model_id: u64| Action::PayInference {
            who: 2,
            model: (model_id - 1) as u8,
            attribution: (choice % 8 < 3).then_some(u16::from(choice) * 39 % 10_001),
            forged: false,
        };
        match choice % 4 {
            1 => {
                let accepted: Vec<&super::ContributionModel> = self
                    .contributions
                    .iter()
                    .filter(|c| matches!(c.state, ContributionState::Accepted(_)))
                    .collect();
                let ours: Vec<usize> = (0..accepted.len())
                    .filter(|&i| lineage(accepted[i].datanet))
                    .collect();
                match Self::pick(&ours, choice / 4) {
                    Some(&i) => Action::RemoveContribution {
                        who: Who::Right,
                        contribution: i as u8,
                    },
                    None => contribute,
                }
            }
            2 => on_latest.last().map_or(register, |&m| pay(m)),
            3 => {
                let derived = self.models.iter().rev().find(|m| !m.ancestors.is_empty());
                let parent =
                    self.models.iter().rev().find(|m| {
                        m.depth < MAX_ANCESTRY_DEPTH && m.lineage.iter().any(|e| e.1 > 1)
                    });
                match (derived, parent) {
                    (Some(d), _) if choice & 16 != 0 => pay(d.id),
                    (_, Some(p)) => Action::RegisterDerivedModel {
                        who: Who::Right,
                        parent: Target::Any((p.id - 1) as u8),
                        royalty_bps: 1 + u16::from(choice) * 131 % 5_000,
                        fee: Amount::Large(1),
                    },
                    (Some(d), None) => pay(d.id),
                    (None, None) => contribute,
                }
            }
            _ => contribute,
        }
    }
}
