//! Two-step ownership of a contract, as cw-ownable implements it, with a strict message.
//!
//! `cw_ownable::Action` accepts and ignores unknown fields, so `{"transfer_ownership":
//! {"new_owner": "…", "expiri": …}}` would offer ownership with no expiry at all. Every contract
//! of the suite takes [`OwnershipAction`] instead: the same JSON, refused with an error naming
//! the field when a field is unknown, converted into cw-ownable's action to run.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Api, DepsMut, Env, Response, StdError, Storage};
use cw_ownable::OwnershipError;

use crate::validate::{validate_addr, AddressError};

/// A step of the two-step transfer of a contract's ownership.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum OwnershipAction {
    /// The owner offers ownership to `new_owner`, who must accept it (before `expiry`, if set).
    TransferOwnership {
        /// The proposed owner.
        new_owner: String,
        /// When the offer lapses (never, when absent).
        expiry: Option<Expiration>,
    },
    /// The proposed owner accepts the offer and becomes the owner.
    AcceptOwnership,
    /// The owner gives up ownership for good: owner-only messages can never run again.
    RenounceOwnership,
}

impl From<OwnershipAction> for cw_ownable::Action {
    fn from(action: OwnershipAction) -> Self {
        match action {
            OwnershipAction::TransferOwnership { new_owner, expiry } => {
                cw_ownable::Action::TransferOwnership {
                    new_owner,
                    expiry: expiry.map(Into::into),
                }
            }
            OwnershipAction::AcceptOwnership => cw_ownable::Action::AcceptOwnership,
            OwnershipAction::RenounceOwnership => cw_ownable::Action::RenounceOwnership,
        }
    }
}

/// Records the contract's owner at instantiation: `owner` when given (validated as the field
/// `owner`), otherwise `sender`. Returns the owner.
pub fn initialize<E>(
    storage: &mut dyn Storage,
    api: &dyn Api,
    sender: Addr,
    owner: Option<&str>,
) -> Result<Addr, E>
where
    E: From<AddressError> + From<StdError>,
{
    let owner = match owner {
        Some(owner) => validate_addr(api, "owner", owner)?,
        None => sender,
    };
    cw_ownable::initialize_owner(storage, api, Some(owner.as_str()))?;
    Ok(owner)
}

/// Runs a step of the two-step transfer of the contract's ownership for `sender`. The response
/// carries `action = update_ownership` and cw-ownable's attributes of the new ownership.
pub fn update(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    action: OwnershipAction,
) -> Result<Response, OwnershipError> {
    let ownership = cw_ownable::update_ownership(deps, &env.block, sender, action.into())?;
    Ok(Response::new()
        .add_attribute("action", "update_ownership")
        .add_attributes(ownership.into_attributes()))
}

/// When an allowance or an ownership offer lapses: the JSON of `cw_utils::Expiration`, strict
/// (a field inside `never` is refused, not ignored).
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy)]
pub enum Expiration {
    /// From this block height on (inclusive).
    AtHeight(u64),
    /// From this block time on (inclusive).
    AtTime(cosmwasm_std::Timestamp),
    /// Never.
    Never {},
}

impl From<Expiration> for cw_utils::Expiration {
    fn from(e: Expiration) -> Self {
        match e {
            Expiration::AtHeight(h) => cw_utils::Expiration::AtHeight(h),
            Expiration::AtTime(t) => cw_utils::Expiration::AtTime(t),
            Expiration::Never {} => cw_utils::Expiration::Never {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::{mock_dependencies, mock_env};

    crate::contract_error! {
        /// A contract's errors, for the test.
        pub enum ContractError {}
    }

    #[test]
    fn initialize_takes_the_given_owner_or_the_sender_then_update_transfers() {
        let mut deps = mock_dependencies();
        let (alice, bob) = (deps.api.addr_make("alice"), deps.api.addr_make("bob"));
        let owner = initialize::<ContractError>(&mut deps.storage, &deps.api, alice.clone(), None);
        assert_eq!(owner, Ok(alice.clone()));
        let owner = initialize::<ContractError>(
            &mut deps.storage,
            &deps.api,
            alice.clone(),
            Some(bob.as_str()),
        );
        assert_eq!(owner, Ok(bob.clone()));
        assert_eq!(
            cw_ownable::get_ownership(&deps.storage).unwrap().owner,
            Some(bob.clone())
        );
        let Err(ContractError::InvalidAddress { field, .. }) =
            initialize::<ContractError>(&mut deps.storage, &deps.api, alice.clone(), Some("Bob"))
        else {
            panic!("an invalid owner must be refused");
        };
        assert_eq!(field, "owner");

        let env = mock_env();
        let offer = OwnershipAction::TransferOwnership {
            new_owner: alice.to_string(),
            expiry: None,
        };
        assert_eq!(
            update(deps.as_mut(), &env, &alice, offer.clone()),
            Err(OwnershipError::NotOwner)
        );
        let res = update(deps.as_mut(), &env, &bob, offer).unwrap();
        assert_eq!(res.attributes[0].value, "update_ownership");
        assert_eq!(
            res.attributes[2].value,
            alice.as_str(),
            "pending_owner: {res:?}"
        );
    }
}
