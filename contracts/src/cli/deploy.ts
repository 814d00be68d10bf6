// `pnpm deploy:local`: deploys the protocol and writes deployments/<network>.json and
// the network's entry in subgraph/networks.json.
import { deploy } from '../deploy.js';
import { parseFlags, runCommand } from './args.js';

const command = 'deploy';
const flags = parseFlags(
  command,
  'Usage: pnpm deploy:local -- [flags]\nDeploys factory, tokens, feeds and two markets.',
  {
    rpc: { type: 'string', description: 'JSON-RPC URL of the chain', default: 'http://127.0.0.1:8545' },
    network: { type: 'string', description: 'network name for deployments/ and networks.json', default: 'localhost' },
  },
);

await runCommand(command, async () => {
  const rpc = (flags.rpc as string | undefined) ?? 'http://127.0.0.1:8545';
  const deployment = await deploy({ rpc, network: (flags.network as string | undefined) ?? 'localhost' }).catch(
    (error: Error) => {
      throw /fetch failed|ECONNREFUSED|HTTP request failed/.test(error.message)
        ? new Error(`no chain is reachable at ${rpc}; start one with \`pnpm chain\`.`)
        : error;
    },
  );
  console.log(`deployed to ${deployment.network} (chain ${deployment.chainId}):`);
  console.log(`  MarketFactory ${deployment.factory.address} (block ${deployment.factory.startBlock})`);
  for (const market of deployment.markets) console.log(`  ${market.name.padEnd(13)} ${market.address}`);
  console.log(`wrote contracts/deployments/${deployment.network}.json and subgraph/networks.json`);
});
