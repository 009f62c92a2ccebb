// For the imports' fast-lane tests: stages one file twice, through a plain-line lane and through
// the record path alone, without a database (the COPY text is collected), so the two can be
// compared byte for byte with the rows counted, the problems found and any refusal.
import type { CopyIn } from "@ltvloop/db/client";
import { mulberry32 } from "@ltvloop/scoring/testing/cdnow";
import { expect } from "vitest";
import type { ImportContext, PlainLane, PlainLaneFor, StagedRead } from "../modules/import/staging.ts";

export type StageCsv = (ctx: ImportContext, stage: string, lane: PlainLaneFor) => Promise<StagedRead>;

export async function stageBothWays(text: string, label: string, stageCsv: StageCsv, laneFor: PlainLaneFor) {
  const stage = async (fastLane: boolean) => {
    const chunks: Uint8Array[] = [];
    let taken = 0;
    const copyIn: CopyIn = async () => ({
      write: (t) => void chunks.push(typeof t === "string" ? new TextEncoder().encode(t) : t),
      end: async () => {},
      abort: async () => {},
    });
    const ctx: ImportContext = {
      query: async () => [] as never[],
      timeZone: "Asia/Tokyo",
      options: { source: text, label, fastLane },
      tempName: (role) => role,
      copyIn,
    };
    const counting: PlainLaneFor = (header, shape) => {
      const lane: PlainLane | undefined = laneFor(header, shape);
      return lane && ((...args) => (lane(...args) ? (taken++, true) : false));
    };
    try {
      const staged = await stageCsv(ctx, "stage", counting);
      return { copy: Buffer.concat(chunks).toString("utf8"), rowsRead: staged.rowsRead, problems: staged.problems.count, first: staged.problems.first, taken };
    } catch (error) {
      return { error: (error as Error).message, extensions: (error as { extensions?: unknown }).extensions, taken: -1 };
    }
  };
  const fast = await stage(true);
  const slow = await stage(false);
  expect(slow.taken).toBe(0);
  return { fast, slow, taken: fast.taken };
}

/** Stages `files` both ways and requires the same outcome; returns the lines the lane took, the rows and the problems. */
export async function compareLanes(files: string[], label: string, stageCsv: StageCsv, laneFor: PlainLaneFor) {
  let taken = 0;
  let rows = 0;
  let problems = 0;
  for (const file of files) {
    const { fast, slow } = await stageBothWays(file, label, stageCsv, laneFor);
    const { taken: fastTaken, ...fastRest } = fast;
    const { taken: _, ...slowRest } = slow;
    expect(fastRest).toEqual(slowRest);
    if ("rowsRead" in fast) {
      taken += fastTaken;
      rows += fast.rowsRead ?? 0;
      problems += fast.problems ?? 0;
    }
  }
  return { taken, rows, problems };
}

/** What a file's cell recipe draws with: uniform numbers, a value of a list, and "odd this time". */
export interface Draw {
  rand: () => number;
  pick: <T>(values: readonly T[]) => T;
  odd: () => boolean;
}

/**
 * A randomised CSV for the lane tests: the first `required` of `columns` always, each other one
 * with probability `keep`, in a random order, some header names upper-cased, CRLF or LF, blank
 * and all-empty rows and rows with an extra cell now and then; each row's cells from `cells`
 * (called with the row number), odd with probability `oddness`. `separator` (default a comma)
 * joins the cells; `unnamed` adds that many unnamed columns at the end of the header, whose cells
 * are empty except now and then in an odd row (which also repeats the header now and then).
 */
export function randomCsv(
  seed: number,
  rows: number,
  oddness: number,
  spec: {
    columns: readonly string[];
    required: number;
    keep: number;
    extraColumns?: string[];
    cells: (draw: Draw, row: number) => Record<string, string>;
    separator?: string;
    unnamed?: number;
  },
): string {
  const rand = mulberry32(seed);
  const draw: Draw = { rand, pick: (values) => values[Math.floor(rand() * values.length)] as never, odd: () => rand() < oddness };
  const separator = spec.separator ?? ",";
  const unnamed = spec.unnamed ?? 0;
  const columns = spec.columns.filter((_, i) => i < spec.required || rand() < spec.keep).sort(() => rand() - 0.5);
  columns.push(...(spec.extraColumns ?? []));
  const eol = rand() < 0.5 ? "\r\n" : "\n";
  const header = `${[...columns.map((c) => (rand() < 0.1 ? c.toUpperCase() : c)), ...Array<string>(unnamed).fill("")].join(separator)}${eol}`;
  let text = header;
  for (let i = 0; i < rows; i++) {
    if (draw.odd() && rand() < 0.1) {
      text += rand() < 0.5 ? eol : `${separator.repeat(columns.length + unnamed - (rand() < 0.5 ? 1 : 2))}${eol}`;
      continue;
    }
    if (unnamed > 0 && draw.odd() && rand() < 0.05) {
      text += rand() < 0.5 ? header : header.toUpperCase().replace(separator, ` ${separator} `);
      continue;
    }
    const cell = spec.cells(draw, i);
    const cells = columns.map((c) => cell[c] as string);
    for (let k = 0; k < unnamed; k++) cells.push(draw.odd() && rand() < 0.05 ? "stray" : "");
    if (draw.odd() && rand() < 0.05) cells.push("extra");
    text += `${cells.join(separator)}${eol}`;
  }
  return text;
}
