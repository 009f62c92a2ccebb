// For the imports' fast-lane tests: stages one file twice, through a plain-line lane and through
// the record path alone, without a database (the COPY text is collected), so the two can be
// compared byte for byte with the rows counted, the problems found and any refusal.
import type { CopyIn } from "@ltvloop/db/client";
import { expect } from "vitest";
import type { ImportContext, PlainLane, StagedRead } from "../modules/import/staging.ts";

export type StageCsv = (ctx: ImportContext, stage: string, lane: (header: Map<string, number>) => PlainLane | undefined) => Promise<StagedRead>;

export async function stageBothWays(text: string, label: string, stageCsv: StageCsv, laneFor: (header: Map<string, number>) => PlainLane | undefined) {
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
    const counting = (header: Map<string, number>): PlainLane | undefined => {
      const lane = laneFor(header);
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
export async function compareLanes(files: string[], label: string, stageCsv: StageCsv, laneFor: (header: Map<string, number>) => PlainLane | undefined) {
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
