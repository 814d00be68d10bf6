#!/usr/bin/env node
// One entry point for a fresh machine that has only Node 20 and npm: installs what the
// requested job needs (pnpm, workspace packages, and for tests Debian's chromium and
// PostgreSQL), then runs it. `npm start` / `npm test` (and `pnpm start` / `pnpm test`) call it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const job = process.argv[2];
const jobArgs = process.argv.slice(3);
const jobs = { start: 'scripts/start.mjs', test: 'scripts/test.mjs' };

if (!(job in jobs)) {
  console.error(`bootstrap: unknown job "${job ?? ''}"; use "start" or "test".`);
  process.exit(2);
}

function has(command, args = ['--version']) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`bootstrap: "${command} ${args.join(' ')}" failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function aptInstall(packages) {
  if (!isRoot) {
    console.error(`bootstrap: missing ${packages.join(', ')}; install them with apt-get (needs root).`);
    return;
  }
  console.log(`bootstrap: installing ${packages.join(', ')} from Debian packages`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

if (!has('pnpm')) {
  console.log('bootstrap: installing pnpm 10');
  run('npm', ['i', '-g', 'pnpm@10']);
}
run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline']);

const env = { ...process.env };
if (job === 'test') {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!findPostgresBin()) missing.push('postgresql');
  if (missing.length > 0) aptInstall(missing);
  if (!env.TEST_DATABASE_URL) {
    const url = startThrowawayPostgres();
    if (url) env.TEST_DATABASE_URL = url;
  }
}

// A terminal's Ctrl-C reaches the job itself (same process group), which stops what it started;
// a SIGTERM or SIGHUP sent to this process alone (`kill`, a process manager) is passed on, so the
// job never outlives it with its chains and servers still running.
const child = spawn('node', [jobs[job], ...jobArgs], { stdio: 'inherit', cwd: root, env });
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

function findPostgresBin() {
  try {
    const versions = execFileSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' }).split('\n');
    const latest = versions.filter(Boolean).sort((a, b) => Number(b) - Number(a))[0];
    return latest ? `/usr/lib/postgresql/${latest}/bin` : null;
  } catch {
    return null;
  }
}

// A private cluster for the store's PostgreSQL tests: its own directory and port, so it never
// touches a system database. PostgreSQL refuses to run as root, hence the `postgres` user.
function startThrowawayPostgres() {
  const bin = findPostgresBin();
  if (!bin) return null;
  const port = Number(process.env.TEST_POSTGRES_PORT ?? 54329);
  const dir = '/tmp/btc-rwa-loans-test-postgres';
  const asPostgres = (cmd, args) =>
    isRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : spawnSync(cmd, args, { stdio: 'pipe' });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (has(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)])) return url;
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    if (isRoot) spawnSync('chown', ['postgres:postgres', dir]);
    const init = asPostgres(join(bin, 'initdb'), [
      '-D',
      dir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    if (init.status !== 0) {
      console.error(`bootstrap: initdb failed: ${init.stderr}`);
      return null;
    }
  }
  const start = asPostgres(join(bin, 'pg_ctl'), [
    '-D',
    dir,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  if (start.status !== 0) {
    console.error(`bootstrap: could not start PostgreSQL: ${start.stderr}`);
    return null;
  }
  console.log(`bootstrap: PostgreSQL for tests at ${url}`);
  return url;
}
