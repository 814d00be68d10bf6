import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/cli/config.js';

const bin = join(import.meta.dirname, '../../bin/indexer.mjs');
const work = mkdtempSync(join(tmpdir(), 'indexer-cli-'));
const subgraph = join(work, 'loans');
mkdirSync(join(subgraph, 'build'), { recursive: true });
writeFileSync(join(subgraph, 'build', 'subgraph.yaml'), 'specVersion: 1.0.0\n');
const unbuilt = join(work, 'unbuilt');
mkdirSync(unbuilt);
writeFileSync(join(unbuilt, 'subgraph.yaml'), 'specVersion: 1.0.0\n');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('indexer CLI', () => {
  it('explains every flag with --help and exits 0', () => {
    const { status, stdout } = cli(['--help']);
    expect(status).toBe(0);
    for (const flag of [
      '--subgraph',
      '--rpc',
      '--name',
      '--network',
      '--data',
      '--postgres-url',
      '--port',
      '--status-port',
      '--metrics-port',
      '--config',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(cli(['run', '--help']).status).toBe(0);
  });

  it.each([
    [['frob'], 'unknown command "frob"'],
    [['run', '--bogus'], "Unknown option '--bogus'"],
    [['run', '--rpc', 'http://127.0.0.1:1'], 'missing --subgraph'],
    [['run', '--subgraph', 'loans'], 'missing --rpc'],
    [['run', '--subgraph', 'nowhere', '--rpc', 'http://127.0.0.1:1'], 'nowhere does not exist'],
    [
      ['run', '--subgraph', 'unbuilt', '--rpc', 'http://127.0.0.1:1'],
      'is not built; run `graph codegen && graph build`',
    ],
    [['run', '--subgraph', 'loans', '--rpc', 'ws://127.0.0.1:1'], 'only http(s) JSON-RPC URLs'],
    [['run', '--subgraph', 'loans', '--rpc', 'not a url'], '"not a url" is not a URL'],
    [['run', '--subgraph', 'loans', '--rpc', 'http://127.0.0.1:1', '--port', '99999'], '--port must be a port number'],
    [
      ['run', '--subgraph', 'loans', '--rpc', 'http://127.0.0.1:1', '--finality-depth', 'ten'],
      '--finality-depth must be a whole number',
    ],
    [['run', '--subgraph', 'loans', '--rpc', 'http://127.0.0.1:1', '--name', 'bad name!'], 'may hold only letters'],
    [['run', '--config', 'missing.yaml'], 'missing.yaml does not exist'],
  ])('rejects %j with one line and exit code 2', (args, message) => {
    const { status, stderr } = cli(args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('ignores the "--" that `pnpm start -- …` passes on', () => {
    const { status, stderr } = cli(['run', '--', '--subgraph', 'nowhere', '--rpc', 'http://127.0.0.1:1']);
    expect(status).toBe(2);
    expect(stderr).toContain('nowhere does not exist');
  });

  it('refuses a subgraph built for another network than --network', () => {
    const built = join(import.meta.dirname, '../../../subgraph');
    const { status, stderr } = cli(['run', '--subgraph', built, '--rpc', 'http://127.0.0.1:1', '--network', 'mainnet']);
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      'indexer: subgraph: the subgraph is built for network "localhost", not "mainnet"; run `graph build --network mainnet`',
    );
  });

  it('reads flags from environment variables', () => {
    const { status, stderr } = cli(['run'], { INDEXER_SUBGRAPH: 'loans', INDEXER_RPC_URL: 'ftp://x' });
    expect(status).toBe(2);
    expect(stderr).toContain('--rpc: only http(s) JSON-RPC URLs are supported');
  });
});

describe('configuration', () => {
  it('takes several deployments from a config file, resolving paths against it', () => {
    const file = join(work, 'deployments.yaml');
    writeFileSync(
      file,
      [
        'data: ./state',
        'statusPort: 9030',
        'deployments:',
        '  - { name: loans-a, subgraph: loans, rpc: "http://127.0.0.1:1", network: localhost }',
        '  - { name: loans-b, subgraph: loans/build/subgraph.yaml, rpc: "https://rpc.example", finalityDepth: 64 }',
      ].join('\n'),
    );
    const config = resolveConfig(['--config', file, '--metrics-port', '9999'], { INDEXER_STATUS_PORT: '9031' }, '/');
    expect(config.dataDir).toBe(join(work, 'state'));
    expect(config.statusPort).toBe(9031);
    expect(config.metricsPort).toBe(9999);
    expect(config.port).toBe(8000);
    expect(config.deployments.map((d) => [d.name, d.manifest, d.rpc, d.network, d.finalityDepth])).toEqual([
      ['loans-a', join(subgraph, 'build/subgraph.yaml'), 'http://127.0.0.1:1', 'localhost', 12],
      ['loans-b', join(subgraph, 'build/subgraph.yaml'), 'https://rpc.example', null, 64],
    ]);
  });

  it('names a deployment after its subgraph directory by default and refuses duplicate names', () => {
    const config = resolveConfig(['--subgraph', 'loans', '--rpc', 'http://127.0.0.1:1'], {}, work);
    expect(config.deployments[0]?.name).toBe('loans');
    const file = join(work, 'twice.yaml');
    writeFileSync(
      file,
      'deployments:\n  - { subgraph: loans, rpc: "http://a" }\n  - { subgraph: loans, rpc: "http://b" }\n',
    );
    expect(() => resolveConfig(['--config', file], {}, work)).toThrow('two deployments are named "loans"');
  });
});
