// `indexer run` / `indexer reset` / `indexer --help`. User mistakes end with one line on stderr and
// exit code 2; failures while running with one line and exit code 1; never a stack trace.

import { type IndexerParts, startIndexer } from '../runner/indexer.js';
import { defaultParts } from '../runner/parts.js';
import { type IndexerConfig, resolveConfig, UsageError } from './config.js';
import { helpText } from './help.js';

export async function main(argv: string[], parts: IndexerParts = defaultParts): Promise<number> {
  const [command, ...given] = argv;
  // `pnpm start -- --flag` hands the separator on: it means nothing here.
  const rest = given[0] === '--' ? given.slice(1) : given;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(helpText);
    return command === undefined ? 2 : 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText);
    return 0;
  }
  try {
    if (command !== 'run' && command !== 'reset') {
      throw new UsageError(`unknown command "${command}"; use "indexer run" or "indexer reset" (see indexer --help)`);
    }
    const config = resolveConfig(rest, process.env, process.cwd());
    if (command === 'reset') return await reset(config, parts);
    return await run(config, parts);
  } catch (error) {
    process.stderr.write(`indexer: ${oneLine(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function reset(config: IndexerConfig, parts: IndexerParts): Promise<number> {
  for (const deployment of config.deployments) {
    await parts.resetDeployment(deployment, config);
    process.stderr.write(`indexer: dropped the data of ${deployment.name}\n`);
  }
  return 0;
}

async function run(config: IndexerConfig, parts: IndexerParts): Promise<number> {
  const tty = process.stderr.isTTY;
  const indexer = await startIndexer(config, parts, {
    log: (line) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`),
    ...(config.progress
      ? { progress: (line: string) => process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`) }
      : {}),
  });
  const names = config.deployments.map((d) => `http://${config.host}:${config.port}/subgraphs/name/${d.name}`);
  process.stderr.write(
    `indexer: serving ${names.join(', ')}; status http://${config.host}:${config.statusPort}/graphql; metrics http://${config.host}:${config.metricsPort}/metrics\n`,
  );
  // A failed deployment stops indexing but keeps serving, as graph-node does: only a signal ends the process.
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await indexer.stop();
  return 0;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bin/indexer.mjs')) {
  process.exitCode = await main(process.argv.slice(2));
}
