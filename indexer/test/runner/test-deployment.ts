// Stand-ins for the WASM host and the store, used to test the runner's own logic (ranges, reorgs,
// resume, failures, dynamic data sources) against a real chain until those parts land:
// - TestRuntime: "handlers" written in TypeScript over the emitter contract's logs;
// - FileStore: a versioned entity store kept in memory, written to a JSON file atomically
//   (temp file + rename) on every transaction, so a killed process resumes from its last one.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { keccak256, toHex } from 'viem';
import type { LogFilter } from '../../src/chain/chain-source.js';
import type {
  BlockChanges,
  BlockOutcome,
  ChainBlock,
  DeploymentStore,
  DynamicDataSource,
  EntityReader,
  FatalError,
  StoredEntity,
  SubgraphRuntime,
} from '../../src/runner/ports.js';
import type { BlockPtr, Entity, EntityChange, Value } from '../../src/schema/value.js';

export const VALUE_TOPIC = keccak256(toHex('Value(uint256)'));
export const CREATE_TOPIC = keccak256(toHex('Create(uint256)'));
/** A Value with this amount makes the handler fail deterministically. */
export const CURSED = 666n;

export class TestRuntime implements SubgraphRuntime {
  readonly network = 'localhost';
  readonly needsEveryBlock = false;
  readonly needsReceipts = false;
  private dynamic: DynamicDataSource[] = [];

  constructor(
    private readonly factory: string,
    readonly startBlock: number,
  ) {}

  logFilter(): LogFilter {
    return { addresses: [this.factory, ...this.dynamic.map((d) => d.address)], topic0: [VALUE_TOPIC, CREATE_TOPIC] };
  }

  setDynamicDataSources(dataSources: DynamicDataSource[]): void {
    this.dynamic = [...dataSources];
  }

  async processBlock(block: ChainBlock, state: EntityReader): Promise<BlockOutcome> {
    const changes = new Map<string, EntityChange>();
    const read = (type: string, id: string): Entity | null => {
      const pending = changes.get(`${type}/${id}`);
      if (pending) return pending.op === 'set' ? pending.data : null;
      return state.get(type, id);
    };
    const set = (type: string, id: string, data: Entity) =>
      changes.set(`${type}/${id}`, { op: 'set', entityType: type, id, data });
    const created: DynamicDataSource[] = [];
    for (const log of block.logs) {
      const emitter = log.address.toLowerCase();
      const word = BigInt(log.data);
      if (log.topics[0] === CREATE_TOPIC && emitter === this.factory) {
        const address = `0x${word.toString(16).padStart(40, '0')}`;
        if (!this.dynamic.some((d) => d.address === address) && !created.some((d) => d.address === address)) {
          created.push({ template: 'Child', address, context: null, startBlock: block.ptr.number });
        }
        continue;
      }
      if (log.topics[0] !== VALUE_TOPIC) continue;
      if (word === CURSED) {
        return {
          changes: [],
          createdDataSources: [],
          failure: { message: `value ${word} is cursed`, handler: 'handleValue' },
          triggers: 1,
        };
      }
      set(
        'Event',
        `${block.ptr.number}-${Number(log.logIndex)}`,
        entity({ value: big(word), block: int(block.ptr.number), emitter: str(emitter) }),
      );
      const total = read('Total', emitter);
      const sum = (total?.get('sum') as { value: bigint } | undefined)?.value ?? 0n;
      const count = (total?.get('count') as { value: number } | undefined)?.value ?? 0;
      set('Total', emitter, entity({ sum: big(sum + word), count: int(count + 1) }));
    }
    this.dynamic.push(...created);
    return { changes: [...changes.values()], createdDataSources: created, failure: null, triggers: block.logs.length };
  }
}

const big = (value: bigint): Value => ({ kind: 'BigInt', value });
const int = (value: number): Value => ({ kind: 'Int', value });
const str = (value: string): Value => ({ kind: 'String', value });
const entity = (fields: Record<string, Value>): Entity => new Map(Object.entries(fields));

interface Version {
  entityType: string;
  id: string;
  data: Entity | null;
  block: number;
}

interface Saved {
  head: BlockPtr | null;
  versions: Version[];
  dataSources: DynamicDataSource[];
  fatal: FatalError | null;
}

export class FileStore implements DeploymentStore {
  private saved: Saved = { head: null, versions: [], dataSources: [], fatal: null };
  transactions = 0;

  constructor(private readonly path: string | null) {
    if (path && existsSync(path)) this.saved = JSON.parse(readFileSync(path, 'utf8'), revive) as Saved;
  }

  async head(): Promise<BlockPtr | null> {
    return this.saved.head;
  }

  async currentEntities(): Promise<StoredEntity[]> {
    const latest = new Map<string, Version>();
    for (const version of this.saved.versions) latest.set(`${version.entityType}/${version.id}`, version);
    return [...latest.values()]
      .filter((v) => v.data !== null)
      .map((v) => ({ entityType: v.entityType, id: v.id, data: v.data as Entity }));
  }

  async dynamicDataSources(): Promise<DynamicDataSource[]> {
    return [...this.saved.dataSources];
  }

  async transact(blocks: BlockChanges[], dataSources: DynamicDataSource[], head: BlockPtr): Promise<void> {
    for (const { block, changes } of blocks) {
      for (const change of changes) {
        this.saved.versions.push({
          entityType: change.entityType,
          id: change.id,
          data: change.op === 'set' ? change.data : null,
          block: block.number,
        });
      }
    }
    this.saved.dataSources.push(...dataSources);
    this.saved.head = head;
    this.transactions += 1;
    this.save();
  }

  async revertTo(block: BlockPtr): Promise<void> {
    this.saved.versions = this.saved.versions.filter((v) => v.block <= block.number);
    this.saved.dataSources = this.saved.dataSources.filter((d) => d.startBlock <= block.number);
    if (this.saved.fatal && this.saved.fatal.block.number > block.number) this.saved.fatal = null;
    this.saved.head = block;
    this.save();
  }

  async fail(error: FatalError): Promise<void> {
    this.saved.fatal = error;
    this.saved.head = error.block;
    this.save();
  }

  async fatalError(): Promise<FatalError | null> {
    return this.saved.fatal;
  }

  async close(): Promise<void> {}

  /** Current entities as plain JSON text, sorted: for comparing two runs. */
  async snapshot(): Promise<string> {
    const rows = (await this.currentEntities()).map((e) => ({
      type: e.entityType,
      id: e.id,
      data: Object.fromEntries(e.data),
    }));
    rows.sort((a, b) => `${a.type}/${a.id}`.localeCompare(`${b.type}/${b.id}`));
    return JSON.stringify(rows, replace);
  }

  private save(): void {
    if (!this.path) return;
    writeFileSync(`${this.path}.tmp`, JSON.stringify(this.saved, replace));
    renameSync(`${this.path}.tmp`, this.path);
  }
}

function replace(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // The holder's own value: a Buffer's toJSON() has already turned `value` into a plain object.
  const raw = this[key];
  if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('hex') };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Map) return { $map: [...value.entries()] };
  return value;
}

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$bigint' in value) return BigInt((value as { $bigint: string }).$bigint);
  if (value && typeof value === 'object' && '$map' in value)
    return new Map((value as { $map: [string, unknown][] }).$map);
  if (value && typeof value === 'object' && '$bytes' in value) {
    return new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'hex'));
  }
  return value;
}
