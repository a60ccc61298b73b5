use cosmwasm_schema::{export_schema_with_title, schema_for, write_api};
use openledger_common::msg::agent_escrow::{
    ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg,
};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }
    // The hook a wallet puts inside a cw20 `send` to the escrow.
    let out = std::env::current_dir()
        .expect("working directory")
        .join("schema");
    export_schema_with_title(&schema_for!(ReceiveMsg), &out, "receive_msg");
}
