//! What every contract's `schema` binary writes, said once.

/// Writes a contract's JSON schemas into `./schema`: its API (cosmwasm-schema's `write_api!` of
/// the `InstantiateMsg`, `ExecuteMsg`, `QueryMsg` and `MigrateMsg` of the given message module)
/// and the hook message that travels inside a cw20 `send` to it (the module's `ReceiveMsg`, as
/// `receive_msg.json` with the title `hook_title`). For the `main` of a `schema` binary, which
/// depends on `cosmwasm-schema`:
///
/// ```ignore
/// fn main() {
///     openledger_common::write_schemas!(openledger_common::msg::reward_pool, hook_title = "receive_msg");
/// }
/// ```
#[macro_export]
macro_rules! write_schemas {
    ($($module:ident)::+, hook_title = $title:literal) => {{
        use $($module)::+::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg};
        ::cosmwasm_schema::write_api! {
            instantiate: InstantiateMsg,
            execute: ExecuteMsg,
            query: QueryMsg,
            migrate: MigrateMsg,
        }
        let out = ::std::env::current_dir()
            .expect("working directory")
            .join("schema");
        ::cosmwasm_schema::export_schema_with_title(
            &::cosmwasm_schema::schema_for!(ReceiveMsg),
            &out,
            $title,
        );
    }};
}
