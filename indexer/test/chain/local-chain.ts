// A real local chain for tests: the contracts package's EDR node on a free loopback port, with a
// JSON-RPC helper, plus tiny hand-assembled contracts that emit whatever logs they are told to (so
// chain tests need no Solidity build).
import { freePort, startChain } from 'contracts/chain';

export { freePort };

export interface LocalChain {
  url: string;
  rpc<T>(method: string, params?: unknown[]): Promise<T>;
  /** Account 0 of the node (unlocked). */
  account: string;
  stop(): Promise<void>;
}

export async function startLocalChain(): Promise<LocalChain> {
  const chain = await startChain({ accounts: 2 });
  let id = 0;
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(chain.rpc, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  const accounts = await rpc<string[]>('eth_accounts');
  return { url: chain.rpc, rpc, account: (accounts[0] as string).toLowerCase(), stop: chain.stop };
}

/**
 * Runtime: `log2(0, 32, calldata[0:32], caller)` with memory[0:32] = calldata[32:64]. So a call
 * with data `topic0 ++ word` emits one log with that topic0, the caller as topic1 and `word` as data.
 */
const EMITTER_INIT = '0x6010600c60003960106000f3';
const EMITTER_RUNTIME = '6020356000523360003560206000a200';

export async function deployEmitter(chain: LocalChain): Promise<string> {
  const hash = await chain.rpc<string>('eth_sendTransaction', [
    { from: chain.account, data: EMITTER_INIT + EMITTER_RUNTIME, gas: '0x100000' },
  ]);
  const receipt = await waitForReceipt(chain, hash);
  return (receipt.contractAddress as string).toLowerCase();
}

export async function emit(chain: LocalChain, emitter: string, topic0: string, word: bigint): Promise<string> {
  const data = `${topic0}${word.toString(16).padStart(64, '0')}`;
  return chain.rpc<string>('eth_sendTransaction', [{ from: chain.account, to: emitter, data, gas: '0x100000' }]);
}

export async function waitForReceipt(
  chain: LocalChain,
  hash: string,
): Promise<{ contractAddress: string | null; blockNumber: string }> {
  for (;;) {
    const receipt = await chain.rpc<{ contractAddress: string | null; blockNumber: string } | null>(
      'eth_getTransactionReceipt',
      [hash],
    );
    if (receipt) return receipt;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function mine(chain: LocalChain, blocks = 1): Promise<void> {
  await chain.rpc('hardhat_mine', [`0x${blocks.toString(16)}`]);
}

/**
 * Runtime: for n = calldata[32:64] down to 1, `log1(mem[0:32] = n, topic0 = calldata[0:32])`. One
 * call emits n logs: enough events for benchmarks without thousands of transactions.
 */
const BATCH_EMITTER_INIT = '0x601e600c600039601e6000f3';
const BATCH_EMITTER_RUNTIME = '6020355b8015601c578060005260003560206000a1600190036003565b00';

export async function deployBatchEmitter(chain: LocalChain): Promise<string> {
  const hash = await chain.rpc<string>('eth_sendTransaction', [
    { from: chain.account, data: BATCH_EMITTER_INIT + BATCH_EMITTER_RUNTIME, gas: '0x100000' },
  ]);
  return ((await waitForReceipt(chain, hash)).contractAddress as string).toLowerCase();
}

/** Mines `blocks` blocks, each with one transaction emitting `logsPerBlock` logs with `topic0`. */
export async function emitBlocks(
  chain: LocalChain,
  emitter: string,
  topic0: string,
  blocks: number,
  logsPerBlock: number,
): Promise<void> {
  const data = `${topic0}${logsPerBlock.toString(16).padStart(64, '0')}`;
  for (let i = 0; i < blocks; i += 1) {
    await chain.rpc('eth_sendTransaction', [{ from: chain.account, to: emitter, data, gas: '0xf00000' }]);
  }
}
