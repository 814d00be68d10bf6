// `pnpm chain`: a local JSON-RPC chain (Hardhat's EDR node) in the foreground.
import { startChain } from '../chain.js';
import { integerFlag, parseFlags, runCommand } from './args.js';

const command = 'chain';
const flags = parseFlags(command, 'Usage: pnpm chain -- [flags]\nStarts a local chain on 127.0.0.1 until Ctrl-C.', {
  port: { type: 'string', description: 'JSON-RPC port', default: '8545' },
  'chain-id': { type: 'string', description: 'chain id', default: '31337' },
  accounts: { type: 'string', description: 'funded unlocked accounts', default: '120' },
  journal: {
    type: 'string',
    description: 'journal file: replayed at start if it exists (the chain resumes), then recorded',
  },
});

// Until the chain is up (a replay takes seconds), a signal just exits; the node goes with it.
const exitAtOnce = () => process.exit(0);
process.once('SIGINT', exitAtOnce);
process.once('SIGTERM', exitAtOnce);

await runCommand(command, async () => {
  const journal = flags.journal as string | undefined;
  const chain = await startChain({
    port: integerFlag(command, flags, 'port', 8545, 1),
    chainId: integerFlag(command, flags, 'chain-id', 31337, 1),
    accounts: integerFlag(command, flags, 'accounts', 120, 20),
    ...(journal ? { journal } : {}),
  });
  if (chain.journalProblem) console.error(`chain: ${chain.journalProblem}`);
  const { resumed } = chain;
  if (resumed?.tornLine)
    console.error(
      `chain: ${journal} line ${resumed.tornLine} was cut off (the chain stopped while writing it); dropped it`,
    );
  const from = resumed
    ? ` · resumed ${resumed.blocks} blocks (${resumed.entries} requests${resumed.dropped ? `, ${resumed.dropped} never-mined transactions dropped` : ''}) from ${journal} in ${resumed.seconds.toFixed(1)} s`
    : journal
      ? ` · new chain, journal ${journal}`
      : '';
  console.log(`chain ${chain.chainId} listening on ${chain.rpc}${from} (Ctrl-C stops it)`);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await chain.stop();
    process.exit(0);
  };
  process.off('SIGINT', exitAtOnce);
  process.off('SIGTERM', exitAtOnce);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  chain.process.once('exit', (code) => {
    if (stopping) return;
    console.error(`chain: the node exited (${code ?? 'signal'})`);
    process.exit(1);
  });
});
