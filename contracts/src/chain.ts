// Starts Hardhat 2's EDR node (a real JSON-RPC chain) on 127.0.0.1. Runs its CLI with `node`
// directly: `npx hardhat node` forks a child that outlives a kill of the npx process.
// With a journal, the node listens on a private port behind a recording proxy (journal/), and a
// journal that exists is replayed first, so that the chain resumes where it stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournalError, type JournalHeader, readJournal, setAside, writeJournal } from './journal/file.js';
import { latestBlock, type Recorder, startRecorder } from './journal/recorder.js';
import { replayJournal } from './journal/replay.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export interface ChainOptions {
  port?: number;
  chainId?: number;
  accounts?: number;
  /** Forward the node's own output (the foreground `pnpm chain`). */
  inheritOutput?: boolean;
  /** Journal file: replayed at start when it exists, then extended by every state change. */
  journal?: string;
}

export interface LocalChain {
  rpc: string;
  /**
   * The node itself, bypassing the journal's proxy: for readers that must not pay for the proxy
   * (benchmarks). State changes sent here are not journaled. Without a journal, `rpc` itself.
   */
  nodeRpc: string;
  port: number;
  chainId: number;
  process: ChildProcess;
  stop(): Promise<void>;
  /** With a journal: what was replayed, or why the journal was set aside for a fresh chain. */
  resumed?: { blocks: number; entries: number; dropped: number; tornLine?: number; seconds: number };
  journalProblem?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Node {
  rpc: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function startNode(
  port: number,
  chainId: number,
  accounts: number,
  inheritOutput: boolean,
  genesisTimestamp?: number,
): Promise<Node> {
  const cli = join(dirname(require.resolve('hardhat/package.json')), 'internal/cli/cli.js');
  const child = spawn(process.execPath, [cli, 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: packageDir,
    env: {
      ...process.env,
      CHAIN_ID: String(chainId),
      CHAIN_ACCOUNTS: String(accounts),
      ...(genesisTimestamp === undefined
        ? {}
        : { CHAIN_INITIAL_DATE: new Date(genesisTimestamp * 1000).toISOString() }),
      HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
    },
    stdio: inheritOutput ? 'inherit' : ['ignore', 'ignore', 'pipe'],
  });
  // The node must not outlive this process, however it ends (even mid-replay, by a signal that
  // the command turns into process.exit).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const rpc = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the chain exited at start (port ${port} in use?): ${stderr.trim()}`);
    try {
      const response = await fetch(rpc, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return { rpc, process: child, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the chain did not answer on ${rpc} within 60 s: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export async function startChain(options: ChainOptions = {}): Promise<LocalChain> {
  const port = options.port ?? (await freePort());
  const chainId = options.chainId ?? 31337;
  const accounts = options.accounts ?? 120;
  const inherit = options.inheritOutput ?? false;
  const journal = options.journal;
  if (!journal) {
    const node = await startNode(port, chainId, accounts, inherit);
    return { rpc: node.rpc, nodeRpc: node.rpc, port, chainId, process: node.process, stop: node.stop };
  }
  mkdirSync(dirname(journal), { recursive: true });
  const nodePort = await freePort();
  let node: Node | undefined;
  let resumed: LocalChain['resumed'];
  let journalProblem: string | undefined;
  let head = { number: 0, hash: '' };
  if (existsSync(journal)) {
    try {
      const contents = readJournal(journal);
      const { header } = contents;
      if (header.chainId !== chainId || header.accounts !== accounts) {
        throw new JournalError(
          `${journal} was recorded for chain id ${header.chainId} with ${header.accounts} accounts, not ${chainId} with ${accounts}`,
        );
      }
      node = await startNode(nodePort, chainId, accounts, inherit, header.genesis.timestamp);
      const replay = await replayJournal(node.rpc, contents, journal);
      if (replay.dropped > 0 || contents.tornLine) writeJournal(journal, header, replay.entries);
      head = replay.head;
      resumed = {
        blocks: replay.blocks,
        entries: replay.entries.length,
        dropped: replay.dropped,
        seconds: replay.seconds,
        ...(contents.tornLine ? { tornLine: contents.tornLine } : {}),
      };
    } catch (error) {
      if (!(error instanceof JournalError)) {
        await node?.stop();
        throw error;
      }
      journalProblem = `${error.message}; kept it as ${setAside(journal)} and started a fresh chain`;
      await node?.stop();
      node = undefined;
    }
  }
  if (!node) {
    node = await startNode(nodePort, chainId, accounts, inherit);
    const genesis = await latestBlock(node.rpc);
    const header: JournalHeader = {
      journal: 1,
      chainId,
      accounts,
      genesis: { timestamp: genesis.timestamp, hash: genesis.hash },
    };
    writeJournal(journal, header, []);
    head = { number: 0, hash: genesis.hash };
  }
  let recorder: Recorder;
  try {
    recorder = await startRecorder({ port, node: node.rpc, file: journal, head });
  } catch (error) {
    await node.stop();
    throw new Error(`the chain could not listen on port ${port} (in use?): ${(error as Error).message}`);
  }
  const running = node;
  // The node goes first, at once: a request it was running gets no journal line, and that is
  // right, since its block dies with the node and nobody read it (see journal/recorder.ts).
  const stop = async () => {
    await Promise.all([running.stop(), recorder.close()]);
  };
  return {
    rpc: recorder.url,
    nodeRpc: running.rpc,
    port,
    chainId,
    process: running.process,
    stop,
    ...(resumed ? { resumed } : {}),
    ...(journalProblem ? { journalProblem } : {}),
  };
}
