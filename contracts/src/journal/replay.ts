// Replays a journal into a fresh node started with the journal's genesis timestamp: every request
// again in order, each mined block pinned to its recorded timestamp, and each recorded head
// checked against the node's (a block hash commits to all before it, so the last check vouches
// for the whole chain). Transactions sent after the last mined block are dropped: they were never
// in a block, and nothing but the node's mempool knew them.
import { type JournalContents, type JournalEntry, JournalError, TRANSACTION_METHODS } from './file.js';
import { type Head, latestBlock, postJson, rpcCall } from './recorder.js';

export interface ReplayResult {
  /** The entries replayed, i.e. the journal as it must be from now on. */
  entries: JournalEntry[];
  head: Head;
  blocks: number;
  dropped: number;
  seconds: number;
}

export async function replayJournal(node: string, journal: JournalContents, file: string): Promise<ReplayResult> {
  const started = Date.now();
  const genesis = await rpcCall<{ hash: string }>(node, 'eth_getBlockByNumber', ['0x0', false]);
  if (genesis.hash !== journal.header.genesis.hash) {
    throw new JournalError(
      `${file}: the genesis block differs from the recorded one (another Hardhat version or chain settings?)`,
    );
  }
  let lastBlockEntry = -1;
  journal.entries.forEach((entry, index) => {
    if (entry.mined || entry.head) lastBlockEntry = index;
  });
  const kept: JournalEntry[] = [];
  let head: Head = { number: 0, hash: genesis.hash };
  for (const [index, entry] of journal.entries.entries()) {
    if (index > lastBlockEntry && TRANSACTION_METHODS.has(entry.m)) continue;
    if (entry.mined) await rpcCall(node, 'evm_setNextBlockTimestamp', [entry.mined[1]]);
    // The request's own answer is not checked: a reverted transaction errs again, identically.
    await postJson(node, { jsonrpc: '2.0', id: index, method: entry.m, params: entry.p });
    kept.push(entry);
    const expected = entry.mined
      ? { number: entry.mined[2], hash: entry.mined[3] }
      : entry.head && { number: entry.head[0], hash: entry.head[1] };
    if (!expected) continue;
    const latest = await latestBlock(node);
    if (latest.number !== expected.number || latest.hash !== expected.hash) {
      throw new JournalError(
        `${file} line ${index + 2} (${entry.m}) does not replay: block ${latest.number} ${latest.hash} instead of block ${expected.number} ${expected.hash}`,
      );
    }
    head = expected;
  }
  return {
    entries: kept,
    head,
    blocks: head.number,
    dropped: journal.entries.length - kept.length,
    seconds: (Date.now() - started) / 1000,
  };
}
