// Plain JSON-RPC with batching: the simulator sends hundreds of transactions per block, and one
// HTTP request per batch is what makes 100,000 events in minutes possible.
export interface RpcRequest {
  method: string;
  params: unknown[];
}

export class RpcError extends Error {}

export class JsonRpc {
  private nextId = 1;

  constructor(readonly url: string) {}

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const [result] = await this.batch<T>([{ method, params }]);
    return result as T;
  }

  /** Sends the requests in one HTTP call; results come back in request order. */
  async batch<T>(requests: RpcRequest[], chunkSize = 500): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < requests.length; start += chunkSize) {
      const chunk = requests.slice(start, start + chunkSize);
      const firstId = this.nextId;
      this.nextId += chunk.length;
      const body = chunk.map((request, index) => ({ jsonrpc: '2.0', id: firstId + index, ...request }));
      let response: Response;
      try {
        response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch {
        throw new RpcError(`no chain is reachable at ${this.url}; start one with \`pnpm chain\`.`);
      }
      if (!response.ok) throw new RpcError(`the chain at ${this.url} answered HTTP ${response.status}`);
      const answers = (await response.json()) as Array<{ id: number; result?: T; error?: { message: string } }>;
      answers.sort((a, b) => a.id - b.id);
      for (const [index, answer] of answers.entries()) {
        if (answer.error) throw new RpcError(`${chunk[index]?.method} failed: ${answer.error.message}`);
        results.push(answer.result as T);
      }
    }
    return results;
  }
}
