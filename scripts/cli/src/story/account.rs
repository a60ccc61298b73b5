//! The story's readable account: a table per actor, the contracts, the treasury's intake, every
//! contract's solvency, OPEN's supply and the gas of the main steps.

use std::collections::BTreeMap;

use anyhow::{ensure, Context, Result};
use cw20::{Cw20QueryMsg, TokenInfoResponse};
use openledger_common::msg::datanet_registry as registry;
use serde_json::Value;

use super::plan::{percent, signed, units};
use super::{Story, ACTORS, BATCH, RULING_BPS, WORKFLOW_ACTORS};

impl Story<'_> {
    /// The readable account: a table per actor, the contracts, the treasury's intake, every
    /// contract's solvency, OPEN's supply and the gas of the main steps.
    pub(super) fn account(&self) -> Result<()> {
        let mut out = String::new();
        self.actor_tables(&mut out)?;
        self.contract_tables(&mut out)?;
        self.supply_and_gas(&mut out)?;
        print!("{out}");
        Ok(())
    }

    /// Each actor's role in the story.
    pub(super) fn roles(&self) -> BTreeMap<&'static str, String> {
        let (a, b, m, t) = (self.a, self.b_id, self.model, self.task);
        [
            (
                "deployer",
                "deployed the suite and owns the pool; funded the story".to_string(),
            ),
            ("curator1", format!("owner of datanet {a} (weight mode)")),
            (
                "curator2",
                format!("curator of datanet {a}, owner of datanet {b} (influence mode)"),
            ),
            ("contributor1", format!("datanet {a}: weight 500")),
            (
                "contributor2",
                format!("datanet {a}: weight 300; datanet {b}: 50 % influence"),
            ),
            (
                "contributor3",
                format!("datanet {a}: weight 200; datanet {b}: 30 % influence"),
            ),
            (
                "contributor4",
                format!("datanet {a}: rejected; datanet {b}: 20 % influence"),
            ),
            ("model_owner", format!("owner of model {m}")),
            (
                "host",
                format!(
                    "serves model {m}; signed {} receipts (client: {}, escrow: 2)",
                    1 + BATCH + 2,
                    1 + BATCH
                ),
            ),
            ("agent", format!("did task {t}")),
            (
                "client",
                format!(
                    "licensee of model {m}, paid {} inferences, client of task {t}",
                    1 + BATCH
                ),
            ),
            (
                "arbiter",
                format!(
                    "ruled milestone 1 of task {t} at {}",
                    percent(u128::from(RULING_BPS))
                ),
            ),
            ("attestor", format!("attested datanet {b}'s influence root")),
            ("staker1", "staker".into()),
            ("staker2", "staker".into()),
            ("treasury", "the protocol treasury's account".into()),
            (
                "coordinator",
                "agent hired by client for the workflow's root task; delegated three sub-tasks"
                    .into(),
            ),
            (
                "researcher",
                "specialist agent: research sub-task, approved".into(),
            ),
            (
                "legal_expert",
                "specialist agent: legal sub-task, approved".into(),
            ),
            (
                "risk_expert",
                "specialist agent: risk sub-task, rejected by the evaluator".into(),
            ),
            (
                "evaluator",
                "bonded evaluator of the three sub-tasks".into(),
            ),
        ]
        .into_iter()
        .collect()
    }

    /// A table per actor that moved OPEN, and the list of those that did not.
    pub(super) fn actor_tables(&self, out: &mut String) -> Result<()> {
        let l = &self.ledger;
        let roles = self.roles();
        *out += &format!(
            "\n== The account of story {} on {} (OPEN base units) ==\n",
            self.tag,
            self.b.chain_id()
        );
        let width = 62;
        let mut idle = vec![];
        for key in ACTORS.iter().chain(WORKFLOW_ACTORS.iter()).copied() {
            let addr = &self.keys[key];
            let lines = l.lines.get(addr).cloned().unwrap_or_default();
            let role = roles.get(key).cloned().unwrap_or_default();
            if lines.is_empty() {
                idle.push(format!("{key}: {role}"));
                continue;
            }
            let (start, end) = (l.start[addr], l.expected[addr]);
            *out += &format!("\n{key} — {role}\n  {addr}\n");
            *out += &format!("  {:<width$}{:>14}\n", "start balance", units(start));
            for (what, amount) in &lines {
                *out += &format!("  {:<width$}{:>14}\n", what, signed(*amount));
            }
            *out += &format!(
                "  {:<width$}{:>14}   net {}\n",
                "end balance",
                units(end),
                signed(end as i128 - start as i128)
            );
            let sum: i128 = lines.iter().map(|(_, v)| v).sum();
            ensure!(
                sum == end as i128 - start as i128,
                "{key}'s lines do not add up to its net"
            );
        }
        if !idle.is_empty() {
            *out += "\nNo OPEN moved for\n";
            for line in &idle {
                *out += &format!("  {line}\n");
            }
        }
        Ok(())
    }

    /// The contracts' balances, the treasury's intake and every contract's solvency.
    pub(super) fn contract_tables(&self, out: &mut String) -> Result<()> {
        let l = &self.ledger;
        *out += "\nContracts            start balance    end balance        net\n";
        for (name, addr) in [
            ("datanet registry", &l.registry),
            ("reward pool", &l.pool),
            ("model licensing", &l.models),
            ("agent escrow", &l.escrow),
        ] {
            let (start, end) = (l.start[addr], l.expected[addr]);
            *out += &format!(
                "  {name:<18}{:>15}{:>15}{:>11}\n",
                units(start),
                units(end),
                signed(end as i128 - start as i128)
            );
        }

        *out += "\nThe treasury's intake during the story\n";
        for (source, amount) in &l.intake {
            *out += &format!("  {source:<46}{:>10}\n", units(*amount));
        }
        *out += &format!(
            "  {:<46}{:>10}   (withdrawn to the treasury account)\n",
            "total",
            units(l.intake_total())
        );

        *out += "\nSolvency (balance vs liabilities, read from each contract)\n";
        for (name, addr) in [
            ("datanet registry", &l.registry),
            ("reward pool", &l.pool),
            ("model licensing", &l.models),
            ("agent escrow", &l.escrow),
        ] {
            let v: Value = self
                .b
                .query(addr, &registry::QueryMsg::Solvency {})
                .with_context(|| format!("query {name}'s solvency"))?;
            let balance = amount_field(&v["balance"]).context("solvency without balance")?;
            let (liabilities, parts) = liabilities(&v)?;
            ensure!(v["solvent"] == true, "{name} is insolvent: {v}");
            ensure!(
                balance == l.expected[addr],
                "{name}'s solvency reports a balance of {balance}; the ledger expects {}",
                l.expected[addr]
            );
            *out += &format!(
                "  {name:<18}{:>15} vs {:>15}  solvent  ({parts})\n",
                units(balance),
                units(liabilities),
            );
        }
        Ok(())
    }

    /// OPEN's supply, unchanged, and the gas of the main steps.
    pub(super) fn supply_and_gas(&self, out: &mut String) -> Result<()> {
        let supply_end: TokenInfoResponse = self
            .b
            .query(&self.c.token, &Cw20QueryMsg::TokenInfo {})
            .context("query OPEN's token info")?;
        ensure!(
            supply_end.total_supply.u128() == self.supply_start,
            "OPEN's total supply moved during the story: {} → {}",
            self.supply_start,
            supply_end.total_supply
        );
        *out += &format!(
            "\nOPEN total supply: {} at the start, {} at the end: unchanged\n",
            units(self.supply_start),
            units(supply_end.total_supply.u128())
        );

        let anchor = self.gas.first().map(|g| g.1).unwrap_or(1).max(1);
        *out += &format!(
            "\n{:<54}{:>10}{:>17}\n",
            "Gas of the main steps", "gas used", "× OPEN transfer"
        );
        for (what, gas) in &self.gas {
            *out += &format!(
                "  {what:<52}{:>10}{:>17.2}\n",
                units(u128::from(*gas)),
                *gas as f64 / anchor as f64
            );
        }
        Ok(())
    }
}

/// An amount in a JSON response (`"123"` or `123`).
pub(super) fn amount_field(v: &Value) -> Option<u128> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64().map(u128::from),
        _ => None,
    }
}

/// The liabilities of a solvency response: its total and its parts as text. Read generically so
/// every contract's (and every version's) response works.
fn liabilities(v: &Value) -> Result<(u128, String)> {
    let total = amount_field(&v["total_liabilities"]).or_else(|| amount_field(&v["owed_earnings"]));
    let total = total.with_context(|| format!("solvency without liabilities: {v}"))?;
    let parts: Vec<String> = match v["liabilities"].as_object() {
        Some(o) => o
            .iter()
            .filter_map(|(k, x)| amount_field(x).map(|a| (k, a)))
            .filter(|(_, a)| *a > 0)
            .map(|(k, a)| format!("{} {}", k.replace('_', " "), units(a)))
            .collect(),
        None => v
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !matches!(k.as_str(), "balance" | "total_liabilities" | "solvent"))
            .filter_map(|(k, x)| {
                amount_field(x).map(|a| format!("{} {}", k.replace('_', " "), units(a)))
            })
            .collect(),
    };
    Ok((total, parts.join(", ")))
}
