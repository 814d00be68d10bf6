#!/usr/bin/env node
// `npm start` / `pnpm start`: builds everything, starts two local L2 chains, deploys the protocol
// on both, runs a seeded simulation and then live activity on each, and indexes both with the
// local indexer (one deployment per network), and serves the built dashboard. Ctrl-C stops everything it started.
// Data persists across restarts: each chain journals its state changes to .data/chains/<network>.jsonl
// and replays them at start, so the chains, the deployment, the simulation and the index resume.
// Flags: --fresh (drop .data/: chains and index), --no-build.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--fresh', '--no-build'].includes(arg)) {
    console.error(`start: unknown flag ${arg}; use --fresh (drop the chains and the index) or --no-build`);
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

/** Starts a journaled chain; resolves with its ready line once it listens (after any replay). */
function startJournaledChain(net) {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = background(
      `chain ${net.network}`,
      'pnpm',
      [
        '--filter',
        'contracts',
        ...tsx('src/cli/chain.ts', [
          '--port',
          String(net.port),
          '--chain-id',
          String(net.chainId),
          '--journal',
          join(dataDir, 'chains', `${net.network}.jsonl`),
        ]),
      ],
      {
        log: (text) => {
          output += text;
          const ready = output.split('\n').find((line) => line.includes(' listening on '));
          if (ready) resolve(ready);
        },
      },
    );
    child.once('exit', () => reject(new Error(`the ${net.network} chain did not start`)));
  });
}

const tsx = (script, scriptArgs) => ['exec', 'tsx', script, ...scriptArgs];

try {
  if (!args.has('--no-build')) step('building contracts, ABIs, subgraph and indexer', 'pnpm', ['-s', 'build']);
  if (args.has('--fresh')) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  console.log('start: starting the chains (replaying their journals)');
  const ready = await Promise.all(networks.map(startJournaledChain));
  // The index is kept only if every chain resumed with the deployment it indexed: an index that
  // does not match its chain is never served.
  let indexValid = true;
  for (const [index, net] of networks.entries()) {
    console.log(`start: ${ready[index]}`);
    if (!ready[index].includes(' resumed ')) indexValid = false;
    const rpc = `http://127.0.0.1:${net.port}`;
    const deployed = step(
      `deploying to ${net.network} (${rpc}) unless the chain holds the deployment`,
      'pnpm',
      ['--filter', 'contracts', ...tsx('src/cli/deploy.ts', ['--rpc', rpc, '--network', net.network, '--reuse'])],
      { quiet: true },
    );
    console.log(`start: ${deployed.trim().split('\n')[0]}`);
    if (!deployed.startsWith('reused')) indexValid = false;
  }
  if (!indexValid && existsSync(join(dataDir, 'indexer'))) {
    console.log('start: a chain started anew, so the index starts anew too');
    rmSync(join(dataDir, 'indexer'), { recursive: true, force: true });
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
    '--max-semi-space-size=64',
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
          '--resume',
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
