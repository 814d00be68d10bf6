// Simulator throughput: protocol events per second on a fresh local chain.
// Usage: pnpm --filter contracts bench [-- --loans N --days N]
import { parseArgs } from 'node:util';
import { startChain } from '../src/chain.js';
import { deploy } from '../src/deploy.js';
import { formatSummary, simulate } from '../src/simulate/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { loans: { type: 'string', default: '12000' }, days: { type: 'string', default: '150' } },
});
const chain = await startChain();
try {
  const deployment = await deploy({ rpc: chain.rpc, write: false });
  const summary = await simulate({
    rpc: chain.rpc,
    deployment,
    seed: 1,
    loans: Number(values.loans),
    days: Number(values.days),
    onProgress: (line) => console.log(line),
  });
  console.log(formatSummary(summary));
  console.log(
    `throughput: ${summary.totalEvents} protocol events in ${summary.seconds.toFixed(1)} s = ${Math.round(summary.totalEvents / summary.seconds)} events/s`,
  );
} finally {
  await chain.stop();
}
