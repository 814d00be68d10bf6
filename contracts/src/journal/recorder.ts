// A loopback JSON-RPC proxy in front of the EDR node that journals every state-changing request.
// State-changing requests run one at a time, in arrival order (batch items in batch order: the
// node itself runs a batch's items concurrently), and no read runs while one is in flight, so a
// reader (the indexer) never sees a block whose journal line is not written yet.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { appendEntry, type JournalEntry, READ_ONLY_METHODS, TRANSACTION_METHODS } from './file.js';

export interface Head {
  number: number;
  hash: string;
}

interface RpcMessage {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

export interface Recorder {
  url: string;
  close(): Promise<void>;
}

/** Readers share the gate; a writer has it alone and goes before readers that arrive after it. */
class Gate {
  private readers = 0;
  private writing = false;
  private writersWaiting = 0;
  private waiters: Array<() => void> = [];

  async read<T>(body: () => Promise<T>): Promise<T> {
    while (this.writing || this.writersWaiting > 0) await this.wait();
    this.readers += 1;
    try {
      return await body();
    } finally {
      this.readers -= 1;
      this.wake();
    }
  }

  async write<T>(body: () => Promise<T>): Promise<T> {
    this.writersWaiting += 1;
    while (this.writing || this.readers > 0) await this.wait();
    this.writersWaiting -= 1;
    this.writing = true;
    try {
      return await body();
    } finally {
      this.writing = false;
      this.wake();
    }
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resume of waiters) resume();
  }
}

export async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

export async function rpcCall<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const answer = (await postJson(url, { jsonrpc: '2.0', id: 1, method, params })) as {
    result?: T;
    error?: { message: string };
  };
  if (answer.error) throw new Error(`${method} failed: ${answer.error.message}`);
  return answer.result as T;
}

export async function latestBlock(url: string): Promise<{ number: number; hash: string; timestamp: number }> {
  const block = await rpcCall<{ number: string; hash: string; timestamp: string }>(url, 'eth_getBlockByNumber', [
    'latest',
    false,
  ]);
  return { number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp) };
}

const isRead = (message: RpcMessage) => READ_ONLY_METHODS.has(message.method ?? '');

export async function startRecorder(options: {
  port: number;
  node: string;
  file: string;
  head: Head;
}): Promise<Recorder> {
  const { node, file } = options;
  let head = options.head;
  let broken: string | undefined;
  const gate = new Gate();
  // With automine off a transaction cannot mine a block: the head need not be asked for (the
  // simulator sends hundreds of transactions per block).
  let automine = await rpcCall<boolean>(node, 'hardhat_getAutomine');

  const errorAnswer = (message: RpcMessage, text: string) => ({
    jsonrpc: '2.0',
    id: message.id ?? null,
    error: { code: -32603, message: text },
  });

  const write = (message: RpcMessage) =>
    gate.write(async () => {
      if (broken) return errorAnswer(message, broken);
      if (message.method === 'evm_setIntervalMining' && message.params?.[0]) {
        return errorAnswer(
          message,
          'interval mining is off on a journaled chain (its blocks would not replay): use evm_mine',
        );
      }
      const answer = await postJson(node, message);
      const entry: JournalEntry = { m: message.method ?? '', p: message.params ?? [] };
      if (!automine && TRANSACTION_METHODS.has(entry.m)) {
        append(entry);
        return broken ? errorAnswer(message, broken) : answer;
      }
      if (entry.m === 'evm_setAutomine' || entry.m === 'hardhat_reset') {
        automine = await rpcCall<boolean>(node, 'hardhat_getAutomine');
      }
      const latest = await latestBlock(node);
      if (latest.number > head.number) {
        const first =
          latest.number === head.number + 1
            ? latest
            : await rpcCall<{ timestamp: string }>(node, 'eth_getBlockByNumber', [
                `0x${(head.number + 1).toString(16)}`,
                false,
              ]);
        entry.mined = [head.number + 1, Number(first.timestamp), latest.number, latest.hash];
      } else if (latest.hash !== head.hash) {
        entry.head = [latest.number, latest.hash];
      }
      append(entry);
      head = { number: latest.number, hash: latest.hash };
      return broken ? errorAnswer(message, broken) : answer;
    });

  const append = (entry: JournalEntry) => {
    try {
      appendEntry(file, entry);
    } catch (error) {
      broken = `the chain journal ${file} could not be written (${(error as Error).message}); restart the chain`;
      console.error(`chain: ${broken}`);
    }
  };

  const handleBatch = async (messages: RpcMessage[]): Promise<unknown[]> => {
    const answers: unknown[] = [];
    // Runs of reads go to the node as one batch; each state-changing item goes alone, in order.
    for (let start = 0; start < messages.length; ) {
      let end = start;
      while (end < messages.length && isRead(messages[end] as RpcMessage)) end += 1;
      if (end > start) {
        const reads = messages.slice(start, end);
        const replies = (await gate.read(() => postJson(node, reads))) as Array<{ id?: unknown }>;
        const byId = new Map(replies.map((reply) => [JSON.stringify(reply.id), reply]));
        for (const read of reads) answers.push(byId.get(JSON.stringify(read.id)) ?? errorAnswer(read, 'no answer'));
        start = end;
      } else {
        answers.push(await write(messages[start] as RpcMessage));
        start += 1;
      }
    }
    return answers;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
      return;
    }
    let answer: unknown;
    try {
      if (Array.isArray(body)) answer = await handleBatch(body as RpcMessage[]);
      else if (isRead(body as RpcMessage)) answer = await gate.read(() => postJson(node, body));
      else answer = await write(body as RpcMessage);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(errorAnswer(body as RpcMessage, `the chain node failed: ${(error as Error).message}`)),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
