// Declared eth_calls in the manifest, checked as graph-node checks them when it loads a manifest
// (graph/src/data_source/common.rs CallExpr::parse, CallArg::parse_with_abi).
import { type Abi, type AbiEvent, parseAbi } from 'viem';
import { describe, expect, it } from 'vitest';
import { parseDeclaredCalls } from './declared-calls.js';

const abi = parseAbi([
  'function balanceOf(address owner) view returns (uint256)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Moved((address who, uint256 amount) asset)',
]) as Abi;
const abis = new Map([['Token', abi]]);
const event = (name: string) => abi.find((i) => i.type === 'event' && i.name === name) as AbiEvent;
const parse = (calls: unknown, spec = '1.2.0', on = 'Transfer') =>
  parseDeclaredCalls(calls, abis, event(on), spec, (detail) => {
    throw new Error(detail);
  });

describe('declared calls', () => {
  it('parses address and argument expressions', () => {
    const [call] = parse({ 'Token.balanceOf': 'Token[event.address].balanceOf(event.params.to)' });
    expect(call).toMatchObject({
      label: 'Token.balanceOf',
      contract: 'Token',
      address: { kind: 'address' },
      args: [{ kind: 'param', index: 1, path: [] }],
    });
    expect(call?.function.name).toBe('balanceOf');
    const [fixed] = parse({
      a: 'Token[0x00000000000000000000000000000000000000AA].allowance(event.params.from, event.address)',
    });
    expect(fixed?.address).toEqual({ kind: 'hex', value: '0x00000000000000000000000000000000000000aa' });
  });

  it('resolves struct fields by name or index from specVersion 1.4.0', () => {
    const [call] = parse({ b: 'Token[event.params.asset.who].balanceOf(event.params.asset.0)' }, '1.4.0', 'Moved');
    expect(call?.address).toEqual({ kind: 'param', index: 0, path: [0] });
    expect(() => parse({ b: 'Token[event.params.asset.who].balanceOf(event.address)' }, '1.3.0', 'Moved')).toThrow(
      /struct field access needs specVersion 1.4.0/,
    );
  });

  it.each([
    [{ x: 'Token[event.address].balanceOf(event.params.to)' }, '1.0.0', /needs specVersion 1.2.0 or later/],
    [{ x: 'Token.balanceOf(event.params.to)' }, '1.2.0', /is not of the form/],
    [{ x: 'Coin[event.address].balanceOf(event.params.to)' }, '1.2.0', /no ABI named "Coin"/],
    [{ x: 'Token[event.address].ownerOf(event.params.to)' }, '1.2.0', /has no function "ownerOf"/],
    [{ x: 'Token[event.address].balanceOf()' }, '1.2.0', /takes 1 arguments, the expression passes 0/],
    [{ x: 'Token[event.address].balanceOf(event.params.owner)' }, '1.2.0', /has no parameter "owner"/],
    [{ x: 'Token[event.address].balanceOf(entity.owner)' }, '1.2.0', /only event.address, event.params/],
  ])('refuses %j at specVersion %s', (calls, spec, message) => {
    expect(() => parse(calls, spec)).toThrow(message);
  });
});
