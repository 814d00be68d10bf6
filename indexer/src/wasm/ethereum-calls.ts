// ethereum.call, ethereum.getBalance and ethereum.hasCode with graph-node's semantics
// (chain/ethereum/src/runtime/runtime_adapter.rs, ethereum_adapter.rs contract_calls): the call is
// made against the state of the block being handled; the function is found in the data source's
// ABIs by contract name and graph-ts's signature `name(inputs):(outputs)`; a revert, an empty
// answer or an answer the ABI cannot decode returns null (graph-ts's `call` then aborts, `tryCall`
// reports `reverted`); any other node error is not the mapping's fault and is thrown as a
// retryable (non-deterministic) error. Successful answers are cached for the block, as graph-node's
// call cache keeps them by block hash (store/postgres/src/chain_store.rs set_call: only
// successful, non-empty results).
import { type Abi, type AbiFunction, type AbiParameter, decodeAbiParameters, encodeFunctionData, type Hex } from 'viem';
import { canonicalType } from '../manifest/manifest.js';
import { type AscMemory, TypeIndex } from './asc-memory.js';
import { DeterministicError } from './entity-cache.js';
import { readToken } from './ethereum-abi.js';
import { writeEthereumValue } from './ethereum-event.js';
import type { HostFunction } from './host-functions.js';

/** The block a trigger runs at. A null hash asks by number (the harness's synthetic blocks). */
export interface CallBlock {
  number: bigint;
  hash: string | null;
}

export interface CallRequest {
  address: Hex;
  data: Hex;
}

/** What `eth_call` answered: return data, or a revert (with the node's reason). */
export type CallOutcome = { data: Hex } | { reverted: string };

/**
 * Chain state at a block, as the host functions need it; src/chain implements it over JSON-RPC.
 * The synchronous methods block the thread until the node answers; errors other than reverts are
 * thrown and are never the mapping's fault.
 */
export interface EthereumChain {
  call(request: CallRequest, block: CallBlock): CallOutcome;
  /** Many calls at once, asynchronously: the declared calls prefetched before a block runs. */
  callAll(requests: CallRequest[], block: CallBlock): Promise<CallOutcome[]>;
  balance(address: Hex, block: CallBlock): bigint;
  code(address: Hex, block: CallBlock): Hex;
}

/** The node failed in a way that may pass (graph-node's PossibleReorg/Unknown): retry the block. */
export class EthereumCallRetry extends Error {}

/** One block's calls: the chain at that block and the successful answers so far. */
export class BlockCalls {
  private readonly results = new Map<string, Hex>();

  constructor(
    private readonly chain: EthereumChain | null,
    readonly block: CallBlock,
  ) {}

  private node(what: string): EthereumChain {
    if (!this.chain)
      throw new EthereumCallRetry(
        `${what} needs a JSON-RPC node: run the indexer with --rpc, or pass \`rpc\` to loadSubgraph()`,
      );
    return this.chain;
  }

  call(request: CallRequest): CallOutcome {
    const key = `${request.address}${request.data}`;
    const cached = this.results.get(key);
    if (cached !== undefined) return { data: cached };
    const outcome = this.node('ethereum.call').call(request, this.block);
    if ('data' in outcome && outcome.data !== '0x') this.results.set(key, outcome.data);
    return outcome;
  }

  /** Fetches `requests` ahead of the handlers (graph-node's declared calls); reverts are not kept. */
  async prefetch(requests: CallRequest[]): Promise<void> {
    const missing = new Map<string, CallRequest>();
    for (const r of requests) if (!this.results.has(`${r.address}${r.data}`)) missing.set(`${r.address}${r.data}`, r);
    if (missing.size === 0) return;
    const chain = this.node('a declared eth_call');
    let outcomes: CallOutcome[];
    try {
      outcomes = await chain.callAll([...missing.values()], this.block);
    } catch (error) {
      throw new EthereumCallRetry(
        `Ethereum node returned an error for the declared eth_calls of block #${this.block.number}: ${(error as Error).message}`,
      );
    }
    [...missing.keys()].forEach((key, i) => {
      const outcome = outcomes[i] as CallOutcome;
      if ('data' in outcome && outcome.data !== '0x') this.results.set(key, outcome.data);
    });
  }

  balance(address: Hex): bigint {
    return this.node('ethereum.getBalance').balance(address, this.block);
  }

  code(address: Hex): Hex {
    return this.node('ethereum.hasCode').code(address, this.block);
  }
}

/** What the ethereum host functions of one trigger act on. */
export interface EthereumCallEnv {
  calls: BlockCalls;
  /** The data source's `mapping.abis`, by name. */
  abis: Map<string, Abi>;
  apiVersion: string;
}

/** graph-node's `signature_compat` (graph/src/abi/function_ext.rs): `name(a,b):(c)`. */
export function signatureOf(fn: AbiFunction): string {
  const part = (params: readonly AbiParameter[]) => `(${params.map(canonicalType).join(',')})`;
  return `${fn.name}${part(fn.inputs)}${fn.outputs.length > 0 ? `:${part(fn.outputs)}` : ''}`;
}

const functionsByAbi = new WeakMap<Abi, Map<string, AbiFunction[]>>();

/** MappingABI::function (graph/src/data_source/common.rs): by name, then by signature. */
export function findFunction(abis: Map<string, Abi>, contract: string, name: string, signature: string | null) {
  const abi = abis.get(contract);
  if (!abi)
    throw new DeterministicError(
      `Could not find ABI for contract "${contract}", try adding it to the 'abis' section of the subgraph manifest`,
    );
  let byName = functionsByAbi.get(abi);
  if (!byName) {
    byName = new Map();
    for (const item of abi) {
      if (item.type !== 'function') continue;
      byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
    }
    functionsByAbi.set(abi, byName);
  }
  const candidates = byName.get(name);
  if (!candidates) throw new DeterministicError(`Unknown function "${contract}::${name}" called from WASM runtime`);
  const fn = signature === null ? candidates[0] : candidates.find((f) => signatureOf(f) === signature);
  if (!fn)
    throw new DeterministicError(
      `Unknown function "${contract}::${name}" with signature \`${signature}\` called from WASM runtime`,
    );
  return fn;
}

/** The ABI category of a type: ethabi's Token kinds, which is what graph-node type-checks. */
function category(type: string): string {
  if (type.endsWith(']')) return type.replace(/\[\d*\]$/, (suffix) => (suffix === '[]' ? '[]' : '[n]'));
  if (type === 'tuple' || type === 'address' || type === 'bool' || type === 'string' || type === 'bytes') return type;
  if (type.startsWith('bytes')) return 'bytesN';
  return type.startsWith('uint') ? 'uint' : type.startsWith('int') ? 'int' : type;
}

function typeMatches(value: AbiParameter, param: AbiParameter): boolean {
  if (category(value.type) !== category(param.type)) return false;
  const components = (p: AbiParameter) => (p as { components?: readonly AbiParameter[] }).components ?? [];
  const inner = components(param);
  return (
    inner.length === 0 ||
    inner.every((c, i) => components(value)[i] && typeMatches(components(value)[i] as AbiParameter, c))
  );
}

export function encodeCall(
  fn: AbiFunction,
  contract: string,
  args: Array<{ type: AbiParameter; value: unknown }>,
): Hex {
  const fail = (why: string): never => {
    throw new EthereumCallRetry(`Failed to call function "${fn.name}" of contract "${contract}": ${why}`);
  };
  if (args.length !== fn.inputs.length)
    fail(`unexpected number of values; expected ${fn.inputs.length}, got ${args.length}`);
  fn.inputs.forEach((input, i) => {
    const arg = args[i] as { type: AbiParameter };
    if (!typeMatches(arg.type, input)) fail(`type mismatch: expected '${input.type}', got '${arg.type.type}'`);
  });
  try {
    return encodeFunctionData({ abi: [fn], functionName: fn.name, args: args.map((a) => a.value) } as never);
  } catch (error) {
    return fail((error as Error).message.split('\n')[0] ?? 'cannot encode the arguments');
  }
}

/** Return data decoded with the function's outputs; null when it cannot be (a revert, for graph-node). */
export function decodeResult(fn: AbiFunction, data: Hex): unknown[] | null {
  try {
    return [...decodeAbiParameters(fn.outputs, data)];
  } catch {
    return null;
  }
}

const API_VERSION_0_0_9 = '0.0.9';

export function ethereumCallFunctions(
  env: () => { memory: AscMemory; ethereum: EthereumCallEnv },
): Record<string, HostFunction> {
  const address = (memory: AscMemory, ptr: number): Hex =>
    `0x${Buffer.from(memory.readBytes(ptr)).toString('hex')}` as Hex;
  const requireApi = (apiVersion: string, name: string) => {
    if (apiVersion < API_VERSION_0_0_9)
      throw new DeterministicError(`ethereum.${name} call is not supported before API version ${API_VERSION_0_0_9}`);
  };
  const nodeError = (what: string, error: unknown): never => {
    if (error instanceof DeterministicError || error instanceof EthereumCallRetry) throw error;
    throw new EthereumCallRetry(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
  /** getBalance / hasCode: apiVersion 0.0.9+, the account read at the block; any failure retried. */
  const readAccount = <T>(ptr: number, name: string, method: string, read: (calls: BlockCalls, at: Hex) => T): T => {
    const { memory, ethereum } = env();
    requireApi(ethereum.apiVersion, name);
    const target = address(memory, ptr);
    try {
      return read(ethereum.calls, target);
    } catch (error) {
      return nodeError(`${method} for ${target} failed`, error);
    }
  };
  return {
    'ethereum.call': (ptr) => {
      const { memory, ethereum } = env();
      // AscUnresolvedContractCall_0_0_4 (chain/ethereum/src/runtime/abi.rs): five pointers.
      const contract = memory.readString(memory.u32(ptr));
      const to = address(memory, memory.u32(ptr + 4));
      const name = memory.readString(memory.u32(ptr + 8));
      const signaturePtr = memory.u32(ptr + 12);
      const signature = signaturePtr === 0 ? null : memory.readString(signaturePtr);
      const args = memory.readArrayWords(memory.u32(ptr + 16)).map((item) => readToken(memory, item));
      const fn = findFunction(ethereum.abis, contract, name, signature);
      const data = encodeCall(fn, contract, args);
      let outcome: CallOutcome;
      try {
        outcome = ethereum.calls.call({ address: to, data });
      } catch (error) {
        return nodeError(
          `Ethereum node returned an error when calling function "${name}" of contract "${contract}"`,
          error,
        );
      }
      const values = 'data' in outcome ? decodeResult(fn, outcome.data) : null;
      if (values === null) return 0;
      return memory.writeArray(
        TypeIndex.ArrayEthereumValue,
        fn.outputs.map((output, i) => writeEthereumValue(memory, output, values[i])),
      );
    },
    'ethereum.getBalance': (ptr) => {
      const { memory } = env();
      return memory.writeBigInt(readAccount(ptr, 'getBalance', 'eth_getBalance', (calls, at) => calls.balance(at)));
    },
    'ethereum.hasCode': (ptr) => {
      const { memory } = env();
      const code = readAccount(ptr, 'hasCode', 'eth_getCode', (calls, at) => calls.code(at));
      return memory.writeObject(TypeIndex.WrappedBool, Uint8Array.of(code !== '0x' && code !== '0x0' ? 1 : 0));
    },
  };
}
