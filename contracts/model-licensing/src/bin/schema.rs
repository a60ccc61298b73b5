use std::env::current_dir;

use cosmwasm_schema::{export_schema, schema_for, write_api};
use openledger_common::msg::model_licensing::{
    ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg,
};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }

    // The hook message that travels inside a cw20 `send` to model licensing, next to the API.
    let mut out_dir = current_dir().expect("current directory");
    out_dir.push("schema");
    export_schema(&schema_for!(ReceiveMsg), &out_dir);
}
