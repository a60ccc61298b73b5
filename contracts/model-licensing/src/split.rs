//! The fee split, shared by inference payments, licence purchases and `fee_quote`, and the
//! ledger that aggregates the splits of one message into a single `distribute` and one
//! earnings credit per address.
//!
//! A fee is first split by the protocol's `FeeSplit` (datanets, model owner, hosts, stakers,
//! treasury). The hosts' share goes whole to whoever served the payment: the host whose key
//! signed its receipt, or the model's owner when there is no receipt (and for every licence
//! purchase); it is never shared with ancestors nor sent to the pool. The model-owner and
//! datanets shares together are the model's **creator value**:
//! a model without parents takes all of it (its owner the owner share, its lineage the
//! datanets share); a derived model shares it with its ancestors by the shares fixed at its
//! registration (see `crate::ancestry`). Each party X with share `s_X` (bps) receives
//! `⌊owner share × s_X / 10 000⌋` for its owner and `⌊datanets share × s_X / 10 000⌋` for its
//! lineage, spread by the weights (each part rounded down; the paying model's own part by the
//! payment's attribution). Every rounding dust goes to the treasury, so the parts add up to
//! the fee exactly.

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, OverflowError, StdResult, Storage, Uint128};
use openledger_common::attribution::{Attribution, DatanetId};
use openledger_common::bps::{apply_bps, Bps, BPS_DENOMINATOR};
use openledger_common::fee::{FeeSplit, FeeSplitAmounts};
use openledger_common::msg::model_licensing::{
    DatanetShare, FeeQuoteResponse, LineageEntry, ModelId, RoyaltyShare,
};
use openledger_common::msg::reward_pool::{Allocation, EarningSource, MAX_ALLOCATIONS};

use crate::ancestry::MAX_RECIPIENTS;
use crate::error::ContractError;
use crate::state::{Ancestry, Model};

/// One ancestor a fee pays: its owner now, its share of the creator value, its lineage.
#[derive(Debug, Clone, PartialEq)]
pub struct AncestorPayout {
    /// The ancestor model.
    pub model_id: ModelId,
    /// Its owner, credited in the reward pool.
    pub owner: Addr,
    /// Its share of the paying model's creator value, in bps (non-zero).
    pub share_bps: Bps,
    /// Its lineage, which its datanets part is spread over.
    pub lineage: Vec<LineageEntry>,
}

/// Who one fee of a model pays besides the stakers and the treasury.
#[derive(Debug, Clone, PartialEq)]
pub struct Payout {
    /// The paying model's own share of its creator value, in bps (10 000 without parents).
    pub own_share_bps: Bps,
    /// Its own datanets part's spread: (datanet, lineage version, weight) by the payment's
    /// attribution.
    pub own: Vec<(DatanetId, u32, Bps)>,
    /// Its ancestors with a non-zero share, ascending ids.
    pub ancestors: Vec<AncestorPayout>,
}

impl Payout {
    /// The payout of a model without parents whose datanets part is spread by `own`.
    pub fn underived(own: Vec<(DatanetId, u32, Bps)>) -> Self {
        Payout {
            own_share_bps: BPS_DENOMINATOR,
            own,
            ancestors: vec![],
        }
    }
}

/// Ancestor models read for one message, each once: (owner, lineage) by id.
#[derive(Debug, Default)]
pub struct Ancestors(BTreeMap<ModelId, (Addr, Vec<LineageEntry>)>);

impl Ancestors {
    /// The payout of one fee of `model` (whose ancestry is `ancestry`) with `attribution` over
    /// its own lineage. Ancestors are paid whatever their status.
    pub fn payout(
        &mut self,
        storage: &dyn Storage,
        model: &Model,
        ancestry: &Ancestry,
        attribution: &Attribution,
    ) -> Result<Payout, ContractError> {
        let mut ancestors = Vec::with_capacity(ancestry.ancestors.len());
        for a in ancestry.ancestors.iter().filter(|a| a.share_bps > 0) {
            let (owner, lineage) = match self.0.get(&a.model_id) {
                Some(known) => known.clone(),
                None => {
                    let m = Model::load(storage, a.model_id)?;
                    let known = (m.owner, m.lineage);
                    self.0.insert(a.model_id, known.clone());
                    known
                }
            };
            ancestors.push(AncestorPayout {
                model_id: a.model_id,
                owner,
                share_bps: a.share_bps,
                lineage,
            });
        }
        Ok(Payout {
            own_share_bps: ancestry.own_share_bps()?,
            own: model.versioned(attribution),
            ancestors,
        })
    }
}

/// Spreads `amount` over `entries` (datanet, version, weight), each part rounded down and
/// merged into `into` per (datanet, version) in first-seen order. Returns what was placed
/// (`amount` less the dust).
fn spread(
    into: &mut Vec<DatanetShare>,
    amount: Uint128,
    entries: impl Iterator<Item = (DatanetId, u32, Bps)>,
) -> StdResult<Uint128> {
    let mut placed = Uint128::zero();
    for (datanet_id, version, weight) in entries {
        let part = apply_bps(amount, weight)?;
        placed = placed.checked_add(part)?;
        match into
            .iter_mut()
            .find(|d| d.datanet_id == datanet_id && d.version == version)
        {
            Some(share) => share.amount = share.amount.checked_add(part)?,
            None => into.push(DatanetShare {
                datanet_id,
                version,
                amount: part,
            }),
        }
    }
    Ok(placed)
}

/// Splits `fee` by the protocol split and `payout` (see the module doc).
///
/// The result adds up exactly: `split.datanets + split.model_owner + split.hosts +
/// Σ royalties.owner_amount + split.stakers + split.treasury == fee`, where `split.datanets`
/// is what the datanets receive (the sum of `datanets`), `split.model_owner` the paying
/// model's owner's credit as owner, `split.hosts` the protocol split's hosts' share whole (for
/// whoever served the payment: see `Ledger::add`) and `split.treasury` holds the treasury's
/// share and every dust (`split.dust`, `attribution_dust`, `royalty_dust`). For a model
/// without parents, `royalties` is empty and `royalty_dust` zero.
pub fn quote(fee_split: &FeeSplit, fee: Uint128, payout: &Payout) -> StdResult<FeeQuoteResponse> {
    let base = fee_split.split(fee)?;
    let mut datanets: Vec<DatanetShare> = Vec::with_capacity(payout.own.len());
    let model_owner = apply_bps(base.model_owner, payout.own_share_bps)?;
    let own_data = apply_bps(base.datanets, payout.own_share_bps)?;
    let own_placed = spread(&mut datanets, own_data, payout.own.iter().copied())?;
    let mut attribution_dust = own_data.checked_sub(own_placed)?;
    let (mut owners_taken, mut data_taken) = (model_owner, own_data);
    let mut royalties = Vec::with_capacity(payout.ancestors.len());
    for a in &payout.ancestors {
        let owner_amount = apply_bps(base.model_owner, a.share_bps)?;
        let data = apply_bps(base.datanets, a.share_bps)?;
        let lineage = a
            .lineage
            .iter()
            .map(|e| (e.datanet_id, e.version, e.weight_bps));
        let placed = spread(&mut datanets, data, lineage)?;
        attribution_dust = attribution_dust.checked_add(data.checked_sub(placed)?)?;
        owners_taken = owners_taken.checked_add(owner_amount)?;
        data_taken = data_taken.checked_add(data)?;
        royalties.push(RoyaltyShare {
            model_id: a.model_id,
            owner: a.owner.clone(),
            share_bps: a.share_bps,
            owner_amount,
            datanets_amount: placed,
        });
    }
    let royalty_dust = base
        .model_owner
        .checked_sub(owners_taken)?
        .checked_add(base.datanets.checked_sub(data_taken)?)?;
    let split = FeeSplitAmounts {
        datanets: data_taken.checked_sub(attribution_dust)?,
        model_owner,
        hosts: base.hosts,
        stakers: base.stakers,
        treasury: base
            .treasury
            .checked_add(attribution_dust)?
            .checked_add(royalty_dust)?,
        dust: base.dust,
    };
    Ok(FeeQuoteResponse {
        fee,
        split,
        datanets,
        royalties,
        attribution_dust,
        royalty_dust,
    })
}

/// The splits of every payment of one message, aggregated: one `distribute` to the reward pool
/// and one earnings credit per address (model owners for their owner shares, and whoever served
/// each payment for its hosts' part).
///
/// It adds up exactly: `owners_total + hosts_total + datanets_total + royalties_total +
/// stakers + treasury == fees`, each payment's quote adding up to its fee.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Ledger {
    /// Sum of the fees.
    pub fees: Uint128,
    /// Per (datanet, version), ascending.
    pub datanets: BTreeMap<(DatanetId, u32), Uint128>,
    /// Ancestors' owners, credited in the reward pool, per ancestor model: (owner, amount).
    pub royalties: BTreeMap<ModelId, (Addr, Uint128)>,
    /// Stakers' total.
    pub stakers: Uint128,
    /// Treasury's total (shares and dust).
    pub treasury: Uint128,
    /// The paid models' owners' credits (here), first-seen order, each owner once.
    pub owners: Vec<(Addr, Uint128)>,
    /// The hosts' parts credited (here) to whoever served the payments — the host that signed
    /// a receipt, or the model's owner without one — first-seen order, each address once, no
    /// zero amounts.
    pub hosts: Vec<(Addr, Uint128)>,
}

/// Adds `amount` to `address`'s entry of `list`, or appends one.
fn credit(
    list: &mut Vec<(Addr, Uint128)>,
    address: &Addr,
    amount: Uint128,
) -> Result<(), OverflowError> {
    match list.iter_mut().find(|(a, _)| a == address) {
        Some(entry) => entry.1 = entry.1.checked_add(amount)?,
        None => list.push((address.clone(), amount)),
    }
    Ok(())
}

/// The sum of the amounts of `list`.
fn total(list: &[(Addr, Uint128)]) -> Result<Uint128, OverflowError> {
    list.iter()
        .try_fold(Uint128::zero(), |acc, (_, a)| acc.checked_add(*a))
}

impl Ledger {
    /// Adds one payment's split: its own owner share goes to `owner`, its hosts' part to
    /// `host` — the host whose key signed the payment's receipt — or to `owner` when no host
    /// signed (a payment with the lineage weights, a licence purchase).
    pub fn add(
        &mut self,
        owner: &Addr,
        host: Option<&Addr>,
        q: &FeeQuoteResponse,
    ) -> Result<(), OverflowError> {
        self.fees = self.fees.checked_add(q.fee)?;
        for share in &q.datanets {
            let key = (share.datanet_id, share.version);
            let entry = self.datanets.entry(key).or_default();
            *entry = entry.checked_add(share.amount)?;
        }
        for r in &q.royalties {
            let entry = self
                .royalties
                .entry(r.model_id)
                .or_insert_with(|| (r.owner.clone(), Uint128::zero()));
            entry.1 = entry.1.checked_add(r.owner_amount)?;
        }
        self.stakers = self.stakers.checked_add(q.split.stakers)?;
        self.treasury = self.treasury.checked_add(q.split.treasury)?;
        credit(&mut self.owners, owner, q.split.model_owner)?;
        if !q.split.hosts.is_zero() {
            credit(&mut self.hosts, host.unwrap_or(owner), q.split.hosts)?;
        }
        Ok(())
    }

    /// Total credited to the paid models' owners here, as owners.
    pub fn owners_total(&self) -> Result<Uint128, OverflowError> {
        total(&self.owners)
    }

    /// Total of the hosts' parts credited here.
    pub fn hosts_total(&self) -> Result<Uint128, OverflowError> {
        total(&self.hosts)
    }

    /// Everything credited here (owners' shares and hosts' parts), each address once, by
    /// address: the earnings writes of the message.
    pub fn credits(&self) -> Result<BTreeMap<Addr, Uint128>, OverflowError> {
        let mut out: BTreeMap<Addr, Uint128> = BTreeMap::new();
        for (address, amount) in self.owners.iter().chain(&self.hosts) {
            if amount.is_zero() {
                continue;
            }
            let entry = out.entry(address.clone()).or_default();
            *entry = entry.checked_add(*amount)?;
        }
        Ok(out)
    }

    /// What stays here as earnings (owners' shares and hosts' parts); the rest of the fees
    /// goes to the pool.
    pub fn credited_total(&self) -> Result<Uint128, OverflowError> {
        self.owners_total()?.checked_add(self.hosts_total()?)
    }

    /// Total for the datanets.
    pub fn datanets_total(&self) -> Result<Uint128, OverflowError> {
        self.datanets
            .values()
            .try_fold(Uint128::zero(), |acc, a| acc.checked_add(*a))
    }

    /// Total credited to ancestors' owners in the pool.
    pub fn royalties_total(&self) -> Result<Uint128, OverflowError> {
        self.royalties
            .values()
            .try_fold(Uint128::zero(), |acc, (_, a)| acc.checked_add(*a))
    }

    /// The pool's allocations: datanet versions by ascending (id, version), then ancestors'
    /// owners by ascending ancestor id, then stakers, then treasury, zero amounts left out (the
    /// pool refuses them). Refused when the datanet versions and owners would not fit one
    /// `distribute` next to the stakers and the treasury.
    pub fn allocations(&self) -> Result<Vec<Allocation>, ContractError> {
        let datanets = self.datanets.iter().filter(|(_, a)| !a.is_zero());
        let royalties = self.royalties.iter().filter(|(_, (_, a))| !a.is_zero());
        let recipients = datanets.clone().count() + royalties.clone().count();
        if recipients > MAX_RECIPIENTS {
            return Err(ContractError::TooManyRecipients {
                got: recipients as u64,
                max: MAX_RECIPIENTS as u64,
            });
        }
        let mut out: Vec<Allocation> = Vec::with_capacity(MAX_ALLOCATIONS);
        out.extend(
            datanets.map(|(&(id, version), &amount)| Allocation::Datanet {
                id,
                amount,
                version: Some(version),
            }),
        );
        out.extend(
            royalties.map(|(&model_id, (owner, amount))| Allocation::Account {
                address: owner.to_string(),
                amount: *amount,
                source: EarningSource::ModelOwner { model_id },
            }),
        );
        if !self.stakers.is_zero() {
            out.push(Allocation::Stakers {
                amount: self.stakers,
            });
        }
        if !self.treasury.is_zero() {
            out.push(Allocation::Treasury {
                amount: self.treasury,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payout of a model without parents over version 1 of each datanet.
    fn own(shares: &[(u64, u16)]) -> Payout {
        Payout::underived(shares.iter().map(|&(id, w)| (id, 1, w)).collect())
    }

    fn lineage(entries: &[(u64, u32, u16)]) -> Vec<LineageEntry> {
        entries
            .iter()
            .map(|&(datanet_id, version, weight_bps)| LineageEntry {
                datanet_id,
                version,
                weight_bps,
            })
            .collect()
    }

    #[test]
    fn quote_adds_up_to_the_fee_for_any_amount() {
        let split = FeeSplit::default();
        let a = own(&[(1, 3_334), (2, 3_333), (3, 3_333)]);
        for fee in [1u128, 2, 3, 7, 99, 1_000, 1_001, 123_457, u64::MAX as u128] {
            let q = quote(&split, Uint128::new(fee), &a).unwrap();
            let s = &q.split;
            assert_eq!(
                s.datanets + s.model_owner + s.stakers + s.treasury,
                Uint128::new(fee),
                "fee {fee}"
            );
            let spread: Uint128 = q.datanets.iter().map(|d| d.amount).sum();
            assert_eq!(spread, s.datanets, "fee {fee}");
            assert!(q.attribution_dust < Uint128::new(3));
            assert!(s.dust < Uint128::new(4));
            assert_eq!(q.royalty_dust, Uint128::zero());
            assert!(q.royalties.is_empty());
        }
        // 1001: datanets 500 (167, 166, 166; dust 1), owner 200, stakers 200, treasury 100 + 1
        // split dust + 1 attribution dust.
        let q = quote(&split, Uint128::new(1_001), &a).unwrap();
        assert_eq!(
            q.datanets
                .iter()
                .map(|d| (d.datanet_id, d.version, d.amount.u128()))
                .collect::<Vec<_>>(),
            vec![(1, 1, 166), (2, 1, 166), (3, 1, 166)]
        );
        assert_eq!(q.attribution_dust, Uint128::new(2));
        assert_eq!(q.split.datanets, Uint128::new(498));
        assert_eq!(q.split.treasury, Uint128::new(103));
        assert_eq!(q.split.dust, Uint128::new(1));
    }

    #[test]
    fn quote_of_a_derived_payout_adds_up_to_the_fee_and_merges_versions() {
        let split = FeeSplit::default();
        // The model keeps 7 000 bps over datanet 1 v2; ancestor 4 (2 000 bps) has datanet 1 v2
        // and datanet 2 v1 at 50/50; ancestor 9 (1 000 bps) has datanet 1 v1.
        let payout = Payout {
            own_share_bps: 7_000,
            own: vec![(1, 2, 10_000)],
            ancestors: vec![
                AncestorPayout {
                    model_id: 4,
                    owner: Addr::unchecked("four"),
                    share_bps: 2_000,
                    lineage: lineage(&[(1, 2, 5_000), (2, 1, 5_000)]),
                },
                AncestorPayout {
                    model_id: 9,
                    owner: Addr::unchecked("nine"),
                    share_bps: 1_000,
                    lineage: lineage(&[(1, 1, 10_000)]),
                },
            ],
        };
        // 1 003: owner share 200, datanets 501, stakers 200, treasury 100 + 2.
        // Own: owner 140, data 350 (351 − 0.7 → 350) on 1 v2.
        // Ancestor 4: owner 40, data 100 → 50 (1 v2) + 50 (2 v1).
        // Ancestor 9: owner 20, data 50 → 50 (1 v1).
        // Royalty dust: owner 200 − 200 = 0, datanets 501 − 500 = 1.
        let q = quote(&split, Uint128::new(1_003), &payout).unwrap();
        assert_eq!(
            q.datanets
                .iter()
                .map(|d| (d.datanet_id, d.version, d.amount.u128()))
                .collect::<Vec<_>>(),
            vec![(1, 2, 400), (2, 1, 50), (1, 1, 50)]
        );
        assert_eq!(
            q.royalties
                .iter()
                .map(|r| (r.model_id, r.owner_amount.u128(), r.datanets_amount.u128()))
                .collect::<Vec<_>>(),
            vec![(4, 40, 100), (9, 20, 50)]
        );
        assert_eq!(q.split.model_owner, Uint128::new(140));
        assert_eq!(q.split.datanets, Uint128::new(500));
        assert_eq!(q.royalty_dust, Uint128::new(1));
        assert_eq!(q.attribution_dust, Uint128::zero());
        assert_eq!(q.split.treasury, Uint128::new(103));
        for fee in [1u128, 7, 99, 1_001, 123_457, u64::MAX as u128] {
            let q = quote(&split, Uint128::new(fee), &payout).unwrap();
            let royalties: Uint128 = q.royalties.iter().map(|r| r.owner_amount).sum();
            let s = &q.split;
            assert_eq!(
                s.datanets + s.model_owner + royalties + s.stakers + s.treasury,
                Uint128::new(fee),
                "fee {fee}"
            );
            let spread: Uint128 = q.datanets.iter().map(|d| d.amount).sum();
            assert_eq!(spread, s.datanets, "fee {fee}");
        }
    }

    #[test]
    fn quote_gives_the_hosts_share_whole_and_adds_up_to_the_fee() {
        let split = FeeSplit {
            datanets_bps: 4_000,
            hosts_bps: 1_000,
            ..FeeSplit::default()
        };
        // The model keeps 7 000 bps over datanet 1 v2; ancestor 4 (3 000 bps) has datanet 2 v1.
        let payout = Payout {
            own_share_bps: 7_000,
            own: vec![(1, 2, 10_000)],
            ancestors: vec![AncestorPayout {
                model_id: 4,
                owner: Addr::unchecked("four"),
                share_bps: 3_000,
                lineage: lineage(&[(2, 1, 10_000)]),
            }],
        };
        // 1 009: datanets 403, owner 201, hosts 100, stakers 201, treasury 100 + split dust 4.
        // Own: owner 140, data 282; ancestor 4: owner 60, data 120; royalty dust 1 + 1.
        let q = quote(&split, Uint128::new(1_009), &payout).unwrap();
        assert_eq!(
            q.split,
            FeeSplitAmounts {
                datanets: Uint128::new(402),
                model_owner: Uint128::new(140),
                hosts: Uint128::new(100),
                stakers: Uint128::new(201),
                treasury: Uint128::new(106),
                dust: Uint128::new(4),
            }
        );
        assert_eq!(q.royalty_dust, Uint128::new(2));
        assert_eq!(
            q.royalties
                .iter()
                .map(|r| (r.model_id, r.owner_amount.u128(), r.datanets_amount.u128()))
                .collect::<Vec<_>>(),
            vec![(4, 60, 120)]
        );
        for fee in [0u128, 1, 9, 99, 1_009, 123_457, u64::MAX as u128] {
            let q = quote(&split, Uint128::new(fee), &payout).unwrap();
            let royalties: Uint128 = q.royalties.iter().map(|r| r.owner_amount).sum();
            let s = &q.split;
            assert_eq!(
                s.datanets + s.model_owner + s.hosts + royalties + s.stakers + s.treasury,
                Uint128::new(fee),
                "fee {fee}"
            );
            assert_eq!(s.hosts, apply_bps(Uint128::new(fee), 1_000).unwrap());
        }
    }

    #[test]
    fn ledger_refuses_more_recipients_than_one_distribute_holds() {
        let mut ledger = Ledger::default();
        for id in 1..=29u64 {
            ledger.datanets.insert((id, 1), Uint128::one());
        }
        ledger
            .royalties
            .insert(3, (Addr::unchecked("owner"), Uint128::one()));
        ledger.datanets.insert((1, 2), Uint128::one());
        assert_eq!(
            ledger.allocations().unwrap_err(),
            ContractError::TooManyRecipients { got: 31, max: 30 }
        );
        ledger.datanets.insert((29, 1), Uint128::zero());
        ledger.treasury = Uint128::one();
        let allocations = ledger.allocations().unwrap();
        assert_eq!(allocations.len(), 31);
        assert_eq!(
            allocations[1],
            Allocation::Datanet {
                id: 1,
                amount: Uint128::one(),
                version: Some(2)
            }
        );
        assert_eq!(
            allocations[29],
            Allocation::Account {
                address: "owner".into(),
                amount: Uint128::one(),
                source: EarningSource::ModelOwner { model_id: 3 }
            }
        );
        assert_eq!(
            allocations.last(),
            Some(&Allocation::Treasury {
                amount: Uint128::one()
            })
        );
    }
}
