// Written by hand (kept by ts/codegen.mjs across regenerations): typed helpers that put a hook
// message of the suite inside a cw20 `send` of OPEN.
//
// A contract of the suite that takes OPEN (the registry, the reward pool, model licensing) is
// paid by a cw20 `send` to it, whose `msg` is the base64 JSON of one of its hook messages
// (schema/<contract>/receive_msg.json, typed in ./<contract>.ts).

import { fromBinary, toBinary } from "@cosmjs/cosmwasm-stargate";

import type { Binary, ExecuteMsg as OpenTokenExecuteMsg, Uint128 } from "../OpenToken/OpenToken.types";
import type { Cw20Hook } from "./index";

/** The arguments of a cw20 `send`, as `OpenTokenClient.send` takes them. */
export type Cw20SendArgs = Extract<OpenTokenExecuteMsg, { send: unknown }>["send"];

/** An amount of OPEN in its smallest unit: a decimal string, a bigint or a safe integer. */
export type Amount = Uint128 | bigint | number;

function amountString(amount: Amount): Uint128 {
  if (typeof amount === "number" && !Number.isSafeInteger(amount)) {
    throw new Error(`amount must be a safe integer, got ${amount}`);
  }
  const text = amount.toString();
  if (!/^(0|[1-9][0-9]*)$/.test(text)) {
    throw new Error(`amount must be a non-negative integer, got ${text}`);
  }
  return text;
}

/** The base64 `msg` of a cw20 `send` carrying `hook`. */
export function encodeHook<H extends Cw20Hook>(hook: H): Binary {
  return toBinary(hook);
}

/** The hook inside the `msg` of a cw20 `send` (no validation beyond JSON parsing). */
export function decodeHook<H extends Cw20Hook = Cw20Hook>(msg: Binary): H {
  return fromBinary(msg) as H;
}

/**
 * The arguments of a cw20 `send` that moves `amount` of OPEN to `contract` and calls it with
 * `hook`: pass them to `OpenTokenClient.send`.
 */
export function cw20SendArgs<H extends Cw20Hook>(contract: string, amount: Amount, hook: H): Cw20SendArgs {
  return { contract, amount: amountString(amount), msg: encodeHook(hook) };
}

/**
 * The whole cw20 `send` execute message, for `SigningCosmWasmClient.execute(sender, openToken,
 * msg, fee)` or for batching with `executeMultiple`.
 */
export function cw20SendMsg<H extends Cw20Hook>(
  contract: string,
  amount: Amount,
  hook: H,
): Extract<OpenTokenExecuteMsg, { send: unknown }> {
  return { send: cw20SendArgs(contract, amount, hook) };
}
