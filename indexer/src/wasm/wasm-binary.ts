// Just enough of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/)
// to let the host reset a mapping instance instead of instantiating it afresh: every mutable
// global gets an export, so its value after `_start` can be saved and put back, and the name
// section tells which global is AssemblyScript's bump allocator (`~lib/rt/stub/offset`).

export interface ExportedGlobal {
  /** The export name added for it. */
  exportName: string;
  /** Its name in the module's name section, if any. */
  name: string | null;
}

export interface GlobalsExported {
  bytes: Uint8Array<ArrayBuffer>;
  globals: ExportedGlobal[];
}

const SECTION = { custom: 0, import: 2, global: 6, export: 7 } as const;
const EXTERNAL_GLOBAL = 3;
const NUMBER_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c]); // i32 i64 f32 f64: the ones JS can read
const EXPORT_PREFIX = '__host_global_';

class Reader {
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.offset = offset;
  }

  byte(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new Error('unexpected end of the WASM binary');
    this.offset += 1;
    return value;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Skips a signed LEB128 of any width. */
  skipLeb(): void {
    while (this.byte() & 0x80) {}
  }

  name(): string {
    const length = this.u32();
    const text = Buffer.from(this.bytes.subarray(this.offset, this.offset + length)).toString('utf8');
    this.offset += length;
    return text;
  }

  skipLimits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }

  /** A constant expression, up to and including its `end`. */
  skipConstExpr(): void {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42) this.skipLeb();
      else if (op === 0x43) this.offset += 4;
      else if (op === 0x44) this.offset += 8;
      else if (op === 0x23 || op === 0xd2) this.u32();
      else if (op === 0xd0) this.byte();
      // i32/i64 add, sub, mul (extended constant expressions) carry no immediates
    }
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

function encodeName(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...leb(bytes.length), ...bytes];
}

interface Section {
  id: number;
  start: number;
  contentStart: number;
  end: number;
}

function sections(bytes: Uint8Array): Section[] {
  const reader = new Reader(bytes, 8);
  const found: Section[] = [];
  while (reader.offset < bytes.length) {
    const start = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    found.push({ id, start, contentStart: reader.offset, end: reader.offset + size });
    reader.offset += size;
  }
  return found;
}

function globalNames(bytes: Uint8Array, all: Section[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const section of all.filter((s) => s.id === SECTION.custom)) {
    const reader = new Reader(bytes, section.contentStart);
    if (reader.name() !== 'name') continue;
    while (reader.offset < section.end) {
      const subsection = reader.byte();
      const size = reader.u32();
      const next = reader.offset + size;
      if (subsection === 7) {
        const count = reader.u32();
        for (let i = 0; i < count; i += 1) {
          const index = reader.u32();
          names.set(index, reader.name());
        }
      }
      reader.offset = next;
    }
  }
  return names;
}

/** Adds an export for every mutable number global; the module is otherwise unchanged. */
export function exportMutableGlobals(bytes: Uint8Array): GlobalsExported {
  const all = sections(bytes);
  let importedGlobals = 0;
  const imports = all.find((s) => s.id === SECTION.import);
  if (imports) {
    const reader = new Reader(bytes, imports.contentStart);
    const count = reader.u32();
    for (let i = 0; i < count; i += 1) {
      reader.name();
      reader.name();
      const kind = reader.byte();
      if (kind === 0) reader.u32();
      else if (kind === 1) {
        reader.byte();
        reader.skipLimits();
      } else if (kind === 2) reader.skipLimits();
      else if (kind === EXTERNAL_GLOBAL) {
        reader.byte();
        reader.byte();
        importedGlobals += 1;
      } else reader.u32(); // tags
    }
  }
  const mutable: number[] = [];
  const globalSection = all.find((s) => s.id === SECTION.global);
  if (globalSection) {
    const reader = new Reader(bytes, globalSection.contentStart);
    const count = reader.u32();
    for (let i = 0; i < count; i += 1) {
      const type = reader.byte();
      const isMutable = reader.byte() === 1;
      reader.skipConstExpr();
      if (isMutable && NUMBER_TYPES.has(type)) mutable.push(importedGlobals + i);
    }
  }
  const exportSection = all.find((s) => s.id === SECTION.export);
  if (!exportSection || mutable.length === 0) return { bytes: new Uint8Array(bytes), globals: [] };

  const reader = new Reader(bytes, exportSection.contentStart);
  const existing = reader.u32();
  const names = globalNames(bytes, all);
  const globals = mutable.map((index) => ({
    index,
    exportName: `${EXPORT_PREFIX}${index}`,
    name: names.get(index) ?? null,
  }));
  const added = globals.flatMap((g) => [...encodeName(g.exportName), EXTERNAL_GLOBAL, ...leb(g.index)]);
  const content = [...leb(existing + globals.length), ...bytes.subarray(reader.offset, exportSection.end), ...added];
  const rewritten = Buffer.concat([
    bytes.subarray(0, exportSection.start),
    Uint8Array.from([SECTION.export, ...leb(content.length), ...content]),
    bytes.subarray(exportSection.end),
  ]);
  return {
    bytes: new Uint8Array(rewritten),
    globals: globals.map(({ exportName, name }) => ({ exportName, name })),
  };
}
