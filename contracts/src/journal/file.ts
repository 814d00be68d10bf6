// The chain journal: one JSON line per state-changing JSON-RPC request a chain received, in the
// order the node executed them, each with the blocks it produced. EDR's blocks are deterministic
// apart from their timestamps (mixHash comes from a fixed seed, transactions are signed
// deterministically), so replaying the lines into a node started with the recorded genesis
// timestamp, with every mined block pinned to its recorded timestamp, rebuilds the same chain.
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface JournalHeader {
  journal: 1;
  chainId: number;
  accounts: number;
  genesis: { timestamp: number; hash: string };
}

export interface JournalEntry {
  m: string;
  p: unknown[];
  /** Blocks the request mined: first number, first block's timestamp, last number, last hash. */
  mined?: [number, number, number, string];
  /** The new head when the request moved it without mining (evm_revert, hardhat_reset). */
  head?: [number, string];
}

export interface JournalContents {
  header: JournalHeader;
  entries: JournalEntry[];
  /** The unfinished last line (the chain stopped while writing it), dropped. */
  tornLine?: number;
}

export class JournalError extends Error {}

/** Requests that never change the chain's state: forwarded, not journaled. Anything else is. */
export const READ_ONLY_METHODS = new Set([
  'eth_accounts',
  'eth_blockNumber',
  'eth_call',
  'eth_chainId',
  'eth_coinbase',
  'eth_createAccessList',
  'eth_estimateGas',
  'eth_feeHistory',
  'eth_gasPrice',
  'eth_getBalance',
  'eth_getBlockByHash',
  'eth_getBlockByNumber',
  'eth_getBlockReceipts',
  'eth_getBlockTransactionCountByHash',
  'eth_getBlockTransactionCountByNumber',
  'eth_getCode',
  'eth_getFilterChanges',
  'eth_getFilterLogs',
  'eth_getLogs',
  'eth_getProof',
  'eth_getStorageAt',
  'eth_getTransactionByBlockHashAndIndex',
  'eth_getTransactionByBlockNumberAndIndex',
  'eth_getTransactionByHash',
  'eth_getTransactionCount',
  'eth_getTransactionReceipt',
  'eth_getUncleByBlockHashAndIndex',
  'eth_getUncleByBlockNumberAndIndex',
  'eth_getUncleCountByBlockHash',
  'eth_getUncleCountByBlockNumber',
  'eth_maxPriorityFeePerGas',
  'eth_mining',
  'eth_newBlockFilter',
  'eth_newFilter',
  'eth_newPendingTransactionFilter',
  'eth_pendingTransactions',
  'eth_protocolVersion',
  'eth_sign',
  'eth_signTypedData_v4',
  'eth_syncing',
  'eth_uninstallFilter',
  'debug_traceCall',
  'debug_traceTransaction',
  'hardhat_getAutomine',
  'hardhat_metadata',
  'net_listening',
  'net_peerCount',
  'net_version',
  'personal_sign',
  'web3_clientVersion',
  'web3_sha3',
]);

/** Transactions a request submits; those sent after the last mined block are never replayed. */
export const TRANSACTION_METHODS = new Set(['eth_sendTransaction', 'eth_sendRawTransaction']);

export function readJournal(file: string): JournalContents {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // A file that does not end with a newline was cut while its last line was being written.
  const torn = !text.endsWith('\n') && lines.length > 0;
  const last = lines.pop() ?? '';
  const tornLine = torn && last !== '' ? lines.length + 1 : undefined;
  const parse = (line: string, number: number): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw new JournalError(`${file} line ${number} is not JSON (${line.slice(0, 40)}…)`);
    }
  };
  const header = parse(lines[0] ?? '', 1) as Partial<JournalHeader>;
  if (header.journal !== 1 || typeof header.chainId !== 'number' || typeof header.genesis?.hash !== 'string') {
    throw new JournalError(`${file} line 1 is not a chain journal header`);
  }
  const entries = lines.slice(1).map((line, index) => {
    const entry = parse(line, index + 2) as Partial<JournalEntry>;
    if (typeof entry.m !== 'string' || !Array.isArray(entry.p)) {
      throw new JournalError(`${file} line ${index + 2} is not a journal entry (no method and params)`);
    }
    return entry as JournalEntry;
  });
  return { header: header as JournalHeader, entries, ...(tornLine ? { tornLine } : {}) };
}

/** Rewrites the journal with exactly what was replayed (atomically: a crash keeps the old file). */
export function writeJournal(file: string, header: JournalHeader, entries: readonly JournalEntry[]): void {
  const text = [header, ...entries].map((line) => `${JSON.stringify(line)}\n`).join('');
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

export function appendEntry(file: string, entry: JournalEntry): void {
  // Synchronous on purpose: the request's answer (and any read of its block) waits for the line.
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Keeps a journal that does not replay for inspection, out of the way of the fresh one. */
export function setAside(file: string): string {
  const aside = `${file}.bad`;
  if (existsSync(file)) renameSync(file, aside);
  return aside;
}
