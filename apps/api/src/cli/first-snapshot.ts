import type { DbHandle } from "@ltvloop/db/client";
import { createSnapshot, executeSnapshot, type SnapshotRow } from "../modules/snapshots/snapshot.service.ts";
import { seedDemoCampaigns } from "../modules/campaigns/demo-campaigns.ts";
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

/**
 * After the demo population: past campaigns with planted effects (so results are real at first
 * start), then the current snapshot, which includes the campaigns' orders.
 */
export async function finishDemo(handle: DbHandle, options: { asOf: Date; seed: number; campaigns: boolean; snapshot: boolean }): Promise<void> {
  if (options.campaigns) {
    process.stdout.write("Planting past demo campaigns (launched and measured; one awaits review)…\n");
    const planted = await seedDemoCampaigns(handle, { asOf: options.asOf, seed: options.seed });
    process.stdout.write(`Planted ${planted.length} demo campaigns.\n`);
  }
  if (options.snapshot) {
    const asOfDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(options.asOf);
    const snapshot = await computeSnapshotWithProgress(handle, "Snapshot", asOfDate);
    process.stdout.write(
      snapshot.status === "succeeded"
        ? `Snapshot ${snapshot.id}: ${snapshot.customerCount} customers scored as of ${asOfDate}.\n`
        : `The snapshot failed: ${snapshot.error}. Create one later with \`pnpm ltvloop snapshot\`.\n`,
    );
  }
}
