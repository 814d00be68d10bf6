// `pnpm chain`: a local JSON-RPC chain (Hardhat's EDR node) in the foreground.
import { startChain } from '../chain.js';
import { integerFlag, parseFlags, runCommand } from './args.js';

const command = 'chain';
const flags = parseFlags(command, 'Usage: pnpm chain -- [flags]\nStarts a local chain on 127.0.0.1 until Ctrl-C.', {
  port: { type: 'string', description: 'JSON-RPC port', default: '8545' },
  'chain-id': { type: 'string', description: 'chain id', default: '31337' },
  accounts: { type: 'string', description: 'funded unlocked accounts', default: '120' },
});

await runCommand(command, async () => {
  const chain = await startChain({
    port: integerFlag(command, flags, 'port', 8545, 1),
    chainId: integerFlag(command, flags, 'chain-id', 31337, 1),
    accounts: integerFlag(command, flags, 'accounts', 120, 20),
  });
  console.log(`chain ${chain.chainId} listening on ${chain.rpc} (Ctrl-C stops it)`);
  const stop = async () => {
    await chain.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  chain.process.once('exit', (code) => {
    console.error(`chain: the node exited (${code ?? 'signal'})`);
    process.exit(1);
  });
});
