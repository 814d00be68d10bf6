// `pnpm deploy:local`: deploys the protocol and writes deployments/<network>.json and
// the network's entry in subgraph/networks.json.
import { deploy, reuseDeployment } from '../deploy.js';
import { parseFlags, runCommand } from './args.js';

const command = 'deploy';
const flags = parseFlags(
  command,
  'Usage: pnpm deploy:local -- [flags]\nDeploys factory, tokens, feeds and two markets.',
  {
    rpc: { type: 'string', description: 'JSON-RPC URL of the chain', default: 'http://127.0.0.1:8545' },
    network: { type: 'string', description: 'network name for deployments/ and networks.json', default: 'localhost' },
    reuse: {
      type: 'boolean',
      description: 'keep deployments/<network>.json if the chain already holds it (a resumed chain)',
    },
  },
);

await runCommand(command, async () => {
  const rpc = (flags.rpc as string | undefined) ?? 'http://127.0.0.1:8545';
  const network = (flags.network as string | undefined) ?? 'localhost';
  const unreachable = (error: Error) => {
    throw /fetch failed|ECONNREFUSED|HTTP request failed|no chain is reachable/.test(error.message)
      ? new Error(`no chain is reachable at ${rpc}; start one with \`pnpm chain\`.`)
      : error;
  };
  const reused = flags.reuse ? await reuseDeployment(rpc, network).catch(unreachable) : undefined;
  if (reused) {
    console.log(
      `reused the deployment on ${network} (factory ${reused.factory.address}, block ${reused.factory.startBlock})`,
    );
    return;
  }
  const deployment = await deploy({ rpc, network }).catch(unreachable);
  console.log(`deployed to ${deployment.network} (chain ${deployment.chainId}):`);
  console.log(`  MarketFactory ${deployment.factory.address} (block ${deployment.factory.startBlock})`);
  for (const market of deployment.markets) console.log(`  ${market.name.padEnd(13)} ${market.address}`);
  console.log(`wrote contracts/deployments/${deployment.network}.json and subgraph/networks.json`);
});
