// Loads what `graph build` writes (build/subgraph.yaml, its WASM, ABIs and schema) and checks it,
// naming the file, the field and what was expected when something is wrong.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Abi, type AbiEvent, keccak256, toBytes, toEventSelector } from 'viem';
import { parse as parseYaml } from 'yaml';
import { type DeclaredCall, parseDeclaredCalls } from './declared-calls.js';

export class ManifestError extends Error {}

export interface EventHandler {
  /** The manifest's signature, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  event: string;
  handler: string;
  topic0: `0x${string}`;
  /** topic1..topic3 filters (any-of lists), lower-case hex words. */
  topicFilters: Array<Array<`0x${string}`> | null>;
  receipt: boolean;
  abiEvent: AbiEvent;
  /** `calls:` (specVersion 1.2.0+): eth_calls fetched before the block's handlers run. */
  declaredCalls: DeclaredCall[];
}

export interface BlockHandler {
  handler: string;
  filter: { kind: 'call' } | { kind: 'polling'; every: number } | { kind: 'once' } | null;
}

export interface DataSourceSpec {
  kind: string;
  name: string;
  network: string;
  /** Lower-case address; null for templates and wildcard data sources. */
  address: string | null;
  abi: string;
  startBlock: number;
  endBlock: number | null;
  apiVersion: string;
  entities: string[];
  abis: Map<string, Abi>;
  eventHandlers: EventHandler[];
  blockHandlers: BlockHandler[];
  callHandlers: Array<{ function: string; handler: string }>;
  /** Absolute path of the compiled mapping. */
  wasmFile: string;
}

export interface Manifest {
  file: string;
  specVersion: string;
  schemaFile: string;
  schema: string;
  dataSources: DataSourceSpec[];
  templates: DataSourceSpec[];
  pruneNever: boolean;
}

type Yaml = Record<string, unknown>;

export function loadManifest(path: string): Manifest {
  let file = resolve(path);
  if (existsSync(file) && statSync(file).isDirectory()) {
    file = existsSync(join(file, 'build', 'subgraph.yaml'))
      ? join(file, 'build', 'subgraph.yaml')
      : join(file, 'subgraph.yaml');
  }
  if (!existsSync(file)) throw new ManifestError(`${file}: no such manifest; run \`graph build\` first`);
  const base = dirname(file);
  let document: Yaml;
  try {
    document = parseYaml(readFileSync(file, 'utf8')) as Yaml;
  } catch (error) {
    throw new ManifestError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const fail = (field: string, expected: string): never => {
    throw new ManifestError(`${file}: \`${field}\` ${expected}`);
  };
  const str = (value: unknown, field: string): string =>
    typeof value === 'string' && value.length > 0 ? value : fail(field, 'must be a non-empty string');
  const obj = (value: unknown, field: string): Yaml =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Yaml) : fail(field, 'must be a mapping');
  const list = (value: unknown, field: string): unknown[] =>
    value === undefined ? [] : Array.isArray(value) ? value : fail(field, 'must be a list');
  const readPath = (relative: string, field: string) => {
    const full = join(base, relative);
    if (!existsSync(full)) fail(field, `points at ${full}, which does not exist`);
    return full;
  };

  const schemaFile = readPath(str(obj(document.schema, 'schema').file, 'schema.file'), 'schema.file');
  const specVersion = str(document.specVersion, 'specVersion');

  const dataSource = (raw: unknown, field: string, template: boolean): DataSourceSpec => {
    const ds = obj(raw, field);
    const kind = str(ds.kind, `${field}.kind`);
    if (kind !== 'ethereum/contract' && kind !== 'ethereum') {
      fail(`${field}.kind`, `is "${kind}"; this indexer runs ethereum data sources`);
    }
    const name = str(ds.name, `${field}.name`);
    const source = obj(ds.source, `${field}.source`);
    const mapping = obj(ds.mapping, `${field}.mapping`);
    const abiName = str(source.abi, `${field}.source.abi`);
    const address = source.address === undefined || template ? null : str(source.address, `${field}.source.address`);
    if (address !== null && !/^0x[0-9a-fA-F]{40}$/.test(address))
      fail(`${field}.source.address`, 'must be a 20-byte hex address');
    const abis = new Map<string, Abi>();
    list(mapping.abis, `${field}.mapping.abis`).forEach((entry, i) => {
      const abiEntry = obj(entry, `${field}.mapping.abis[${i}]`);
      const abiFile = readPath(
        str(abiEntry.file, `${field}.mapping.abis[${i}].file`),
        `${field}.mapping.abis[${i}].file`,
      );
      try {
        const parsed = JSON.parse(readFileSync(abiFile, 'utf8'));
        abis.set(str(abiEntry.name, `${field}.mapping.abis[${i}].name`), Array.isArray(parsed) ? parsed : parsed.abi);
      } catch {
        fail(`${field}.mapping.abis[${i}].file`, `(${abiFile}) must hold a JSON ABI`);
      }
    });
    const abi =
      abis.get(abiName) ?? fail(`${field}.source.abi`, `names ABI "${abiName}", which mapping.abis does not list`);
    const eventHandlers = list(mapping.eventHandlers, `${field}.mapping.eventHandlers`).map((entry, i) => {
      const at = `${field}.mapping.eventHandlers[${i}]`;
      const h = obj(entry, at);
      const event = str(h.event, `${at}.event`);
      const abiEvent = findAbiEvent(abi, event) ?? fail(`${at}.event`, `"${event}" matches no event of ABI ${abiName}`);
      const topic0 = (
        h.topic0 ? str(h.topic0, `${at}.topic0`) : keccak256(toBytes(event.replace(/indexed /g, '').replace(/ /g, '')))
      ) as `0x${string}`;
      const topicFilters = [1, 2, 3].map((n) => {
        const value = h[`topic${n}`];
        if (value === undefined) return null;
        return list(value, `${at}.topic${n}`).map((t) => String(t).toLowerCase() as `0x${string}`);
      });
      return {
        event,
        handler: str(h.handler, `${at}.handler`),
        topic0: topic0.toLowerCase() as `0x${string}`,
        topicFilters,
        receipt: h.receipt === true,
        abiEvent,
        declaredCalls: parseDeclaredCalls(h.calls, abis, abiEvent, specVersion, (detail) =>
          fail(`${at}.calls`, detail),
        ),
      };
    });
    const apiVersion = str(mapping.apiVersion, `${field}.mapping.apiVersion`);
    if (eventHandlers.some((h) => h.receipt) && apiVersion < '0.0.7')
      fail(`${field}.mapping.apiVersion`, 'must be 0.0.7 or later for `receipt: true`');
    const blockHandlers = list(mapping.blockHandlers, `${field}.mapping.blockHandlers`).map((entry, i) => {
      const h = obj(entry, `${field}.mapping.blockHandlers[${i}]`);
      const filter = h.filter as Yaml | undefined;
      let parsed: BlockHandler['filter'] = null;
      if (filter?.kind === 'call') parsed = { kind: 'call' };
      else if (filter?.kind === 'once') parsed = { kind: 'once' };
      else if (filter?.kind === 'polling') parsed = { kind: 'polling', every: Number(filter.every) };
      else if (filter) fail(`${field}.mapping.blockHandlers[${i}].filter.kind`, 'must be call, once or polling');
      return { handler: str(h.handler, `${field}.mapping.blockHandlers[${i}].handler`), filter: parsed };
    });
    const callHandlers = list(mapping.callHandlers, `${field}.mapping.callHandlers`).map((entry, i) => {
      const h = obj(entry, `${field}.mapping.callHandlers[${i}]`);
      return {
        function: str(h.function, `${field}.mapping.callHandlers[${i}].function`),
        handler: str(h.handler, `${field}.mapping.callHandlers[${i}].handler`),
      };
    });
    return {
      kind,
      name,
      network: str(ds.network, `${field}.network`),
      address: address?.toLowerCase() ?? null,
      abi: abiName,
      startBlock: typeof source.startBlock === 'number' ? source.startBlock : 0,
      endBlock: typeof source.endBlock === 'number' ? source.endBlock : null,
      apiVersion,
      entities: list(mapping.entities, `${field}.mapping.entities`).map((e, i) =>
        str(e, `${field}.mapping.entities[${i}]`),
      ),
      abis,
      eventHandlers,
      blockHandlers,
      callHandlers,
      wasmFile: readPath(str(mapping.file, `${field}.mapping.file`), `${field}.mapping.file`),
    };
  };

  const dataSources = list(document.dataSources, 'dataSources').map((d, i) =>
    dataSource(d, `dataSources[${i}]`, false),
  );
  if (dataSources.length === 0) fail('dataSources', 'must list at least one data source');
  const templates = list(document.templates, 'templates').map((d, i) => dataSource(d, `templates[${i}]`, true));
  const hints = document.indexerHints as Yaml | undefined;
  return {
    file,
    specVersion,
    schemaFile,
    schema: readFileSync(schemaFile, 'utf8'),
    dataSources,
    templates,
    pruneNever: hints?.prune === 'never',
  };
}

/** The ABI event a manifest signature names: exact match with `indexed` hints, else the unique same-name event. */
export function findAbiEvent(abi: Abi, signature: string): AbiEvent | undefined {
  const events = abi.filter((item): item is AbiEvent => item.type === 'event');
  const name = signature.slice(0, signature.indexOf('('));
  const withIndexed = (e: AbiEvent) =>
    `${e.name}(${e.inputs.map((i) => `${i.indexed ? 'indexed ' : ''}${canonicalType(i)}`).join(',')})`;
  const normalized = signature.replace(/\s+/g, ' ').replace(/, /g, ',');
  const exact = events.find((e) => withIndexed(e) === normalized);
  if (exact) return exact;
  const sameName = events.filter((e) => e.name === name);
  const plain = normalized.replace(/indexed /g, '');
  return (
    sameName.find((e) => toEventSelector(e) === toEventSelector(`event ${plain}`)) ??
    (sameName.length === 1 ? sameName[0] : undefined)
  );
}

/** A parameter's type as selectors spell it: tuples as `(a,b)`, array suffixes kept. */
export function canonicalType(param: { type: string; components?: readonly { type: string }[] }): string {
  if (param.type.startsWith('tuple')) {
    return `(${(param.components ?? []).map((c) => canonicalType(c)).join(',')})${param.type.slice(5)}`;
  }
  return param.type;
}
