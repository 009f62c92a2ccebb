// The machinery both imports share: one transaction, a header check, streaming rows into a
// TEMP staging table in batches, set-based checks on that table, and the rejection report.
import { randomBytes } from "node:crypto";
import type { CopyIn, DbHandle, Query } from "@ltvloop/db/client";
import { fileRejected, DomainError } from "../../errors.ts";
import { getSettings } from "../settings/settings.service.ts";
import { ROLLUP_ZONE_LOCK } from "../settings/time-zone-change.ts";
import { ATTRIBUTE_PREFIX, type ColumnDoc } from "./columns.ts";
import { CopyBuffer } from "./copy-buffer.ts";
import { isTrimmed, type LineShape } from "./plain-cells.ts";
import { namedColumns, RowShape } from "./row-shape.ts";
import { CsvParser, CsvSyntaxError } from "./csv-parser.ts";
import { syntaxProblem, type CsvRecord } from "./csv-records.ts";
import { decodeSource } from "./text-source.ts";
import { parseId } from "./values.ts";
import {
  MAX_REPORTED_PROBLEMS,
  type ImportEncoding,
  type ImportOptions,
  type ImportProblem,
  type ImportSummary,
} from "./import.types.ts";
import { cellValue, columnParams, importProblem, problemPath, toFieldProblem, unknownColumnParams } from "./problems.ts";

export { problemPath };

/** Rows per `insert … select from unnest(…)` statement into a staging table (the CDNOW log). */
export const STAGE_BATCH_ROWS = 5_000;
/**
 * Memory for the sorts and hashes of one import transaction (duplicate and customer checks,
 * the rollup refresh, index rebuilds): a million-row file sorts in memory instead of on disk.
 */
export const IMPORT_WORK_MEM = "128MB";

/** Problems collected while reading: a count, and the first ones kept for the report. */
export class ProblemLog {
  count = 0;
  readonly first: ImportProblem[] = [];

  add(problem: ImportProblem): void {
    this.count++;
    if (this.first.length < MAX_REPORTED_PROBLEMS) this.first.push(problem);
  }

  addAll(problems: readonly ImportProblem[], total: number): void {
    this.count += total;
    this.first.push(...problems);
    this.first.sort((a, b) => a.line - b.line);
    this.first.length = Math.min(this.first.length, MAX_REPORTED_PROBLEMS);
  }
}


export interface ImportContext {
  query: Query;
  timeZone: string;
  options: ImportOptions;
  /** Unique per import, so two imports never share a staging table. */
  tempName: (role: string) => string;
  /** Bulk load into a table of this transaction (COPY). */
  copyIn: CopyIn;
}

/** Thrown to roll back a dry run; carries the summary out of the transaction. */
class DryRunRollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super("dry run");
  }
}

/**
 * Runs one import in one transaction: the staging tables (`on commit drop`), the upserts,
 * the rollup refresh and the audit row commit together or not at all.
 */
export async function runImport(
  handle: Pick<DbHandle, "transaction">,
  options: ImportOptions,
  work: (ctx: ImportContext) => Promise<ImportSummary>,
): Promise<ImportSummary> {
  const suffix = randomBytes(6).toString("hex");
  try {
    return await handle.transaction(async (tx) => {
      // The zone its purchase days are counted in holds until this import commits: a time-zone
      // change waits for it, and an import that starts during a change waits for the change.
      await tx.query("select pg_advisory_xact_lock_shared($1)", [ROLLUP_ZONE_LOCK]);
      const { timeZone } = await getSettings(tx.query);
      // synchronous_commit off: the commit does not wait for its WAL to reach the disk. The
      // transaction stays all or nothing; a crash in the moment after the import reported
      // success can lose that import as a whole (never part of it), and importing the file
      // again restores it.
      await tx.query(
        "select set_config('work_mem', $1, true), set_config('maintenance_work_mem', $1, true), set_config('synchronous_commit', 'off', true)",
        [IMPORT_WORK_MEM],
      );
      const summary = await work({
        query: tx.query,
        timeZone,
        options,
        tempName: (role) => `import_${role}_${suffix}`,
        copyIn: tx.copyIn,
      });
      if (options.dryRun) throw new DryRunRollback(summary);
      return summary;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.summary;
    throw error;
  }
}

export interface HeaderSpec {
  kind: "customers" | "orders" | "deliveries";
  columns: readonly ColumnDoc[];
  allowsAttributes: boolean;
}

/**
 * Maps normalised column names to their index; rejects unknown, duplicate and missing columns,
 * and an unnamed column before a named one (unnamed ones after the last named column are left
 * out: readIntoStage requires their cells to be empty).
 */
export function resolveHeader(record: CsvRecord, spec: HeaderSpec): Map<string, number> {
  const known = new Set(spec.columns.map((c) => c.name));
  const problems: ImportProblem[] = [];
  const index = new Map<string, number>();
  record.fields.slice(0, namedColumns(record.fields)).forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (name === "") {
      problems.push(importProblem(record.line, undefined, "UNNAMED_COLUMN", { position: i + 1 }));
    } else if (index.has(name)) {
      problems.push(importProblem(record.line, name, "DUPLICATE_COLUMN", { column: name }));
    } else if (!known.has(name) && !(spec.allowsAttributes && name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length)) {
      const column = cellValue(raw.trim(), 60);
      problems.push(importProblem(record.line, column, "UNKNOWN_COLUMN", unknownColumnParams(column, spec.columns, spec.allowsAttributes ? ["attr_<key>"] : [])));
    } else {
      index.set(name, i);
    }
  });
  const missing = spec.columns.filter((c) => c.isRequired && !index.has(c.name)).map((c) => c.name);
  for (const name of missing) {
    problems.push(importProblem(record.line, name, "MISSING_COLUMN", { column: name, ...columnParams(spec.columns) }));
  }
  if (problems.length > 0) {
    const what = missing.length > 0 ? `is missing the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` : "has a header problem";
    throw fileRejected(`The ${spec.kind} file ${what}; nothing was imported.`, problems.map(toFieldProblem));
  }
  return index;
}

export function emptyFileError(spec: HeaderSpec) {
  const required = spec.columns.filter((c) => c.isRequired).map((c) => c.name).join(", ");
  return fileRejected(
    `The file is empty: expected a header row with the ${spec.kind} columns (at least ${required}) followed by data rows.`,
    [toFieldProblem(importProblem(1, undefined, "EMPTY_FILE", columnParams(spec.columns)))],
  );
}

/** A data row: trimmed cells by column name ("" when the column is absent or the cell empty). */
export interface RowCells {
  line: number;
  get: (column: string) => string;
  /** attr_<key> cells that are not empty, by key. */
  attributes: () => Record<string, string>;
}

/** The one RowCells of a read, pointed at each record in turn (no allocation per row). */
class RecordCells implements RowCells {
  line = 0;
  fields: string[] = [];
  constructor(
    private readonly columns: Map<string, number>,
    private readonly attributeColumns: [string, number][],
  ) {}

  get(column: string): string {
    const i = this.columns.get(column);
    return i === undefined ? "" : (this.fields[i] ?? "").trim();
  }

  attributes(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, i] of this.attributeColumns) {
      const value = (this.fields[i] ?? "").trim();
      if (value !== "") out[name.slice(ATTRIBUTE_PREFIX.length)] = value;
    }
    return out;
  }
}

export interface StagedRead {
  rowsRead: number;
  /** The separator the file was read with (from its header line) and the encoding it was read in. */
  delimiter: "comma" | "tab";
  encoding: ImportEncoding;
  problems: ProblemLog;
  /** Lines and external ids of rows refused while reading (see RejectedKeys). */
  rejected: RejectedKeys;
}

/**
 * The external ids of rows refused while reading, which the staging table does not hold: a
 * repeated id is then reported even when one of its rows has another problem, so a file is
 * fixed in one round. Kept for the first REJECTED_KEYS_KEPT refused rows (a file with more is
 * refused anyway, and memory stays bounded).
 */
export interface RejectedKeys {
  lines: number[];
  ids: string[];
}
const REJECTED_KEYS_KEPT = 100_000;

/**
 * A fast lane for plain lines (see PlainLineCallback): writes the line's row as COPY text into
 * `out` and returns true, or returns false having written nothing, and the line takes the
 * record path (`encodeRow`). It must write exactly what `encodeRow` writes for the lines it takes.
 */
export type PlainLane = (text: string, start: number, end: number, line: number, out: CopyBuffer) => boolean;

/** Makes the fast lane for a file's header (column name → index) and line shape, or undefined when it cannot take one. */
export type PlainLaneFor = (header: Map<string, number>, shape: LineShape) => PlainLane | undefined;

/**
 * Streams the CSV into the staging table `stage` with one COPY: each record is validated by
 * `encodeRow`, which reports into the log and returns the row as a line of COPY text (see
 * copyText) or undefined for a bad row; `plainLane`, given the header, may return a fast lane
 * that takes plain lines without making a record (ImportOptions.fastLane false turns it off).
 * Rows are written as bytes into a CopyBuffer and handed to the COPY a megabyte at a time after
 * each block of the file, so no async hop per record, and memory bounded by a block. Timestamps
 * without a zone are read by PostgreSQL in the business time zone: the session's zone is set to
 * it around the COPY. An empty file throws; a header-only file reads 0 rows.
 */
export async function readIntoStage(
  ctx: ImportContext,
  spec: HeaderSpec,
  stage: string,
  columns: readonly string[],
  encodeRow: (cells: RowCells, problems: ProblemLog) => string | undefined,
  plainLane?: PlainLaneFor,
): Promise<StagedRead> {
  const { options } = ctx;
  const problems = new ProblemLog();
  const rejected: RejectedKeys = { lines: [], ids: [] };
  let rowsRead = 0;
  let bytesRead = 0;
  let header: Map<string, number> | undefined;
  let headerNames: string[] | undefined;
  let cells: RecordCells | undefined;
  let lane: PlainLane | undefined;
  let shape: RowShape | undefined;
  let headerFirst = -1;
  let encoding: ImportEncoding = options.encoding ?? "utf8";
  const out = new CopyBuffer();
  const report = (problem: ImportProblem) => problems.add(problem);
  const text = decodeSource(
    options.source,
    encoding,
    (bytes) => {
      bytesRead = bytes;
      options.onProgress?.({ phase: "reading", bytesRead, rowsRead });
    },
    (read) => (encoding = read),
  );
  const onRecord = (fields: string[], line: number) => {
    if (!header || !cells) {
      headerNames = fields.map((f) => f.trim());
      header = resolveHeader({ line, fields }, spec);
      cells = new RecordCells(header, [...header].filter(([name]) => name.startsWith(ATTRIBUTE_PREFIX)));
      const delimiter = parser.delimiter;
      shape = new RowShape(fields, delimiter);
      headerFirst = shape.repeated.firstCode;
      lane = options.fastLane === false ? undefined : plainLane?.(header, { width: shape.width, delimiter });
      return;
    }
    // Spreadsheets export trailing ",,,," rows; a row of empty cells is no row at all.
    if (isBlankRecord(fields)) return;
    rowsRead++;
    if (!shape?.check(fields, line, report)) return;
    cells.line = line;
    cells.fields = fields;
    const row = encodeRow(cells, problems);
    if (row !== undefined) out.text(row);
    else if (rejected.lines.length < REJECTED_KEYS_KEPT) {
      const id = cells.get("external_id");
      if (id !== "" && parseId(id).ok) {
        rejected.lines.push(line);
        rejected.ids.push(id);
      }
    }
  };
  const onPlainLine = (content: string, start: number, end: number, line: number): boolean => {
    if (lane === undefined) return false;
    // A line that may repeat the header takes the record path, which tells. Most lines differ
    // from it in their first character: only the others are compared further.
    const first = content.charCodeAt(start);
    if (((first | 0x20) === headerFirst || isTrimmed(first) || first >= 0x80) && shape?.repeated.mayBe(content, start, end)) return false;
    if (!lane(content, start, end, line, out)) return false;
    rowsRead++;
    return true;
  };
  const parser = new CsvParser(onRecord, { onPlainLine, delimiter: "auto" });
  const [session] = await ctx.query<{ was: string }>("select current_setting('timezone') as was, set_config('timezone', $1, true)", [ctx.timeZone]);
  const copy = await ctx.copyIn(stage, columns);
  try {
    try {
      for await (const block of text) {
        parser.push(block);
        for (const chunk of out.drain()) await copy.write(chunk);
      }
      parser.end();
    } catch (error) {
      throw error instanceof CsvSyntaxError ? syntaxProblem(error, headerNames) : error;
    }
    if (!header) throw emptyFileError(spec);
    for (const chunk of out.drain(true)) await copy.write(chunk);
    await copy.end();
  } catch (error) {
    await copy.abort(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  await ctx.query("select set_config('timezone', $1, true)", [session?.was ?? "UTC"]);
  options.onProgress?.({ phase: "checking", bytesRead, rowsRead });
  return { rowsRead, problems, rejected, delimiter: parser.delimiter, encoding };
}

function isBlankRecord(fields: readonly string[]): boolean {
  for (const field of fields) if (field !== "" && field.trim() !== "") return false;
  return true;
}

/**
 * Reports rows whose `external_id` appeared on an earlier line. Under skipInvalid the later
 * copies are removed from the staging table (the first one wins) and returned as skipped.
 * `rejected` (refused rows' ids, when the import is refused anyway) joins them in the check.
 */
export async function checkDuplicates(ctx: ImportContext, stage: string, problems: ProblemLog, rejected?: RejectedKeys): Promise<void> {
  let keys = stage;
  if (rejected && rejected.lines.length > 0) {
    keys = ctx.tempName("keys");
    await ctx.query(
      `create temp table ${keys} on commit drop as
         select line, external_id from ${stage}
         union all select line, external_id from unnest($1::int[], $2::text[]) as r(line, external_id)`,
      [rejected.lines, rejected.ids],
    );
  }
  // One hash pass finds whether there is any duplicate; the line-by-line report (a sort) runs
  // only when there is.
  const [any] = await ctx.query<{ found: boolean }>(
    `select exists (select 1 from ${keys} group by external_id having count(*) > 1) as found`,
  );
  if (!any?.found) return;
  const rows = await ctx.query<{ line: number; external_id: string; first_line: number; total: number }>(
    `select line, external_id, first_line, count(*) over ()::int as total
       from (select line, external_id, min(line) over (partition by external_id) as first_line from ${keys}) d
      where line <> first_line
      order by line
      limit ${MAX_REPORTED_PROBLEMS}`,
  );
  if (rows.length === 0) return;
  problems.addAll(
    rows.map((r) => importProblem(r.line, "external_id", "DUPLICATE_KEY", { key: "external_id", value: cellValue(r.external_id), firstLine: r.first_line })),
    rows[0]?.total ?? rows.length,
  );
  if (ctx.options.skipInvalid) {
    await ctx.query(
      `delete from ${stage} s using (select line, min(line) over (partition by external_id) as first_line from ${stage}) d
        where s.line = d.line and d.line <> d.first_line`,
    );
  }
}

/** Throws the rejection when there are problems and skipInvalid is off. */
export function rejectIfProblems(ctx: ImportContext, kind: string, rowsRead: number, problems: ProblemLog): void {
  if (problems.count === 0 || ctx.options.skipInvalid) return;
  const listed = problems.count > problems.first.length ? ` (the first ${problems.first.length} are reported)` : "";
  throw new DomainError(
    "BAD_USER_INPUT",
    `${ctx.options.label} was rejected: ${problems.count} problem${problems.count === 1 ? "" : "s"} in ${rowsRead} ${kind} row${rowsRead === 1 ? "" : "s"}${listed}; nothing was imported. Fix the rows below and import the file again, or use --skip-invalid to import only the valid rows.`,
    problems.first.map(toFieldProblem),
    { reason: "IMPORT_REJECTED" },
  );
}

export async function writeAudit(ctx: ImportContext, operation: string, summary: ImportSummary): Promise<void> {
  const actor = ctx.options.actor ?? { kind: "cli" };
  await ctx.query(
    `insert into audit_log (actor_kind, actor_user_id, actor_api_key_id, operation, target_type, details)
     values ($1, $2, $3, $4, 'import', $5::jsonb)`,
    [
      actor.kind,
      actor.kind === "user" ? actor.userId : null,
      actor.kind === "api_key" ? actor.apiKeyId : null,
      operation,
      JSON.stringify({
        file: summary.label,
        format: summary.format,
        ...(summary.campaignId !== undefined ? { campaignId: summary.campaignId } : {}),
        counts: {
          rowsRead: summary.rowsRead,
          customers: summary.customers,
          orders: summary.orders,
          deliveries: summary.deliveries,
          skipped: summary.skippedCount,
        },
      }),
    ],
  );
}

/** A timestamp cell as staged: local text plus optional offset, converted in SQL. */
export const TIMESTAMP_SQL = (local: string, offset: string, tzParam: string) =>
  `case when ${local} is null then null when ${offset} is null then ${local}::timestamp at time zone ${tzParam} else (${local} || ${offset})::timestamptz end`;
