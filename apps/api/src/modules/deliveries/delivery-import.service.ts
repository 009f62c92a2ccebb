// Delivery results of a launched campaign (issue 13, exposure): per customer, what the sending
// tool reports — sent, delivered, bounced, opened, clicked, redeemed — with the time. Read with
// the order import's machinery (CSV reader, line/column problems, encodings, staging table,
// one transaction); checked against the campaign's frozen roster and launch time before
// anything is written; recorded as an import run with the campaign.
import { copyText, type DbHandle } from "@ltvloop/db/client";
import { DELIVERY_EVENTS, type DeliveryEvent } from "@ltvloop/db/schema";
import { conflict } from "../../errors.ts";
import { EFFECTIVE_STATUS, campaignNotFound } from "../campaigns/campaign.service.ts";
import { FUTURE_TOLERANCE_MS } from "../data-quality/data-quality.service.ts";
import { MAX_REPORTED_PROBLEMS, type ImportOptions, type ImportSummary } from "../import/import.types.ts";
import type { ProblemLog } from "../import/staging.ts";
import {
  readIntoStage,
  rejectIfProblems,
  runImport,
  writeAudit,
  type HeaderSpec,
  type ImportContext,
  type RowCells,
} from "../import/staging.ts";
import { cellValue, importProblem, type ImportProblemCode, type ProblemParams } from "../import/problems.ts";
import { parseId, parseTimestamp } from "../import/values.ts";
import { DELIVERY_COLUMNS } from "./delivery-columns.ts";

const SPEC: HeaderSpec = { kind: "deliveries", columns: DELIVERY_COLUMNS, allowsAttributes: false };
const LAUNCHED = ["running", "measuring", "checked", "acted"];

/** The staging table's columns, in the order encodeDeliveryRow writes them. */
const STAGE_COLUMNS = ["line", "customer_external_id", "event", "occurred_at", "channel"] as const;

const isEvent = (v: string): v is DeliveryEvent => (DELIVERY_EVENTS as readonly string[]).includes(v);

/**
 * Validates one delivery row and returns it as a line of COPY text for the staging table
 * (STAGE_COLUMNS), or undefined when it has problems (reported into the log). occurred_at is
 * read by PostgreSQL in the business time zone when the cell names none (readIntoStage sets it).
 */
function encodeDeliveryRow(cells: RowCells, problems: ProblemLog): string | undefined {
  const before = problems.count;
  const report = (column: string, code: ImportProblemCode, params: ProblemParams = { column }) => problems.add(importProblem(cells.line, column, code, params));
  let customerExternalId: string | undefined;
  const idCell = cells.get("customer_external_id");
  if (idCell === "") report("customer_external_id", "REQUIRED_VALUE");
  else {
    const id = parseId(idCell);
    if (id.ok) customerExternalId = id.value;
    else report("customer_external_id", id.code, id.params);
  }
  const eventCell = cells.get("event").toLowerCase();
  let event: DeliveryEvent | undefined;
  if (eventCell === "") report("event", "REQUIRED_VALUE");
  else if (isEvent(eventCell)) event = eventCell;
  else report("event", "BAD_CHOICE", { column: "event", value: cellValue(cells.get("event")), allowed: DELIVERY_EVENTS.join(", ") });
  const timeCell = cells.get("occurred_at");
  let occurred: { local: string; offset: string | null } | undefined;
  if (timeCell === "") report("occurred_at", "REQUIRED_VALUE");
  else {
    const t = parseTimestamp(timeCell);
    if (t.ok) occurred = t.value;
    else report("occurred_at", t.code, t.params);
  }
  if (problems.count > before || !customerExternalId || !event || !occurred) return undefined;
  const channel = cells.get("channel");
  return `${cells.line}\t${copyText(customerExternalId)}\t${event}\t${occurred.local}${occurred.offset ?? ""}\t${channel === "" ? "\\N" : copyText(channel)}\n`;
}

/**
 * Reports staged rows that fail a set-based check (`where` over the stage `s`, the customer
 * `cu` and the roster entry `a`), and removes them under skipInvalid.
 */
async function checkRows(
  ctx: ImportContext,
  stage: string,
  problems: ProblemLog,
  campaignId: number,
  check: { where: string; select?: string; column: string; params?: unknown[]; code: ImportProblemCode; problem: (r: Record<string, unknown>) => ProblemParams },
): Promise<void> {
  const from = `${stage} s left join customers cu on cu.external_id = s.customer_external_id
                left join campaign_assignments a on a.campaign_id = $1 and a.customer_id = cu.id`;
  const params = [campaignId, ...(check.params ?? [])];
  const rows = await ctx.query<Record<string, unknown>>(
    `select s.line, s.customer_external_id, s.event, s.occurred_at${check.select ? `, ${check.select}` : ""}, count(*) over ()::int as total
       from ${from} where ${check.where} order by s.line limit ${MAX_REPORTED_PROBLEMS}`,
    params,
  );
  if (rows.length === 0) return;
  problems.addAll(
    rows.map((r) => importProblem(Number(r.line), check.column, check.code, check.problem(r))),
    Number(rows[0]?.total ?? rows.length),
  );
  if (ctx.options.skipInvalid) await ctx.query(`delete from ${stage} where line in (select s.line from ${from} where ${check.where})`, params);
}

export interface DeliveryImportOptions extends ImportOptions {
  campaignId: number;
}

/**
 * Imports a campaign's delivery results. Every row is checked first — a known customer on the
 * campaign's roster, a known event, a time at or after the launch and not after the import
 * time (+ the clock tolerance), no row twice — and a file with any problem writes nothing
 * (unless skipInvalid). Rows are keyed by (campaign, customer, event, occurred_at): a replayed
 * file changes nothing; a changed channel updates the row.
 */
export async function importDeliveries({ handle, campaignId, ...options }: DeliveryImportOptions & { handle: Pick<DbHandle, "transaction"> }): Promise<ImportSummary> {
  return runImport(handle, { ...options }, async (ctx) => {
    const { query } = ctx;
    // The roster and launch time cannot change under a launched campaign; the lock only keeps a
    // concurrent status change out while the rows are checked.
    const [campaign] = await query<{ status: string; launched_at: Date | null }>(
      `select ${EFFECTIVE_STATUS} as status, c.launched_at from campaigns c where c.id = $1 for share`,
      [campaignId],
    );
    if (!campaign) throw campaignNotFound(campaignId);
    if (!LAUNCHED.includes(campaign.status) || !campaign.launched_at) {
      throw conflict(`Campaign ${campaignId} is ${campaign.status.toUpperCase()}: delivery results can be imported only after launch (RUNNING, MEASURING, CHECKED or ACTED).`, "CAMPAIGN_NOT_LAUNCHED", { id: campaignId, status: campaign.status });
    }
    const launchedAt = campaign.launched_at;
    const now = options.now ?? new Date();
    const stage = ctx.tempName("deliveries");
    await query(
      `create temp table ${stage} (line int not null, customer_external_id text not null, event text not null, occurred_at timestamptz not null, channel text) on commit drop`,
    );
    const summary: ImportSummary = {
      kind: "deliveries",
      format: "csv",
      label: options.label,
      isDryRun: options.dryRun ?? false,
      rowsRead: 0,
      campaignId,
      deliveries: { inserted: 0, updated: 0, unchanged: 0 },
      controlCustomers: 0,
      skippedCount: 0,
      skipped: [],
    };
    const staged = await readIntoStage(ctx, SPEC, stage, STAGE_COLUMNS, encodeDeliveryRow);
    summary.rowsRead = staged.rowsRead;
    summary.delimiter = staged.delimiter;
    summary.encoding = staged.encoding;
    const problems = staged.problems;
    if (summary.rowsRead === 0) return summary;

    // The staging table is fresh: without statistics the checks' joins are planned blind.
    await query(`analyze ${stage}`);
    const iso = (v: unknown) => new Date(v as string).toISOString();
    await checkRows(ctx, stage, problems, campaignId, {
      where: `s.line in (select line from (select line, row_number() over (partition by customer_external_id, event, occurred_at order by line) as k from ${stage}) d where d.k > 1)`,
      // Evaluated for the duplicates only: the line of the copy that stays.
      select: `(select min(e.line) from ${stage} e where e.customer_external_id = s.customer_external_id and e.event = s.event and e.occurred_at = s.occurred_at) as first_line`,
      column: "occurred_at",
      code: "DUPLICATE_KEY",
      problem: (r) => ({ key: "customer_external_id + event + occurred_at", value: cellValue(`${String(r.customer_external_id)} ${String(r.event)} ${iso(r.occurred_at)}`, 120), firstLine: Number(r.first_line) }),
    });
    await checkRows(ctx, stage, problems, campaignId, {
      where: "cu.id is null",
      column: "customer_external_id",
      code: "UNKNOWN_CUSTOMER",
      problem: (r) => ({ value: cellValue(String(r.customer_external_id)) }),
    });
    await checkRows(ctx, stage, problems, campaignId, {
      where: "cu.id is not null and a.customer_id is null",
      column: "customer_external_id",
      code: "NOT_ON_ROSTER",
      problem: (r) => ({ value: cellValue(String(r.customer_external_id)), campaignId }),
    });
    await checkRows(ctx, stage, problems, campaignId, {
      where: "s.occurred_at < $2",
      params: [launchedAt],
      column: "occurred_at",
      code: "BEFORE_LAUNCH",
      problem: (r) => ({ value: iso(r.occurred_at), launchedAt: launchedAt.toISOString(), timeZone: ctx.timeZone }),
    });
    await checkRows(ctx, stage, problems, campaignId, {
      where: "s.occurred_at > $2",
      params: [new Date(now.getTime() + FUTURE_TOLERANCE_MS)],
      column: "occurred_at",
      code: "FUTURE_DELIVERY",
      problem: (r) => ({ value: iso(r.occurred_at), importTime: now.toISOString(), toleranceMinutes: FUTURE_TOLERANCE_MS / 60_000, timeZone: ctx.timeZone }),
    });
    rejectIfProblems(ctx, "delivery", summary.rowsRead, problems);
    options.onProgress?.({ phase: "writing", bytesRead: 0, rowsRead: summary.rowsRead });

    const actor = options.actor;
    const [run] = await query<{ id: number }>(
      `insert into import_runs (kind, campaign_id, covered_from, covered_to, rows, allow_future, imported_by, imported_at)
       select 'deliveries', $1, min(occurred_at), max(occurred_at), count(*)::int, false, $2, $3 from ${stage} returning id`,
      [campaignId, actor?.kind === "user" ? actor.userId : null, now],
    );
    const [merged] = await query<{ inserted: number; updated: number }>(
      `with merged as (
         insert into campaign_deliveries as d (campaign_id, customer_id, event, occurred_at, channel, import_run_id)
         select $1, cu.id, s.event, s.occurred_at, s.channel, $2 from ${stage} s join customers cu on cu.external_id = s.customer_external_id
         on conflict (campaign_id, customer_id, event, occurred_at) do update set channel = excluded.channel
         where d.channel is distinct from excluded.channel
         returning (d.xmax = 0) as is_insert)
       select (count(*) filter (where is_insert))::int as inserted, (count(*) filter (where not is_insert))::int as updated from merged`,
      [campaignId, run?.id ?? null],
    );
    const [counts] = await query<{ n: number; control: number }>(
      `select count(*)::int as n,
              (count(distinct cu.id) filter (where a."group" = 'control'))::int as control
         from ${stage} s join customers cu on cu.external_id = s.customer_external_id
         join campaign_assignments a on a.campaign_id = $1 and a.customer_id = cu.id`,
      [campaignId],
    );
    const inserted = merged?.inserted ?? 0;
    const updated = merged?.updated ?? 0;
    summary.deliveries = { inserted, updated, unchanged: (counts?.n ?? 0) - inserted - updated };
    summary.controlCustomers = counts?.control ?? 0;
    summary.skippedCount = summary.rowsRead - (counts?.n ?? 0);
    summary.skipped = problems.first;
    await writeAudit(ctx, "import.deliveries", summary);
    return summary;
  });
}
