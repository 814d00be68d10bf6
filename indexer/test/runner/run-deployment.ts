// Child process for the crash-resume tests: indexes into a file store until `stopAtBlock`, in
// ranges of at most 4 blocks (one store transaction each), then prints "done <block>".
// Usage: tsx run-deployment.ts <rpc url> <store file> <stop block> test <factory address> <start block>
//        tsx run-deployment.ts <rpc url> <store file> <stop block> subgraph <build/subgraph.yaml>
import { ChainSource } from '../../src/chain/chain-source.js';
import { RpcClient } from '../../src/chain/rpc-client.js';
import { DeploymentRunner } from '../../src/runner/deployment-runner.js';
import type { SubgraphRuntime } from '../../src/runner/ports.js';
import { SubgraphRuntime as WasmSubgraphRuntime } from '../../src/wasm/subgraph-runtime.js';
import { FileStore, TestRuntime } from './test-deployment.js';

const [url, storePath, stop, kind, ...rest] = process.argv.slice(2);
if (!url || !storePath || !stop || (kind !== 'test' && kind !== 'subgraph')) {
  throw new Error('usage: run-deployment.ts <rpc> <store> <stop> (test <factory> <start> | subgraph <manifest>)');
}
const runtime: SubgraphRuntime =
  kind === 'test' ? new TestRuntime(rest[0] as string, Number(rest[1])) : WasmSubgraphRuntime.load(rest[0] as string);
const runner = new DeploymentRunner({
  name: 'crash-test',
  deployment: 'QmCrash',
  source: new ChainSource(new RpcClient({ url }), { initial: 4, max: 4 }),
  runtime,
  store: new FileStore(storePath),
  finalityDepth: 10,
  pollIntervalMs: 20,
  maxRangeBlocks: 4,
  stopAtBlock: Number(stop),
  log: (line) => process.stderr.write(`${line}\n`),
});
await runner.run();
process.stdout.write(`done ${runner.latestBlock?.number}\n`);
