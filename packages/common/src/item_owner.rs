//! Two-step ownership of an item inside a contract (a datanet, a model): the owner offers the
//! item to a new owner, who must accept it; offering it to the current owner withdraws the
//! offer. Written once here; each contract loads, checks the caller and saves its own items.

use cosmwasm_std::{Addr, Attribute};

/// An item with an owner and, possibly, an owner it was offered to.
pub trait OwnedItem {
    /// The current owner.
    fn owner(&self) -> &Addr;
    /// The owner and the pending owner, to change them.
    fn owners_mut(&mut self) -> (&mut Addr, &mut Option<Addr>);
}

/// Offers `item` to `new_owner` (the caller must already be checked to be its owner); offering
/// it to its current owner withdraws a pending offer. Returns the event attributes `owner`,
/// `pending_owner` and `cancelled`.
pub fn offer<T: OwnedItem>(item: &mut T, new_owner: Addr) -> Vec<Attribute> {
    let (owner, pending) = item.owners_mut();
    let cancelled = new_owner == *owner;
    *pending = (!cancelled).then(|| new_owner.clone());
    vec![
        Attribute::new("owner", owner.as_str()),
        Attribute::new("pending_owner", new_owner),
        Attribute::new("cancelled", cancelled.to_string()),
    ]
}

/// `sender` accepts the offer of `item`: it becomes the owner. `None` when `item` was not
/// offered to `sender`; otherwise the event attributes `previous_owner` and `owner`.
pub fn accept<T: OwnedItem>(item: &mut T, sender: &Addr) -> Option<Vec<Attribute>> {
    let (owner, pending) = item.owners_mut();
    if pending.as_ref() != Some(sender) {
        return None;
    }
    *pending = None;
    let previous = std::mem::replace(owner, sender.clone());
    Some(vec![
        Attribute::new("previous_owner", previous),
        Attribute::new("owner", sender.as_str()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        owner: Addr,
        pending: Option<Addr>,
    }

    impl OwnedItem for Item {
        fn owner(&self) -> &Addr {
            &self.owner
        }
        fn owners_mut(&mut self) -> (&mut Addr, &mut Option<Addr>) {
            (&mut self.owner, &mut self.pending)
        }
    }

    #[test]
    fn offer_accept_and_withdraw() {
        let (alice, bob, eve) = (
            Addr::unchecked("alice"),
            Addr::unchecked("bob"),
            Addr::unchecked("eve"),
        );
        let mut item = Item {
            owner: alice.clone(),
            pending: None,
        };
        assert_eq!(accept(&mut item, &bob), None);
        let attrs = offer(&mut item, bob.clone());
        assert_eq!(attrs[2], Attribute::new("cancelled", "false"));
        assert_eq!(item.pending, Some(bob.clone()));
        assert_eq!(accept(&mut item, &eve), None);
        assert_eq!(item.owner(), &alice);
        let attrs = accept(&mut item, &bob).unwrap();
        assert_eq!(attrs[0], Attribute::new("previous_owner", "alice"));
        assert_eq!((item.owner(), &item.pending), (&bob, &None));
        offer(&mut item, eve.clone());
        let attrs = offer(&mut item, bob.clone());
        assert_eq!(attrs[2], Attribute::new("cancelled", "true"));
        assert_eq!(item.pending, None);
    }
}
