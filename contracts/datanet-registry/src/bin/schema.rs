//! Writes the contract's JSON schemas (API and cw20 hook message) into `./schema`.

fn main() {
    openledger_common::write_schemas!(
        openledger_common::msg::datanet_registry,
        hook_title = "ReceiveMsg"
    );
}
