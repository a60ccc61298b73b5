//! Writes the contract's JSON schemas (API and cw20 hook message) into `./schema`.

fn main() {
    openledger_common::write_schemas!(
        openledger_common::msg::reward_pool,
        hook_title = "receive_msg"
    );
}
