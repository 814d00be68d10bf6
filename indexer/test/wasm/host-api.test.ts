// graph-ts's host API exercised by a fixture subgraph compiled with graph-cli in this test
// (test/fixtures/wasm/host-api), against graph-node's results: runtime/test/src/test.rs and
// runtime/test/wasm_test/api_version_0_0_5/*.ts for BigInt/conversions, graph/src/data/store/
// scalar/bigdecimal.rs for BigDecimal (34 significant digits; half-up for positives, truncation
// for negatives), runtime/wasm/src/host_exports.rs for json, ethereum ABI coding and the store.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HandlerError, loadSubgraph, type SubgraphHarness } from '../../src/testing/index.js';
import { buildFixture } from './build-fixture.js';

const fixture = join(import.meta.dirname, '../fixtures/wasm/host-api');
const PROBE = '0x00000000000000000000000000000000000000aa';
let sg: SubgraphHarness;

beforeAll(async () => {
  sg = await loadSubgraph({ manifest: buildFixture(fixture) });
  await sg.handleEvent({
    dataSource: 'Probe',
    address: PROBE,
    event: 'Probe',
    args: { n: 7n, text: 'héllo ✓', data: '0xdeadbeef' },
    block: { number: 5, timestamp: 1_700_000_000 },
  });
});

const value = (name: string) => sg.get('Check', name)?.value;

describe('BigInt (graph-node runtime/test)', () => {
  it.each([
    ['bigInt.plus', '123456789012345678901234567891'],
    ['bigInt.minus', '-2'],
    ['bigInt.times', '-9999999999800000000001'],
    ['bigInt.div', '2'],
    ['bigInt.div.negative', '-2'],
    ['bigInt.mod', '1'],
    ['bigInt.mod.negative', '-1'],
    ['bigInt.pow', '1267650600228229401496703205376'],
    ['bigInt.toHex.zero', '0x0'],
    ['bigInt.toHex', '0xff'],
    ['bigInt.leftShift', '1267650600228229401496703205376'],
    ['bigInt.rightShift.negative', '-4'],
    ['bigInt.bitOr', '15'],
    ['bigInt.bitAnd', '8'],
    ['bigInt.divDecimal', '0.125'],
    ['bigInt.fromI64', '18446744073709551615'],
  ])('%s = %s', (name, expected) => expect(value(name)).toBe(expected));
});

describe('BigDecimal (graph-node bigdecimal.rs)', () => {
  it.each([
    ['bigDecimal.div.third', '0.3333333333333333333333333333333333'],
    ['bigDecimal.div.twoThirds', '0.6666666666666666666666666666666667'],
    ['bigDecimal.div.negativeTwoThirds', '-0.6666666666666666666666666666666666'],
    ['bigDecimal.fromString.exponent', '0.00001'],
    ['bigDecimal.times', '1500'],
    ['bigDecimal.plus', '0.3'],
    // fromString keeps 34 significant digits, so 1.000…0001 (37 digits) is 1 and the difference 0.
    ['bigDecimal.minus', '0'],
    ['bigDecimal.equals', 'true'],
    ['bigDecimal.digits', '12345e-2'],
  ])('%s = %s', (name, expected) => expect(value(name)).toBe(expected));
});

describe('conversions, crypto, json, ABI coding', () => {
  it.each([
    ['bytes.toHex', '0xabcdef'],
    ['bytes.toHex.empty', '0x'],
    ['bytes.toHex.all', '0x00017f80feff'],
    ['bytes.toBase58', '115T'],
    ['bytes.toString', 'hi'],
    ['address.fromString', PROBE],
    ['crypto.keccak256', '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'],
    ['event.text', 'héllo ✓'],
    ['event.n', '7'],
    ['event.data', '0xdeadbeef'],
    ['event.block', '5'],
    ['dataSource.address', PROBE],
    ['dataSource.network', 'localhost'],
    ['json.toBigInt', '12345678901234567890'],
    ['json.list', '3,x'],
    ['json.toF64', '1.5'],
    ['json.try.error', 'error'],
    ['ethereum.encode', `0x${'0'.repeat(63)}1${'0'.repeat(62)}aa`],
    ['ethereum.decode', `1,${PROBE}`],
    ['ethereum.decode.bad', 'null'],
  ])('%s = %s', (name, expected) => expect(value(name)).toBe(expected));
});

describe('store and data sources', () => {
  it('merges sets, sees this handler’s writes and loads derived entities', () => {
    expect(value('store.merge')).toBe('99');
    expect(value('memory.grow')).toBe(`0007,${3 * 1024 * 1024}`);
    expect(value('memory.grow.load')).toBe('0007');
    expect(value('store.merge.partial')).toBe('first,2');
    expect(value('store.merge.unset')).toBe('null,3');
    expect(sg.get('Note', 'n')).toEqual({ id: 'n', label: null, count: 3 });
    expect(value('store.loadRelated')).toBe('3');
    expect(sg.all('Child').map((c) => [c.id, c.amount])).toEqual([
      ['c0', 0n],
      ['c1', 99n],
      ['c2', 20n],
    ]);
  });

  it('creates a template with its context, which receives the block’s later events', async () => {
    expect(sg.dataSources()).toEqual([
      {
        template: 'Spawned',
        address: '0x00000000000000000000000000000000000000bb',
        context: [['label', 'String', 'spawned-7']],
        startBlock: 5,
      },
    ]);
    await sg.handleEvent({
      dataSource: 'Spawned',
      address: '0x00000000000000000000000000000000000000bb',
      event: 'Probe',
      args: { n: 1n, text: '', data: '0x' },
      block: { number: 5 },
    });
    expect(value('template.context')).toBe('spawned-7');
    expect(value('template.address')).toBe('0x00000000000000000000000000000000000000bb');
  });

  // graph-node instantiates the module for every trigger (runtime/wasm/src/module/mod.rs); this
  // host resets one kept instance instead, which must look exactly like a fresh one.
  it('starts every trigger with the module globals as a fresh instance has them', async () => {
    for (const [n, number] of [
      [8n, 6],
      [9n, 6],
      [10n, 7],
    ] as const) {
      await sg.handleEvent({
        dataSource: 'Probe',
        address: PROBE,
        event: 'Probe',
        args: { n, text: 'x'.repeat(5000), data: '0x' },
        block: { number },
      });
    }
    expect(sg.runtime.modules.get(sg.runtime.manifest.dataSources[0]?.wasmFile ?? '')?.resetsInstances).toBe(true);
    for (const n of ['7', '8', '9', '10']) expect(value(`globals.${n}`)).toBe(`1:start,${n}`);
  });

  it('reports an abort with handler, block, message and source location, and keeps nothing of the block', async () => {
    const before = sg.all('Check').length;
    const failure = sg.handleEvent({
      dataSource: 'Probe',
      address: PROBE,
      event: 'Boom',
      args: {},
      block: { number: 9 },
    });
    await expect(failure).rejects.toBeInstanceOf(HandlerError);
    await expect(failure).rejects.toThrow(
      /^Mapping aborted at src\/mapping\.ts, line \d+, column \d+, with message: boom at block 9 in handler `handleBoom` at block #9 \(0x[0-9a-f]{64}\), transaction 0x[0-9a-f]{64}$/,
    );
    expect(sg.all('Check')).toHaveLength(before);
  });

  it.each([
    [0, 'Entity Child[new]: missing value for non-nullable field `amount`'],
    [1, 'Entity Child[c0]: the value of field `amount` must have type BigInt! but has type String'],
    [2, 'Attempted to set undefined field `nickname` on entity Child[c0]'],
    [3, 'Entity Parent[p]: field `children` is derived and cannot be set'],
    [4, 'Entity Child[c0]: missing value for non-nullable field `amount`'],
    [5, "Value of Child attribute 'id' conflicts with ID passed to `store.set()`: c0 != c9"],
    [6, 'Entity Check[list]: the value of field `value` must have type String! but has type List'],
  ])('refuses invalid save %i with graph-node’s message and keeps the entity as it was', async (kind, message) => {
    const failure = sg.handleEvent({
      dataSource: 'Probe',
      address: PROBE,
      event: 'InvalidSave',
      args: { kind: BigInt(kind) },
      block: { number: 20 + kind },
    });
    await expect(failure).rejects.toBeInstanceOf(HandlerError);
    await expect(failure).rejects.toThrow(message);
    expect(sg.get('Child', 'c0')).toEqual({ id: 'c0', parent: 'p', amount: 0n });
  });
});
