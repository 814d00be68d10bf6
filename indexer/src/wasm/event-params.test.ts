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

const flat = parseAbiItem(
  'event Flat(address indexed borrower, int24 indexed tick, uint256 amount, int64 delta, bool open, bytes4 tag, uint8 small, address to)',
) as AbiEvent;
const flatArgs = {
  borrower: '0xabCDeF0123456789AbcdEf0123456789aBCDEF01',
  tick: -887_272,
  amount: 2n ** 255n + 12_345n,
  delta: -(2n ** 62n),
  open: true,
  tag: '0xdeadbeef',
  small: 255,
  to: '0x00000000000000000000000000000000000000aa',
} as const;

function flatLog(data?: Hex): RpcLog {
  const topics = encodeEventTopics({ abi: [flat], eventName: 'Flat', args: flatArgs } as never) as Hex[];
  const encoded = encodeAbiParameters(
    flat.inputs.filter((input) => !input.indexed),
    [flatArgs.amount, flatArgs.delta, flatArgs.open, flatArgs.tag, flatArgs.small, flatArgs.to],
  );
  return { address: '0x1111111111111111111111111111111111111111', topics, data: data ?? encoded } as unknown as RpcLog;
}

describe('decodeEventParams', () => {
  it('reads events of static types word by word with viem’s values (addresses in lower case)', () => {
    const log = flatLog();
    const { args: expected } = decodeEventLog({
      abi: [flat],
      data: log.data,
      topics: log.topics as never,
      strict: true,
    });
    const params = decodeEventParams(flat, log);
    const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
    const decoded = Object.fromEntries(params?.map((p) => [p.name, p.value]) ?? []);
    for (const [name, value] of Object.entries(expected as Record<string, unknown>)) {
      expect([name, lower(decoded[name])]).toEqual([name, typeof value === 'number' ? BigInt(value) : lower(value)]);
    }
  });

  it('gives null for a static event’s log viem refuses: short data, a bool word that is not 0 or 1', () => {
    const log = flatLog();
    expect(decodeEventParams(flat, flatLog(log.data.slice(0, log.data.length - 64) as Hex))).toBeNull();
    const badBool = `${log.data.slice(0, 2 + 64 * 2)}${'0'.repeat(63)}2${log.data.slice(2 + 64 * 3)}` as Hex;
    expect(() => decodeEventLog({ abi: [flat], data: badBool, topics: log.topics as never, strict: true })).toThrow();
    expect(decodeEventParams(flat, flatLog(badBool))).toBeNull();
  });

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
