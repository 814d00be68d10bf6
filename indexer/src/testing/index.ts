// Handler test harness: load a built subgraph, feed it events built from its ABIs, read entities.
// Each event is ABI-encoded into a real log and goes through the same decoding and dispatch as
// indexing does; events with the same block number share a block, as graph-node sees them.
import {
  type AbiEvent,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  keccak256,
  type RpcBlock,
  type RpcLog,
  type RpcTransaction,
  toHex,
} from 'viem';
import { RpcEthereumChain } from '../chain/ethereum-chain.js';
import { RpcClient } from '../chain/rpc-client.js';
import type { Entity, EntityId, Value } from '../schema/value.js';
import type { EntityReader } from '../wasm/entity-cache.js';
import { type BlockSession, HandlerError, SubgraphRuntime } from '../wasm/subgraph-runtime.js';

export { HandlerError };

const ZERO_ADDRESS = `0x${'0'.repeat(40)}`;

export interface HarnessEvent {
  /** Data source or template name whose ABI encodes the event. */
  dataSource: string;
  address: string;
  /** Event name, or a full signature when the ABI overloads the name. */
  event: string;
  args: Record<string, unknown>;
  block?: { number: number; timestamp?: number };
  logIndex?: number;
  transaction?: { hash?: string; from?: string; to?: string };
}

export type PlainValue = string | number | bigint | boolean | null | PlainValue[];

export function plain(value: Value): PlainValue {
  switch (value.kind) {
    case 'Bytes':
      return `0x${Buffer.from(value.value).toString('hex')}`;
    case 'List':
      return value.value.map(plain);
    case 'Null':
      return null;
    default:
      return value.value;
  }
}

class CommittedState implements EntityReader {
  readonly tables = new Map<string, Map<EntityId, Entity>>();

  get(entityType: string, id: EntityId): Entity | null {
    return this.tables.get(entityType)?.get(id) ?? null;
  }

  all(entityType: string): Iterable<Entity> {
    return this.tables.get(entityType)?.values() ?? [];
  }
}

/** Bytes ids are canonical lower-case hex; other ids are taken as they are. */
function canonicalId(id: string): string {
  return /^0x[0-9a-fA-F]*$/.test(id) ? id.toLowerCase() : id;
}

export class SubgraphHarness {
  /** The entities committed by the blocks fed so far (an EntityReader). */
  readonly state = new CommittedState();
  private session: BlockSession | null = null;
  private blockNumber = 0;
  private blockTimestamp = 0;
  private nextLogIndex = 0;
  private blockHash: Hex = '0x';
  private transactions: RpcTransaction[] = [];

  /** With a node, blocks are the node's own (hash, parent, timestamp) and `ethereum.call` reads it. */
  private readonly node: RpcClient | null;

  constructor(
    readonly runtime: SubgraphRuntime,
    rpc?: string,
  ) {
    this.node = rpc ? new RpcClient({ url: rpc }) : null;
    if (rpc) runtime.chain = new RpcEthereumChain(rpc);
  }

  /** Runs the handlers of one event; rejects with a HandlerError naming handler, block and message. */
  async handleEvent(input: HarnessEvent): Promise<void> {
    const number = input.block?.number ?? Math.max(this.blockNumber, 1);
    if (number < this.blockNumber)
      throw new Error(`block ${number} comes before block ${this.blockNumber}: feed blocks in order`);
    if (number !== this.blockNumber || !this.session) await this.openBlock(number, input.block?.timestamp);
    const session = this.session as BlockSession;
    const log = this.encode(input, number);
    if (input.transaction?.from || input.transaction?.to) {
      // What `event.transaction.from/to` read (the block's transactions are looked up by hash).
      this.transactions.push({
        hash: log.transactionHash,
        from: (input.transaction.from ?? ZERO_ADDRESS).toLowerCase(),
        to: (input.transaction.to ?? input.address).toLowerCase(),
      } as RpcTransaction);
    }
    if (this.runtime.hasDeclaredCalls && this.runtime.chain) await session.prefetchDeclaredCalls([log]);
    const result = session.run(() => session.runLogEverywhere(log));
    if (result.failure) {
      // As in graph-node, a deterministic failure drops the whole block.
      this.session = null;
      throw new HandlerError(result.failure.message, result.failure.handler ?? '');
    }
  }

  private async openBlock(number: number, timestamp?: number): Promise<void> {
    this.commit();
    const raw = this.node ? await this.nodeBlock(number) : this.syntheticBlock(number, timestamp);
    const hash = raw.hash as Hex;
    this.blockNumber = number;
    this.blockTimestamp = Number(BigInt(raw.timestamp));
    this.blockHash = hash;
    this.transactions = raw.transactions as RpcTransaction[];
    this.nextLogIndex = 0;
    this.session = this.runtime.openBlock(
      {
        ptr: { number, hash, parentHash: raw.parentHash as string, timestamp: this.blockTimestamp },
        raw,
        logs: [],
        receipts: new Map(),
      },
      this.state,
    );
  }

  private syntheticBlock(number: number, timestamp?: number): RpcBlock {
    const time = timestamp ?? Math.max(this.blockTimestamp + 12, 1_700_000_000 + number * 12);
    return {
      hash: keccak256(toHex(`block ${number}`)),
      parentHash: keccak256(toHex(`block ${number - 1}`)),
      number: toHex(number),
      timestamp: toHex(time),
      transactions: [],
    } as unknown as RpcBlock;
  }

  private async nodeBlock(number: number): Promise<RpcBlock> {
    const node = this.node as RpcClient;
    const block = await node.request<RpcBlock | null>('eth_getBlockByNumber', [toHex(number), false]);
    if (!block) throw new Error(`block ${number} does not exist on ${node.url} yet: feed events at mined blocks`);
    return { ...block, transactions: [] };
  }

  /** Ends the current block: its changes become the committed state. */
  commit(): void {
    if (!this.session) return;
    for (const change of this.session.finish().changes) {
      let table = this.state.tables.get(change.entityType);
      if (!table) {
        table = new Map();
        this.state.tables.set(change.entityType, table);
      }
      if (change.op === 'set') table.set(change.id, change.data);
      else table.delete(change.id);
    }
    this.session = null;
  }

  private encode(input: HarnessEvent, blockNumber: number): RpcLog {
    const spec = [...this.runtime.manifest.dataSources, ...this.runtime.manifest.templates].find(
      (ds) => ds.name === input.dataSource,
    );
    if (!spec) throw new Error(`no data source or template named "${input.dataSource}" in the manifest`);
    const events = [...(spec.abis.get(spec.abi) ?? [])].filter((item): item is AbiEvent => item.type === 'event');
    const abiEvent =
      spec.eventHandlers.find((h) => h.event === input.event)?.abiEvent ?? events.find((e) => e.name === input.event);
    if (!abiEvent) throw new Error(`ABI ${spec.abi} has no event "${input.event}"`);
    const missing = abiEvent.inputs.filter((i) => !(String(i.name) in input.args)).map((i) => i.name);
    if (missing.length > 0) throw new Error(`${abiEvent.name} needs args: ${missing.join(', ')}`);
    const indexedArgs = Object.fromEntries(
      abiEvent.inputs.filter((i) => i.indexed).map((i) => [i.name, input.args[String(i.name)]]),
    );
    const topics = encodeEventTopics({
      abi: [abiEvent],
      eventName: abiEvent.name,
      args: indexedArgs,
    } as never) as Hex[];
    const dataInputs = abiEvent.inputs.filter((i) => !i.indexed);
    const data = encodeAbiParameters(
      dataInputs,
      dataInputs.map((i) => input.args[String(i.name)]),
    );
    const logIndex = input.logIndex ?? this.nextLogIndex;
    this.nextLogIndex = logIndex + 1;
    const txHash = (input.transaction?.hash ?? keccak256(toHex(`tx ${blockNumber} ${logIndex}`))) as Hex;
    return {
      address: input.address.toLowerCase() as Hex,
      topics: topics as [Hex, ...Hex[]],
      data,
      blockNumber: toHex(blockNumber),
      blockHash: this.blockHash,
      transactionHash: txHash,
      transactionIndex: '0x0',
      logIndex: toHex(logIndex),
      removed: false,
    } as RpcLog;
  }

  /** Field values as JS values; unset nullable fields read as null, as GraphQL shows them. */
  private plainEntity(entityType: string, entity: Entity): Record<string, PlainValue> {
    const fields = this.runtime.schema.entityTypes.get(entityType)?.fields ?? [];
    const result: Record<string, PlainValue> = {};
    for (const field of fields) if (!field.derivedFrom) result[field.name] = null;
    for (const [key, value] of entity) result[key] = plain(value);
    return result;
  }

  /** The entity as handlers see it now (this block's changes included), or null. */
  get(entityType: string, id: string): Record<string, PlainValue> | null {
    const entity = this.session
      ? this.session.cache.get(entityType, canonicalId(id))
      : this.state.get(entityType, canonicalId(id));
    return entity ? this.plainEntity(entityType, entity) : null;
  }

  /** Every current entity of a type. */
  all(entityType: string): Array<Record<string, PlainValue>> {
    this.commit();
    return [...this.state.all(entityType)].map((entity) => this.plainEntity(entityType, entity));
  }

  dataSources(): Array<{ template: string; address: string; context: unknown; startBlock: number }> {
    return this.runtime.dynamic.flatMap((ds) => (ds.dynamic ? [ds.dynamic] : []));
  }
}

export interface LoadSubgraphOptions {
  /** The built manifest (`build/subgraph.yaml`). */
  manifest: string;
  /**
   * A JSON-RPC node (e.g. a local Hardhat chain): blocks then take the node's hash and timestamp,
   * and `ethereum.call` / `getBalance` / `hasCode` read its state at the event's block.
   */
  rpc?: string;
}

export async function loadSubgraph(options: LoadSubgraphOptions): Promise<SubgraphHarness> {
  return new SubgraphHarness(SubgraphRuntime.load(options.manifest), options.rpc);
}
