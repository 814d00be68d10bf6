// Reading and writing AssemblyScript 0.19 objects in a mapping's linear memory, in the layout
// graph-node uses for apiVersion >= 0.0.5 (graph-node runtime/wasm/src/asc_abi/v0_0_5.rs,
// graph/src/runtime/asc_ptr.rs). Every object has a 20-byte header (mmInfo, gcInfo, gcInfo2, rtId,
// rtSize) before its pointer; the host allocates in arenas obtained from the module's `allocate`
// export and never frees, as graph-node does.

/** graph-node's IndexForAscTypeId (graph/src/runtime/mod.rs): what `id_of_type` is asked for. */
export const TypeIndex = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  WrappedBool: 28,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
  TransactionReceipt: 1000,
  Log: 1001,
  ArrayH256: 1002,
  ArrayLog: 1003,
  ArrayTypedMapStringStoreValue: 1004,
} as const;

const HEADER_SIZE = 20;
const ARENA_MIN = 65_536;
const ARENA_ALIGNMENT_OFFSET = 12;
const MAX_NESTING = 128;
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export class MappingAbort extends Error {}

/** Bytes an object with `length` content bytes takes, header and padding to 16 included. */
export function objectSize(length: number): number {
  return (HEADER_SIZE + length + 15) & ~15;
}

const HEX_DIGITS = '0123456789abcdef';
/** UTF-16LE "0x" as one little-endian word, and each byte's two hex digits likewise. */
const HEX_PREFIX = 0x30 | (0x78 << 16);
const HEX_PAIRS = Uint32Array.from({ length: 256 }, (_, byte) => {
  const high = HEX_DIGITS.charCodeAt(byte >> 4);
  const low = HEX_DIGITS.charCodeAt(byte & 15);
  return high | (low << 16);
});

/** What stays valid for every instance of one compiled module. */
export class ModuleMemoryCache {
  /** Run-time type ids by IndexForAscTypeId, -1 until asked (graph-node's indexes stay below 4096). */
  readonly typeIds = new Int32Array(4096).fill(-1);
  /** Strings below the heap (data segments, `_start`'s objects) are the same in every instance. */
  readonly staticStrings = new Map<number, string>();
  /**
   * The same strings by text, for the entity field names among them: the host writes a field name
   * by pointing at the mapping's own literal (strings are immutable), no copy.
   */
  readonly staticKeys = new Map<string, number>();
  /** Where the heap starts after `_start`; 0 when unknown (then nothing is taken as static). */
  heapStart = 0;
}

// UTF-16 of the strings the host writes over and over (entity field names): they are few.
const KNOWN_STRINGS = new Map<string, Buffer>();
const KNOWN_STRINGS_MAX = 10_000;

interface MemoryExports {
  memory: WebAssembly.Memory;
  allocate(size: number): number;
  id_of_type(index: number): number;
}

export class AscMemory {
  private arenaStart = 0;
  private arenaFree = 0;
  /**
   * Strings the host wrote in this trigger that the mapping hands back (field names, hex ids), by
   * pointer: strings are immutable, so they are not decoded again.
   */
  private readonly writtenStrings = new Map<number, string>();

  constructor(
    private readonly exports: MemoryExports,
    readonly cache: ModuleMemoryCache = new ModuleMemoryCache(),
  ) {}

  private buffer: ArrayBuffer | null = null;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private bytes: Uint8Array = new Uint8Array(0);
  /** The memory as aligned little-endian words: every object the host writes is 4-aligned. */
  private words: Uint32Array = new Uint32Array(0);

  /**
   * Follows the memory after the WASM code ran: growing detaches the old buffer. Called when a
   * host function is entered and after every call into the module, so reads in between are plain
   * view accesses (reading `memory.buffer` on every access costs more than the access itself).
   */
  sync(): void {
    // Growing detaches the old buffer (its views read as empty): only then is `memory.buffer`,
    // a costly getter, read again.
    if (this.bytes.length !== 0) return;
    const buffer = this.exports.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.view = new DataView(buffer);
      this.bytes = new Uint8Array(buffer);
      this.words = new Uint32Array(buffer);
    }
  }

  /** A fresh trigger on a reset instance: the host's arena starts anew. */
  resetArena(): void {
    this.arenaStart = 0;
    this.arenaFree = 0;
    this.writtenStrings.clear();
    this.sync();
  }

  typeId(index: number): number {
    const id = this.cache.typeIds[index] as number;
    if (id >= 0) return id;
    const asked = this.exports.id_of_type(index) >>> 0;
    this.cache.typeIds[index] = asked;
    return asked;
  }

  // ---- reading ----

  u32(ptr: number): number {
    return this.view.getUint32(ptr, true);
  }

  i32(ptr: number): number {
    return this.view.getInt32(ptr, true);
  }

  i64(ptr: number): bigint {
    return this.view.getBigInt64(ptr, true);
  }

  f64(ptr: number): number {
    return this.view.getFloat64(ptr, true);
  }

  /** Content length of the object at `ptr` (rtSize in its header). */
  size(ptr: number): number {
    return this.u32(ptr - 4);
  }

  readString(ptr: number): string {
    if (ptr === 0) throw new MappingAbort('null string passed to a host function');
    if (ptr < this.cache.heapStart) return this.staticString(ptr);
    return this.writtenStrings.get(ptr) ?? this.decodeString(ptr);
  }

  /** A string below the heap: a literal of the mapping, or one `_start` made, alike in every trigger. */
  private staticString(ptr: number): string {
    let text = this.cache.staticStrings.get(ptr);
    if (text === undefined) {
      text = this.decodeString(ptr);
      this.cache.staticStrings.set(ptr, text);
    }
    return text;
  }

  private decodeString(ptr: number): string {
    const length = this.size(ptr);
    // Node's UTF-16LE decoder is native and keeps lone surrogates, which the check below refuses.
    const text = Buffer.from(this.bytes.buffer, ptr, length).toString('utf16le');
    if (SURROGATE.test(text) && LONE_SURROGATE.test(text)) throw new MappingAbort('string contains a lone surrogate');
    return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  }

  /** A Uint8Array (Bytes, Address, BigInt): its bytes, copied. */
  readBytes(ptr: number): Uint8Array {
    if (ptr === 0) throw new MappingAbort('null bytes passed to a host function');
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return this.bytes.slice(dataStart, dataStart + byteLength);
  }

  /**
   * The string `0x` + the lower-case hex of the Uint8Array at `ptr` (bytesToHex, which entity
   * classes call for every Bytes id), written as UTF-16 code unit pairs, one word per byte.
   */
  writeHexOfBytes(ptr: number): number {
    if (ptr === 0) throw new MappingAbort('null bytes passed to a host function');
    const dataStart = this.u32(ptr + 4);
    const length = this.u32(ptr + 8);
    const out = this.writeObject(TypeIndex.String, 4 + length * 4);
    const words = this.words;
    const bytes = this.bytes;
    const at = out >>> 2;
    words[at] = HEX_PREFIX;
    for (let i = 0; i < length; i += 1) words[at + 1 + i] = HEX_PAIRS[bytes[dataStart + i] as number] as number;
    return out;
  }

  /** Array<T>: the element words (pointers or i32s). */
  readArrayWords(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4);
    const length = this.i32(ptr + 12);
    const words: number[] = [];
    for (let i = 0; i < length; i += 1) words.push(this.u32(dataStart + i * 4));
    return words;
  }

  readBigInt(ptr: number): bigint {
    if (ptr === 0) throw new MappingAbort('null bytes passed to a host function');
    const start = this.u32(ptr + 4);
    const length = this.u32(ptr + 8);
    const bytes = this.bytes;
    if (length <= SMALL_BYTES) return smallBytesToBigInt(bytes, start, length);
    // Up to 16 bytes read as two words in place; what follows them in memory is masked off.
    if (length <= 16 && start + 16 <= bytes.length) {
      const view = this.view;
      const low = view.getBigUint64(start, true);
      return BigInt.asIntN(length * 8, length <= 8 ? low : (view.getBigUint64(start + 8, true) << 64n) | low);
    }
    // Decoded in place: the bytes are not kept, so no copy.
    return bytesToBigInt(bytes.subarray(start, start + length));
  }

  // ---- writing ----

  private allocateRaw(size: number): number {
    if (this.arenaFree - this.arenaStart < size) {
      const arenaSize = Math.max(size, ARENA_MIN - ARENA_ALIGNMENT_OFFSET);
      this.arenaStart = this.allocateBlock(arenaSize);
      this.arenaFree = this.arenaStart + arenaSize;
    }
    const ptr = this.arenaStart;
    this.arenaStart += size;
    return ptr;
  }

  /** `size` bytes from the mapping's `allocate`, for objects placed from the returned address on. */
  private allocateBlock(size: number): number {
    // `allocate` returns a 16-aligned block after its 4-byte mmInfo: starting 12 bytes in puts
    // every object pointer (header + 20) on a 16-byte boundary, which AssemblyScript's
    // __realloc asserts when a mapping grows an array the host wrote (graph-node's raw_new).
    const start = this.exports.allocate(size + ARENA_ALIGNMENT_OFFSET) + ARENA_ALIGNMENT_OFFSET;
    if (start % 4 !== 0) throw new MappingAbort("the mapping's `allocate` returned an unaligned block");
    this.sync();
    return start;
  }

  /**
   * Writes an object of type `typeIndex` with `content` (bytes, or a length to fill in place
   * afterwards), returns its pointer.
   */
  writeObject(typeIndex: number, content: Uint8Array | number): number {
    const length = typeof content === 'number' ? content : content.length;
    const padded = ((HEADER_SIZE + length + 15) & ~15) - HEADER_SIZE;
    const ptr = this.place(this.allocateRaw(HEADER_SIZE + padded), this.typeId(typeIndex), length);
    const bytes = this.bytes;
    let filled = 0;
    if (typeof content !== 'number') {
      // A loop beats the builtin copy for the few bytes of most values.
      if (length > 32) bytes.set(content, ptr);
      else for (let i = 0; i < length; i += 1) bytes[ptr + i] = content[i] as number;
      filled = length;
    }
    for (let i = filled; i < padded; i += 1) bytes[ptr + i] = 0;
    return ptr;
  }

  /**
   * Writes `texts` as strings in one block from `allocate`, for a kept instance before its initial
   * memory is copied: they then lie below the heap in every trigger, and writeKey points entity
   * field names at them instead of writing a name the module has no literal for on every load.
   */
  writeStaticStrings(texts: Iterable<string>): void {
    const fresh = [...new Set(texts)].filter((text) => !this.cache.staticKeys.has(text));
    const size = fresh.reduce((total, text) => total + objectSize(text.length * 2), 0);
    if (size === 0) return;
    let at = this.allocateBlock(size);
    const rtId = this.typeId(TypeIndex.String);
    for (const text of fresh) {
      const ptr = this.place(at, rtId, text.length * 2);
      this.bytes.set(Buffer.from(text, 'utf16le'), ptr);
      this.cache.staticKeys.set(text, ptr);
      this.cache.staticStrings.set(ptr, text);
      at += objectSize(text.length * 2);
    }
  }

  /**
   * Room for `size` bytes of objects written together (an entity field: its entry, value and
   * payload), placed with `place` at 16-byte steps; fewer allocations and calls than one by one.
   */
  reserve(size: number): number {
    return this.allocateRaw(size);
  }

  /** The header of an object of `length` content bytes at `start`; returns the object's pointer. */
  place(start: number, rtId: number, length: number): number {
    const words = this.words;
    const at = start >>> 2;
    words[at] = objectSize(length) - 4;
    words[at + 1] = 0;
    words[at + 2] = 0;
    words[at + 3] = rtId;
    words[at + 4] = length;
    return start + HEADER_SIZE;
  }

  /** Content words of an object written with `place` (the memory as little-endian u32s). */
  get wordView(): Uint32Array {
    return this.words;
  }

  get byteView(): Uint8Array {
    return this.bytes;
  }

  writeString(text: string): number {
    return this.writeObject(TypeIndex.String, Buffer.from(text, 'utf16le'));
  }

  /** An entity field name: written often, and read back when the mapping saves the entity. */
  writeKey(text: string): number {
    const literal = this.cache.staticKeys.get(text);
    if (literal !== undefined) return literal;
    let utf16 = KNOWN_STRINGS.get(text);
    if (!utf16) {
      utf16 = Buffer.from(text, 'utf16le');
      if (KNOWN_STRINGS.size < KNOWN_STRINGS_MAX) KNOWN_STRINGS.set(text, utf16);
    }
    const ptr = this.writeObject(TypeIndex.String, utf16);
    this.writtenStrings.set(ptr, text);
    return ptr;
  }

  /** An entity field name: usually a literal of the mapping (static) or one the host wrote. */
  readKey(ptr: number): string {
    if (ptr === 0 || ptr >= this.cache.heapStart) return this.readString(ptr);
    let text = this.cache.staticStrings.get(ptr);
    if (text === undefined) {
      text = this.decodeString(ptr);
      this.cache.staticStrings.set(ptr, text);
      if (!this.cache.staticKeys.has(text)) this.cache.staticKeys.set(text, ptr);
    }
    return text;
  }

  /** Whether the Uint8Array at `ptr` holds exactly `expected`. */
  holdsBytes(ptr: number, expected: Uint8Array): boolean {
    const length = this.u32(ptr + 8);
    if (length !== expected.length) return false;
    const start = this.u32(ptr + 4);
    const bytes = this.bytes;
    for (let i = 0; i < length; i += 1) if (bytes[start + i] !== expected[i]) return false;
    return true;
  }

  /** Whether the string at `ptr` is `utf16` (its UTF-16LE bytes). */
  holdsString(ptr: number, utf16: Uint8Array): boolean {
    if (this.size(ptr) !== utf16.length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < utf16.length; i += 1) if (bytes[ptr + i] !== utf16[i]) return false;
    return true;
  }

  writeBytes(data: Uint8Array, typeIndex: number = TypeIndex.Uint8Array): number {
    const buffer = this.writeObject(TypeIndex.ArrayBuffer, data);
    const view = this.writeObject(typeIndex, 12);
    const words = this.words;
    const at = view >>> 2;
    words[at] = buffer;
    words[at + 1] = buffer;
    words[at + 2] = data.length;
    return view;
  }

  private writeWords(typeIndex: number, values: number[]): number {
    const ptr = this.writeObject(typeIndex, values.length * 4);
    const words = this.words;
    const at = ptr >>> 2;
    for (let i = 0; i < values.length; i += 1) words[at + i] = values[i] as number;
    return ptr;
  }

  writeBigInt(value: bigint): number {
    const length = bigIntToWords(value);
    if (length < 0) return this.writeBytes(wideBigIntToBytes(value));
    return this.writeBytes(WORD_BYTES.subarray(0, length));
  }

  /** An Array of object pointers. */
  writeArray(typeIndex: number, elements: number[]): number {
    const buffer = this.writeWords(TypeIndex.ArrayBuffer, elements);
    return this.writeWords(typeIndex, [buffer, buffer, elements.length * 4, elements.length]);
  }

  /** A Value / ethereum.Value / JSONValue enum: kind i32, padding, u64 payload. */
  writeEnum(typeIndex: number, kind: number, payload: bigint): number {
    const ptr = this.writeObject(typeIndex, 16);
    const view = this.view;
    view.setInt32(ptr, kind, true);
    view.setBigUint64(ptr + 8, BigInt.asUintN(64, payload), true);
    return ptr;
  }

  /**
   * The same with a payload that fits 32 bits — an i32 (sign-extended to 64, as graph-node's
   * EnumPayload from i32), a bool or an object pointer (below 4 GiB, so never negative) — without
   * the BigInt the 64-bit form needs.
   */
  writeWordEnum(typeIndex: number, kind: number, payload: number): number {
    const ptr = this.writeObject(typeIndex, 16);
    const words = this.words;
    const at = ptr >>> 2;
    words[at] = kind;
    words[at + 2] = payload;
    words[at + 3] = payload < 0 ? -1 : 0;
    return ptr;
  }

  /** A TypedMapEntry: key and value pointers. */
  writePair(typeIndex: number, first: number, second: number): number {
    const ptr = this.writeObject(typeIndex, 8);
    const words = this.words;
    words[ptr >>> 2] = first;
    words[(ptr >>> 2) + 1] = second;
    return ptr;
  }

  /** A class whose fields are all object pointers (or null). */
  writeStruct(typeIndex: number, fields: number[]): number {
    return this.writeWords(typeIndex, fields);
  }

  checkNesting(depth: number): void {
    if (depth > MAX_NESTING) throw new MappingAbort(`value nested deeper than ${MAX_NESTING} levels`);
  }
}

// Up to 128 bits (token amounts, prices, timestamps: nearly every value a mapping handles) go
// through two 64-bit words, several times cheaper than a hex string.
const WORDS = new DataView(new ArrayBuffer(16));
const WORD_BYTES = new Uint8Array(WORDS.buffer);

/** Up to 6 bytes (48 bits) a BigInt's bytes fit a double exactly: decoded as a number. */
const SMALL_BYTES = 6;

function smallBytesToBigInt(bytes: Uint8Array, start: number, length: number): bigint {
  if (length === 0) return 0n;
  let value = 0;
  for (let i = length - 1; i >= 0; i -= 1) value = value * 256 + (bytes[start + i] as number);
  // The top bit of the last byte is the sign.
  if ((bytes[start + length - 1] as number) & 0x80) value -= 2 ** (length * 8);
  return BigInt(value);
}

/** graph-ts BigInt bytes: signed two's complement, little-endian. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  const length = bytes.length;
  if (length <= SMALL_BYTES) return smallBytesToBigInt(bytes, 0, length);
  if (length <= 16) {
    WORD_BYTES.fill(0);
    WORD_BYTES.set(bytes);
    const low = WORDS.getBigUint64(0, true);
    return BigInt.asIntN(length * 8, length <= 8 ? low : (WORDS.getBigUint64(8, true) << 64n) | low);
  }
  const negative = ((bytes[length - 1] as number) & 0x80) !== 0;
  const value = BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
  return negative ? value - (1n << BigInt(length * 8)) : value;
}

/**
 * Puts the minimal signed little-endian encoding of `value` at the start of WORD_BYTES and returns
 * its length; -1 beyond 128 bits.
 */
function bigIntToWords(value: bigint): number {
  let length: number;
  if (value === BigInt.asIntN(64, value)) {
    WORDS.setBigInt64(0, value, true);
    length = 8;
  } else if (value === BigInt.asIntN(128, value)) {
    WORDS.setBigUint64(0, BigInt.asUintN(64, value), true);
    WORDS.setBigInt64(8, value >> 64n, true);
    length = 16;
  } else {
    return -1;
  }
  // Drop the sign-extension bytes the value does not need.
  const negative = ((WORD_BYTES[length - 1] as number) & 0x80) !== 0;
  const fill = negative ? 0xff : 0;
  while (
    length > 1 &&
    WORD_BYTES[length - 1] === fill &&
    ((WORD_BYTES[length - 2] as number) & 0x80) === (fill & 0x80)
  ) {
    length -= 1;
  }
  return length;
}

/** Minimal signed little-endian encoding, as num-bigint's to_signed_bytes_le (zero is one 0 byte). */
export function bigIntToBytes(value: bigint): Uint8Array {
  const length = bigIntToWords(value);
  return length < 0 ? wideBigIntToBytes(value) : WORD_BYTES.slice(0, length);
}

function wideBigIntToBytes(value: bigint): Uint8Array {
  // Two's complement of a negative value in as many bytes as its magnitude needs, plus a sign
  // byte when the top bit would read the wrong way; hex conversion is native and beats a BigInt
  // shift loop for anything wider than a few bytes.
  const negative = value < 0n;
  let hex = (negative ? -value - 1n : value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const magnitude = Buffer.from(hex, 'hex');
  const needsSignByte = ((magnitude[0] as number) & 0x80) !== 0;
  const out = new Uint8Array(magnitude.length + (needsSignByte ? 1 : 0));
  for (let i = 0; i < magnitude.length; i += 1) {
    const byte = magnitude[magnitude.length - 1 - i] as number;
    out[i] = negative ? ~byte & 0xff : byte;
  }
  if (needsSignByte) out[out.length - 1] = negative ? 0xff : 0;
  return out;
}
