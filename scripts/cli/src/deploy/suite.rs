//! The suite's deployment: the five contracts in dependency order, each instantiated with its
//! settings ([`SuiteConfig`], from the environment), and the reward pool wired to the registry.
//! The instantiate messages are built here only: the cw-multi-test backend deploys the suite
//! with the same messages and the default settings.

use anyhow::{bail, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::bps::Bps;
use openledger_common::fee::FeeSplit;
use openledger_common::msg::{
    agent_escrow as escrow, datanet_registry as registry, model_licensing as models,
    reward_pool as pool,
};

use super::{env_number, log, Deployer};

/// The settings the suite is instantiated with: [`Default`] holds the deploy tool's defaults,
/// [`SuiteConfig::from_env`] lets the environment variable named on each field override them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiteConfig {
    /// OPEN minted to the deploying key (`OPEN_INITIAL_SUPPLY`).
    pub initial_supply: u128,
    /// The reward pool's unbonding period for stakes, in seconds (`POOL_UNBONDING_PERIOD`).
    pub pool_unbonding_period: u64,
    /// The registry's fee for creating a datanet (`DATANET_CREATION_FEE`).
    pub datanet_creation_fee: u128,
    /// The least bond an agent registers with (`ESCROW_MIN_AGENT_BOND`).
    pub escrow_min_agent_bond: u128,
    /// The escrow's protocol fee, in bps of a settled milestone (`ESCROW_PROTOCOL_FEE_BPS`).
    pub escrow_protocol_fee_bps: Bps,
    /// How long the arbiter has to rule on a dispute, in seconds
    /// (`ESCROW_ARBITRATION_WINDOW`).
    pub escrow_arbitration_window: u64,
    /// The escrow's unbonding period for agents' bonds, in seconds
    /// (`ESCROW_UNBONDING_PERIOD`).
    pub escrow_unbonding_period: u64,
    /// The share of an agent's free bond a ruling of 0 can slash, in bps (`ESCROW_SLASH_BPS`).
    pub escrow_slash_bps: Bps,
    /// The curators' share of every datanet allocation, in bps (`POOL_CURATORS_BPS`).
    pub pool_curators_bps: Bps,
    /// Model licensing's fee split (`FEE_SPLIT`: datanets, model owner, hosts, stakers and
    /// treasury bps, comma-separated, summing to 10 000).
    pub fee_split: FeeSplit,
}

/// The deploy tool's fee split: every role paid. Datanets 50 %, model owner 15 %, the host
/// that served the inference 5 %, stakers 20 %, treasury 10 %.
pub fn default_fee_split() -> FeeSplit {
    FeeSplit {
        datanets_bps: 5_000,
        model_owner_bps: 1_500,
        hosts_bps: 500,
        stakers_bps: 2_000,
        treasury_bps: 1_000,
    }
}

/// Reads `FEE_SPLIT` ("datanets,owner,hosts,stakers,treasury" in bps), else `default`.
fn env_fee_split(default: FeeSplit) -> Result<FeeSplit> {
    match std::env::var("FEE_SPLIT") {
        Ok(v) if !v.is_empty() => parse_fee_split(&v),
        _ => Ok(default),
    }
}

/// Parses "datanets,owner,hosts,stakers,treasury" (bps) into a valid fee split.
fn parse_fee_split(v: &str) -> Result<FeeSplit> {
    let parts: Vec<Bps> = v
        .split(',')
        .map(|p| p.trim().parse::<Bps>())
        .collect::<std::result::Result<_, _>>()
        .with_context(|| format!("FEE_SPLIT must be five whole numbers of bps, not '{v}'"))?;
    let [datanets_bps, model_owner_bps, hosts_bps, stakers_bps, treasury_bps] = parts[..] else {
        bail!(
            "FEE_SPLIT must name five shares (datanets,owner,hosts,stakers,treasury), not {}",
            parts.len()
        );
    };
    let split = FeeSplit {
        datanets_bps,
        model_owner_bps,
        hosts_bps,
        stakers_bps,
        treasury_bps,
    };
    split
        .validate()
        .with_context(|| format!("FEE_SPLIT '{v}' is not a valid fee split"))?;
    Ok(split)
}

impl Default for SuiteConfig {
    fn default() -> Self {
        SuiteConfig {
            initial_supply: 1_000_000_000_000_000,
            pool_unbonding_period: 7 * 24 * 3600,
            datanet_creation_fee: 0,
            escrow_min_agent_bond: 1_000,
            escrow_protocol_fee_bps: 500,
            escrow_arbitration_window: 3 * 24 * 3600,
            escrow_unbonding_period: 7 * 24 * 3600,
            escrow_slash_bps: 5_000,
            pool_curators_bps: 1_000,
            fee_split: default_fee_split(),
        }
    }
}

impl SuiteConfig {
    /// The defaults, each overridden by its environment variable when that is set.
    pub fn from_env() -> Result<Self> {
        let d = SuiteConfig::default();
        Ok(SuiteConfig {
            initial_supply: env_number("OPEN_INITIAL_SUPPLY", d.initial_supply)?,
            pool_unbonding_period: env_number("POOL_UNBONDING_PERIOD", d.pool_unbonding_period)?,
            datanet_creation_fee: env_number("DATANET_CREATION_FEE", d.datanet_creation_fee)?,
            escrow_min_agent_bond: env_number("ESCROW_MIN_AGENT_BOND", d.escrow_min_agent_bond)?,
            escrow_protocol_fee_bps: env_number(
                "ESCROW_PROTOCOL_FEE_BPS",
                d.escrow_protocol_fee_bps,
            )?,
            escrow_arbitration_window: env_number(
                "ESCROW_ARBITRATION_WINDOW",
                d.escrow_arbitration_window,
            )?,
            escrow_unbonding_period: env_number(
                "ESCROW_UNBONDING_PERIOD",
                d.escrow_unbonding_period,
            )?,
            escrow_slash_bps: env_number("ESCROW_SLASH_BPS", d.escrow_slash_bps)?,
            pool_curators_bps: env_number("POOL_CURATORS_BPS", d.pool_curators_bps)?,
            fee_split: env_fee_split(d.fee_split)?,
        })
    }

    /// The OPEN token: "OpenLedger" (OPEN, 6 decimals), the initial supply held by `holder`.
    pub fn token_msg(&self, holder: &str) -> open_token::InstantiateMsg {
        open_token::InstantiateMsg {
            name: "OpenLedger".into(),
            symbol: "OPEN".into(),
            decimals: 6,
            initial_balances: vec![cw20::Cw20Coin {
                address: holder.to_string(),
                amount: Uint128::new(self.initial_supply),
            }],
            mint: None,
            marketing: None,
        }
    }

    /// The reward pool over `token`, without a registry yet ([`wire_pool_msg`] adds it).
    pub fn pool_msg(&self, token: &str) -> pool::InstantiateMsg {
        pool::InstantiateMsg {
            owner: None,
            token: token.to_string(),
            registry: None,
            unbonding_period: self.pool_unbonding_period,
            curators_bps: Some(self.pool_curators_bps),
        }
    }

    /// The datanet registry over `token`, paying into the pool at `pool`.
    pub fn registry_msg(&self, token: &str, pool: &str) -> registry::InstantiateMsg {
        registry::InstantiateMsg {
            owner: None,
            token: token.to_string(),
            reward_pool: pool.to_string(),
            creation_fee: Uint128::new(self.datanet_creation_fee),
        }
    }

    /// Model licensing over `token`, `registry` and `pool`, with the configured fee split.
    pub fn models_msg(&self, token: &str, registry: &str, pool: &str) -> models::InstantiateMsg {
        models::InstantiateMsg {
            owner: None,
            token: token.to_string(),
            registry: registry.to_string(),
            reward_pool: pool.to_string(),
            fee_split: Some(self.fee_split.clone()),
        }
    }

    /// The agent escrow over `token`, model licensing at `models` and `pool`, with `arbiter`
    /// as its default arbiter.
    pub fn escrow_msg(
        &self,
        token: &str,
        models: &str,
        pool: &str,
        arbiter: &str,
    ) -> escrow::InstantiateMsg {
        escrow::InstantiateMsg {
            owner: None,
            token: token.to_string(),
            model_licensing: models.to_string(),
            reward_pool: pool.to_string(),
            min_agent_bond: Uint128::new(self.escrow_min_agent_bond),
            protocol_fee_bps: self.escrow_protocol_fee_bps,
            default_arbiter: arbiter.to_string(),
            arbitration_window: self.escrow_arbitration_window,
            unbonding_period: self.escrow_unbonding_period,
            slash_bps: self.escrow_slash_bps,
        }
    }
}

/// The pool owner's message pointing the pool at the registry (the pool is instantiated first,
/// so it learns the registry's address afterwards).
pub fn wire_pool_msg(registry: &str) -> pool::ExecuteMsg {
    pool::ExecuteMsg::UpdateConfig {
        registry: Some(registry.to_string()),
        unbonding_period: None,
        staking_reward_period: None,
        curators_bps: None,
    }
}

impl Deployer<'_> {
    /// Deploys the whole suite in dependency order and wires the contracts to each other.
    pub fn deploy_suite(&mut self) -> Result<()> {
        let cfg = SuiteConfig::from_env()?;
        let token_code = self.ensure_code("open_token")?;
        let token = self.ensure_contract(
            "open_token",
            token_code,
            &cfg.token_msg(&self.key_address),
            &open_token::contract::MigrateMsg {},
        )?;
        // The pool and the registry refer to each other: the pool is instantiated first and
        // learns the registry's address through `update_config`.
        let pool_code = self.ensure_code("reward_pool")?;
        let pool = self.ensure_contract(
            "reward_pool",
            pool_code,
            &cfg.pool_msg(&token),
            &pool::MigrateMsg {},
        )?;
        let registry_code = self.ensure_code("datanet_registry")?;
        let registry = self.ensure_contract(
            "datanet_registry",
            registry_code,
            &cfg.registry_msg(&token, &pool),
            &registry::MigrateMsg {},
        )?;
        let models_code = self.ensure_code("model_licensing")?;
        let models_addr = self.ensure_contract(
            "model_licensing",
            models_code,
            &cfg.models_msg(&token, &registry, &pool),
            &models::MigrateMsg {},
        )?;
        let escrow_code = self.ensure_code("agent_escrow")?;
        let arbiter = self.default_arbiter();
        self.ensure_contract(
            "agent_escrow",
            escrow_code,
            &cfg.escrow_msg(&token, &models_addr, &pool, &arbiter),
            &escrow::MigrateMsg {},
        )?;
        self.wire_pool(&pool, &registry)
    }

    /// The escrow's default arbiter: `ESCROW_DEFAULT_ARBITER`, else the key `arbiter`, else
    /// the deploying key.
    fn default_arbiter(&self) -> String {
        match std::env::var("ESCROW_DEFAULT_ARBITER") {
            Ok(a) if !a.is_empty() => a,
            _ => self
                .chain
                .key_address("arbiter")
                .unwrap_or_else(|_| self.key_address.clone()),
        }
    }

    /// Points the reward pool at the registry, unless it already is.
    fn wire_pool(&mut self, pool: &str, registry: &str) -> Result<()> {
        // Only the field this step needs, so the check reads any version of the pool's config.
        #[derive(serde::Deserialize)]
        struct PoolRegistry {
            registry: Option<String>,
        }
        let config: PoolRegistry = self.chain.query(pool, &pool::QueryMsg::Config {})?;
        if config.registry.as_deref() == Some(registry) {
            log("reward_pool: already wired to the registry");
            return Ok(());
        }
        let res = self
            .chain
            .execute(pool, &wire_pool_msg(registry), &self.key, None)?;
        log(format!(
            "reward_pool: wired to the registry {registry} (tx {})",
            res.hash
        ));
        self.report.wired.push("reward_pool.registry".into());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_documented_settings() {
        let cfg = SuiteConfig::default();
        let escrow = cfg.escrow_msg("token", "models", "pool", "arbiter");
        assert_eq!(escrow.protocol_fee_bps, 500);
        assert_eq!(escrow.slash_bps, 5_000);
        assert_eq!(escrow.min_agent_bond, Uint128::new(1_000));
        assert_eq!(cfg.pool_msg("token").unbonding_period, 604_800);
        assert_eq!(cfg.pool_msg("token").curators_bps, Some(1_000));
        let split = cfg
            .models_msg("token", "registry", "pool")
            .fee_split
            .unwrap();
        assert_eq!(split, default_fee_split());
        split.validate().unwrap();
        assert_eq!(
            cfg.token_msg("deployer").initial_balances[0].amount,
            Uint128::new(1_000_000_000_000_000)
        );
    }

    #[test]
    fn fee_split_from_the_environment_is_checked() {
        assert_eq!(
            parse_fee_split("5000, 2000, 0, 2000, 1000").unwrap(),
            FeeSplit {
                model_owner_bps: 2_000,
                hosts_bps: 0,
                ..default_fee_split()
            }
        );
        let err = |v: &str| format!("{:#}", parse_fee_split(v).unwrap_err());
        assert!(
            err("5000,2000,2000,1000").contains("five shares"),
            "{}",
            err("5000,2000,2000,1000")
        );
        assert!(err("5000,x,0,2000,1000").contains("five whole numbers"));
        assert!(err("5000,2000,0,2000,999").contains("not a valid fee split"));
    }
}
