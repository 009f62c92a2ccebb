// Data completeness at import time (issue 13): orders dated after the import time (beyond a
// small tolerance for clock skew) are refused with a line-numbered reason unless the caller
// allows them, and every committed orders import records the time range it covered, from
// which the "orders complete up to" watermark is derived (see data-quality.service.ts).
import { MAX_REPORTED_PROBLEMS, type ImportSummary } from "./import.types.ts";
import { importProblem } from "./problems.ts";
import type { ImportContext, ProblemLog } from "./staging.ts";
import { FUTURE_TOLERANCE_MS } from "../data-quality/data-quality.service.ts";

/**
 * Reports (and under skipInvalid removes) staged rows whose `column` is after the import time +
 * tolerance. The instants are ISO 8601 in UTC for clients (the admin shows them in the business
 * time zone); `timeZone` lets the English message (the CLI's) show them there too, with their
 * offset.
 */
async function checkFuture(ctx: ImportContext, stage: string, problems: ProblemLog, column: "ordered_at" | "acquired_at", code: "FUTURE_ORDER" | "FUTURE_ACQUISITION"): Promise<void> {
  const importTime = ctx.options.now ?? new Date();
  const limit = new Date(importTime.getTime() + FUTURE_TOLERANCE_MS);
  const rows = await ctx.query<{ line: number; at: Date; total: number }>(
    `select s.line, s.${column} as at, count(*) over ()::int as total from ${stage} s where s.${column} > $1 order by s.line limit ${MAX_REPORTED_PROBLEMS}`,
    [limit],
  );
  if (rows.length === 0) return;
  problems.addAll(
    rows.map((r) =>
      importProblem(r.line, column, code, {
        value: new Date(r.at).toISOString(),
        importTime: importTime.toISOString(),
        toleranceMinutes: FUTURE_TOLERANCE_MS / 60_000,
        timeZone: ctx.timeZone,
      }),
    ),
    rows[0]?.total ?? rows.length,
  );
  if (ctx.options.skipInvalid) await ctx.query(`delete from ${stage} s where s.${column} > $1`, [limit]);
}

/** Reports (and under skipInvalid removes) staged orders dated after the import time + tolerance, unless allowed. */
export async function checkFutureOrders(ctx: ImportContext, stage: string, problems: ProblemLog): Promise<void> {
  if (ctx.options.allowFuture) return;
  await checkFuture(ctx, stage, problems, "ordered_at", "FUTURE_ORDER");
}

/**
 * Reports (and under skipInvalid removes) staged customers acquired after the import time +
 * the same tolerance as orders (a clock a little ahead, a time written in another zone): no
 * customer is acquired in the future, and a future acquired_at would put them outside every
 * cohort and acquisition report until that day. No override: a pre-registration is acquired when it happens.
 */
export async function checkFutureAcquisitions(ctx: ImportContext, stage: string, problems: ProblemLog): Promise<void> {
  await checkFuture(ctx, stage, problems, "acquired_at", "FUTURE_ACQUISITION");
}

/** Records the committed import's covered range (earliest and latest ordered_at of the staged rows). */
export async function recordOrdersImportRun(ctx: ImportContext, stage: string, summary: ImportSummary): Promise<void> {
  const actor = ctx.options.actor;
  await ctx.query(
    `insert into import_runs (kind, covered_from, covered_to, rows, allow_future, imported_by, imported_at, label, inserted, updated)
     select 'orders', min(ordered_at), max(ordered_at), count(*)::int, $1, $2, $3, $4, $5, $6 from ${stage}`,
    [
      ctx.options.allowFuture ?? false,
      actor?.kind === "user" ? actor.userId : null,
      ctx.options.now ?? new Date(),
      summary.label,
      summary.orders?.inserted ?? 0,
      summary.orders?.updated ?? 0,
    ],
  );
}

/** Records a committed customers import in the import history (customers cover no time range). */
export async function recordCustomersImportRun(ctx: ImportContext, summary: ImportSummary): Promise<void> {
  const actor = ctx.options.actor;
  const counts = summary.customers ?? { inserted: 0, updated: 0, unchanged: 0 };
  await ctx.query(
    `insert into import_runs (kind, rows, imported_by, imported_at, label, inserted, updated)
     values ('customers', $1, $2, $3, $4, $5, $6)`,
    [
      counts.inserted + counts.updated + counts.unchanged,
      actor?.kind === "user" ? actor.userId : null,
      ctx.options.now ?? new Date(),
      summary.label,
      counts.inserted,
      counts.updated,
    ],
  );
}
