// The chain state the WASM host's ethereum.call / getBalance / hasCode read, over JSON-RPC: the
// handler's synchronous calls go through BlockingRpc's worker, the declared calls prefetched
// before a block through an ordinary (batching) RpcClient. Which node errors are reverts follows
// graph-node's chain/ethereum/src/call_helper.rs.
import { type Hex, toHex } from 'viem';
import type { CallBlock, CallOutcome, CallRequest, EthereumChain } from '../wasm/ethereum-calls.js';
import { BlockingRpc } from './blocking-rpc.js';
import { RpcClient, type RpcClientOptions, RpcError } from './rpc-client.js';

/** Substrings of an error message that mean the EVM reverted or halted (call_helper.rs). */
const EXECUTION_ERRORS = [
  'revert',
  'invalid jump destination',
  'invalid opcode',
  'stack limit reached 1024',
  'out of gas',
  'stack underflow',
  'vm execution error',
  'invalidjump',
  'notactivated',
  'invalidfeopcode',
  'stackunderflow',
  'stackoverflow',
  'opcodenotfound',
];

export function isRevert(error: unknown): error is RpcError {
  if (!(error instanceof RpcError)) return false;
  const message = error.details.toLowerCase();
  return EXECUTION_ERRORS.some((e) => message.includes(e));
}

/** EIP-1898 by hash where the block is known by hash (graph-node's block_ptr_to_id). */
function blockParam(block: CallBlock): unknown {
  return block.hash ? { blockHash: block.hash } : toHex(block.number);
}

function outcomeOf(data: Hex): CallOutcome {
  // graph-node: "a view call is meant to return something", so `0x` counts as a revert.
  return data === '0x' ? { reverted: 'empty response' } : { data };
}

export class RpcEthereumChain implements EthereumChain {
  readonly blocking: BlockingRpc;
  private client: RpcClient | null = null;

  /** `onRequest` sees every request, the handlers' (through the worker) and the declared calls. */
  constructor(
    readonly url: string,
    private readonly options: Pick<RpcClientOptions, 'onRequest'> = {},
  ) {
    this.blocking = new BlockingRpc(url, options);
  }

  /**
   * No gas field: graph-node sends 50,000,000 (ETH_CALL_GAS, Geth's default cap, which a Geth
   * node applies anyway when none is given), but Hardhat's EDR refuses anything above 2^24, so the
   * call is made as graph-node makes it for the networks in GRAPH_ETH_CALL_NO_GAS.
   */
  private callParams(request: CallRequest, block: CallBlock): unknown[] {
    return [{ to: request.address, data: request.data }, blockParam(block)];
  }

  call(request: CallRequest, block: CallBlock): CallOutcome {
    try {
      return outcomeOf(this.blocking.request<Hex>('eth_call', this.callParams(request, block)));
    } catch (error) {
      if (isRevert(error)) return { reverted: error.details };
      throw error;
    }
  }

  async callAll(requests: CallRequest[], block: CallBlock): Promise<CallOutcome[]> {
    this.client ??= new RpcClient({ url: this.url, ...this.options });
    const client = this.client;
    return Promise.all(
      requests.map((request) =>
        client.request<Hex>('eth_call', this.callParams(request, block)).then(outcomeOf, (error: unknown) => {
          if (isRevert(error)) return { reverted: error.details };
          throw error;
        }),
      ),
    );
  }

  balance(address: Hex, block: CallBlock): bigint {
    return BigInt(this.blocking.request<Hex>('eth_getBalance', [address, blockParam(block)]));
  }

  code(address: Hex, block: CallBlock): Hex {
    return this.blocking.request<Hex>('eth_getCode', [address, blockParam(block)]);
  }

  close(): void {
    this.blocking.close();
    this.client?.close();
  }
}
