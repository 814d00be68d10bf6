// A log's parameters decoded with its handler's ABI event, as viem's decodeEventLog (strict) does,
// with what depends only on the event worked out once: decodeEventLog hashes the event's signature
// on every call to find it in the ABI, while the handler has matched topic0 already.
import { type AbiEvent, type AbiParameter, decodeAbiParameters, type Hex, type RpcLog } from 'viem';
import type { EventData } from './ethereum-event.js';

interface DecodePlan {
  /** Positions of the indexed inputs, in topic order. */
  indexed: number[];
  /** The inputs ABI-encoded in the data, and their positions. */
  dataInputs: AbiParameter[];
  dataPositions: number[];
}

const PLANS = new WeakMap<AbiEvent, DecodePlan>();

function planFor(event: AbiEvent): DecodePlan {
  let plan = PLANS.get(event);
  if (!plan) {
    plan = { indexed: [], dataInputs: [], dataPositions: [] };
    event.inputs.forEach((input, position) => {
      if (input.indexed) {
        plan?.indexed.push(position);
      } else {
        plan?.dataInputs.push(input);
        plan?.dataPositions.push(position);
      }
    });
    PLANS.set(event, plan);
  }
  return plan;
}

/** An indexed string, bytes, tuple or array is stored as the keccak hash of its encoding: the topic. */
function hashedInTopic(input: AbiParameter): boolean {
  return input.type === 'string' || input.type === 'bytes' || input.type === 'tuple' || input.type.endsWith(']');
}

/** null: the log does not decode with this event (graph-node skips such a log). */
export function decodeEventParams(event: AbiEvent, log: RpcLog): EventData['params'] | null {
  const plan = planFor(event);
  const values: unknown[] = new Array(event.inputs.length);
  try {
    for (let i = 0; i < plan.indexed.length; i += 1) {
      const position = plan.indexed[i] as number;
      const input = event.inputs[position] as AbiParameter;
      const topic = log.topics[i + 1] as Hex | undefined;
      if (!topic) return null;
      values[position] = hashedInTopic(input) ? topic : decodeAbiParameters([input], topic)[0];
    }
    if (plan.dataInputs.length > 0) {
      const decoded = decodeAbiParameters(plan.dataInputs, log.data);
      for (let i = 0; i < decoded.length; i += 1) values[plan.dataPositions[i] as number] = decoded[i];
    }
  } catch {
    return null;
  }
  return event.inputs.map((input, position) => ({
    name: input.name ?? '',
    type: input,
    indexed: input.indexed === true,
    value: values[position],
  }));
}
