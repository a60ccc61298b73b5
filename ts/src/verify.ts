// Written by hand (not generated): verifies the datanet registry's `contribution_proof` answers.
//
// A version of a datanet commits to its event log with an RFC 9162 Merkle root (format
// `event_log_v1`, defined in packages/common/src/version_tree.rs and the registry's README):
//
//   leaf = sha256(0x00 ‖ "openledger-version-v1" ‖ datanet_id u64 BE ‖ seq u64 BE
//                 ‖ kind u8 (1 accept, 2 remove) ‖ contribution_id u64 BE
//                 ‖ len(contributor) u16 BE ‖ contributor UTF-8
//                 ‖ data_hash 32 bytes ‖ weight u64 BE)
//   node = sha256(0x01 ‖ left ‖ right)
//
// `verifyContributionProof(answer)` rebuilds the leaf from the answer's fields, checks that the
// answer's `leaf_hash` is that leaf, and runs the audit path (RFC 9162 §2.1.3.2) to the root.
// Check the root against the registry's `version` answer (or pass the root you trust as
// `expectedRoot`): a proof shows inclusion under the root it is checked against. That no
// removal of the contribution precedes the version is the registry's answer (`removed_seq`).
//
// SHA-256 comes from Web Crypto (`crypto.subtle`: browsers, Node.js 19 and later), so the
// functions are async and the file needs no dependency.

/** One leaf of a datanet's event log, with every field its hash covers. */
export interface VersionLeaf {
  datanet_id: number;
  seq: number;
  kind: "accept" | "remove";
  contribution_id: number;
  contributor: string;
  /** SHA-256 of the data, 64 hex characters. */
  data_hash: string;
  weight: number;
}

/** The registry's answer to `{"contribution_proof": {"contribution_id", "version"}}`. */
export interface ContributionProofAnswer {
  format: "event_log_v1" | "hash_chain_v0";
  datanet_id: number;
  version: number;
  root: string;
  tree_size: number;
  leaf_index: number;
  leaf: VersionLeaf;
  leaf_hash: string;
  proof: string[];
  removed_seq?: number | null;
  removed_in_version?: number | null;
}

/** The outcome of a verification: valid, or the reason it is not. */
export type ContributionProofCheck =
  | { valid: true; leafHash: string; root: string }
  | { valid: false; reason: string };

const LEAF_DOMAIN = "openledger-version-v1";
const KIND_BYTE = { accept: 1, remove: 2 } as const;

class ProofError extends Error {}

async function sha256(parts: Uint8Array[]): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new ProofError("Web Crypto (crypto.subtle) is unavailable: use a browser or Node.js 19+");
  }
  const length = parts.reduce((n, p) => n + p.length, 0);
  const buffer = new ArrayBuffer(length);
  const bytes = new Uint8Array(buffer);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await subtle.digest("SHA-256", buffer));
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function hash32(what: string, hex: string): Uint8Array {
  if (typeof hex !== "string" || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new ProofError(`${what} is not 32 bytes of hex: ${String(hex)}`);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function u64(what: string, n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ProofError(`${what} ${String(n)} is not a whole number this verifier reads exactly`);
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

/** The hash of a leaf of the event log (format `event_log_v1`). */
export async function versionLeafHash(leaf: VersionLeaf): Promise<Uint8Array> {
  const contributor = new TextEncoder().encode(leaf.contributor);
  if (contributor.length > 0xffff) throw new ProofError("contributor is too long for a leaf");
  const kind = KIND_BYTE[leaf.kind];
  if (kind === undefined) throw new ProofError(`kind ${String(leaf.kind)} is not accept or remove`);
  const len = new Uint8Array([contributor.length >> 8, contributor.length & 0xff]);
  return sha256([
    new Uint8Array([0x00]),
    new TextEncoder().encode(LEAF_DOMAIN),
    u64("datanet_id", leaf.datanet_id),
    u64("seq", leaf.seq),
    new Uint8Array([kind]),
    u64("contribution_id", leaf.contribution_id),
    len,
    contributor,
    hash32("data_hash", leaf.data_hash),
    u64("weight", leaf.weight),
  ]);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256([new Uint8Array([0x01]), left, right]);
}

/** How many hashes the audit path of leaf `index` in a tree of `size` leaves holds. */
export function proofLength(index: bigint, size: bigint): number {
  let len = 0;
  while (size > 1n) {
    let k = 1n;
    while (k * 2n < size) k *= 2n;
    if (index < k) {
      size = k;
    } else {
      index -= k;
      size -= k;
    }
    len++;
  }
  return len;
}

/** The root an audit path leads to from `leaf` at `index` in a tree of `size` (RFC 9162). */
export async function rootFromInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
): Promise<Uint8Array> {
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  if (fn > sn) throw new ProofError(`leaf index ${index} is outside a tree of ${size} leaves`);
  const expected = proofLength(fn, sn + 1n);
  if (proof.length !== expected) {
    throw new ProofError(
      `the proof has ${proof.length} hashes, this leaf index and tree size need ${expected}`,
    );
  }
  let r = leaf;
  for (const p of proof) {
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return r;
}

/**
 * Verifies a `contribution_proof` answer: the leaf rebuilt from its fields is `leaf_hash`, and
 * the audit path leads from it to `root` (and `root` is `expectedRoot`, hex, when given).
 */
export async function verifyContributionProof(
  answer: ContributionProofAnswer,
  expectedRoot?: string,
): Promise<ContributionProofCheck> {
  try {
    const a = answer;
    if (a.format !== "event_log_v1") {
      throw new ProofError(`format ${a.format} cannot be verified: only event_log_v1 is provable`);
    }
    if (a.leaf.kind !== "accept") {
      throw new ProofError("a contribution is proven by its accept leaf");
    }
    if (a.leaf.datanet_id !== a.datanet_id || a.leaf.seq !== a.leaf_index) {
      throw new ProofError("the leaf is not the one the answer proves (datanet or index differ)");
    }
    const leaf = await versionLeafHash(a.leaf);
    if (toHex(leaf) !== a.leaf_hash.toLowerCase()) {
      throw new ProofError(
        `leaf_hash ${a.leaf_hash} is not the hash of the leaf's fields (${toHex(leaf)})`,
      );
    }
    const root = hash32("root", a.root);
    const expected = expectedRoot === undefined ? undefined : hash32("expected root", expectedRoot);
    if (expected !== undefined && toHex(expected) !== toHex(root)) {
      throw new ProofError(`the answer's root ${a.root} is not the expected root ${expectedRoot}`);
    }
    const proof = a.proof.map((h, i) => hash32(`proof[${i}]`, h));
    const computed = await rootFromInclusion(leaf, a.leaf_index, a.tree_size, proof);
    if (toHex(computed) !== toHex(root)) {
      throw new ProofError(`the proof leads to ${toHex(computed)}, not to the root ${toHex(root)}`);
    }
    return { valid: true, leafHash: toHex(leaf), root: toHex(root) };
  } catch (e) {
    // A malformed answer (a missing field, a wrong type) is not valid either.
    return { valid: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
