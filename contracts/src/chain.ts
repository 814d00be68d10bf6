// Starts Hardhat 2's EDR node (a real JSON-RPC chain) on 127.0.0.1. Runs its CLI with `node`
// directly: `npx hardhat node` forks a child that outlives a kill of the npx process.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export interface ChainOptions {
  port?: number;
  chainId?: number;
  accounts?: number;
  /** Forward the node's own output (the foreground `pnpm chain`). */
  inheritOutput?: boolean;
}

export interface LocalChain {
  rpc: string;
  port: number;
  chainId: number;
  process: ChildProcess;
  stop(): Promise<void>;
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

export async function startChain(options: ChainOptions = {}): Promise<LocalChain> {
  const port = options.port ?? (await freePort());
  const chainId = options.chainId ?? 31337;
  const cli = join(dirname(require.resolve('hardhat/package.json')), 'internal/cli/cli.js');
  const child = spawn(process.execPath, [cli, 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: packageDir,
    env: {
      ...process.env,
      CHAIN_ID: String(chainId),
      CHAIN_ACCOUNTS: String(options.accounts ?? 120),
      HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
    },
    stdio: options.inheritOutput ? 'inherit' : ['ignore', 'ignore', 'pipe'],
  });
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
      if (response.ok) return { rpc, port, chainId, process: child, stop };
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
