// Compiles a fixture subgraph with the real graph-cli (`graph codegen` then `graph build`), as a
// subgraph author would; returns its built manifest.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const graph = join(import.meta.dirname, '../../node_modules/.bin/graph');

export function buildFixture(directory: string): string {
  for (const args of [
    ['codegen', 'subgraph.yaml', '--output-dir', 'generated'],
    ['build', 'subgraph.yaml'],
  ]) {
    const run = spawnSync(graph, args, { cwd: directory, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`graph ${args[0]} failed:\n${run.stdout}\n${run.stderr}`);
  }
  const manifest = join(directory, 'build/subgraph.yaml');
  if (!existsSync(manifest)) throw new Error(`graph build wrote no ${manifest}`);
  return manifest;
}
