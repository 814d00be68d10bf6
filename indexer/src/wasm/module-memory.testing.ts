// Test support: an AscMemory without a compiled mapping module.
import { AscMemory } from './asc-memory.js';

/** A memory as a mapping module has one, with a bump allocator like AssemblyScript's stub runtime. */
export function moduleMemory(pages = 4): { memory: AscMemory; raw: Uint8Array; heapTop: () => number } {
  const memory = new WebAssembly.Memory({ initial: pages });
  let offset = 1024;
  const asc = new AscMemory({
    memory,
    allocate: (size) => {
      const ptr = offset + 4;
      offset = Math.ceil((ptr + size) / 16) * 16 + 12;
      return ptr + 12;
    },
    id_of_type: (index) => 100 + index,
  });
  asc.sync();
  return { memory: asc, raw: new Uint8Array(memory.buffer), heapTop: () => offset };
}
