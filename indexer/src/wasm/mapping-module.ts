// A compiled mapping. graph-node gives every trigger a fresh instance, so module globals never
// survive between handlers (runtime/wasm/src/module/mod.rs, WasmInstance::from_valid_module_with_ctx).
// Instantiating costs far more than most handlers, so for modules built with AssemblyScript's stub
// runtime (what graph-cli compiles: a bump allocator that never frees) one instance is kept and put
// back, before each trigger, into the exact state a fresh instance has after `_start`: the memory
// below the allocator's offset as it was, the memory the last trigger allocated zeroed again (fresh
// memory is zero and the stub allocator relies on it), every mutable global as it was. Other
// runtimes get a fresh instance per trigger.
import { readFileSync } from 'node:fs';
import { AscMemory, MappingAbort, ModuleMemoryCache } from './asc-memory.js';
import { hostFunctions, missingHostFunction, type TriggerEnv } from './host-functions.js';
import { type ExportedGlobal, exportMutableGlobals } from './wasm-binary.js';

interface MappingExports {
  memory: WebAssembly.Memory;
  allocate(size: number): number;
  id_of_type(index: number): number;
  _start?: () => void;
  [handler: string]: unknown;
}

/** How a trigger gets a mapping instance in its initial state. */
export type InstanceReuse = 'reset' | 'fresh';

const STUB_OFFSET = '~lib/rt/stub/offset';

interface ResettableInstance {
  exports: MappingExports;
  memory: AscMemory;
  globals: Array<{ global: WebAssembly.Global; value: number | bigint }>;
  /** The stub allocator's offset global. */
  offset: WebAssembly.Global;
  /** Memory below the heap after `_start`: data segments and what `_start` allocated. */
  initialMemory: Uint8Array;
}

// Host functions whose results depend only on their arguments: a `_start` that calls only these
// leaves the same state for every trigger, so that state can be kept.
const PURE_HOST_FUNCTION = /^(abort|bigInt\.|bigDecimal\.|typeConversion\.|crypto\.|json\.|ethereum\.(encode|decode)$)/;

export class MappingModule {
  private readonly module: WebAssembly.Module;
  private readonly imports: WebAssembly.Imports;
  private readonly globals: ExportedGlobal[];
  private canReset: boolean;
  private env: TriggerEnv | null = null;
  private inStart = false;
  private kept: ResettableInstance | null = null;
  private readonly memoryCache = new ModuleMemoryCache();
  readonly exportedHandlers: Set<string>;

  /**
   * `staticKeys`: the schema's field names, written below the heap of a kept instance
   * (AscMemory.writeStaticStrings).
   */
  constructor(
    readonly file: string,
    readonly reuse: InstanceReuse = 'reset',
    private readonly staticKeys: readonly string[] = [],
  ) {
    const { bytes, globals } = exportMutableGlobals(readFileSync(file));
    this.module = new WebAssembly.Module(bytes);
    this.globals = globals;
    this.canReset = reuse === 'reset' && globals.some((g) => g.name === STUB_OFFSET);
    const functions = hostFunctions(() => {
      if (!this.env) throw new MappingAbort('host function called outside a trigger');
      return this.env;
    });
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
    for (const entry of WebAssembly.Module.imports(this.module)) {
      if (entry.kind !== 'function') continue;
      const fn = functions.get(entry.name);
      const pure = PURE_HOST_FUNCTION.test(entry.name);
      imports[entry.module] ??= {};
      (imports[entry.module] as Record<string, WebAssembly.ImportValue>)[entry.name] = fn
        ? (a: number, b: number, c: number, d: number) => {
            // A module whose top-level code reads the trigger (data source, store, logs) must
            // run it for every trigger: no kept instance for it.
            if (this.inStart && !pure) this.canReset = false;
            // The WASM code may have grown the memory since the host last looked.
            this.env?.memory.sync();
            return fn(a, b, c, d);
          }
        : missingHostFunction(entry.name);
    }
    this.imports = imports;
    this.exportedHandlers = new Set(
      WebAssembly.Module.exports(this.module)
        .filter((e) => e.kind === 'function')
        .map((e) => e.name),
    );
  }

  /** Whether triggers share one instance that is reset between them (else: fresh instances). */
  get resetsInstances(): boolean {
    return this.canReset;
  }

  /** Runs `handler` with the argument `writeArgument` puts in the instance's memory. */
  run(handler: string, makeEnv: (memory: AscMemory) => TriggerEnv, writeArgument: (memory: AscMemory) => number): void {
    if (!this.exportedHandlers.has(handler)) {
      throw new MappingAbort(`the mapping ${this.file} exports no handler \`${handler}\``);
    }
    try {
      const { exports, memory } = this.kept ? this.reset(this.kept, makeEnv) : this.instantiate(makeEnv);
      (exports[handler] as (ptr: number) => void)(writeArgument(memory));
    } finally {
      this.env = null;
    }
  }

  private instantiate(makeEnv: (memory: AscMemory) => TriggerEnv): { exports: MappingExports; memory: AscMemory } {
    const instance = new WebAssembly.Instance(this.module, this.imports);
    const exports = instance.exports as unknown as MappingExports;
    const memory = new AscMemory(exports, this.memoryCache);
    this.env = makeEnv(memory);
    this.inStart = true;
    try {
      exports._start?.();
    } finally {
      this.inStart = false;
    }
    memory.sync();
    if (this.canReset) this.keep(exports, memory);
    return { exports, memory };
  }

  private keep(exports: MappingExports, memory: AscMemory): void {
    // Before the globals and the initial memory are copied: the allocator's offset moves past them.
    memory.writeStaticStrings(this.staticKeys);
    const globals = this.globals.map(({ exportName }) => {
      const global = exports[exportName] as WebAssembly.Global;
      return { global, value: global.value as number | bigint };
    });
    const offset = exports[this.globals.find((g) => g.name === STUB_OFFSET)?.exportName ?? ''] as WebAssembly.Global;
    const heapStart = offset.value as number;
    this.memoryCache.heapStart = heapStart;
    this.kept = {
      exports,
      memory,
      globals,
      offset,
      initialMemory: new Uint8Array(exports.memory.buffer).slice(0, heapStart),
    };
  }

  private reset(kept: ResettableInstance, makeEnv: (memory: AscMemory) => TriggerEnv): ResettableInstance {
    const bytes = new Uint8Array(kept.exports.memory.buffer);
    bytes.set(kept.initialMemory, 0);
    bytes.fill(0, kept.initialMemory.length, kept.offset.value as number);
    for (const { global, value } of kept.globals) global.value = value;
    kept.memory.resetArena();
    this.env = makeEnv(kept.memory);
    return kept;
  }
}
