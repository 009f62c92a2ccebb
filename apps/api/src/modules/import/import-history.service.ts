// The import history: every committed import (customers, orders, campaign delivery results), newest first, with the
// file's name, what it changed and who ran it. Dry runs and rejected files leave no run.
import type { Database } from "@ltvloop/db/client";
import { importRuns, users } from "@ltvloop/db/schema";
import { desc, eq } from "drizzle-orm";

export interface ImportRun {
  id: number;
  kind: "customers" | "orders" | "deliveries";
  /** The campaign of a deliveries import. */
  campaignId: number | null;
  label: string;
  rows: number;
  inserted: number;
  updated: number;
  coveredFrom: Date | null;
  coveredTo: Date | null;
  allowFuture: boolean;
  importedAt: Date;
  importedBy: string | null;
}

export const MAX_HISTORY = 200;

export async function listImportRuns(db: Database, first = 50): Promise<ImportRun[]> {
  const limit = Math.max(1, Math.min(MAX_HISTORY, Math.floor(first)));
  const rows = await db
    .select({ run: importRuns, email: users.email })
    .from(importRuns)
    .leftJoin(users, eq(users.id, importRuns.importedBy))
    .orderBy(desc(importRuns.importedAt), desc(importRuns.id))
    .limit(limit);
  return rows.map(({ run, email }) => ({
    id: run.id,
    kind: run.kind,
    campaignId: run.campaignId ?? null,
    label: run.label,
    rows: run.rows,
    inserted: run.inserted,
    updated: run.updated,
    coveredFrom: run.coveredFrom,
    coveredTo: run.coveredTo,
    allowFuture: run.allowFuture,
    importedAt: run.importedAt,
    importedBy: email,
  }));
}
