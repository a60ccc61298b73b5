// Written by hand (kept by ts/codegen.mjs across regenerations): plugs cosmjs clients into the
// generated clients.
//
// The generated `<Contract>QueryClient` takes any client with `queryContractSmart`, so a cosmjs
// `CosmWasmClient` (or `SigningCosmWasmClient`) goes in as it is. The generated `<Contract>Client`
// takes an `ISigningCosmWasmClient`, whose `execute` may be called without a fee; cosmjs's
// `SigningCosmWasmClient.execute` requires one, so wrap it with `fromCosmJs` (the fee defaults to
// "auto", which needs the client to have been connected with a `gasPrice`).

import type { SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";

import type { ISigningCosmWasmClient } from "./baseClient";

/** A cosmjs `SigningCosmWasmClient` as the `ISigningCosmWasmClient` the generated clients take. */
export function fromCosmJs(client: SigningCosmWasmClient): ISigningCosmWasmClient {
  return {
    queryContractSmart: (contract, query) => client.queryContractSmart(contract, query),
    execute: (sender, contract, msg, fee = "auto", memo, funds) =>
      client.execute(sender, contract, msg, fee, memo, funds),
  };
}
