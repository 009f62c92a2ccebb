// Fit-time benchmark: `pnpm --filter @ltvloop/scoring bench`. Prints a table; asserts nothing.
// BG/NBD, Pareto/NBD and Gamma-Gamma on CDNOW ×1, ×10, ×100 (customers replicated) and on
// 1M synthetic customers drawn from BG/NBD + Gamma-Gamma with CDNOW-like parameters.
import { fitBgNbd } from "../src/btyd/bg-nbd.ts";
import { compressSummaries } from "../src/btyd/compress.ts";
import { fitGammaGamma } from "../src/btyd/gamma-gamma.ts";
import { fitParetoNbd } from "../src/btyd/pareto-nbd.ts";
import { summarizeTransactions } from "../src/summary.ts";
import { loadCdnowTransactions, mulberry32 } from "../src/testing/cdnow.ts";

interface Row {
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
}

const rand = mulberry32(42);

function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
function gamma(shape: number, rate: number): number {
  if (shape < 1) return gamma(shape + 1, rate) * rand() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** One synthetic customer: BG/NBD purchases at day resolution over T weeks, Gamma-Gamma spend. */
function synthetic(): Row {
  const lambda = gamma(0.243, 4.414);
  const x1 = gamma(0.793, 1);
  const p = x1 / (x1 + gamma(2.426, 1));
  const nu = gamma(3.74, 15.44);
  const Tdays = 1 + Math.floor(rand() * 365);
  const T = Tdays / 7;
  let t = 0;
  let last = 0;
  let x = 0;
  let spend = 0;
  for (;;) {
    t += -Math.log(1 - rand()) / lambda;
    if (t > T) break;
    const day = Math.floor(t * 7);
    if (day > Math.floor(last * 7)) {
      x += 1;
      last = day / 7;
      spend += gamma(6.25, nu);
    }
    if (rand() < p) break;
  }
  return { frequency: x, recency: x > 0 ? last : 0, T, monetaryValue: x > 0 ? spend / x : 0 };
}

function time<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
}

const cdnow = summarizeTransactions(loadCdnowTransactions(), { observationEnd: "1997-09-30", timeUnit: "week" });
// Warm the JIT once so the ×1 row is not dominated by compilation.
fitBgNbd(compressSummaries(cdnow));
fitGammaGamma(cdnow);

const datasets: [string, () => Row[]][] = [
  ["CDNOW ×1", () => cdnow],
  ["CDNOW ×10", () => Array.from({ length: 10 }, () => cdnow).flat()],
  ["CDNOW ×100", () => Array.from({ length: 100 }, () => cdnow).flat()],
  ["synthetic 1M", () => Array.from({ length: 1_000_000 }, synthetic)],
];

const table: Record<string, string | number>[] = [];
for (const [name, make] of datasets) {
  const rows = make();
  const [triples, compressMs] = time(() => compressSummaries(rows));
  const [bg, bgMs] = time(() => fitBgNbd(triples));
  const [gg, ggMs] = time(() => fitGammaGamma(rows));
  const [pareto, paretoMs] = time(() => fitParetoNbd(triples));
  table.push({
    dataset: name,
    customers: rows.length,
    "unique triples": triples.length,
    "compress ms": Math.round(compressMs),
    "BG/NBD ms": Math.round(bgMs),
    "BG/NBD evals": bg.evaluations,
    "Gamma-Gamma ms": Math.round(ggMs),
    "BG/NBD + GG ms": Math.round(bgMs + ggMs),
    "Pareto/NBD ms": Math.round(paretoMs),
    "BG/NBD r, α, a, b": [bg.params.r, bg.params.alpha, bg.params.a, bg.params.b].map((v) => v.toFixed(3)).join(", "),
    "Pareto r, α, s, β": [pareto.params.r, pareto.params.alpha, pareto.params.s, pareto.params.beta].map((v) => v.toFixed(3)).join(", "),
    "GG p, q, γ": [gg.params.p, gg.params.q, gg.params.gamma].map((v) => v.toFixed(2)).join(", "),
  });
}
console.table(table);
