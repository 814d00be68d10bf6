// The BigDecimal host arithmetic (src/wasm/big-decimal.ts) per operation, with the values the
// subgraph's handlers make: wei amounts (18 decimals, toDecimal's `raw / 10^18`), 8-decimal BTC
// prices, ratios of two token amounts (collateralizationRatio, healthFactor), and the strings
// written to the store and read back. Prints ns/op of CPU time, the best of 7 rounds: on a shared
// machine the wall clock also counts other processes' turns, and they only ever make a round slower.
// Usage: pnpm --filter indexer bench big-decimal
import {
  type Decimal,
  dividedBy,
  equals,
  format,
  fromBigInt,
  fromString,
  minus,
  normalize,
  plus,
  times,
} from '../src/wasm/big-decimal.js';

const COUNT = 1_000;
// A fixed LCG: the same values in every run.
let seed = 0x2545f491n;
function random(below: bigint): bigint {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
  return seed % below;
}

const wei = Array.from({ length: COUNT }, () => random(10n ** 24n) + 1n); // up to a million tokens
const amounts: Decimal[] = wei.map((raw) => ({ digits: raw, exp: -18 }));
const prices: Decimal[] = Array.from({ length: COUNT }, () => ({
  digits: 20_000_00000000n + random(80_000_00000000n),
  exp: -8,
}));
const E18 = fromBigInt(10n ** 18n);
const amountStrings = amounts.map((a) => format(normalize(a)));
const priceStrings = prices.map((p) => format(normalize(p)));
const ratios = amounts.map((a, i) => dividedBy(a, amounts[(i + 1) % COUNT] as Decimal));

const cases: Array<[string, (i: number) => unknown]> = [
  ['plus (amount + amount)', (i) => plus(amounts[i] as Decimal, amounts[(i + 1) % COUNT] as Decimal)],
  ['minus (amount - price)', (i) => minus(amounts[i] as Decimal, prices[i] as Decimal)],
  ['times (amount x price)', (i) => times(amounts[i] as Decimal, prices[i] as Decimal)],
  ['dividedBy (wei / 10^18, toDecimal)', (i) => dividedBy(fromBigInt(wei[i] as bigint), E18)],
  [
    'dividedBy (amount / amount, a ratio)',
    (i) => dividedBy(amounts[i] as Decimal, amounts[(i + 1) % COUNT] as Decimal),
  ],
  ['dividedBy (price / price)', (i) => dividedBy(prices[i] as Decimal, prices[(i + 7) % COUNT] as Decimal)],
  ['equals (amount, amount)', (i) => equals(amounts[i] as Decimal, amounts[(i + 1) % COUNT] as Decimal)],
  ['toString (amount)', (i) => format(normalize(amounts[i] as Decimal))],
  ['toString (34-digit ratio)', (i) => format(normalize(ratios[i] as Decimal))],
  ['fromString (amount)', (i) => fromString(amountStrings[i] as string)],
  ['fromString (price)', (i) => fromString(priceStrings[i] as string)],
];

const ROUNDS = 7;
const REPEAT = 100;
let sink = 0;
for (const [label, op] of cases) {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round <= ROUNDS; round += 1) {
    const started = process.cpuUsage();
    for (let r = 0; r < REPEAT; r += 1) for (let i = 0; i < COUNT; i += 1) if (op(i)) sink += 1;
    const used = process.cpuUsage(started);
    const ns = ((used.user + used.system) * 1000) / (REPEAT * COUNT);
    // Round 0 warms the JIT up.
    if (round > 0) best = Math.min(best, ns);
  }
  console.log(`${label}: ${best.toFixed(0)} ns/op`);
}
if (sink === 0) console.log('(nothing computed)');
