// Declared eth_calls (graph-node chain/ethereum/src/data_source.rs, DecoderHook::after_decode):
// before a block's handlers run, the calls its event handlers declare are made together,
// asynchronously, and their successful answers fill the block's call cache, so the handlers'
// own `ethereum.call`s do not wait for the node one at a time. They are an optimisation only: a
// declared call that cannot be built (a value that does not fit the function) is left to the
// handler, whose own call reports the problem.
import { encodeFunctionData, type Hex } from 'viem';
import type { CallArg, DeclaredCall } from '../manifest/declared-calls.js';
import type { CallRequest } from './ethereum-calls.js';
import type { EventData } from './ethereum-event.js';

function argValue(arg: CallArg, address: string, params: EventData['params']): unknown {
  if (arg.kind === 'address') return address.toLowerCase();
  if (arg.kind === 'hex') return arg.value;
  let value = params[arg.index]?.value;
  for (const field of arg.path) value = Array.isArray(value) ? value[field] : Object.values(value as object)[field];
  return value;
}

/** The eth_call one declared call makes for a log, or null when its values do not fit. */
export function declaredCallRequest(
  call: DeclaredCall,
  address: string,
  params: EventData['params'],
): CallRequest | null {
  try {
    const to = argValue(call.address, address, params);
    if (typeof to !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(to)) return null;
    const data = encodeFunctionData({
      abi: [call.function],
      functionName: call.function.name,
      args: call.args.map((arg) => argValue(arg, address, params)),
    } as never);
    return { address: to.toLowerCase() as Hex, data };
  } catch {
    return null;
  }
}
