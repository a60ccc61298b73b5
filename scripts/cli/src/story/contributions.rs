//! Steps 1–9: the deployer funds the actors, two datanets are created, contributors
//! contribute, curators review, both datanets publish version 1, and the stakers stake.

use std::collections::BTreeMap;

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::reward_pool as pool;
use openledger_economics::{Accumulator, VersionedRewards};

use super::backend::Executed;
use super::ledger::DatanetModel;
use super::plan::units;
use super::{
    gas_each, AgentPlan, Story, BATCH, BOND, CONCURRENCY_HINT, FEE, INFLUENCE, LICENCE_PRICE,
    MILESTONES, REJECTED, STAKERS, WEIGHTS,
};

impl Story<'_> {
    /// 1: the deployer gives every actor what the story has it pay.
    pub(super) fn fund(&mut self) -> Result<()> {
        // The licence, the single inference, the batch, the task, and one inference of each of
        // the three models of the provenance chapter.
        let client_needs =
            LICENCE_PRICE + FEE * (1 + BATCH as u128 + 3) + MILESTONES.iter().sum::<u128>();
        let mut plan: Vec<(&str, u128)> = vec![];
        for c in [
            "contributor1",
            "contributor2",
            "contributor3",
            "contributor4",
        ] {
            // contributor4 contributes a second time, to datanet A's version 2.
            let bonds = if c == "contributor4" { 2 } else { 1 };
            plan.push((c, BOND * bonds));
        }
        plan.push(("client", client_needs));
        plan.push((STAKERS[0].0, self.rules.new_stakes[0]));
        plan.push((STAKERS[1].0, self.rules.new_stakes[1]));
        match self.rules.agent_plan {
            AgentPlan::Register { bond } => plan.push(("agent", bond)),
            AgentPlan::TopUp { amount } => plan.push(("agent", amount)),
            AgentPlan::Update => {}
        }
        plan.push(("attestor", self.rules.attestor_missing));
        plan.push(("curator1", self.rules.creation_fee));
        plan.push(("curator2", self.rules.creation_fee));
        plan.retain(|(_, a)| *a > 0);
        let deployer = self.addr("deployer")?;
        let mut gas = 0;
        for (key, amount) in &plan {
            let to = self.addr(key)?;
            let res = self
                .b
                .transfer("deployer", &to, *amount)
                .with_context(|| format!("deployer: transfer {amount} to {key}"))?;
            if gas == 0 {
                gas = self.gas("OPEN transfer (the anchor)", &res);
            }
            self.ledger.mv(
                &deployer,
                &to,
                *amount,
                "funding of the story's actors",
                "funded by deployer",
            )?;
        }
        let list = plan
            .iter()
            .map(|(k, a)| format!("{k} {}", units(*a)))
            .collect::<Vec<_>>()
            .join(", ");
        self.done(format!(
            "deployer funds what each actor will pay: {list} (gas {gas} per transfer)"
        ))
    }

    /// `key` creates the datanet `d`, paying the registry's creation fee when it has one.
    pub(super) fn create_datanet(
        &mut self,
        key: &'static str,
        d: NewDatanet,
        what: &str,
    ) -> Result<Executed> {
        let res = if self.rules.creation_fee > 0 {
            let res = self.send(
                key,
                &self.c.registry,
                self.rules.creation_fee,
                &registry::ReceiveMsg::CreateDatanet(d),
                what,
            )?;
            let (from, registry, pool) = (
                self.addr(key)?,
                self.c.registry.clone(),
                self.c.pool.clone(),
            );
            let fee = self.rules.creation_fee;
            self.ledger.mv(
                &from,
                &registry,
                fee,
                "datanet creation fee",
                "creation fees",
            )?;
            self.ledger
                .mv(&registry, &pool, fee, "creation fees", "creation fees")?;
            self.ledger.take_intake("datanet creation fees", fee);
            res
        } else {
            self.exec(
                &self.c.registry,
                &registry::ExecuteMsg::CreateDatanet(d),
                key,
                what,
            )?
        };
        Ok(res)
    }

    /// 2–3: the two datanets.
    pub(super) fn datanets(&mut self) -> Result<()> {
        let curator2 = self.addr("curator2")?;
        let res = self.create_datanet(
            "curator1",
            NewDatanet {
                name: "clinical-notes".into(),
                description: "De-identified clinical notes, curated and weighted".into(),
                metadata_uri: format!("ipfs://story-{}/clinical-notes", self.tag),
                curators: vec![curator2.clone()],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::new(BOND),
                attribution_mode: AttributionMode::Weight,
            },
            "create the weight-mode datanet",
        )?;
        self.a = res.attr_u64("datanet_id")?;
        self.ledger
            .datanets
            .insert(self.a, DatanetModel::Weight(VersionedRewards::default()));
        self.ledger.curators.insert(self.a, vec![curator2]);
        let gas = self.gas("create_datanet (weight mode, bond, 1 curator)", &res);
        self.done(format!(
            "curator1 creates datanet {} \"clinical-notes\": weight mode, bond {BOND}, curator2 as curator (gas {gas})",
            self.a
        ))?;

        let res = self.create_datanet(
            "curator2",
            NewDatanet {
                name: "code-reviews".into(),
                description: "Code review threads, rewarded by attested influence".into(),
                metadata_uri: format!("ipfs://story-{}/code-reviews", self.tag),
                curators: vec![],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::zero(),
                attribution_mode: AttributionMode::Influence,
            },
            "create the influence-mode datanet",
        )?;
        self.b_id = res.attr_u64("datanet_id")?;
        self.ledger.datanets.insert(
            self.b_id,
            DatanetModel::Influence {
                received: 0,
                paid: 0,
            },
        );
        let gas = self.gas("create_datanet (influence mode)", &res);
        self.done(format!(
            "curator2 creates datanet {} \"code-reviews\": influence mode, no bond (gas {gas})",
            self.b_id
        ))
    }

    /// 4–8: contributions, reviews, versions.
    pub(super) fn contributions(&mut self) -> Result<()> {
        let ids_a = self.contribute_a()?;
        let ids_b = self.contribute_b()?;
        self.review(&ids_a, &ids_b)?;
        self.ids_a = ids_a;
        self.publish()
    }

    /// 4: four contributions to datanet A with a bond, one per contributor, sent at once.
    pub(super) fn contribute_a(&mut self) -> Result<BTreeMap<&'static str, u64>> {
        let a = self.a;
        let contributors_a: Vec<&'static str> =
            WEIGHTS.iter().map(|(k, _)| *k).chain([REJECTED]).collect();
        let calls = contributors_a
            .iter()
            .map(|key| {
                self.b.send_call(
                    key,
                    &self.c.registry,
                    BOND,
                    &registry::ReceiveMsg::Contribute(NewContribution {
                        datanet_id: a,
                        data_hash: self.data_hash(&format!("{a}-{key}")),
                        uri: format!("ipfs://story-{}/clinical-notes/{key}.jsonl", self.tag),
                        size_bytes: 1 << 20,
                        license_note: Some("CC-BY-4.0".into()),
                    }),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let results = self.all(calls, "contribute to datanet A with a bond")?;
        let mut ids_a = BTreeMap::new();
        for (key, res) in contributors_a.iter().zip(&results) {
            ids_a.insert(*key, res.attr_u64("contribution_id")?);
            let (from, registry) = (self.addr(key)?, self.c.registry.clone());
            self.ledger.mv(
                &from,
                &registry,
                BOND,
                &format!("bond, datanet {a}"),
                "bonds held",
            )?;
        }
        let (gas, least) = gas_each(&results);
        self.gas
            .push(("contribute (cw20 send with bond)".into(), least));
        self.done(format!(
            "contributor1..4 each contribute a file to datanet {a} with a bond of {BOND} (gas {gas})"
        ))?;
        Ok(ids_a)
    }

    /// 5: three contributions to datanet B, without bond.
    pub(super) fn contribute_b(&mut self) -> Result<Vec<u64>> {
        let b = self.b_id;
        let contributors_b: Vec<&str> = INFLUENCE.iter().map(|(k, _)| *k).collect();
        let calls = contributors_b
            .iter()
            .map(|key| {
                self.call(
                    key,
                    &self.c.registry,
                    &registry::ExecuteMsg::Contribute(NewContribution {
                        datanet_id: b,
                        data_hash: self.data_hash(&format!("{b}-{key}")),
                        uri: format!("ipfs://story-{}/code-reviews/{key}.jsonl", self.tag),
                        size_bytes: 512 << 10,
                        license_note: None,
                    }),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let results = self.all(calls, "contribute to datanet B")?;
        let ids_b = results
            .iter()
            .map(|r| r.attr_u64("contribution_id"))
            .collect::<Result<Vec<_>>>()?;
        let (gas, least) = gas_each(&results);
        self.gas.push(("contribute (no bond)".into(), least));
        self.done(format!(
            "contributor2..4 contribute to datanet {b}, no bond (gas {gas})"
        ))?;
        Ok(ids_b)
    }

    /// 6–7: curator2 reviews A (three accepted, contributor4's rejected) and B (all accepted).
    pub(super) fn review(
        &mut self,
        ids_a: &BTreeMap<&'static str, u64>,
        ids_b: &[u64],
    ) -> Result<()> {
        let (a, b) = (self.a, self.b_id);
        let mut decisions: Vec<ReviewDecision> = WEIGHTS
            .iter()
            .map(|(k, w)| ReviewDecision::Accept {
                contribution_id: ids_a[k],
                weight: *w,
            })
            .collect();
        decisions.push(ReviewDecision::Reject {
            contribution_id: ids_a[REJECTED],
            reason: "near-duplicate of an accepted record".into(),
        });
        let res = self.exec(
            &self.c.registry,
            &registry::ExecuteMsg::ReviewContributions {
                datanet_id: a,
                decisions,
            },
            "curator2",
            "review datanet A",
        )?;
        let mut versions = VersionedRewards::default();
        for (k, w) in WEIGHTS {
            versions.set_weight(self.addr(k)?, u128::from(w));
        }
        self.ledger
            .datanets
            .insert(a, DatanetModel::Weight(versions));
        let (rejected, registry, pool) = (
            self.addr(REJECTED)?,
            self.c.registry.clone(),
            self.c.pool.clone(),
        );
        self.ledger
            .mv(&registry, &pool, BOND, "rejected bonds", "rejected bonds")?;
        self.ledger.take_intake("rejected contribution bonds", BOND);
        self.ledger.relabel(
            &rejected,
            &format!("bond, datanet {a}"),
            &format!("bond, datanet {a} (rejected: to the treasury)"),
        );
        let gas = self.gas("review_contributions (3 accepts, 1 reject)", &res);
        self.done(format!(
            "curator2 reviews datanet {a}: accepts contributor1 (weight 500), contributor2 (300), contributor3 (200); rejects contributor4's (bond {BOND} to the treasury) (gas {gas})"
        ))?;

        let res = self.exec(
            &self.c.registry,
            &registry::ExecuteMsg::ReviewContributions {
                datanet_id: b,
                decisions: ids_b
                    .iter()
                    .map(|&contribution_id| ReviewDecision::Accept {
                        contribution_id,
                        weight: 100,
                    })
                    .collect(),
            },
            "curator2",
            "review datanet B",
        )?;
        let gas = self.gas("review_contributions (3 accepts, influence mode)", &res);
        self.done(format!(
            "curator2 accepts datanet {b}'s 3 contributions (gas {gas})"
        ))
    }

    /// 8: both datanets publish version 1.
    pub(super) fn publish(&mut self) -> Result<()> {
        let (a, b) = (self.a, self.b_id);
        let res_a = self.exec(
            &self.c.registry,
            &registry::ExecuteMsg::PublishVersion { datanet_id: a },
            "curator1",
            "publish datanet A's version",
        )?;
        let res_b = self.exec(
            &self.c.registry,
            &registry::ExecuteMsg::PublishVersion { datanet_id: b },
            "curator2",
            "publish datanet B's version",
        )?;
        for (d, res) in [(a, &res_a), (b, &res_b)] {
            let v = res.attr_u64("version")?;
            ensure!(
                v == 1,
                "datanet {d} published version {v}; a fresh datanet's first is 1"
            );
        }
        if let Some(DatanetModel::Weight(versions)) = self.ledger.datanets.get_mut(&a) {
            versions.publish()?;
        }
        let gas = self.gas("publish_version", &res_a);
        self.done(format!(
            "curator1 publishes datanet {a} v1 (root of 3 records, weight 1 000), curator2 datanet {b} v1 (gas {gas})"
        ))
    }

    /// 9: both stakers stake before any payment, so the stake is constant while fees arrive.
    pub(super) fn stake(&mut self) -> Result<()> {
        let stakers: Vec<(&str, u128)> = STAKERS
            .iter()
            .zip(self.rules.new_stakes)
            .map(|((k, _), d)| (*k, d))
            .collect();
        let calls = stakers
            .iter()
            .map(|(key, amount)| {
                self.b
                    .send_call(key, &self.c.pool, *amount, &pool::ReceiveMsg::Stake {})
            })
            .collect::<Result<Vec<_>>>()?;
        let results = self.all(calls, "stake")?;
        let pool_addr = self.c.pool.clone();
        for (key, amount) in &stakers {
            let addr = self.addr(key)?;
            self.ledger
                .mv(&addr, &pool_addr, *amount, "staked", "stakes")?;
        }
        // Each staker earns on its whole stake: what it held before plus the story's.
        let mut weights = BTreeMap::new();
        for (key, _) in &stakers {
            let st: pool::StakerResponse = self.query(
                &self.c.pool,
                &pool::QueryMsg::Staker {
                    address: self.addr(key)?,
                },
                "staker",
            )?;
            weights.insert(self.addr(key)?, st.staked.u128());
        }
        let total: pool::StakingPoolResponse = self.query(
            &self.c.pool,
            &pool::QueryMsg::StakingPool {},
            "staking pool",
        )?;
        ensure!(
            total.total_staked.u128() == self.rules.staking_total,
            "the pool's total stake is {} after the story's stakes; the plan expected {}{CONCURRENCY_HINT}",
            total.total_staked,
            self.rules.staking_total
        );
        self.ledger.staking = Accumulator {
            total: self.rules.staking_total,
            weights,
            ..Accumulator::default()
        };
        let (gas, least) = gas_each(&results);
        self.gas.push(("stake (cw20 send)".into(), least));
        let whole = stakers
            .iter()
            .map(|(k, _)| Ok(units(self.ledger.staking.weights[&self.addr(k)?])))
            .collect::<Result<Vec<_>>>()?;
        self.done(format!(
            "staker1 stakes {} and staker2 {} (their stakes now {} of the pool's {}) before any fee arrives (gas {gas})",
            units(stakers[0].1),
            units(stakers[1].1),
            whole.join(" and "),
            units(self.rules.staking_total)
        ))
    }
}
