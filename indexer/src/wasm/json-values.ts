// graph-ts JSONValue in mapping memory (graph-node runtime/wasm/src/asc_abi/class.rs): numbers keep
// their source text (graph-ts converts them with json.toI64/toU64/toF64/toBigInt), objects keep
// their key order.
import { type AscMemory, MappingAbort } from './asc-memory.js';

export type Json =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: Json[] }
  | { kind: 'object'; entries: Array<[string, Json]> };

export class JsonSyntaxError extends Error {}

/** A JSON parser that keeps each number's text (JSON.parse would round big integers). */
export function parseJson(text: string): Json {
  let at = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${at}`);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at += 1;
  };
  const value = (depth: number): Json => {
    if (depth > 128) fail('JSON nested too deeply');
    space();
    const c = text[at];
    if (c === '{') {
      at += 1;
      const entries: Array<[string, Json]> = [];
      space();
      if (text[at] === '}') {
        at += 1;
        return { kind: 'object', entries };
      }
      for (;;) {
        space();
        const key = value(depth + 1);
        if (key.kind !== 'string') fail('expected a string key');
        space();
        if (text[at] !== ':') fail('expected ":"');
        at += 1;
        entries.push([(key as { value: string }).value, value(depth + 1)]);
        space();
        if (text[at] === ',') at += 1;
        else if (text[at] === '}') {
          at += 1;
          return { kind: 'object', entries };
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      at += 1;
      const items: Json[] = [];
      space();
      if (text[at] === ']') {
        at += 1;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        if (text[at] === ',') at += 1;
        else if (text[at] === ']') {
          at += 1;
          return { kind: 'array', items };
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters
      const match = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(at));
      if (!match) fail('invalid string');
      at += (match as RegExpExecArray)[0].length;
      return { kind: 'string', value: JSON.parse((match as RegExpExecArray)[0]) as string };
    }
    const literal = /^(true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at));
    if (!literal) fail('unexpected character');
    const token = (literal as RegExpExecArray)[0];
    at += token.length;
    if (token === 'true' || token === 'false') return { kind: 'bool', value: token === 'true' };
    if (token === 'null') return { kind: 'null' };
    return { kind: 'number', text: token };
  };
  const result = value(0);
  space();
  if (at !== text.length) fail('unexpected trailing characters');
  return result;
}

const JSON_KIND = { null: 0, bool: 1, number: 2, string: 3, array: 4, object: 5 } as const;
const JsonType = {
  ArrayJsonValue: 17,
  ArrayTypedMapEntryStringJsonValue: 20,
  WrappedJsonValue: 29,
  WrappedBool: 28,
  JsonValue: 32,
  TypedMapEntryStringJsonValue: 35,
  TypedMapStringJsonValue: 37,
  ResultJsonValueBool: 40,
} as const;

export function writeJson(memory: AscMemory, value: Json): number {
  const write = (payload: number | bigint) =>
    memory.writeEnum(JsonType.JsonValue, JSON_KIND[value.kind], BigInt(payload));
  switch (value.kind) {
    case 'null':
      return write(0);
    case 'bool':
      return write(value.value ? 1 : 0);
    case 'number':
      return write(memory.writeString(value.text));
    case 'string':
      return write(memory.writeString(value.value));
    case 'array':
      return write(
        memory.writeArray(
          JsonType.ArrayJsonValue,
          value.items.map((item) => writeJson(memory, item)),
        ),
      );
    case 'object': {
      const entries = value.entries.map(([key, item]) =>
        memory.writeStruct(JsonType.TypedMapEntryStringJsonValue, [memory.writeString(key), writeJson(memory, item)]),
      );
      const map = memory.writeStruct(JsonType.TypedMapStringJsonValue, [
        memory.writeArray(JsonType.ArrayTypedMapEntryStringJsonValue, entries),
      ]);
      return write(map);
    }
  }
}

/** Result<JSONValue, bool>: the value, or `true` as the error. */
export function writeJsonResult(memory: AscMemory, value: Json | null): number {
  if (value === null) {
    const error = memory.writeObject(JsonType.WrappedBool, Uint8Array.of(1));
    return memory.writeStruct(JsonType.ResultJsonValueBool, [0, error]);
  }
  const wrapped = memory.writeStruct(JsonType.WrappedJsonValue, [writeJson(memory, value)]);
  return memory.writeStruct(JsonType.ResultJsonValueBool, [wrapped, 0]);
}

export const MAX_JSON_BYTES = 10_000_000;

export function decodeJsonBytes(bytes: Uint8Array): Json {
  if (bytes.length > MAX_JSON_BYTES) throw new MappingAbort(`JSON data is larger than ${MAX_JSON_BYTES} bytes`);
  return parseJson(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
}
