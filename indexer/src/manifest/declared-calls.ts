// Declared eth_calls of an event handler (specVersion 1.2.0+): `calls: { label: expression }` with
// expressions `Contract[address].function(arg, …)`, where the address and each argument are
// `event.address`, `event.params.<name>` (struct fields `event.params.<name>.<field|index>…` from
// 1.4.0) or a hex address. Parsed and checked as graph-node does when it loads the manifest
// (graph/src/data_source/common.rs, CallExpr::parse and CallArg::parse_with_abi).
import type { Abi, AbiEvent, AbiFunction, AbiParameter } from 'viem';

export type CallArg =
  | { kind: 'address' }
  | { kind: 'hex'; value: `0x${string}` }
  /** An event parameter by index, then tuple field indices into it. */
  | { kind: 'param'; index: number; path: number[] };

export interface DeclaredCall {
  label: string;
  contract: string;
  address: CallArg;
  /** The ABI's first function of that name, as graph-node picks it for declared calls. */
  function: AbiFunction;
  args: CallArg[];
}

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** `fail(detail)` throws the manifest error naming the field. */
export function parseDeclaredCalls(
  raw: unknown,
  abis: Map<string, Abi>,
  event: AbiEvent,
  specVersion: string,
  fail: (detail: string) => never,
): DeclaredCall[] {
  if (raw === undefined) return [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail('must map labels to call expressions');
  if (versionBelow(specVersion, '1.2.0')) return fail(`needs specVersion 1.2.0 or later, not ${specVersion}`);
  return Object.entries(raw as Record<string, unknown>).map(([label, expression]) => {
    const bad = (why: string): never => fail(`"${label}": ${why}`);
    if (typeof expression !== 'string') return bad('must be a string `Contract[address].function(args)`');
    const match = /^\s*([A-Za-z_][\w]*)\[([^\]]*)\]\.([A-Za-z_]\w*)\((.*)\)\s*$/.exec(expression);
    if (!match) return bad(`"${expression}" is not of the form \`Contract[address].function(arg, …)\``);
    const [, contract = '', addressText = '', name = '', argsText = ''] = match;
    const abi = abis.get(contract) ?? bad(`no ABI named "${contract}" in mapping.abis`);
    const fn =
      abi.find((item): item is AbiFunction => item.type === 'function' && item.name === name) ??
      bad(`ABI ${contract} has no function "${name}"`);
    const arg = (text: string) => parseArg(text.trim(), event, specVersion, bad);
    const args = argsText.trim() === '' ? [] : argsText.split(',').map(arg);
    if (args.length !== fn.inputs.length)
      bad(`${contract}.${name} takes ${fn.inputs.length} arguments, the expression passes ${args.length}`);
    return { label, contract, address: arg(addressText), function: fn, args };
  });
}

function parseArg(text: string, event: AbiEvent, specVersion: string, bad: (why: string) => never): CallArg {
  if (HEX_ADDRESS.test(text)) return { kind: 'hex', value: text.toLowerCase() as `0x${string}` };
  if (text === 'event.address') return { kind: 'address' };
  const [root, params, name, ...fields] = text.split('.');
  if (root !== 'event' || params !== 'params' || !name)
    return bad(`\`${text}\`: only event.address, event.params.<name> and hex addresses are allowed`);
  const index = event.inputs.findIndex((input) => input.name === name);
  if (index < 0) return bad(`\`${text}\`: event ${event.name} has no parameter "${name}"`);
  if (fields.length > 0 && versionBelow(specVersion, '1.4.0'))
    return bad(`\`${text}\`: struct field access needs specVersion 1.4.0 or later, not ${specVersion}`);
  let param: AbiParameter = event.inputs[index] as AbiParameter;
  const path = fields.map((field) => {
    const components = (param as { components?: readonly AbiParameter[] }).components ?? [];
    const at = /^\d+$/.test(field) ? Number(field) : components.findIndex((c) => c.name === field);
    const component = components[at] ?? bad(`\`${text}\`: "${field}" is not a field of ${param.name ?? 'the struct'}`);
    param = component;
    return at;
  });
  return { kind: 'param', index, path };
}

function versionBelow(version: string, minimum: string): boolean {
  const parts = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}
