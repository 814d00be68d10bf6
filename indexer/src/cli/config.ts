// Turns flags, environment variables and an optional config file into what `indexer run` and
// `indexer reset` need. Every user mistake becomes a UsageError with one line saying what is wrong
// and how to fix it. Precedence: flag > environment variable > config file > default.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface DeploymentConfig {
  /** Subgraph name in GraphQL URLs: /subgraphs/name/<name>. */
  name: string;
  /** Absolute path of the built manifest (build/subgraph.yaml). */
  manifest: string;
  rpc: string;
  /** Network name the manifest's data sources must use; defaults to the manifest's own. */
  network: string | null;
  finalityDepth: number;
  pollIntervalMs: number;
  /** Most blocks in one eth_getLogs range and store transaction (default: the runner's). */
  maxRangeBlocks?: number;
}

export interface IndexerConfig {
  deployments: DeploymentConfig[];
  /** PGlite data directory (used when no Postgres URL). */
  dataDir: string;
  postgresUrl: string | null;
  host: string;
  port: number;
  statusPort: number;
  metricsPort: number;
  /** Print the progress line while catching up. */
  progress: boolean;
}

export const flags = {
  subgraph: {
    type: 'string',
    env: 'INDEXER_SUBGRAPH',
    help: 'subgraph directory holding build/subgraph.yaml, or the built subgraph.yaml itself',
  },
  rpc: { type: 'string', env: 'INDEXER_RPC_URL', help: 'JSON-RPC URL of the chain (http or https)' },
  name: {
    type: 'string',
    env: 'INDEXER_SUBGRAPH_NAME',
    help: 'subgraph name for /subgraphs/name/<name> (default: the subgraph directory name)',
  },
  network: {
    type: 'string',
    env: 'INDEXER_NETWORK',
    help: "network the data sources must be on (default: the manifest's network)",
  },
  data: { type: 'string', env: 'INDEXER_DATA_DIR', help: 'PGlite data directory (default: ./.indexer-data)' },
  'postgres-url': {
    type: 'string',
    env: 'INDEXER_POSTGRES_URL',
    help: 'use this PostgreSQL database instead of PGlite',
  },
  host: { type: 'string', env: 'INDEXER_HOST', help: 'interface the servers listen on (default: 127.0.0.1)' },
  port: { type: 'string', env: 'INDEXER_PORT', help: 'GraphQL port (default: 8000)' },
  'status-port': { type: 'string', env: 'INDEXER_STATUS_PORT', help: 'index-node status API port (default: 8030)' },
  'metrics-port': { type: 'string', env: 'INDEXER_METRICS_PORT', help: 'Prometheus metrics port (default: 8040)' },
  'finality-depth': {
    type: 'string',
    env: 'INDEXER_FINALITY_DEPTH',
    help: 'blocks below the head that can still be reorganised (default: 12)',
  },
  'max-range': {
    type: 'string',
    env: 'INDEXER_MAX_RANGE_BLOCKS',
    help: 'most blocks per eth_getLogs range and store transaction (default: 100000; 1000 with block handlers)',
  },
  'poll-interval': {
    type: 'string',
    env: 'INDEXER_POLL_INTERVAL_MS',
    help: 'milliseconds between head polls once synced (default: 1000)',
  },
  config: { type: 'string', env: 'INDEXER_CONFIG', help: 'YAML/JSON file listing several deployments (see README)' },
  'no-progress': { type: 'boolean', env: 'INDEXER_NO_PROGRESS', help: 'do not print the progress line' },
  help: { type: 'boolean', env: null, help: 'show this help' },
} as const;

type FlagName = keyof typeof flags;
type FlagValues = Partial<Record<FlagName, string | boolean>>;

export function parseFlags(args: string[]): FlagValues {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [
      name,
      { type: spec.type, ...(name === 'help' ? { short: 'h' } : {}) },
    ]),
  ) as Record<FlagName, { type: 'string' | 'boolean' }>;
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see indexer --help`);
    return values as FlagValues;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${(message ?? '').replace(/\. To specify.*$/, '')}; see indexer --help`);
  }
}

/** A flag's value, else its environment variable. */
function pick(values: FlagValues, env: NodeJS.ProcessEnv, name: FlagName): string | undefined {
  const value = values[name];
  if (typeof value === 'string') return value;
  if (value === true) return 'true';
  const envName = flags[name].env;
  return envName ? env[envName] || undefined : undefined;
}

interface ConfigFile {
  data?: string;
  postgresUrl?: string;
  host?: string;
  port?: number;
  statusPort?: number;
  metricsPort?: number;
  deployments?: Array<{
    name?: string;
    subgraph?: string;
    rpc?: string;
    network?: string;
    finalityDepth?: number;
    pollIntervalMs?: number;
  }>;
}

export function resolveConfig(args: string[], env: NodeJS.ProcessEnv, cwd: string): IndexerConfig {
  const values = parseFlags(args);
  const configPath = pick(values, env, 'config');
  const file = configPath ? readConfigFile(resolve(cwd, configPath)) : null;
  const fileDir = configPath ? dirname(resolve(cwd, configPath)) : cwd;

  const finalityDepth = integer(pick(values, env, 'finality-depth'), 'finality-depth', 12, 0);
  const pollIntervalMs = integer(pick(values, env, 'poll-interval'), 'poll-interval', 1000, 10);
  const maxRangeFlag = pick(values, env, 'max-range');
  const maxRangeBlocks = maxRangeFlag === undefined ? undefined : integer(maxRangeFlag, 'max-range', 0, 1);
  const subgraphFlag = pick(values, env, 'subgraph');
  const deployments: DeploymentConfig[] = [];
  if (file?.deployments && !subgraphFlag) {
    if (!Array.isArray(file.deployments) || file.deployments.length === 0) {
      throw new UsageError(`${configPath}: "deployments" must be a non-empty list`);
    }
    file.deployments.forEach((entry, i) => {
      const where = `${configPath}: deployments[${i}]`;
      if (!entry.subgraph) throw new UsageError(`${where} has no "subgraph" (directory or subgraph.yaml)`);
      if (!entry.rpc) throw new UsageError(`${where} has no "rpc" URL`);
      const manifest = findManifest(resolve(fileDir, entry.subgraph), where);
      deployments.push({
        name: validName(entry.name ?? defaultName(manifest), where),
        manifest,
        rpc: rpcUrl(entry.rpc, where),
        network: entry.network ?? null,
        finalityDepth: entry.finalityDepth ?? finalityDepth,
        pollIntervalMs: entry.pollIntervalMs ?? pollIntervalMs,
        ...(maxRangeBlocks === undefined ? {} : { maxRangeBlocks }),
      });
    });
  } else {
    if (!subgraphFlag)
      throw new UsageError('missing --subgraph <dir or subgraph.yaml> (or --config <file>); see indexer --help');
    const rpc = pick(values, env, 'rpc');
    if (!rpc) throw new UsageError('missing --rpc <url> (or INDEXER_RPC_URL), e.g. --rpc http://127.0.0.1:8545');
    const manifest = findManifest(resolve(cwd, subgraphFlag), '--subgraph');
    deployments.push({
      name: validName(pick(values, env, 'name') ?? defaultName(manifest), '--name'),
      manifest,
      rpc: rpcUrl(rpc, '--rpc'),
      network: pick(values, env, 'network') ?? null,
      finalityDepth,
      pollIntervalMs,
      ...(maxRangeBlocks === undefined ? {} : { maxRangeBlocks }),
    });
  }
  const names = new Set<string>();
  for (const d of deployments) {
    if (names.has(d.name)) throw new UsageError(`two deployments are named "${d.name}"; give each its own name`);
    names.add(d.name);
  }

  const dataFlag = pick(values, env, 'data');
  return {
    deployments,
    dataDir: dataFlag
      ? resolve(cwd, dataFlag)
      : file?.data
        ? resolve(fileDir, file.data)
        : resolve(cwd, '.indexer-data'),
    postgresUrl: pick(values, env, 'postgres-url') ?? file?.postgresUrl ?? null,
    host: pick(values, env, 'host') ?? file?.host ?? '127.0.0.1',
    port: port(pick(values, env, 'port') ?? file?.port, 'port', 8000),
    statusPort: port(pick(values, env, 'status-port') ?? file?.statusPort, 'status-port', 8030),
    metricsPort: port(pick(values, env, 'metrics-port') ?? file?.metricsPort, 'metrics-port', 8040),
    progress: pick(values, env, 'no-progress') === undefined,
  };
}

function readConfigFile(path: string): ConfigFile {
  if (!existsSync(path)) throw new UsageError(`config file ${path} does not exist`);
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    const first = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`config file ${path} is not valid YAML/JSON: ${first}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file ${path} must hold a mapping with a "deployments" list`);
  }
  return parsed as ConfigFile;
}

function findManifest(path: string, where: string): string {
  if (!existsSync(path)) throw new UsageError(`${where}: ${path} does not exist`);
  if (statSync(path).isFile()) return path;
  const built = join(path, 'build', 'subgraph.yaml');
  if (existsSync(built)) return built;
  if (existsSync(join(path, 'subgraph.yaml'))) {
    throw new UsageError(`${where}: ${path} is not built; run \`graph codegen && graph build\` there first`);
  }
  throw new UsageError(`${where}: ${path} has no build/subgraph.yaml`);
}

function defaultName(manifest: string): string {
  const dir = dirname(manifest);
  const project = dir.endsWith('/build') ? dirname(dir) : dir;
  return project.split('/').pop() || 'subgraph';
}

function validName(name: string, where: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_/-]*$/.test(name)) {
    throw new UsageError(`${where}: subgraph name "${name}" may hold only letters, digits, "-", "_" and "/"`);
  }
  return name;
}

function rpcUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${where}: "${value}" is not a URL; use e.g. http://127.0.0.1:8545`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${where}: only http(s) JSON-RPC URLs are supported, not ${url.protocol}`);
  }
  return value;
}

function integer(value: string | number | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${flag} must be a whole number >= ${min}, not "${value}"`);
  return n;
}

function port(value: string | number | undefined, flag: string, fallback: number): number {
  const n = integer(value, flag, fallback, 0);
  if (n > 65_535) throw new UsageError(`--${flag} must be a port number (0-65535), not "${value}"`);
  return n;
}
