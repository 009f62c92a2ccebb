import { copyText, type DbHandle } from "@ltvloop/db/client";
import { ORDER_STATUSES, type OrderStatus } from "@ltvloop/db/schema";
import { syncLoyaltyForCustomers } from "../loyalty/loyalty-earn.service.ts";
import { refreshRollups } from "../orders/rollups.service.ts";
import { ORDER_COLUMNS } from "./columns.ts";
import { checkFutureOrders, recordOrdersImportRun } from "./import-coverage.ts";
import { MAX_REPORTED_PROBLEMS, type ImportOptions, type ImportSummary } from "./import.types.ts";
import {
  ProblemLog,
  COPY_BATCH_ROWS,
  STAGE_BATCH_ROWS,
  TIMESTAMP_SQL,
  checkDuplicates,
  readAndStage,
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

interface OrderRow {
  line: number;
  externalId: string;
  customerExternalId: string;
  orderedLocal: string;
  orderedOffset: string | null;
  amount: string;
  currency: string;
  grossMargin: string | null;
  status: OrderStatus;
  channel: string | null;
  items: number;
}

const isStatus = (value: string): value is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(value);

function parseOrderRow(cells: RowCells, problems: ProblemLog): OrderRow | undefined {
  const before = problems.count;
  const report = (column: string, message: string) => problems.add({ line: cells.line, column, message });
  const required = <T>(column: string, parse: (raw: string) => Parsed<T>, what: string): T | undefined => {
    const raw = cells.get(column);
    if (raw === "") {
      report(column, `${column} is required: ${what}.`);
      return undefined;
    }
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    report(column, parsed.message);
    return undefined;
  };
  const optional = <T>(column: string, parse: (raw: string) => Parsed<T>, fallback: T): T => {
    const raw = cells.get(column);
    if (raw === "") return fallback;
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    report(column, parsed.message);
    return fallback;
  };

  const externalId = required("external_id", parseId, "every order needs your id for it");
  const customerExternalId = required("customer_external_id", parseId, "the external_id of the customer who ordered");
  const ordered = required("ordered_at", parseTimestamp, "write the order date, e.g. 2024-03-01 or 2024-03-01 14:05");
  const amount = required("amount", (raw) => parseMoney(raw, "amount"), "write the order value, e.g. 1280");
  const currency = optional("currency", parseCurrency, "JPY");
  const grossMargin = optional<string | null>("gross_margin", parseRatio, null);
  const statusRaw = cells.get("status").toLowerCase();
  let status: OrderStatus = "completed";
  if (statusRaw !== "") {
    if (isStatus(statusRaw)) status = statusRaw;
    else report("status", `"${cells.get("status")}" is not a status: write completed, refunded or cancelled (empty means completed).`);
  }
  const items = optional("items", (raw) => parseInteger(raw, 0, MAX_INT), 1);
  if (problems.count > before || !externalId || !customerExternalId || !ordered || amount === undefined) return undefined;
  return {
    line: cells.line,
    externalId,
    customerExternalId,
    orderedLocal: ordered.local,
    orderedOffset: ordered.offset,
    amount,
    currency,
    grossMargin,
    status,
    channel: cells.get("channel") || null,
    items,
  };
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

/**
 * COPY text of a batch. ordered_at is written as the cell gave it (local time, with the cell's
 * offset when it had one): PostgreSQL reads it in the session time zone, which is set to the
 * business time zone around the COPY, the same rule as TIMESTAMP_SQL.
 */
function copyLines(rows: readonly OrderRow[]): string {
  let text = "";
  for (const r of rows) {
    text += `${r.line}\t${copyText(r.externalId)}\t${copyText(r.customerExternalId)}\t${r.orderedLocal}${r.orderedOffset ?? ""}\t${r.amount}\t${copyText(r.currency)}\t${r.grossMargin ?? "\\N"}\t${r.status}\t${copyText(r.channel)}\t${r.items}\n`;
  }
  return text;
}

async function stageCsvOrders(ctx: ImportContext, stage: string) {
  const { copyFrom } = ctx;
  if (copyFrom) {
    // Fast path on PostgreSQL: COPY FROM STDIN into the staging table.
    return readAndStage(
      ctx,
      SPEC,
      parseOrderRow,
      async (rows) => {
        const [session] = await ctx.query<{ was: string }>("select current_setting('timezone') as was, set_config('timezone', $1, true)", [ctx.timeZone]);
        await copyFrom(stage, STAGE_COLUMNS, copyLines(rows));
        await ctx.query("select set_config('timezone', $1, true)", [session?.was ?? "UTC"]);
      },
      COPY_BATCH_ROWS,
    );
  }
  return readAndStage(ctx, SPEC, parseOrderRow, async (rows) => {
    await ctx.query(
      `insert into ${stage}
       select u.line, u.external_id, u.customer_external_id, ${TIMESTAMP_SQL("u.ordered_local", "u.ordered_offset", "$12")},
              u.amount::numeric, u.currency, u.gross_margin::numeric, u.status, u.channel, u.items
         from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::int[])
              as u(line, external_id, customer_external_id, ordered_local, ordered_offset, amount, currency, gross_margin,
                   status, channel, items)`,
      [
        rows.map((r) => r.line),
        rows.map((r) => r.externalId),
        rows.map((r) => r.customerExternalId),
        rows.map((r) => r.orderedLocal),
        rows.map((r) => r.orderedOffset),
        rows.map((r) => r.amount),
        rows.map((r) => r.currency),
        rows.map((r) => r.grossMargin),
        rows.map((r) => r.status),
        rows.map((r) => r.channel),
        rows.map((r) => r.items),
        ctx.timeZone,
      ],
    );
  });
}

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
      problems.add({ line: lineNo, message: `"${content.trim().slice(0, 80)}" is not a CDNOW line: expected "master_id sample_id YYYYMMDD cds dollars".` });
      return;
    }
    const [, masterId = "", , y = "", mo = "", d = "", cds = "", dollars = ""] = m;
    const date = parseTimestamp(`${y}-${mo}-${d}`);
    const money = parseMoney(dollars, "dollars");
    const count = parseInteger(cds, 0, MAX_INT);
    if (!date.ok) problems.add({ line: lineNo, column: "date", message: date.message });
    if (!money.ok) problems.add({ line: lineNo, column: "dollars", message: money.message });
    if (!count.ok) problems.add({ line: lineNo, column: "cds", message: count.message });
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
    rows.map((r) => ({
      line: r.line,
      column: "customer_external_id",
      message: `unknown customer ${r.customer_external_id}: import the customer first (ltvloop import customers) or correct the id.`,
    })),
    rows[0]?.total ?? rows.length,
  );
  if (ctx.options.skipInvalid) {
    await ctx.query(`delete from ${stage} s where not exists (select 1 from customers c where c.external_id = s.customer_external_id)`);
  }
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
      problems = staged.problems;
      if (summary.rowsRead === 0) return summary;
      await checkDuplicates(ctx, stage, problems);
      await checkUnknownCustomers(ctx, stage, problems);
      await checkFutureOrders(ctx, stage, problems);
      rejectIfProblems(ctx, "order", summary.rowsRead, problems);
    }
    options.onProgress?.({ phase: "writing", bytesRead: 0, rowsRead: summary.rowsRead });

    // An order moved to another customer changes the old customer's rollup too.
    const [moved] = await query<{ ids: number[] }>(
      `select coalesce(array_agg(distinct o.customer_id), '{}') as ids
         from ${stage} s
         join orders o on o.external_id = s.external_id
         join customers c on c.external_id = s.customer_external_id
        where o.customer_id <> c.id`,
    );
    const [merged] = await query<{ inserted: number; updated: number; ids: number[] }>(
      `with merged as (
         insert into orders as o (external_id, customer_id, ordered_at, amount, currency, gross_margin, status, channel, items)
         select s.external_id, c.id, s.ordered_at, s.amount, s.currency, s.gross_margin, s.status, s.channel, s.items
           from ${stage} s join customers c on c.external_id = s.customer_external_id
         on conflict (external_id) do update set
           customer_id = excluded.customer_id, ordered_at = excluded.ordered_at, amount = excluded.amount,
           currency = excluded.currency, gross_margin = excluded.gross_margin, status = excluded.status,
           channel = excluded.channel, items = excluded.items
         where (o.customer_id, o.ordered_at, o.amount, o.currency, o.gross_margin, o.status, o.channel, o.items)
               is distinct from
               (excluded.customer_id, excluded.ordered_at, excluded.amount, excluded.currency, excluded.gross_margin,
                excluded.status, excluded.channel, excluded.items)
         returning o.customer_id, (o.xmax = 0) as is_insert)
       select count(*) filter (where is_insert)::int as inserted, count(*) filter (where not is_insert)::int as updated,
              coalesce(array_agg(distinct customer_id), '{}') as ids
         from merged`,
    );
    const [staged] = await query<{ n: number }>(`select count(*)::int as n from ${stage}`);
    const inserted = merged?.inserted ?? 0;
    const updated = merged?.updated ?? 0;
    summary.orders = { inserted, updated, unchanged: (staged?.n ?? 0) - inserted - updated };
    summary.skippedCount = summary.rowsRead - (staged?.n ?? 0);
    summary.skipped = problems.first;

    const touched = [...new Set([...(moved?.ids ?? []), ...(merged?.ids ?? [])].map(Number))];
    await refreshRollups(query, ctx.timeZone, touched);
    // Points and stamps of the changed orders, by the rules in force at each order's time.
    await syncLoyaltyForCustomers(query, touched, ctx.timeZone, options.now ?? new Date());
    await recordOrdersImportRun(ctx, stage, summary);
    await writeAudit(ctx, "import.orders", summary);
    return summary;
  });
}
