import {
  type AbiEvent,
  decodeEventLog,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  parseAbiItem,
  type RpcLog,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeEventParams } from './event-params.js';

const event = parseAbiItem(
  'event Mixed(address indexed who, string indexed label, uint96 indexed amount, bytes data, (uint8 a, bool b) pair, int16[] list)',
) as AbiEvent;
const args = {
  who: '0x00000000000000000000000000000000000000aa',
  label: 'héllo',
  amount: 12_345_678_901n,
  data: '0xdeadbeef',
  pair: { a: 7, b: true },
  list: [-3, 300],
} as const;

function mixedLog(overrides: Partial<RpcLog> = {}): RpcLog {
  const topics = encodeEventTopics({ abi: [event], eventName: 'Mixed', args } as never) as Hex[];
  const data = encodeAbiParameters(
    event.inputs.filter((input) => !input.indexed),
    [args.data, args.pair, args.list],
  );
  return { address: '0x1111111111111111111111111111111111111111', topics, data, ...overrides } as RpcLog;
}

describe('decodeEventParams', () => {
  it('decodes as viem’s decodeEventLog does: indexed values from topics, dynamic ones as their hash', () => {
    const log = mixedLog();
    const { args: expected } = decodeEventLog({
      abi: [event],
      data: log.data,
      topics: log.topics as never,
      strict: true,
    });
    const params = decodeEventParams(event, log);
    expect(params?.map((p) => p.name)).toEqual(['who', 'label', 'amount', 'data', 'pair', 'list']);
    expect(params?.map((p) => p.indexed)).toEqual([true, true, true, false, false, false]);
    expect(Object.fromEntries(params?.map((p) => [p.name, p.value]) ?? [])).toEqual(expected);
    expect(params?.[1]?.value).toBe(log.topics[2]);
  });

  it('gives null for a log the event does not decode (graph-node skips it)', () => {
    const log = mixedLog();
    expect(decodeEventParams(event, mixedLog({ topics: log.topics.slice(0, 3) as RpcLog['topics'] }))).toBeNull();
    expect(decodeEventParams(event, mixedLog({ data: log.data.slice(0, 66) as Hex }))).toBeNull();
    expect(decodeEventParams(event, mixedLog({ data: '0x' }))).toBeNull();
  });
});
