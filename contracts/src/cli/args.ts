// Flag parsing shared by the package's commands: unknown flags and bad values end the process
// with a one-line message and exit code 2, never a stack trace.
import { parseArgs } from 'node:util';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; description: string; default?: string }>;

export function parseFlags(
  command: string,
  usage: string,
  spec: FlagSpec,
): Record<string, string | boolean | undefined> {
  const options = Object.fromEntries(Object.entries(spec).map(([name, { type }]) => [name, { type }]));
  try {
    const args = process.argv.slice(2).filter((arg) => arg !== '--');
    const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: true });
    if (values.help) {
      const width = Math.max(...Object.keys(spec).map((name) => name.length)) + 4;
      console.log(`${usage}\n\nFlags:`);
      for (const [name, { description, default: fallback }] of Object.entries(spec)) {
        console.log(`  --${name.padEnd(width)}${description}${fallback ? ` (default ${fallback})` : ''}`);
      }
      console.log(`  --${'help'.padEnd(width)}show this help`);
      process.exit(0);
    }
    return values as Record<string, string | boolean | undefined>;
  } catch (error) {
    fail(command, `${(error as Error).message.split('\n')[0]}; see --help`);
  }
}

export function fail(command: string, message: string): never {
  console.error(`${command}: ${message}`);
  process.exit(2);
}

export function integerFlag(
  command: string,
  values: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
  min = 0,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < min) {
    fail(command, `--${name} must be an integer >= ${min}, got "${String(raw)}"`);
  }
  return value;
}

/** Runs a command body; an Error is a user-facing failure printed on one line. */
export async function runCommand(command: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    fail(command, (error as Error).message.split('\n')[0] ?? String(error));
  }
}
