// The dashboard's performance figures, measured (not asserted):
//   1. initial JavaScript, gzipped, of the production build (what index.html loads before any
//      lazy chunk): target ≤ 250 KB;
//   2. time from navigation to the first data rendered, in headless Chromium over loopback,
//      against the real pipeline (EDR chain + simulation + `indexer run`, test/pipeline.ts) and
//      the built site served with its config.json: target < 1.5 s.
//   3. what a reader feels on the positions and risk pages (first rows, a sort change, the next
//      page, a market filter, the ladder and the at-risk table, the "BTC falls by" control) and
//      the bytes of GraphQL each view downloads, with the longest list in any answer (a view that
//      fetched a whole collection would show it there).
// `--open-loans 10000` opens that many loans after the simulation (test/open-loans.ts), all of
// them still open when the indexer has caught up: the "responsive with 10,000 open loans".
// `--screenshots <dir>` also saves each view in the dark theme at a 375 px phone width there, and
// each of its charts with its tooltip shown.
// Usage: pnpm --filter dashboard bench [--runs 5] [--open-loans 10000] [--screenshots <dir>]
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { graphql, launchBrowser, root, startPipeline } from '../test/pipeline.js';

const { values } = parseArgs({
  // pnpm 10 passes a `--` through to the script; it separates nothing here.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    runs: { type: 'string', default: '5' },
    'open-loans': { type: 'string', default: '0' },
    screenshots: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs must be a positive integer, e.g. --runs 5');
  process.exit(2);
}
const extraLoans = Number(values['open-loans']);
if (!Number.isInteger(extraLoans) || extraLoans < 0) {
  console.error('bench: --open-loans must be a whole number, e.g. --open-loans 10000');
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

const building = Date.now();
const pipeline = await startPipeline([
  { id: 'a', label: 'Local L2 A', chainId: 31337, seed: 5, loans: 24, days: 45, openLoans: extraLoans },
]);
const subgraphUrl = pipeline.networks[0]?.subgraphUrl as string;
const held = await graphql<{ protocols: Array<{ loanCount: number; openLoanCount: number }> }>(
  subgraphUrl,
  '{ protocols(first: 1) { loanCount openLoanCount } }',
);
console.log(
  `\nthe indexer holds ${held.protocols[0]?.openLoanCount} open loans of ${held.protocols[0]?.loanCount} (chain simulated and indexed in ${((Date.now() - building) / 1000).toFixed(0)} s)`,
);
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
// Where the time went, from resource timing (start–end of each kind of request): the initial
// script, config.json, the subgraph's answers and lazy chunks. A string, so that the bundler's helpers are not needed in the page.
const PHASES = `(() => {
  const entries = performance.getEntriesByType('resource');
  const pick = (match) => entries.filter((e) => match(e.name));
  const span = (list) => list.length === 0 ? 'none' :
    Math.min(...list.map((e) => e.startTime)).toFixed(0) + '–' + Math.max(...list.map((e) => e.responseEnd)).toFixed(0);
  const initial = ${JSON.stringify(initial)};
  const isInitial = (n) => initial.some((file) => n.endsWith(file));
  return 'initial JavaScript ' + span(pick(isInitial)) +
    ', config.json ' + span(pick((n) => n.endsWith('/config.json'))) +
    ', GraphQL ' + span(pick((n) => n.includes('/subgraphs/'))) +
    ', lazy chunks ' + span(pick((n) => n.endsWith('.js') && !isInitial(n))) + ' ms';
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
    const measured: Array<{ ms: number; phases: string }> = [];
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${site}${path}`, { waitUntil: 'commit' });
      // The first subgraph figure on the page: a KPI or a table row.
      const ms = await shownAt(page, `document.querySelector('.kpi dd, tbody tr') !== null`);
      // Where the time went: the script, config.json and the subgraph's answers (resource timing).
      measured.push({ ms, phases: await page.evaluate<string>(PHASES) });
      await context.close();
    }
    const sorted = [...measured].sort((a, b) => a.ms - b.ms);
    const worst = sorted.at(-1) as { ms: number; phases: string };
    console.log(
      `  ${name.padEnd(10)} median ${(sorted[Math.floor(sorted.length / 2)] as { ms: number }).ms.toFixed(0)} ms, worst ${worst.ms.toFixed(0)} ms (target < 1500 ms); runs in order ${measured.map((m) => m.ms.toFixed(0)).join(', ')}; worst run: ${worst.phases}`,
    );
  }

  // What a reader feels after the first rows: each action is performed in the page (a select's
  // change, a click, the range input's value) and timed from then to the first animation frame
  // that shows its rows, with no round trip of the bench in between.
  const fresh = async (path: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${site}${path}`, { waitUntil: 'commit' });
    return page;
  };
  const TABLE = 'section[aria-labelledby="positions-title"] tbody';
  const firstRow = `document.querySelector('${TABLE} tr')?.textContent`;
  /** Performs `action` (page script) and times it to the frame where `done` (page expression) holds. */
  const timed = async (page: Page, action: string, done: string): Promise<number> => {
    await page.evaluate(`window.benchStart = performance.now(); ${action}`);
    return (await shownAt(page, done)) - (await page.evaluate<number>('window.benchStart'));
  };
  /** An action that changes the first row of the positions table. */
  const changesRows = async (page: Page, action: string) =>
    timed(
      page,
      `window.benchRow = ${firstRow}; ${action}`,
      `${firstRow} !== undefined && ${firstRow} !== window.benchRow`,
    );
  // React reads a select's change event, and an input's `input` event with a value set through
  // the native setter (its own setter would hide the change from React).
  const select = (label: string, value: string) =>
    `{ const s = [...document.querySelectorAll('label')].find((l) => l.textContent.startsWith('${label}')).querySelector('select');
       s.value = ${value}; s.dispatchEvent(new Event('change', { bubbles: true })); }`;
  const spread = (label: string, times: number[]) => {
    times.sort((a, b) => a - b);
    console.log(
      `  ${label.padEnd(34)} median ${(times[Math.floor(times.length / 2)] as number).toFixed(0)} ms, worst ${(times.at(-1) as number).toFixed(0)} ms`,
    );
  };
  // Paging needs more open loans than a page holds: the small run (no --open-loans) skips this.
  const openLoanCount = held.protocols[0]?.openLoanCount ?? 0;
  const interactionRuns = openLoanCount > 100 ? runs : 0;
  console.log(
    interactionRuns > 0
      ? `\npositions and risk pages (${runs} runs each, cold browser context per run):`
      : `\npositions and risk pages: skipped, ${openLoanCount} open loans are too few to page (--open-loans 10000)`,
  );
  const actions: Record<string, number[]> = {
    'positions: first rows': [],
    'positions: sort by debt': [],
    'positions: next page': [],
    'positions: filter by market': [],
    'risk: ladder and at-risk table': [],
    'risk: BTC falls by 40 %': [],
  };
  for (let run = 0; run < interactionRuns; run += 1) {
    const page = await fresh('/positions');
    actions['positions: first rows']?.push(await shownAt(page, `document.querySelector('${TABLE} tr') !== null`));
    actions['positions: sort by debt']?.push(await changesRows(page, select('Sort by', "'debt'")));
    const next = `[...document.querySelectorAll('button')].find((b) => b.textContent === 'Next').click()`;
    actions['positions: next page']?.push(await changesRows(page, next));
    // The market the first row is not in, so that the first row must change.
    const other = `[...[...document.querySelectorAll('label')].find((l) => l.textContent.startsWith('Market')).querySelectorAll('option')]
      .find((o) => o.value !== '' && o.textContent !== document.querySelector('${TABLE} tr td:nth-child(2)').textContent)?.value`;
    await page.waitForFunction(`(${other}) !== undefined`, undefined, { timeout: 30_000 });
    actions['positions: filter by market']?.push(await changesRows(page, select('Market', other)));
    await page.context().close();

    const risk = await fresh('/risk');
    actions['risk: ladder and at-risk table']?.push(
      await shownAt(
        risk,
        `document.querySelector('[data-testid^="at-risk-"]') !== null &&
         [...document.querySelectorAll('caption')].some((c) => c.textContent.startsWith('Most at-risk') &&
           c.closest('table').querySelector('tbody tr') !== null)`,
      ),
    );
    const fall = `{ const input = document.querySelector('input[type=range]');
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, '40');
      input.dispatchEvent(new Event('input', { bubbles: true })); }`;
    const shown = `document.querySelector('[data-testid^="at-risk-"]').textContent.includes('falls 40 %')`;
    actions['risk: BTC falls by 40 %']?.push(await timed(risk, fall, shown));
    await risk.context().close();
  }
  if (interactionRuns > 0) for (const [label, times] of Object.entries(actions)) spread(label, times);

  // Bytes of GraphQL per view, everything the view asks for until the network is idle (the
  // polling intervals, 10 s and more, are longer than the wait). Idle counts from the first data:
  // before it, the script's evaluation alone can leave the network quiet for half a second.
  console.log('\nGraphQL downloaded per view (every request until the network is idle):');
  const byteViews: Array<[string, string]> = [
    ...views,
    ['positions, 100 rows', '/positions?size=100'],
    ['liquidations', '/liquidations'],
    ['accounts', '/accounts'],
    ['loan page', `/loans/${await firstLoanId()}`],
  ];
  for (const [name, path] of byteViews) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const answers: Array<Promise<{ bytes: number; longest: number }>> = [];
    page.on('requestfinished', (request) => {
      // urql sends a query as a GET while its URL stays short, else a POST; preflights carry no answer.
      if (!request.url().includes('/subgraphs/') || request.method() === 'OPTIONS') return;
      answers.push(
        (async () => {
          const response = await request.response();
          const body = (await response?.body()) ?? Buffer.alloc(0);
          return { bytes: (await request.sizes()).responseBodySize, longest: longestList(JSON.parse(body.toString())) };
        })(),
      );
    });
    await settle(page, path);
    const done = await Promise.all(answers);
    const bytes = done.reduce((sum, a) => sum + a.bytes, 0);
    console.log(
      `  ${name.padEnd(20)} ${String(done.length).padStart(2)} answers, ${kb(bytes).padStart(9)}, longest list ${Math.max(0, ...done.map((a) => a.longest))} items`,
    );
    await context.close();
  }

  if (values.screenshots) {
    const dir = values.screenshots;
    mkdirSync(dir, { recursive: true });
    const market = await graphql<{ markets: Array<{ id: string }> }>(subgraphUrl, '{ markets(first: 1) { id } }');
    const shots: Array<[string, string]> = [
      ['overview', '/?range=all'],
      ['risk', '/risk'],
      ['positions', '/positions'],
      ['market', `/markets/${market.markets[0]?.id}?range=all`],
      ['loan', `/loans/${await firstLoanId()}`],
    ];
    for (const [name, path] of shots) {
      const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 375, height: 812 } });
      const page = await context.newPage();
      await settle(page, path);
      await page.screenshot({ path: join(dir, `${name}-dark-375.png`), fullPage: true });
      // Each chart on its own, its tooltip shown (the pointer in its middle).
      const charts = page.locator('figure.chart');
      for (let i = 0; i < (await charts.count()); i += 1) {
        const chart = charts.nth(i);
        await chart.scrollIntoViewIfNeeded();
        const box = await chart.locator('.recharts-wrapper').boundingBox();
        if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page
          .waitForSelector('.recharts-tooltip-wrapper-visible, .recharts-default-tooltip', { timeout: 2000 })
          .catch(() => undefined);
        await chart.screenshot({ path: join(dir, `${name}-dark-375-chart${i + 1}.png`) });
      }
      await context.close();
    }
    console.log(`\nscreenshots (dark, 375 px) in ${dir}`);
  }
} finally {
  await browser.close();
  server.close();
  await pipeline.stop();
}

/** The longest array anywhere in a GraphQL answer: how many entities one list brought. */
function longestList(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestList));
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestList));
  return 0;
}

/** The first loan by id: the loan page of the bytes measurement. */
async function firstLoanId(): Promise<string> {
  const data = await graphql<{ loans: Array<{ id: string }> }>(subgraphUrl, '{ loans(first: 1) { id } }');
  return data.loans[0]?.id ?? '';
}

/** performance.now() on the first animation frame where `condition` (page expression) holds. */
async function shownAt(page: Page, condition: string): Promise<number> {
  const handle = await page.waitForFunction(`(${condition}) && performance.now()`, undefined, {
    timeout: 30_000,
    polling: 'raf',
  });
  return (await handle.jsonValue()) as number;
}

/** Navigates to `path`, waits for its first data (or its title), then for a second without requests. */
async function settle(page: Page, path: string): Promise<void> {
  let pending = 0;
  let last = Date.now();
  const started = () => {
    pending += 1;
    last = Date.now();
  };
  const ended = () => {
    pending -= 1;
    last = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  await page.goto(`${site}${path}`, { waitUntil: 'commit' });
  await page.waitForSelector('.kpi dd, tbody tr', { timeout: 30_000 });
  while (pending > 0 || Date.now() - last < 1000) await new Promise((resolve) => setTimeout(resolve, 100));
  page.off('request', started);
  page.off('requestfinished', ended);
  page.off('requestfailed', ended);
}
