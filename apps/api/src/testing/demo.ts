// A small scored demo data set for API tests.
import type { DbHandle } from "@ltvloop/db/client";
import { silentProgress } from "../cli/progress.ts";
import { seedDemoData } from "../modules/seed/seed.service.ts";
import { createSnapshot, executeSnapshot, type SnapshotRow } from "../modules/snapshots/snapshot.service.ts";

export const DEMO_AS_OF_DATE = "2025-06-01";

/** Seeds `customers` demo customers (two years up to 2025-06-01 JST) and computes one snapshot. */
export async function seedScoredDemo(handle: DbHandle, customers = 1500): Promise<SnapshotRow> {
  await seedDemoData(handle, {
    seed: 7,
    customers,
    years: 2,
    asOf: new Date(`${DEMO_AS_OF_DATE}T00:00:00+09:00`),
    progress: silentProgress,
  });
  const snapshot = await createSnapshot(handle, null, { asOfDate: DEMO_AS_OF_DATE });
  const done = await executeSnapshot(handle, snapshot.id);
  if (done.status !== "succeeded") throw new Error(`demo snapshot failed: ${done.error}`);
  return done;
}
