// `pnpm simulate`: the seeded activity simulator.
import { defaultSimulationOptions, formatSummary, simulate } from '../simulate/index.js';
import { integerFlag, parseFlags, runCommand } from './args.js';

const command = 'simulate';
const d = defaultSimulationOptions;
const flags = parseFlags(
  command,
  'Usage: pnpm simulate -- [flags]\nDrives lenders, borrowers, the BTC price and a keeper on a deployed chain.',
  {
    rpc: { type: 'string', description: 'JSON-RPC URL of the chain', default: 'http://127.0.0.1:8545' },
    network: { type: 'string', description: 'deployment to drive (deployments/<network>.json)', default: 'localhost' },
    seed: { type: 'string', description: 'random seed; the same seed gives the same chain', default: String(d.seed) },
    loans: { type: 'string', description: 'loans to open', default: String(d.loans) },
    days: { type: 'string', description: 'simulated days (two blocks a day)', default: String(d.days) },
    markets: { type: 'string', description: 'markets to use', default: String(d.markets) },
    'crash-pct': {
      type: 'string',
      description: 'BTC falls by this percentage on the crash day (0: none)',
      default: String(d.crashPct),
    },
    'crash-day': { type: 'string', description: 'day of the crash', default: '2/3 of --days' },
    live: { type: 'boolean', description: 'then keep going at a human pace until Ctrl-C' },
    resume: {
      type: 'boolean',
      description: 'continue the simulation already on the chain (state rebuilt from its logs)',
    },
  },
);

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());

await runCommand(command, async () => {
  const days = integerFlag(command, flags, 'days', d.days, 1);
  const crashPct = integerFlag(command, flags, 'crash-pct', d.crashPct, 0);
  if (crashPct >= 100) throw new Error('--crash-pct must be below 100');
  const summary = await simulate({
    rpc: (flags.rpc as string | undefined) ?? 'http://127.0.0.1:8545',
    network: (flags.network as string | undefined) ?? 'localhost',
    seed: integerFlag(command, flags, 'seed', d.seed, 0),
    loans: integerFlag(command, flags, 'loans', d.loans, 0),
    days,
    markets: integerFlag(command, flags, 'markets', d.markets, 1),
    crashPct,
    crashDay: integerFlag(command, flags, 'crash-day', Math.max(1, Math.floor((days * 2) / 3)), 1),
    live: flags.live === true,
    resume: flags.resume === true,
    signal: controller.signal,
    onProgress: (line) => console.log(line),
  });
  console.log(formatSummary(summary));
});
