// Data completeness (issue 13): every orders import records the time range it covered
// (import/import-coverage.ts), and the "orders complete up to" watermark is the admin's value
// when set, else the latest order time any orders import covered, capped at that import's
// time. A measurement whose outcome window ends after it is provisional.
import type { DbHandle, Query } from "@ltvloop/db/client";
import type { Viewer } from "../../context.ts";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";

/** Orders dated this far after the import time are still accepted (clock skew between systems). */
export const FUTURE_TOLERANCE_MS = 60 * 60 * 1000;

export interface Watermark {
  /** Orders are complete up to this instant; null when no import was recorded and no admin value is set. */
  ordersCompleteUntil: Date | null;
  source: "admin" | "imports" | "unknown";
  note: string;
  setByEmail: string | null;
  setAt: Date | null;
  /** The latest orders import run. */
  lastOrdersImportAt: Date | null;
  lastOrdersImportCoveredFrom: Date | null;
  lastOrdersImportCoveredTo: Date | null;
}

export async function ordersWatermark(query: Query): Promise<Watermark> {
  const [row] = await query<Record<string, unknown>>(
    `select w.orders_complete_until as admin_until, w.note, w.set_at, u.email as set_by_email,
            (select max(least(covered_to, imported_at)) from import_runs where kind = 'orders') as imported_until,
            last.imported_at as last_at, last.covered_from as last_from, last.covered_to as last_to
       from (select 1) one
       left join data_watermarks w on w.id = 1
       left join users u on u.id = w.set_by
       left join lateral (select imported_at, covered_from, covered_to from import_runs where kind = 'orders' order by imported_at desc, id desc limit 1) last on true`,
  );
  const adminUntil = (row?.admin_until as Date | null) ?? null;
  const importedUntil = (row?.imported_until as Date | null) ?? null;
  return {
    ordersCompleteUntil: adminUntil ?? importedUntil,
    source: adminUntil ? "admin" : importedUntil ? "imports" : "unknown",
    note: (row?.note as string | null) ?? "",
    setByEmail: adminUntil ? ((row?.set_by_email as string | null) ?? null) : null,
    setAt: adminUntil ? ((row?.set_at as Date | null) ?? null) : null,
    lastOrdersImportAt: (row?.last_at as Date | null) ?? null,
    lastOrdersImportCoveredFrom: (row?.last_from as Date | null) ?? null,
    lastOrdersImportCoveredTo: (row?.last_to as Date | null) ?? null,
  };
}

/**
 * Sets (or with null clears, going back to the imports' coverage) the admin's watermark for
 * incremental feeds. It may not lie in the future: completeness is a statement about the past.
 */
export async function setOrdersWatermark(handle: DbHandle, viewer: Viewer | null, until: Date | null, note: string, now = new Date()): Promise<Watermark> {
  if (until && until.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw badInput(`ordersCompleteUntil ${until.toISOString()} is in the future; orders can only be complete up to now.`, [
      fieldProblem("ordersCompleteUntil", "IN_FUTURE"),
    ]);
  }
  if (note.length > 500) throw badInput("The note is longer than 500 characters.", [fieldProblem("note", "TOO_LONG", { max: 500 })]);
  return handle.transaction(async ({ query }) => {
    await query(
      `insert into data_watermarks (id, orders_complete_until, note, set_by, set_at) values (1, $1, $2, $3, now())
       on conflict (id) do update set orders_complete_until = excluded.orders_complete_until, note = excluded.note, set_by = excluded.set_by, set_at = now()`,
      [until, note.trim(), viewer?.userId ?? null],
    );
    await writeAudit(query, viewer, "setOrdersWatermark", "data_watermarks", 1, { ordersCompleteUntil: until?.toISOString() ?? null, note: note.trim() });
    return ordersWatermark(query);
  });
}
