//! Steps 22–23: the attestor posts datanet B's root of its contributors' cumulative
//! entitlements (built in-process and, when the `attribution-tree` tool is there, by the tool,
//! checked to agree); after the shortened challenge window they claim with Merkle proofs.

use anyhow::{bail, ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::merkle::Entry;
use openledger_common::msg::reward_pool as pool;
use openledger_economics::bps_floor;

use super::ledger::DatanetModel;
use super::plan::{percent, units};
use super::{gas_each, Story, CHALLENGE_WINDOW, CONCURRENCY_HINT, INFLUENCE};
use crate::flow_influence::{self as influence, Tree};

impl Story<'_> {
    /// 22–23: datanet B's attested root and the proof claims.
    pub(super) fn influence(&mut self) -> Result<()> {
        let setup = self.attestor_setup()?;
        let (tree, proofs, epoch) = self.post_root(setup)?;
        self.claim_influence(&tree, &proofs, epoch)
    }

    /// The attestor approved and bonded, the challenge window shortened: what was done.
    pub(super) fn attestor_setup(&mut self) -> Result<Vec<String>> {
        let pool_addr = self.c.pool.clone();
        let attestor = self.addr("attestor")?;
        let mut setup = vec![];
        if !self.rules.attestor_approved {
            self.exec(
                &pool_addr,
                &pool::ExecuteMsg::UpdateAttestors {
                    add: vec![attestor.clone()],
                    remove: vec![],
                },
                "deployer",
                "approve the attestor",
            )?;
            setup.push("deployer approves attestor".to_string());
        }
        if self.rules.attestor_missing > 0 {
            let missing = self.rules.attestor_missing;
            self.send(
                "attestor",
                &pool_addr,
                missing,
                &pool::ReceiveMsg::BondAttestor {},
                "bond as an attestor",
            )?;
            self.ledger.mv(
                &attestor,
                &pool_addr,
                missing,
                "attestor bond",
                "attestor bonds",
            )?;
            setup.push(format!("attestor bonds {}", units(missing)));
        }
        if setup.is_empty() {
            setup.push("attestor (approved and bonded before)".into());
        }
        let config: pool::ConfigResponse =
            self.query(&pool_addr, &pool::QueryMsg::Config {}, "pool config")?;
        if config.challenge_window > CHALLENGE_WINDOW {
            self.set_window(CHALLENGE_WINDOW)?;
            self.window_to_restore = Some(config.challenge_window);
            setup.push(format!(
                "deployer shortens the challenge window to {CHALLENGE_WINDOW} s (from {} s)",
                config.challenge_window
            ));
        }
        Ok(setup)
    }

    /// 22: the attestor posts datanet B's root; returns the tree, its proofs and the epoch.
    pub(super) fn post_root(
        &mut self,
        mut setup: Vec<String>,
    ) -> Result<(Tree, Vec<Vec<String>>, u64)> {
        let b = self.b_id;
        let pool_addr = self.c.pool.clone();
        // The entitlements: each contributor's share of what datanet B received, by the
        // ledger.
        let received = match self.ledger.datanets.get(&b) {
            Some(DatanetModel::Influence { received, .. }) => *received,
            _ => bail!("datanet {b} is not an influence datanet in the ledger"),
        };
        let root: pool::AttributionRootResponse = self.query(
            &pool_addr,
            &pool::QueryMsg::AttributionRoot { datanet_id: b },
            "attribution root",
        )?;
        ensure!(
            root.total_received.u128() == received,
            "datanet {b}'s bucket received {}; the ledger expects {}{CONCURRENCY_HINT}",
            root.total_received,
            received
        );
        let entries = INFLUENCE
            .iter()
            .map(|(k, bps)| {
                Ok(Entry {
                    address: self.addr(k)?,
                    cumulative_amount: bps_floor(received, *bps)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let tree = Tree::new(b, entries)?;
        let addrs: Vec<String> = tree.entries.iter().map(|e| e.address.clone()).collect();
        let mut proofs = addrs
            .iter()
            .map(|a| tree.proof(a))
            .collect::<Result<Vec<_>>>()?;
        if let Some(tool) = self.b.attribution_tool() {
            let dir = std::env::temp_dir().join(format!("openledger-story-{}-{}", self.tag, b));
            std::fs::create_dir_all(&dir)?;
            let refs: Vec<&str> = addrs.iter().map(String::as_str).collect();
            let r = influence::cross_check_with_tool(&tool, &dir, &tree, &refs);
            let _ = std::fs::remove_dir_all(&dir);
            proofs = r?.0;
            setup.push(
                "attestor builds the tree with attribution-tree (root and proofs match)".into(),
            );
        }
        let res = self.exec(
            &pool_addr,
            &pool::ExecuteMsg::PostAttributionRoot {
                datanet_id: b,
                epoch: root.next_epoch,
                root: cosmwasm_std::HexBinary::from(tree.tree.root().as_slice()),
                cumulative_total: Uint128::new(tree.total),
                version: None,
            },
            "attestor",
            "post datanet B's root",
        )?;
        let epoch = root.next_epoch;
        let gas = self.gas("post_attribution_root", &res);
        self.done(format!(
            "{}; attestor posts datanet {b}'s root for epoch {epoch}: 3 contributors' cumulative entitlements, {} of the {} it received, root {} (gas {gas})",
            setup.join("; "),
            units(tree.total),
            units(received),
            &tree.root_hex()[..16]
        ))?;
        Ok((tree, proofs, epoch))
    }

    /// 23: after the window, contributor2..4 claim with their proofs.
    pub(super) fn claim_influence(
        &mut self,
        tree: &Tree,
        proofs: &[Vec<String>],
        epoch: u64,
    ) -> Result<()> {
        let b = self.b_id;
        let pool_addr = self.c.pool.clone();
        let addrs: Vec<String> = tree.entries.iter().map(|e| e.address.clone()).collect();
        influence::wait_claimable(self.b, b, epoch)?;
        self.restore_window()?;
        let keys: Vec<(&str, usize)> = INFLUENCE
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (*k, i))
            .collect();
        let calls = keys
            .iter()
            .map(|(key, i)| {
                let amount = tree.amount(&addrs[*i])?;
                self.call(
                    key,
                    &self.c.pool,
                    &pool::ExecuteMsg::ClaimAttribution {
                        datanet_id: b,
                        epoch,
                        cumulative_amount: Uint128::new(amount),
                        proof: influence::to_hex_binaries(&proofs[*i])?,
                    },
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let results = self.all(calls, "claim with a proof")?;
        let mut paid = vec![];
        for ((key, bps), addr) in INFLUENCE.iter().zip(&addrs) {
            let amount = tree.amount(addr)?;
            self.ledger.mv(
                &pool_addr,
                addr,
                amount,
                "influence claims",
                &format!(
                    "influence claim, datanet {b} ({})",
                    percent(u128::from(*bps))
                ),
            )?;
            if let Some(DatanetModel::Influence { paid: p, .. }) = self.ledger.datanets.get_mut(&b)
            {
                *p += amount;
            }
            paid.push(format!("{key} +{}", units(amount)));
        }
        let (gas, least) = gas_each(&results);
        self.gas
            .push(("claim_attribution (3-leaf tree)".into(), least));
        self.done(format!(
            "the challenge window passed unchallenged; contributor2..4 claim with Merkle proofs: {} (gas {gas}; the first claim after the window also promotes the root)",
            paid.join(", ")
        ))
    }
}
