import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deploymentId } from './deployment-id.js';

const dir = mkdtempSync(join(tmpdir(), 'deployment-id-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deploymentId', () => {
  it('is a Qm… id that changes with any referenced file and only then', () => {
    mkdirSync(join(dir, 'Market'));
    writeFileSync(join(dir, 'schema.graphql'), 'type A @entity { id: ID! }');
    writeFileSync(join(dir, 'Market', 'Market.wasm'), 'wasm-1');
    const manifest = join(dir, 'subgraph.yaml');
    writeFileSync(
      manifest,
      'schema:\n  file: schema.graphql\ndataSources:\n  - mapping:\n      file: Market/Market.wasm\n',
    );
    const first = deploymentId(manifest);
    expect(first).toMatch(/^Qm[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(deploymentId(manifest)).toBe(first);
    writeFileSync(join(dir, 'Market', 'Market.wasm'), 'wasm-2');
    const second = deploymentId(manifest);
    expect(second).not.toBe(first);
    writeFileSync(join(dir, 'schema.graphql'), 'type B @entity { id: ID! }');
    expect(deploymentId(manifest)).not.toBe(second);
  });
});
