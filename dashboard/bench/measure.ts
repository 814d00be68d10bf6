// The dashboard's performance figures, measured (not asserted):
//   1. initial JavaScript, gzipped, of the production build (what index.html loads before any
//      lazy chunk): target ≤ 250 KB;
//   2. time from navigation to the first data rendered, in headless Chromium over loopback,
//      against the real pipeline (EDR chain + simulation + `indexer run`, test/pipeline.ts) and
//      the built site served with its config.json: target < 1.5 s.
// Usage: pnpm --filter dashboard bench [-- --runs 5]
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { launchBrowser, root, startPipeline } from '../test/pipeline.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs must be a positive integer, e.g. --runs 5');
  process.exit(2);
}
const dashboard = join(root, 'dashboard');
const dist = join(dashboard, 'dist');

await build({ root: dashboard, logLevel: 'error' });
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map(
  (m) => m[1] as string,
);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
let initialGzip = 0;
console.log('initial JavaScript (gzip):');
for (const file of initial) {
  const gz = gzipSync(readFileSync(join(dist, file))).length;
  initialGzip += gz;
  console.log(`  ${file}: ${kb(statSync(join(dist, file)).size)} raw, ${kb(gz)} gzipped`);
}
console.log(`  total: ${kb(initialGzip)} gzipped (target ≤ 250 KB)`);

const pipeline = await startPipeline([{ id: 'a', label: 'Local L2 A', chainId: 31337, seed: 5, loans: 24, days: 45 }]);
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (path === '/config.json') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ networks: pipeline.networks }));
    return;
  }
  const file = join(dist, normalize(path).replace(/^(\.\.[/\\])+/, ''));
  const found = path !== '/' && statSync(file, { throwIfNoEntry: false })?.isFile();
  // Unknown paths are the app's routes: index.html, as a static host with an SPA fallback does.
  const type = found ? (types[extname(file)] ?? 'application/octet-stream') : 'text/html';
  response.writeHead(200, { 'content-type': type });
  response.end(readFileSync(found ? file : join(dist, 'index.html')));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const site = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const views: Array<[string, string]> = [
  ['overview', '/'],
  ['positions', '/positions'],
  ['risk', '/risk'],
  ['markets', '/markets'],
];
// Where the time went, from resource timing: the script, config.json and the subgraph's
// answers. A string, so that the bundler's helpers are not needed in the page.
const PHASES = `(() => {
  const end = (match) => performance.getEntriesByType('resource').filter((e) => match(e.name)).map((e) => e.responseEnd);
  const answers = end((n) => n.includes('/subgraphs/'));
  return 'script ' + Math.max(...end((n) => n.endsWith('.js'))).toFixed(0) +
    ', config.json ' + Math.max(...end((n) => n.endsWith('/config.json'))).toFixed(0) +
    ', GraphQL answers ' + Math.min(...answers).toFixed(0) + '–' + Math.max(...answers).toFixed(0) + ' ms';
})()`;
const browser = await launchBrowser();
console.log(`\nfirst data rendered after navigation (cold browser context each run, ${runs} runs):`);
try {
  // One discarded load first: the indexer's first answers and Chromium's first start are not a
  // reader's navigation.
  const warm = await browser.newContext();
  const warmPage = await warm.newPage();
  await warmPage.goto(site);
  await warmPage.waitForSelector('.kpi dd', { timeout: 30_000 });
  await warm.close();
  for (const [name, path] of views) {
    const times: number[] = [];
    const phases: string[] = [];
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${site}${path}`, { waitUntil: 'commit' });
      // The first subgraph figure on the page: a KPI or a table row.
      await page.waitForSelector('.kpi dd, tbody tr', { timeout: 30_000 });
      times.push(await page.evaluate(() => performance.now()));
      // Where the time went: the script, config.json and the subgraph's answers (resource timing).
      phases.push(await page.evaluate<string>(PHASES));
      await context.close();
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] as number;
    console.log(
      `  ${name.padEnd(10)} median ${median.toFixed(0)} ms, worst ${(times.at(-1) as number).toFixed(0)} ms (target < 1500 ms); last run: ${phases.at(-1)}`,
    );
  }
} finally {
  await browser.close();
  server.close();
  await pipeline.stop();
}
