//! OPEN's execute and query messages: the cw20 ones, field for field and with the same JSON, but
//! strict. cw20-base's own enums accept and ignore unknown fields (cosmwasm-schema 2 no longer
//! adds `deny_unknown_fields`), so a misspelled optional field — `"expire"` for `"expires"` — would
//! silently fall back to its default. These enums refuse it with an error that names the field,
//! and convert into cw20-base's messages, which run unchanged.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Binary, Uint128};
use cw20::{Cw20ExecuteMsg, Logo};
use openledger_common::ownership::Expiration;

/// The cw20 execute messages of OPEN.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ExecuteMsg {
    /// Moves `amount` tokens from the sender to `recipient`.
    Transfer {
        /// The account that receives the tokens.
        recipient: String,
        /// The amount to move.
        amount: Uint128,
    },
    /// Destroys `amount` of the sender's tokens, lowering the total supply.
    Burn {
        /// The amount to destroy.
        amount: Uint128,
    },
    /// Moves `amount` tokens to `contract` and calls its `receive` with `msg`.
    Send {
        /// The contract that receives the tokens and the hook.
        contract: String,
        /// The amount to move.
        amount: Uint128,
        /// The hook message passed to the contract's `receive`.
        msg: Binary,
    },
    /// Lets `spender` move up to `amount` more of the sender's tokens.
    IncreaseAllowance {
        /// The account allowed to spend.
        spender: String,
        /// The amount added to the allowance.
        amount: Uint128,
        /// When the allowance ends (kept as it is when absent).
        expires: Option<Expiration>,
    },
    /// Lowers the allowance of `spender` by `amount` (to zero at most).
    DecreaseAllowance {
        /// The account whose allowance is lowered.
        spender: String,
        /// The amount removed from the allowance.
        amount: Uint128,
        /// When the allowance ends (kept as it is when absent).
        expires: Option<Expiration>,
    },
    /// Moves `amount` tokens of `owner` to `recipient` within the sender's allowance.
    TransferFrom {
        /// The account the tokens come from.
        owner: String,
        /// The account that receives them.
        recipient: String,
        /// The amount to move.
        amount: Uint128,
    },
    /// Sends `amount` tokens of `owner` to `contract` with a hook, within the sender's allowance.
    SendFrom {
        /// The account the tokens come from.
        owner: String,
        /// The contract that receives the tokens and the hook.
        contract: String,
        /// The amount to move.
        amount: Uint128,
        /// The hook message passed to the contract's `receive`.
        msg: Binary,
    },
    /// Destroys `amount` tokens of `owner` within the sender's allowance.
    BurnFrom {
        /// The account the tokens come from.
        owner: String,
        /// The amount to destroy.
        amount: Uint128,
    },
    /// The minter creates `amount` new tokens for `recipient` (within the cap, if any).
    Mint {
        /// The account that receives the new tokens.
        recipient: String,
        /// The amount to create.
        amount: Uint128,
    },
    /// The minter hands minting to `new_minter`, or ends it for good when absent.
    UpdateMinter {
        /// The new minter; none ends minting.
        new_minter: Option<String>,
    },
    /// The marketing account updates the token's marketing information.
    UpdateMarketing {
        /// A URL of the project; an empty string clears it.
        project: Option<String>,
        /// A description of the token; an empty string clears it.
        description: Option<String>,
        /// The new marketing account; an empty string clears it.
        marketing: Option<String>,
    },
    /// The marketing account uploads the token's logo.
    UploadLogo(Logo),
}

impl From<ExecuteMsg> for Cw20ExecuteMsg {
    fn from(msg: ExecuteMsg) -> Self {
        match msg {
            ExecuteMsg::Transfer { recipient, amount } => {
                Cw20ExecuteMsg::Transfer { recipient, amount }
            }
            ExecuteMsg::Burn { amount } => Cw20ExecuteMsg::Burn { amount },
            ExecuteMsg::Send {
                contract,
                amount,
                msg,
            } => Cw20ExecuteMsg::Send {
                contract,
                amount,
                msg,
            },
            ExecuteMsg::IncreaseAllowance {
                spender,
                amount,
                expires,
            } => Cw20ExecuteMsg::IncreaseAllowance {
                spender,
                amount,
                expires: expires.map(Into::into),
            },
            ExecuteMsg::DecreaseAllowance {
                spender,
                amount,
                expires,
            } => Cw20ExecuteMsg::DecreaseAllowance {
                spender,
                amount,
                expires: expires.map(Into::into),
            },
            ExecuteMsg::TransferFrom {
                owner,
                recipient,
                amount,
            } => Cw20ExecuteMsg::TransferFrom {
                owner,
                recipient,
                amount,
            },
            ExecuteMsg::SendFrom {
                owner,
                contract,
                amount,
                msg,
            } => Cw20ExecuteMsg::SendFrom {
                owner,
                contract,
                amount,
                msg,
            },
            ExecuteMsg::BurnFrom { owner, amount } => Cw20ExecuteMsg::BurnFrom { owner, amount },
            ExecuteMsg::Mint { recipient, amount } => Cw20ExecuteMsg::Mint { recipient, amount },
            ExecuteMsg::UpdateMinter { new_minter } => Cw20ExecuteMsg::UpdateMinter { new_minter },
            ExecuteMsg::UpdateMarketing {
                project,
                description,
                marketing,
            } => Cw20ExecuteMsg::UpdateMarketing {
                project,
                description,
                marketing,
            },
            ExecuteMsg::UploadLogo(logo) => Cw20ExecuteMsg::UploadLogo(logo),
        }
    }
}

/// The cw20 queries of OPEN.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The balance of `address` (zero if it never held OPEN).
    #[returns(cw20::BalanceResponse)]
    Balance {
        /// The account asked about.
        address: String,
    },
    /// Name, symbol, decimals and total supply.
    #[returns(cw20::TokenInfoResponse)]
    TokenInfo {},
    /// The minter and its cap, if minting is enabled.
    #[returns(cw20::MinterResponse)]
    Minter {},
    /// What `spender` may still move of `owner`'s tokens, and until when.
    #[returns(cw20::AllowanceResponse)]
    Allowance {
        /// The account whose tokens may be spent.
        owner: String,
        /// The account allowed to spend them.
        spender: String,
    },
    /// The allowances `owner` granted, by spender, paginated.
    #[returns(cw20::AllAllowancesResponse)]
    AllAllowances {
        /// The account whose allowances are listed.
        owner: String,
        /// The spender to start after.
        start_after: Option<String>,
        /// At most this many entries (default 10, at most 30).
        limit: Option<u32>,
    },
    /// The allowances granted to `spender`, by owner, paginated.
    #[returns(cw20::AllSpenderAllowancesResponse)]
    AllSpenderAllowances {
        /// The account whose allowances are listed.
        spender: String,
        /// The owner to start after.
        start_after: Option<String>,
        /// At most this many entries (default 10, at most 30).
        limit: Option<u32>,
    },
    /// Every account holding OPEN, paginated.
    #[returns(cw20::AllAccountsResponse)]
    AllAccounts {
        /// The account to start after.
        start_after: Option<String>,
        /// At most this many entries (default 10, at most 30).
        limit: Option<u32>,
    },
    /// The token's marketing information.
    #[returns(cw20::MarketingInfoResponse)]
    MarketingInfo {},
    /// The token's logo, if one was uploaded.
    #[returns(cw20::DownloadLogoResponse)]
    DownloadLogo {},
}

impl From<QueryMsg> for cw20_base::msg::QueryMsg {
    fn from(msg: QueryMsg) -> Self {
        use cw20_base::msg::QueryMsg as Q;
        match msg {
            QueryMsg::Balance { address } => Q::Balance { address },
            QueryMsg::TokenInfo {} => Q::TokenInfo {},
            QueryMsg::Minter {} => Q::Minter {},
            QueryMsg::Allowance { owner, spender } => Q::Allowance { owner, spender },
            QueryMsg::AllAllowances {
                owner,
                start_after,
                limit,
            } => Q::AllAllowances {
                owner,
                start_after,
                limit,
            },
            QueryMsg::AllSpenderAllowances {
                spender,
                start_after,
                limit,
            } => Q::AllSpenderAllowances {
                spender,
                start_after,
                limit,
            },
            QueryMsg::AllAccounts { start_after, limit } => Q::AllAccounts { start_after, limit },
            QueryMsg::MarketingInfo {} => Q::MarketingInfo {},
            QueryMsg::DownloadLogo {} => Q::DownloadLogo {},
        }
    }
}
