// The examples of ts/README.md, type-checked against the generated client by
// scripts/ts-client.sh (tsc --noEmit). They are not run by the tests: they need a chain and keys.

import { CosmWasmClient, SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { GasPrice } from "@cosmjs/stargate";

import { fromCosmJs } from "../src/cosmjs";
import { DatanetRegistryQueryClient } from "../src/DatanetRegistry";
import { ModelLicensingQueryClient } from "../src/ModelLicensing";
import { OpenTokenClient, OpenTokenQueryClient } from "../src/OpenToken";
import { cw20SendArgs, decodeHook, type DatanetRegistryReceiveMsg } from "../src/hooks";

/** Addresses of the deployed suite, e.g. from deployments/<chain-id>.json ("contracts"). */
export interface Suite {
  openToken: string;
  datanetRegistry: string;
  modelLicensing: string;
}

// 1. Read: a datanet, the bond it asks of contributors, and an account's OPEN balance.
export async function readDatanet(rpc: string, suite: Suite, datanetId: number, account: string) {
  const client = await CosmWasmClient.connect(rpc);
  const registry = new DatanetRegistryQueryClient(client, suite.datanetRegistry);
  const token = new OpenTokenQueryClient(client, suite.openToken);

  const datanet = await registry.datanet({ datanetId });
  const { balance } = await token.balance({ address: account });
  return { name: datanet.name, bond: datanet.contribution_bond, status: datanet.status, balance };
}

// 2. Sign: any cosmjs OfflineSigner (a wallet extension's, or a DirectSecp256k1HdWallet).
export async function connect(rpc: string, signer: OfflineSigner, gasPrice: string) {
  const [{ address }] = await signer.getAccounts();
  const client = await SigningCosmWasmClient.connectWithSigner(rpc, signer, {
    gasPrice: GasPrice.fromString(gasPrice),
  });
  return { client, address };
}

// 3. Contribute: a cw20 `send` of the datanet's bond to the registry, with the `contribute` hook.
export async function contribute(
  client: SigningCosmWasmClient,
  address: string,
  suite: Suite,
  datanetId: number,
  dataHash: string,
) {
  const registry = new DatanetRegistryQueryClient(client, suite.datanetRegistry);
  const { contribution_bond } = await registry.datanet({ datanetId });

  const hook: DatanetRegistryReceiveMsg = {
    contribute: {
      datanet_id: datanetId,
      data_hash: dataHash, // SHA-256 of the data, 64 hex characters
      uri: "ipfs://bafy.../sample.parquet",
      size_bytes: 1_048_576,
      license_note: "CC-BY-4.0",
    },
  };
  const token = new OpenTokenClient(fromCosmJs(client), address, suite.openToken);
  const result = await token.send(cw20SendArgs(suite.datanetRegistry, contribution_bond, hook));
  return result.transactionHash as string;
}

// 4. Pay an inference: quote the model's fee, then `send` exactly that with `pay_inference`.
export async function payInference(
  client: SigningCosmWasmClient,
  address: string,
  suite: Suite,
  modelId: number,
  inferenceId: string,
) {
  const licensing = new ModelLicensingQueryClient(client, suite.modelLicensing);
  const quote = await licensing.feeQuote({ modelId });

  const token = new OpenTokenClient(fromCosmJs(client), address, suite.openToken);
  await token.send(
    cw20SendArgs(suite.modelLicensing, quote.fee, {
      pay_inference: { model_id: modelId, inference_id: inferenceId },
    }),
    "auto",
    `inference ${inferenceId}`,
  );
  return licensing.inference({ modelId, payer: address, inferenceId });
}

// 5. Show a signer what a `send` will do: its hook, decoded.
export function hookName(msg: string): string {
  return Object.keys(decodeHook(msg))[0];
}
