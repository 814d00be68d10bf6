// A compiled mapping: compiled once, instantiated afresh for every trigger as graph-node does
// (module globals never survive between handlers), with `_start` run before the handler.
import { readFileSync } from 'node:fs';
import { AscMemory, MappingAbort } from './asc-memory.js';
import { hostFunctions, missingHostFunction, type TriggerEnv } from './host-functions.js';

interface MappingExports {
  memory: WebAssembly.Memory;
  allocate(size: number): number;
  id_of_type(index: number): number;
  _start?: () => void;
  [handler: string]: unknown;
}

export class MappingModule {
  private readonly module: WebAssembly.Module;
  private readonly imports: WebAssembly.Imports;
  private env: TriggerEnv | null = null;
  readonly exportedHandlers: Set<string>;

  constructor(readonly file: string) {
    this.module = new WebAssembly.Module(readFileSync(file));
    const functions = hostFunctions(() => {
      if (!this.env) throw new MappingAbort('host function called outside a trigger');
      return this.env;
    });
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
    for (const entry of WebAssembly.Module.imports(this.module)) {
      if (entry.kind !== 'function') continue;
      imports[entry.module] ??= {};
      (imports[entry.module] as Record<string, WebAssembly.ImportValue>)[entry.name] =
        functions.get(entry.name) ?? missingHostFunction(entry.name);
    }
    this.imports = imports;
    this.exportedHandlers = new Set(
      WebAssembly.Module.exports(this.module)
        .filter((e) => e.kind === 'function')
        .map((e) => e.name),
    );
  }

  /** Runs `handler` with the argument `writeArgument` puts in the fresh instance's memory. */
  run(handler: string, makeEnv: (memory: AscMemory) => TriggerEnv, writeArgument: (memory: AscMemory) => number): void {
    if (!this.exportedHandlers.has(handler)) {
      throw new MappingAbort(`the mapping ${this.file} exports no handler \`${handler}\``);
    }
    const instance = new WebAssembly.Instance(this.module, this.imports);
    const exports = instance.exports as unknown as MappingExports;
    const memory = new AscMemory(exports);
    this.env = makeEnv(memory);
    try {
      exports._start?.();
      (exports[handler] as (ptr: number) => void)(writeArgument(memory));
    } finally {
      this.env = null;
    }
  }
}
