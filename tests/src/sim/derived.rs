//! Fees as model licensing splits them, derived models included (issue 15): a model may name a
//! parent with a royalty; each of its fees then pays the ancestors' owners (as account credits
//! in the pool) and the ancestors' lineage data, by shares fixed at registration. The model
//! here follows `contracts/model-licensing/README.md` ("Derived models"), written out on its
//! own: every figure is checked against the payment's event and, through the pool's credits
//! and version ranges, to the unit.
//!
//! Shares (basis points of a model's creator value, the owner and datanets shares of a fee):
//! a parent of royalty `r` is reached with `r`, an ancestor its parent reaches with `q` with
//! `⌊r × q / 10 000⌋`; an ancestor keeps `10 000 − its own parent's royalty` of what reaches it
//! (`share = ⌊reach × keep / 10 000⌋`); the model keeps `10 000 − Σ shares`. A fee of owner
//! share `o` and datanets share `d` pays each party X (the model, each ancestor with a share)
//! `⌊o × share(X) / 10 000⌋` for its owner and `⌊d × share(X) / 10 000⌋` for its data, spread by
//! its lineage weights (the model's own part by the payment's attribution), each part rounded
//! down and for that lineage's version; every dust goes to the treasury.

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Event, Uint128};
use openledger_common::msg::model_licensing::{
    self as ml, Host, LicenseTier, LineageEntry, ModelAncestryResponse, NewModel, ParentModel,
    MAX_ANCESTRY_DEPTH, MAX_TOTAL_ROYALTY_BPS,
};
use openledger_economics::{derived_payment, FeeSplit, Party, ServedBy};

use super::{
    event_attr, model, Amount, Item, ModelModel, Outcome, Sim, Target, Who, FEES_REACH_VERSIONS,
};
use crate::data_hash;
use crate::models::HostKey;

/// Basis points in a whole.
const WHOLE: u16 = 10_000;
/// How long a licence runs (the simulation's only tier).
pub const LICENCE_SECONDS: u64 = 30 * 24 * 3_600;

/// `⌊amount × bps / 10 000⌋`.
fn bps(amount: u128, bps: u16) -> Result<u128, String> {
    amount
        .checked_mul(u128::from(bps))
        .map(|x| x / u128::from(WHOLE))
        .ok_or(format!("{amount} × {bps} bps overflows"))
}

/// What one payment of a fee pays each party, as model licensing quotes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quote {
    pub fee: u128,
    /// The paying model's own share of its creator value (10 000 without parents).
    pub own_share: u16,
    /// The paying model's owner's credit (in model licensing).
    pub owner: u128,
    /// Per (datanet, version).
    pub datanets: BTreeMap<(u64, u32), u128>,
    /// Per ancestor: its owner and its owner's credit (in the pool).
    pub royalties: BTreeMap<u64, (Addr, u128)>,
    pub stakers: u128,
    /// The treasury's share and every dust.
    pub treasury: u128,
}

impl Quote {
    fn datanets_total(&self) -> u128 {
        self.datanets.values().sum()
    }

    fn royalties_total(&self) -> u128 {
        self.royalties.values().map(|(_, a)| a).sum()
    }
}

/// The parts a payment event reports: `key`'s number.
fn number(e: &Event, key: &str) -> Result<u128, String> {
    event_attr(e, key)
        .ok_or(format!("no {key} in {e:?}"))?
        .parse::<u128>()
        .map_err(|x| format!("{key}: {x}"))
}

/// The attributes of a payment event whose key is `prefix` followed by a key `parse` reads.
fn keyed<K: Ord>(
    e: &Event,
    prefix: &str,
    parse: impl Fn(&str) -> Option<K>,
) -> Result<BTreeMap<K, u128>, String> {
    let mut out = BTreeMap::new();
    for a in &e.attributes {
        let Some(key) = a.key.strip_prefix(prefix).and_then(&parse) else {
            continue;
        };
        let amount = a
            .value
            .parse::<u128>()
            .map_err(|x| format!("{}: {x}", a.key))?;
        if amount > 0 {
            out.insert(key, amount);
        }
    }
    Ok(out)
}

/// Checks a payment event against the quotes of the payments of its message: the totals of
/// each part, each (datanet, version) and each ancestor's owner, and that the parts add up to
/// the fees.
fn check_quotes(e: &Event, quotes: &[Quote]) -> Result<(), String> {
    let sum = |f: &dyn Fn(&Quote) -> u128| quotes.iter().map(f).sum::<u128>();
    let expected = [
        ("fee", sum(&|q| q.fee)),
        ("model_owner_amount", sum(&|q| q.owner)),
        ("datanets_amount", sum(&|q| q.datanets_total())),
        ("royalties_amount", sum(&|q| q.royalties_total())),
        ("stakers_amount", sum(&|q| q.stakers)),
        ("treasury_amount", sum(&|q| q.treasury)),
    ];
    let mut parts = 0;
    for (key, amount) in expected {
        ensure_eq!(number(e, key)?, amount, "{key} of a payment");
        parts += if key == "fee" { 0 } else { amount };
    }
    ensure_eq!(parts, expected[0].1, "a payment's parts vs its fees");
    let mut versions: BTreeMap<(u64, u32), u128> = BTreeMap::new();
    let mut royalties: BTreeMap<u64, u128> = BTreeMap::new();
    for q in quotes {
        for (k, a) in &q.datanets {
            *versions.entry(*k).or_default() += a;
        }
        for (k, (_, a)) in &q.royalties {
            *royalties.entry(*k).or_default() += a;
        }
    }
    versions.retain(|_, a| *a > 0);
    royalties.retain(|_, a| *a > 0);
    let reported = keyed(e, "datanet_", |k| {
        let (id, v) = k.split_once("_v")?;
        Some((id.parse::<u64>().ok()?, v.parse::<u32>().ok()?))
    })?;
    ensure_eq!(reported, versions, "datanet version parts of a payment");
    let reported = keyed(e, "royalty_", |k| k.parse::<u64>().ok())?;
    ensure_eq!(reported, royalties, "ancestors' owner parts of a payment");
    Ok(())
}

impl Sim {
    /// The split of one payment of `fee` to model `model_id` with attribution `shares`
    /// (datanet, bps) over its lineage.
    pub(super) fn quote(
        &self,
        model_id: u64,
        fee: u128,
        shares: &[(u64, u16)],
    ) -> Result<Quote, String> {
        let m = &self.models[(model_id - 1) as usize];
        let base = FeeSplit::default()
            .split(Uint128::new(fee))
            .map_err(|e| e.to_string())?;
        let (o, d) = (base.model_owner.u128(), base.datanets.u128());
        let mut q = Quote {
            fee,
            own_share: m.own_share,
            owner: bps(o, m.own_share)?,
            stakers: base.stakers.u128(),
            ..Quote::default()
        };
        let own_data = bps(d, m.own_share)?;
        let own: Vec<(u64, u32, u16)> = shares
            .iter()
            .map(|&(id, b)| {
                let v = m.lineage.iter().find(|e| e.0 == id).map(|e| e.1);
                v.map(|v| (id, v, b)).ok_or(format!(
                    "model {model_id} paid datanet {id} outside its lineage"
                ))
            })
            .collect::<Result<_, String>>()?;
        let mut dust = own_data - spread(&mut q.datanets, own_data, &own)?;
        let (mut owners, mut data) = (q.owner, own_data);
        for &(a, _, share) in m.ancestors.iter().filter(|x| x.2 > 0) {
            let ancestor = &self.models[(a - 1) as usize];
            let (owner, part) = (bps(o, share)?, bps(d, share)?);
            dust += part - spread(&mut q.datanets, part, &ancestor.lineage)?;
            q.royalties.insert(a, (ancestor.owner.clone(), owner));
            owners += owner;
            data += part;
        }
        q.treasury = base.treasury.u128() + dust + (o - owners) + (d - data);
        self.same_as_economics(model_id, shares, &q)?;
        Ok(q)
    }

    /// Checks a quote against the economics model's `derived_payment` (the paying model first,
    /// then each ancestor with a share, each by its attribution).
    fn same_as_economics(
        &self,
        model_id: u64,
        shares: &[(u64, u16)],
        q: &Quote,
    ) -> Result<(), String> {
        let m = &self.models[(model_id - 1) as usize];
        let mut parties = vec![(model_id, m.own_share, shares.to_vec())];
        for &(a, _, share) in m.ancestors.iter().filter(|x| x.2 > 0) {
            let lineage = &self.models[(a - 1) as usize].lineage;
            parties.push((a, share, lineage.iter().map(|e| (e.0, e.2)).collect()));
        }
        let s = model(derived_payment(
            &FeeSplit::default(),
            q.fee,
            &parties
                .iter()
                .map(|(_, share_bps, attribution)| Party {
                    share_bps: *share_bps,
                    attribution: attribution.clone(),
                })
                .collect::<Vec<_>>(),
            ServedBy::Owner,
        ))?;
        let mut versions: BTreeMap<(u64, u32), u128> = BTreeMap::new();
        for ((party, _, _), parts) in parties.iter().zip(&s.datanets) {
            let lineage = &self.models[(party - 1) as usize].lineage;
            for &(d, amount) in parts {
                let v = lineage.iter().find(|e| e.0 == d).map_or(0, |e| e.1);
                *versions.entry((d, v)).or_default() += amount;
            }
        }
        let royalties: BTreeMap<u64, u128> =
            q.royalties.iter().map(|(m, (_, a))| (*m, *a)).collect();
        let owners: BTreeMap<u64, u128> = parties[1..]
            .iter()
            .zip(&s.owners[1..])
            .map(|((m, _, _), a)| (*m, *a))
            .collect();
        ensure_eq!(
            (s.owners[0], owners, versions, s.stakers, s.treasury()),
            (
                q.owner,
                royalties,
                q.datanets.clone(),
                q.stakers,
                q.treasury
            ),
            "model {model_id}'s payment of {} vs the economics model",
            q.fee
        );
        Ok(())
    }

    /// `payer` paid the fees `paid` (paying model, fee, attribution) in one message whose
    /// payment event is `e`: moves and credits what model licensing does (the paying models'
    /// owners here, the rest to the pool: ancestors' owners as account credits, datanet versions
    /// to their contributors). Checks the event's parts against the model. Returns whether any
    /// payment was of a model with a share for its ancestors.
    pub(super) fn settle_payments(
        &mut self,
        payer: &Addr,
        paid: &[(u64, Item)],
        e: &Event,
    ) -> Result<bool, String> {
        let quotes: Vec<Quote> = paid
            .iter()
            .map(|(m, (fee, shares))| self.quote(*m, *fee, shares))
            .collect::<Result<_, String>>()?;
        check_quotes(e, &quotes)?;
        self.stats.checked(FEES_REACH_VERSIONS, 1);
        let (models, pool) = (self.w.models.clone(), self.w.s.pool.clone());
        let mut versions: BTreeMap<(u64, u32), u128> = BTreeMap::new();
        for ((model_id, _), q) in paid.iter().zip(&quotes) {
            let owner = self.models[(model_id - 1) as usize].owner.clone();
            self.moved(payer, &models, q.fee);
            self.moved(&models, &pool, q.fee - q.owner);
            if q.owner > 0 {
                *self.earnings.entry(owner).or_default() += q.owner;
            }
            for (&a, (ancestor_owner, amount)) in &q.royalties {
                if *amount > 0 {
                    *self.credits.entry((ancestor_owner.clone(), a)).or_default() += amount;
                    self.stats.royalties += 1;
                }
            }
            for (k, a) in &q.datanets {
                *versions.entry(*k).or_default() += a;
            }
        }
        for ((d, version), amount) in versions {
            self.credit(d, Some(version), amount)?;
        }
        Ok(quotes.iter().any(|q| q.own_share < WHOLE))
    }

    /// Records a licence of `model_id` bought by `who` now: a new term, or one more term on an
    /// unexpired licence (the simulation's one tier). Checks the licence's end.
    pub(super) fn licensed(&mut self, who: &Addr, model_id: u64) -> Result<(), String> {
        let now = self.now();
        let end = self.licences.entry((who.clone(), model_id)).or_default();
        *end = (*end).max(now) + LICENCE_SECONDS;
        let end = *end;
        let l: ml::LicenseResponse = self
            .w
            .s
            .app
            .wrap()
            .query_wasm_smart(
                &self.w.models,
                &ml::QueryMsg::License {
                    model_id,
                    licensee: who.to_string(),
                },
            )
            .map_err(|e| e.to_string())?;
        ensure_eq!(
            (l.expires_at.seconds(), l.commercial),
            (end, true),
            "{who}'s licence of model {model_id}"
        );
        Ok(())
    }

    /// A model derived from one parent (`Target`: `Fit` picks among models a derived model
    /// may still extend, within the depth limit) with `royalty_bps`, on the latest published
    /// versions of datanets 1 and 2. `Who::Right` is the parent's owner; another actor may
    /// derive with an unexpired commercial licence of the parent. The model decides whether it
    /// must succeed; registered, its shares are checked against `model_ancestry`.
    pub(super) fn register_derived_model(
        &mut self,
        who: Who,
        parent: Target,
        royalty_bps: u16,
        fee: Amount,
    ) -> Outcome {
        let fit: Vec<u64> = self
            .models
            .iter()
            .filter(|m| m.depth < MAX_ANCESTRY_DEPTH)
            .map(|m| m.id)
            .collect();
        let ids: Vec<u64> = match parent {
            Target::Fit(_) if !fit.is_empty() => fit,
            _ => self.models.iter().map(|m| m.id).collect(),
        };
        let Some(&parent) = Self::pick(&ids, parent.index()) else {
            return Ok(false);
        };
        let (parent_owner, parent_depth) = {
            let p = &self.models[(parent - 1) as usize];
            (p.owner.clone(), p.depth)
        };
        let who = self.who(who, &parent_owner);
        let fee = match fee {
            Amount::All | Amount::Max => 1_000_000,
            a => self.amount(&who, a),
        };
        let id = self.models.len() as u64 + 1;
        let host = HostKey::new(&format!("host-{id}"));
        let lineage = self.new_lineage(None);
        let now = self.now();
        let licensed = self
            .licences
            .get(&(who.clone(), parent))
            .is_some_and(|&end| now < end);
        let allowed = (who == parent_owner || licensed)
            && (1..=MAX_TOTAL_ROYALTY_BPS).contains(&royalty_bps)
            && parent_depth < MAX_ANCESTRY_DEPTH
            && fee > 0;
        let msg = ml::ExecuteMsg::RegisterModel(NewModel {
            name: format!("model-{id}"),
            parents: vec![ParentModel {
                model_id: parent,
                royalty_bps,
            }],
            metadata_uri: "ipfs://model".into(),
            weights_hash: data_hash(&format!("weights-{id}")),
            base_model: None,
            lineage: lineage
                .iter()
                .map(|&(datanet_id, version, weight_bps)| LineageEntry {
                    datanet_id,
                    version,
                    weight_bps,
                })
                .collect(),
            inference_fee: Uint128::new(fee),
            tiers: vec![LicenseTier {
                id: 1,
                price: Uint128::new(fee.max(1).saturating_mul(10)),
                duration: LICENCE_SECONDS,
                inference_quota: None,
                commercial: true,
            }],
            hosts: vec![Host {
                address: who.to_string(),
                pubkey: host.pubkey(),
            }],
        });
        let models = self.w.models.clone();
        expect_ok!(
            self.exec(&who, &models, &msg),
            allowed,
            "registering model {id} derived from model {parent} at {royalty_bps} bps by {who}"
        );
        ensure!(
            allowed,
            "model {id} derived from model {parent} (depth {parent_depth}, owner \
             {parent_owner}) at {royalty_bps} bps by {who} with fee {fee} was registered"
        );
        let m = self.derived(id, who, fee, host, lineage, (parent, royalty_bps));
        self.models.push(m);
        self.check_ancestry(id)?;
        Ok(true)
    }

    /// Model `id`, derived from `parent` at `royalty` bps: its depth, its ancestors' reaches
    /// and shares, its own share.
    fn derived(
        &self,
        id: u64,
        owner: Addr,
        fee: u128,
        host: HostKey,
        lineage: Vec<(u64, u32, u16)>,
        (parent, royalty): (u64, u16),
    ) -> ModelModel {
        let p = &self.models[(parent - 1) as usize];
        // A single parent: its ancestors are a chain, each reached once.
        let mut reaches = vec![(parent, royalty)];
        reaches.extend(p.ancestors.iter().map(|&(a, reach, _)| {
            (
                a,
                (u32::from(royalty) * u32::from(reach) / u32::from(WHOLE)) as u16,
            )
        }));
        let ancestors: Vec<(u64, u16, u16)> = reaches
            .into_iter()
            .map(|(a, reach)| {
                let keep = WHOLE - self.models[(a - 1) as usize].royalty;
                let share = (u32::from(reach) * u32::from(keep) / u32::from(WHOLE)) as u16;
                (a, reach, share)
            })
            .collect();
        let own_share = WHOLE - ancestors.iter().map(|a| a.2).sum::<u16>();
        ModelModel {
            id,
            owner,
            fee,
            price: Some(fee.max(1) * 10),
            host,
            lineage,
            depth: p.depth + 1,
            royalty,
            ancestors,
            own_share,
        }
    }

    /// Model licensing's `model_ancestry` of model `id` is the model's.
    fn check_ancestry(&self, id: u64) -> Result<(), String> {
        let m = &self.models[(id - 1) as usize];
        let a: ModelAncestryResponse = self
            .w
            .s
            .app
            .wrap()
            .query_wasm_smart(
                &self.w.models,
                &ml::QueryMsg::ModelAncestry { model_id: id },
            )
            .map_err(|e| e.to_string())?;
        let mut expected: Vec<(u64, u16, u16)> = m.ancestors.clone();
        expected.sort_unstable();
        let got: Vec<(u64, u16, u16)> = a
            .ancestors
            .iter()
            .map(|x| (x.model_id, x.reach_bps, x.share_bps))
            .collect();
        ensure_eq!(
            (a.depth, a.own_share_bps, got),
            (m.depth, m.own_share, expected),
            "model {id}'s ancestry (depth, own share, (ancestor, reach, share))"
        );
        Ok(())
    }
}

/// Spreads `amount` over `entries` (datanet, version, bps), each part rounded down, into
/// `into`; returns what was placed.
fn spread(
    into: &mut BTreeMap<(u64, u32), u128>,
    amount: u128,
    entries: &[(u64, u32, u16)],
) -> Result<u128, String> {
    let mut placed = 0;
    for &(d, v, b) in entries {
        let part = bps(amount, b)?;
        *into.entry((d, v)).or_default() += part;
        placed += part;
    }
    Ok(placed)
}
