// Prints CSV parsing speed of the candidates for the one streaming reader (bytes → decoded
// text → records), on the CDNOW sample replicated ×N (default 300: ~2M rows), interleaved:
//   csv-parse (stream, for await)  — the reader before this change: one async hop per record
//   csv-parse (write/read, sync)   — the same library driven synchronously per block
//   CsvParser (state machine)      — src/modules/import/csv-parser.ts
// Usage: pnpm --filter @ltvloop/api bench:csv [copies]
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { CsvParser } from "../src/modules/import/csv-parser.ts";
import { decodeSource } from "../src/modules/import/text-source.ts";
import { machine } from "./bench-util.ts";
import { writeCdnowCsv } from "./cdnow-csv.ts";

const copies = Number(process.argv[2] ?? 300);
const file = await writeCdnowCsv(copies);
const blocks = () => decodeSource(createReadStream(file.path, { highWaterMark: 1 << 20 }), "utf8");

async function csvParseStream(): Promise<number> {
  const parser = parse({ relax_column_count: true, skip_empty_lines: true });
  Readable.from(blocks(), { objectMode: true }).pipe(parser);
  let n = 0;
  for await (const record of parser as AsyncIterable<string[]>) n += record.length > 0 ? 1 : 0;
  return n;
}

async function csvParseSync(): Promise<number> {
  const parser = parse({ relax_column_count: true, skip_empty_lines: true });
  let n = 0;
  const drain = () => {
    for (let r = parser.read() as string[] | null; r !== null; r = parser.read() as string[] | null) n += r.length > 0 ? 1 : 0;
  };
  for await (const block of blocks()) {
    parser.write(block);
    drain();
  }
  parser.end();
  drain();
  return n;
}

async function stateMachine(): Promise<number> {
  let n = 0;
  const parser = new CsvParser((fields) => {
    n += fields.length > 0 ? 1 : 0;
  });
  for await (const block of blocks()) parser.push(block);
  parser.end();
  return n;
}

const candidates: [string, () => Promise<number>][] = [
  ["csv-parse (stream, for await)", csvParseStream],
  ["csv-parse (write/read, sync)", csvParseSync],
  ["CsvParser (state machine)", stateMachine],
];
console.log(`CSV reader candidates on CDNOW ×${copies} (${file.rows.toLocaleString("en-US")} rows + header); ${machine()}`);
const best = new Map<string, number>();
for (let round = 1; round <= 3; round++) {
  for (const [name, run] of candidates) {
    const started = performance.now();
    const records = await run();
    const seconds = (performance.now() - started) / 1000;
    best.set(name, Math.min(best.get(name) ?? Infinity, seconds));
    console.log(`  round ${round}  ${name.padEnd(32)} ${records.toLocaleString("en-US").padStart(11)} records  ${seconds.toFixed(2).padStart(6)} s  ${Math.round(records / seconds).toLocaleString("en-US").padStart(11)} rows/s`);
  }
}
const anchor = best.get(candidates[0]?.[0] ?? "") ?? 1;
console.log("best of 3, ratio to csv-parse (stream):");
for (const [name, seconds] of best) console.log(`  ${name.padEnd(32)} ${seconds.toFixed(2).padStart(6)} s  ${(anchor / seconds).toFixed(2)}×`);
await rm(dirname(file.path), { recursive: true, force: true });
