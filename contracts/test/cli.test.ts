// The commands answer bad input with one line and a non-zero exit, never a stack trace.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(packageDir, 'src/cli', script), ...args], {
    cwd: packageDir,
    encoding: 'utf8',
  });

describe('commands', () => {
  it.each([
    ['simulate.ts', ['--bogus'], /simulate: Unknown option '--bogus'; see --help/],
    ['simulate.ts', ['--loans=-5'], /simulate: --loans must be an integer >= 0, got "-5"/],
    ['simulate.ts', ['--rpc', 'http://127.0.0.1:1'], /simulate: no chain is reachable at http:\/\/127.0.0.1:1/],
    ['deploy.ts', ['--rpc', 'http://127.0.0.1:1'], /deploy: no chain is reachable at http:\/\/127.0.0.1:1/],
    ['chain.ts', ['--port', 'x'], /chain: --port must be an integer >= 1, got "x"/],
  ])('%s %s → one line, exit 2', (script, args, message) => {
    const result = run(script, args);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['simulate.ts', ['--seed', '--loans', '--days', '--markets', '--crash-pct', '--crash-day', '--live', '--resume']],
    ['chain.ts', ['--port', '--chain-id', '--accounts', '--journal']],
    ['deploy.ts', ['--rpc', '--network', '--reuse']],
  ])('%s explains every flag with --help', (script, flags) => {
    const result = run(script, ['--help']);
    expect(result.status).toBe(0);
    for (const flag of flags) expect(result.stdout).toContain(flag);
  });
});
