import { copyText, type DbHandle } from "@ltvloop/db/client";
import { ORDER_STATUSES, type OrderStatus } from "@ltvloop/db/schema";
import { syncLoyaltyForCustomers } from "../loyalty/loyalty-earn.service.ts";
import { refreshRollups } from "../orders/rollups.service.ts";
import { ORDER_COLUMNS } from "./columns.ts";
import { checkFutureOrders, recordOrdersImportRun } from "./import-coverage.ts";
import { MAX_REPORTED_PROBLEMS, type ImportOptions, type ImportSummary } from "./import.types.ts";
import { loadOrders } from "./orders-load.ts";
import { orderPlainLane } from "./orders-plain-lines.ts";
import { DomainError } from "../../errors.ts";
import { cellValue, importProblem, toFieldProblem } from "./problems.ts";
import {
  ProblemLog,
  STAGE_BATCH_ROWS,
  checkDuplicates,
  readIntoStage,
  rejectIfProblems,
  runImport,
  writeAudit,
  type HeaderSpec,
  type ImportContext,
  type RowCells,
} from "./staging.ts";
import { decodeSource } from "./text-source.ts";
import { parseCurrency, parseId, parseInteger, parseMoney, parseRatio, parseTimestamp, type Parsed } from "./values.ts";

export type OrdersFormat = "csv" | "cdnow";

const SPEC: HeaderSpec = { kind: "orders", columns: ORDER_COLUMNS, allowsAttributes: false };
const MAX_INT = 2_147_483_647;

const isStatus = (value: string): value is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(value);

function required<T>(cells: RowCells, problems: ProblemLog, column: string, parse: (raw: string) => Parsed<T>): T | undefined {
  const raw = cells.get(column);
  if (raw === "") {
    problems.add(importProblem(cells.line, column, "REQUIRED_VALUE", { column }));
    return undefined;
  }
  const parsed = parse(raw);
  if (parsed.ok) return parsed.value;
  problems.add(importProblem(cells.line, column, parsed.code, parsed.params));
  return undefined;
}

function optional<T>(cells: RowCells, problems: ProblemLog, column: string, parse: (raw: string) => Parsed<T>, fallback: T): T {
  const raw = cells.get(column);
  if (raw === "") return fallback;
  const parsed = parse(raw);
  if (parsed.ok) return parsed.value;
  problems.add(importProblem(cells.line, column, parsed.code, parsed.params));
  return fallback;
}

const parseAmount = (raw: string) => parseMoney(raw, "amount");
const parseItems = (raw: string) => parseInteger(raw, 0, MAX_INT);

/**
 * Validates one order row and returns it as a line of COPY text for the staging table
 * (STAGE_COLUMNS), or undefined when it has problems (reported into the log). ordered_at is
 * written as the cell gave it, normalised (local time, with the cell's offset when it had one):
 * PostgreSQL reads it in the session time zone, which readIntoStage sets to the business one.
 */
function encodeOrderRow(cells: RowCells, problems: ProblemLog): string | undefined {
  const before = problems.count;
  const externalId = required(cells, problems, "external_id", parseId);
  const customerExternalId = required(cells, problems, "customer_external_id", parseId);
  const ordered = required(cells, problems, "ordered_at", parseTimestamp);
  const amount = required(cells, problems, "amount", parseAmount);
  const currency = optional(cells, problems, "currency", parseCurrency, "JPY");
  const grossMargin = optional<string | null>(cells, problems, "gross_margin", parseRatio, null);
  const statusRaw = cells.get("status").toLowerCase();
  let status: OrderStatus = "completed";
  if (statusRaw !== "") {
    if (isStatus(statusRaw)) status = statusRaw;
    else problems.add(importProblem(cells.line, "status", "BAD_CHOICE", { column: "status", value: cellValue(cells.get("status")), allowed: ORDER_STATUSES.join(", ") }));
  }
  const items = optional(cells, problems, "items", parseItems, 1);
  if (problems.count > before || !externalId || !customerExternalId || !ordered || amount === undefined) return undefined;
  const channel = cells.get("channel");
  return `${cells.line}\t${copyText(externalId)}\t${copyText(customerExternalId)}\t${ordered.local}${ordered.offset ?? ""}\t${amount}\t${copyText(currency)}\t${grossMargin ?? "\\N"}\t${status}\t${channel === "" ? "\\N" : copyText(channel)}\t${items}\n`;
}

async function createOrderStage(ctx: ImportContext): Promise<string> {
  const stage = ctx.tempName("orders");
  await ctx.query(
    `create temp table ${stage} (
       line int not null, external_id text not null, customer_external_id text not null, ordered_at timestamptz not null,
       amount numeric(14, 2) not null, currency text not null, gross_margin numeric(5, 4), status text not null,
       channel text, items int not null
     ) on commit drop`,
  );
  return stage;
}

const STAGE_COLUMNS = ["line", "external_id", "customer_external_id", "ordered_at", "amount", "currency", "gross_margin", "status", "channel", "items"] as const;

/** Reads an orders CSV into the staging table; `lane` is the fast lane (tests wrap it to count the lines it takes). */
export const stageCsvOrders = (ctx: ImportContext, stage: string, lane = orderPlainLane) => readIntoStage(ctx, SPEC, stage, STAGE_COLUMNS, encodeOrderRow, lane);

interface CdnowRow {
  line: number;
  masterId: string;
  day: string;
  cds: number;
  dollars: string;
}

const CDNOW_LINE = /^\s*(\d+)\s+(\d+)\s+(\d{4})(\d{2})(\d{2})\s+(\d+)\s+(\S+)\s*$/;

/**
 * Stages the CDNOW transaction log (Fader & Hardie's CDNOW sample: `master_id sample_id
 * YYYYMMDD cds dollars`, no header) and creates its customers. Order ids are deterministic:
 * `cdnow-<master>-<YYYYMMDD>-<n>`, n numbering one customer's same-day rows in file order,
 * so a re-import matches every row to the order it created.
 */
async function stageCdnowOrders(ctx: ImportContext, stage: string) {
  const { query, options } = ctx;
  const raw = ctx.tempName("cdnow");
  await query(`create temp table ${raw} (line int not null, master_id text not null, day date not null, cds int not null, dollars numeric(14, 2) not null) on commit drop`);
  const problems = new ProblemLog();
  let rowsRead = 0;
  let lineNo = 0;
  let bytesRead = 0;
  let batch: CdnowRow[] = [];
  const flush = async () => {
    await query(
      `insert into ${raw} select * from unnest($1::int[], $2::text[], $3::date[], $4::int[], $5::numeric[])`,
      [batch.map((r) => r.line), batch.map((r) => r.masterId), batch.map((r) => r.day), batch.map((r) => r.cds), batch.map((r) => r.dollars)],
    );
    batch = [];
  };
  const text = decodeSource(options.source, options.encoding ?? "utf8", (bytes) => {
    bytesRead = bytes;
    options.onProgress?.({ phase: "reading", bytesRead, rowsRead });
  });
  let pending = "";
  const handleLine = (content: string) => {
    lineNo++;
    if (content.trim() === "") return;
    rowsRead++;
    const m = CDNOW_LINE.exec(content);
    if (!m) {
      problems.add(importProblem(lineNo, undefined, "NOT_CDNOW_LINE", { value: cellValue(content.trim()) }));
      return;
    }
    const [, masterId = "", , y = "", mo = "", d = "", cds = "", dollars = ""] = m;
    const date = parseTimestamp(`${y}-${mo}-${d}`);
    const money = parseMoney(dollars, "dollars");
    const count = parseInteger(cds, 0, MAX_INT);
    if (!date.ok) problems.add(importProblem(lineNo, "date", date.code, date.params));
    if (!money.ok) problems.add(importProblem(lineNo, "dollars", money.code, money.params));
    if (!count.ok) problems.add(importProblem(lineNo, "cds", count.code, count.params));
    if (date.ok && money.ok && count.ok) batch.push({ line: lineNo, masterId, day: `${y}-${mo}-${d}`, cds: count.value, dollars: money.value });
  };
  for await (const block of text) {
    const lines = (pending + block).split("\n");
    pending = lines.pop() ?? "";
    for (const content of lines) handleLine(content);
    if (batch.length >= STAGE_BATCH_ROWS) await flush();
  }
  if (pending !== "") handleLine(pending);
  if (batch.length > 0) await flush();
  options.onProgress?.({ phase: "checking", bytesRead, rowsRead });

  await query(
    `insert into ${stage} (line, external_id, customer_external_id, ordered_at, amount, currency, gross_margin, status, channel, items)
     select line, 'cdnow-' || master_id || '-' || to_char(day, 'YYYYMMDD') || '-' || row_number() over (partition by master_id, day order by line),
            'cdnow-' || master_id, day::timestamp at time zone $1, dollars, 'USD', null, 'completed', null, cds
       from ${raw}`,
    [ctx.timeZone],
  );
  return { rowsRead, problems, customerStage: raw };
}

/** Customers the CDNOW log implies; existing ones are left as they are. */
async function createCdnowCustomers(ctx: ImportContext, raw: string) {
  const [row] = await ctx.query<{ inserted: number; total: number }>(
    `with ids as (select distinct master_id from ${raw}),
          added as (insert into customers (external_id, name)
                    select 'cdnow-' || master_id, 'CDNOW ' || master_id from ids
                    on conflict (external_id) do nothing returning 1)
     select (select count(*) from added)::int as inserted, (select count(*) from ids)::int as total`,
  );
  const inserted = row?.inserted ?? 0;
  return { inserted, updated: 0, unchanged: (row?.total ?? 0) - inserted };
}

/** Reports (and under skipInvalid removes) rows whose customer is not in the database. */
async function checkUnknownCustomers(ctx: ImportContext, stage: string, problems: ProblemLog) {
  const rows = await ctx.query<{ line: number; customer_external_id: string; total: number }>(
    `select s.line, s.customer_external_id, count(*) over ()::int as total
       from ${stage} s
      where not exists (select 1 from customers c where c.external_id = s.customer_external_id)
      order by s.line
      limit ${MAX_REPORTED_PROBLEMS}`,
  );
  if (rows.length === 0) return;
  problems.addAll(
    rows.map((r) => importProblem(r.line, "customer_external_id", "UNKNOWN_CUSTOMER", { value: cellValue(r.customer_external_id) })),
    rows[0]?.total ?? rows.length,
  );
  if (ctx.options.skipInvalid) {
    await ctx.query(`delete from ${stage} s where not exists (select 1 from customers c where c.external_id = s.customer_external_id)`);
  }
}

/** Largest revenue total the rollups hold per customer and per day (`numeric(16, 2)`). */
const MAX_TOTAL = "99999999999999.99";
const MAX_TOTAL_TEXT = "99,999,999,999,999.99";

const isNumericOverflow = (error: unknown) => (error as { code?: unknown }).code === "22003";

/**
 * Refreshes the rollups of the changed customers. Every amount fits its order, but a customer's
 * orders can add up to more than the rollups' totals hold (a hundred orders of 10^12): the
 * database's "numeric field overflow" is then turned into the customers and lines to check.
 * A savepoint costs nothing when the totals fit, which they nearly always do.
 */
async function refreshRollupsOrRefuseTotals(ctx: ImportContext, stage: string, customerIds: number[], bulk: boolean) {
  await ctx.query("savepoint rollup_totals");
  try {
    await refreshRollups(ctx.query, ctx.timeZone, customerIds, { bulk });
  } catch (error) {
    if (!isNumericOverflow(error)) throw error;
    await ctx.query("rollback to savepoint rollup_totals");
    const rows = await ctx.query<{ line: number; customer_external_id: string; total: number }>(
      `with over as (
         select c.external_id from orders o join customers c on c.id = o.customer_id
          where o.customer_id = any($1::bigint[]) and o.status = 'completed'
          group by c.external_id having sum(o.amount) > ${MAX_TOTAL})
       select max(s.line)::int as line, s.customer_external_id, count(*) over ()::int as total
         from ${stage} s join over on over.external_id = s.customer_external_id
        group by s.customer_external_id order by 1 limit ${MAX_REPORTED_PROBLEMS}`,
      [customerIds],
    );
    if (rows.length === 0) throw error;
    const problems = new ProblemLog();
    problems.addAll(
      rows.map((r) => importProblem(r.line, "amount", "TOTAL_TOO_LARGE", { value: cellValue(r.customer_external_id), max: MAX_TOTAL_TEXT })),
      rows[0]?.total ?? rows.length,
    );
    // Refused even under skipInvalid: no single row is wrong, the customer's orders together are.
    const customers = `${problems.count} customer${problems.count === 1 ? "" : "s"}`;
    throw new DomainError(
      "BAD_USER_INPUT",
      `${ctx.options.label} was rejected: the completed orders of ${customers} would add up to more than ${MAX_TOTAL_TEXT}, the largest revenue a customer can hold; nothing was imported. Check the amounts of the customers below (each is named at their last row in the file).`,
      problems.first.map(toFieldProblem),
      { reason: "IMPORT_REJECTED" },
    );
  }
  await ctx.query("release savepoint rollup_totals");
}

/**
 * Imports orders, from a CSV (`format` csv) or the CDNOW transaction log, then refreshes
 * the rollups of every customer whose orders changed. Orders are matched on external_id;
 * a row identical to the stored order changes nothing.
 */
export async function importOrders({
  handle,
  format = "csv",
  ...options
}: ImportOptions & { handle: Pick<DbHandle, "transaction">; format?: OrdersFormat }): Promise<ImportSummary> {
  return runImport(handle, options, async (ctx) => {
    const { query } = ctx;
    const stage = await createOrderStage(ctx);
    const summary: ImportSummary = {
      kind: "orders",
      format,
      label: options.label,
      isDryRun: options.dryRun ?? false,
      rowsRead: 0,
      orders: { inserted: 0, updated: 0, unchanged: 0 },
      skippedCount: 0,
      skipped: [],
    };
    let problems: ProblemLog;
    let refuseDuplicates: (() => Promise<void>) | undefined;
    if (format === "cdnow") {
      const staged = await stageCdnowOrders(ctx, stage);
      summary.rowsRead = staged.rowsRead;
      problems = staged.problems;
      if (summary.rowsRead === 0) return summary;
      await checkFutureOrders(ctx, stage, problems);
      rejectIfProblems(ctx, "order", summary.rowsRead, problems);
      summary.customers = await createCdnowCustomers(ctx, staged.customerStage);
    } else {
      const staged = await stageCsvOrders(ctx, stage);
      summary.rowsRead = staged.rowsRead;
      summary.delimiter = staged.delimiter;
      summary.encoding = staged.encoding;
      problems = staged.problems;
      if (summary.rowsRead === 0) return summary;
      // Under skipInvalid duplicates are removed before writing. Otherwise they only have to be
      // found before anything is kept: a bulk load finds them on its way (loadOrders), which
      // saves a pass over the file; when another check failed they are listed with the rest.
      if (options.skipInvalid) await checkDuplicates(ctx, stage, problems);
      await checkUnknownCustomers(ctx, stage, problems);
      await checkFutureOrders(ctx, stage, problems);
      if (!options.skipInvalid && problems.count > 0) await checkDuplicates(ctx, stage, problems, staged.rejected);
      rejectIfProblems(ctx, "order", summary.rowsRead, problems);
      if (!options.skipInvalid) {
        const rowsRead = summary.rowsRead;
        refuseDuplicates = async () => {
          await checkDuplicates(ctx, stage, problems);
          rejectIfProblems(ctx, "order", rowsRead, problems);
        };
      }
    }
    options.onProgress?.({ phase: "writing", bytesRead: 0, rowsRead: summary.rowsRead });

    const [staged] = await query<{ n: number }>(`select count(*)::int as n from ${stage}`);
    const stagedRows = staged?.n ?? 0;
    const loaded = await loadOrders(ctx, stage, stagedRows, refuseDuplicates);
    summary.orders = { inserted: loaded.inserted, updated: loaded.updated, unchanged: stagedRows - loaded.inserted - loaded.updated };
    summary.skippedCount = summary.rowsRead - stagedRows;
    summary.skipped = problems.first;

    await refreshRollupsOrRefuseTotals(ctx, stage, loaded.customerIds, loaded.isBulk);
    // Points and stamps of the changed orders, by the rules in force at each order's time.
    await syncLoyaltyForCustomers(query, loaded.customerIds, ctx.timeZone, options.now ?? new Date());
    await recordOrdersImportRun(ctx, stage, summary);
    await writeAudit(ctx, "import.orders", summary);
    return summary;
  });
}
