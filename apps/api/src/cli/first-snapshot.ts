import type { DbHandle } from "@ltvloop/db/client";
import { createSnapshot, executeSnapshot, type SnapshotRow } from "../modules/snapshots/snapshot.service.ts";
import { createProgress } from "./progress.ts";

/** Computes a snapshot with a progress bar; used after seeding and on a first start. */
export async function computeSnapshotWithProgress(handle: DbHandle, label: string, asOfDate?: string): Promise<SnapshotRow> {
  const progress = createProgress();
  progress.start(100, label);
  const queued = await createSnapshot(handle, null, { asOfDate: asOfDate ?? null });
  const snapshot = await executeSnapshot(handle, queued.id, (p) => progress.update(Math.round(p * 100)));
  progress.update(100);
  progress.stop();
  return snapshot;
}
