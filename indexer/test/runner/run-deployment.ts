// Child process for the crash-resume test: indexes the test deployment into a file store until
// `stopAtBlock`, printing its cursor after each store transaction.
// Usage: tsx run-deployment.ts <rpc url> <factory address> <start block> <stop block> <store file>
import { ChainSource } from '../../src/chain/chain-source.js';
import { RpcClient } from '../../src/chain/rpc-client.js';
import { DeploymentRunner } from '../../src/runner/deployment-runner.js';
import { FileStore, TestRuntime } from './test-deployment.js';

const [url, factory, start, stop, storePath] = process.argv.slice(2);
if (!url || !factory || !start || !stop || !storePath)
  throw new Error('usage: run-deployment.ts <rpc> <factory> <start> <stop> <store>');
const runner = new DeploymentRunner({
  name: 'crash-test',
  deployment: 'QmCrash',
  source: new ChainSource(new RpcClient({ url }), { initial: 4, max: 4 }),
  runtime: new TestRuntime(factory, Number(start)),
  store: new FileStore(storePath),
  finalityDepth: 10,
  pollIntervalMs: 20,
  maxRangeBlocks: 4,
  stopAtBlock: Number(stop),
});
await runner.run();
process.stdout.write(`done ${runner.latestBlock?.number}\n`);
