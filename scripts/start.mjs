#!/usr/bin/env node
// `npm start` / `pnpm start`: builds everything, starts two local L2 chains, deploys the protocol
// on both, runs a seeded simulation and then live activity on each, and indexes both with the
// local indexer (one deployment per network), and serves the built dashboard. Ctrl-C stops everything it started.
// Flags: --fresh (drop indexed data first), --no-build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--fresh', '--no-build'].includes(arg)) {
    console.error(`start: unknown flag ${arg}; use --fresh (drop indexed data) or --no-build`);
    process.exit(2);
  }
}
const env = process.env;
const networks = [
  { network: 'localhost', chainId: 31337, port: Number(env.CHAIN_PORT ?? 8545), seed: 1 },
  { network: 'localhost-b', chainId: 31338, port: Number(env.CHAIN_B_PORT ?? 8546), seed: 2 },
];
const ports = {
  graphql: Number(env.INDEXER_PORT ?? 8000),
  status: Number(env.INDEXER_STATUS_PORT ?? 8030),
  metrics: Number(env.INDEXER_METRICS_PORT ?? 8040),
  dashboard: Number(env.DASHBOARD_PORT ?? 5173),
};
const dataDir = join(root, '.data');
const children = [];

function stopAll(code) {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1_500).unref();
}
process.on('SIGINT', () => {
  console.log('\nstart: stopping…');
  stopAll(0);
});
process.on('SIGTERM', () => stopAll(0));

function step(label, command, commandArgs, options = {}) {
  console.log(`start: ${label}`);
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    if (options.quiet) process.stderr.write(result.stderr ?? '');
    console.error(`start: ${label} failed (exit ${result.status}).`);
    stopAll(1);
    throw new Error(label);
  }
  return result.stdout;
}

function background(name, command, commandArgs, { log } = {}) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', log ? 'pipe' : 'inherit', 'pipe'] });
  child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  if (log) child.stdout.on('data', (chunk) => log(String(chunk)));
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGTERM' && code !== 0) console.error(`start: ${name} exited (${code ?? signal})`);
  });
  children.push(child);
  return child;
}

async function waitForRpc(url) {
  for (let i = 0; i < 300; i += 1) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
      });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no chain answered at ${url}`);
}

const tsx = (script, scriptArgs) => ['exec', 'tsx', script, ...scriptArgs];

try {
  if (!args.has('--no-build')) step('building contracts, ABIs, subgraph and indexer', 'pnpm', ['-s', 'build']);
  mkdirSync(dataDir, { recursive: true });
  // The local chains are Hardhat EDR nodes, which keep their state in memory: every start is a new
  // chain, so what was indexed from the previous one is dropped.
  rmSync(join(dataDir, 'indexer'), { recursive: true, force: true });
  if (args.has('--fresh')) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  for (const net of networks) {
    background(
      `chain ${net.network}`,
      'pnpm',
      [
        '--filter',
        'contracts',
        ...tsx('src/cli/chain.ts', ['--port', String(net.port), '--chain-id', String(net.chainId)]),
      ],
      {
        log: () => {},
      },
    );
  }
  for (const net of networks) {
    const rpc = `http://127.0.0.1:${net.port}`;
    await waitForRpc(rpc);
    step(
      `deploying to ${net.network} (${rpc})`,
      'pnpm',
      ['--filter', 'contracts', ...tsx('src/cli/deploy.ts', ['--rpc', rpc, '--network', net.network])],
      { quiet: true },
    );
  }
  const config = {
    data: join(dataDir, 'indexer'),
    port: ports.graphql,
    statusPort: ports.status,
    metricsPort: ports.metrics,
    deployments: networks.map((net) => ({
      name: `btc-rwa-loans-${net.network}`,
      subgraph: join(root, 'subgraph'),
      rpc: `http://127.0.0.1:${net.port}`,
      finalityDepth: 1,
      pollIntervalMs: 500,
    })),
  };
  const configFile = join(dataDir, 'indexer.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  background('indexer', 'node', [
    join(root, 'indexer/bin/indexer.mjs'),
    'run',
    '--config',
    configFile,
    '--no-progress',
  ]);
  for (const net of networks) {
    background(
      `simulator ${net.network}`,
      'pnpm',
      [
        '--filter',
        'contracts',
        ...tsx('src/cli/simulate.ts', [
          '--rpc',
          `http://127.0.0.1:${net.port}`,
          '--network',
          net.network,
          '--seed',
          String(net.seed),
          '--loans',
          '40',
          '--days',
          '90',
          '--live',
        ]),
      ],
      {
        log: (text) =>
          process.stdout.write(
            text
              .split('\n')
              .filter(Boolean)
              .map((line) => `[sim ${net.network}] ${line}\n`)
              .join(''),
          ),
      },
    );
  }
  // The built dashboard (dashboard/dist, with public/config.json listing both networks' GraphQL
  // URLs) served by Vite's static preview server.
  background(
    'dashboard',
    'pnpm',
    [
      '--filter',
      'dashboard',
      'exec',
      'vite',
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(ports.dashboard),
      '--strictPort',
    ],
    { log: () => {} },
  );
  console.log('\nstart: running — Ctrl-C stops everything');
  console.log(`  dashboard    http://127.0.0.1:${ports.dashboard}`);
  for (const net of networks) {
    console.log(`  ${net.network.padEnd(12)} chain http://127.0.0.1:${net.port} (chain id ${net.chainId})`);
    console.log(
      `  ${''.padEnd(12)} GraphQL http://127.0.0.1:${ports.graphql}/subgraphs/name/btc-rwa-loans-${net.network}`,
    );
  }
  console.log(`  status       http://127.0.0.1:${ports.status}/graphql`);
  console.log(`  metrics      http://127.0.0.1:${ports.metrics}/metrics\n`);
} catch (error) {
  console.error(`start: ${error.message}`);
  stopAll(1);
}
