import { copyText, type DbHandle } from "@ltvloop/db/client";
import { writeTable } from "./bulk.ts";
import { CUSTOMER_COLUMNS } from "./columns.ts";
import { customerPlainLane } from "./customers-plain-lines.ts";
import { checkFutureAcquisitions, recordCustomersImportRun } from "./import-coverage.ts";
import type { ImportOptions, ImportSummary } from "./import.types.ts";
import { importProblem } from "./problems.ts";
import {
  checkDuplicates,
  readIntoStage,
  rejectIfProblems,
  runImport,
  writeAudit,
  type HeaderSpec,
  type ImportContext,
  type ProblemLog,
  type RowCells,
} from "./staging.ts";
import { parseBoolean, parseEmail, parseId, parseInteger, parseMoney, parsePrefecture, parseTimestamp, type Parsed } from "./values.ts";

const SPEC: HeaderSpec = { kind: "customers", columns: CUSTOMER_COLUMNS, allowsAttributes: true };

/** The staging table's columns, in the order encodeCustomerRow writes them. */
const STAGE_COLUMNS = [
  "line", "external_id", "name", "email", "attributes", "acquisition_channel", "acquisition_cost", "acquired_at",
  "email_opt_in", "line_opt_in", "sms_opt_in", "dm_opt_in",
] as const;

/**
 * Longest name accepted. Names are indexed (a B-tree for sorting, trigrams for search), and a
 * B-tree entry holds at most 2,704 bytes: 500 UTF-16 units are at most 1,500 bytes of UTF-8,
 * while a longer name of random kanji made the import fail with the database's index error.
 */
export const MAX_NAME_CHARS = 500;

const copyBoolean = (value: boolean | null) => (value === null ? "\\N" : value ? "t" : "f");

/**
 * Validates one customer row and returns it as a line of COPY text for the staging table
 * (STAGE_COLUMNS), or undefined when it has problems (reported into the log); \N means "not
 * given" (new customers get the default). acquired_at is read by PostgreSQL in the business
 * time zone when the cell names none (readIntoStage sets the session's zone).
 */
function encodeCustomerRow(cells: RowCells, problems: ProblemLog): string | undefined {
  const before = problems.count;
  const optional = <T>(column: string, parse: (raw: string) => Parsed<T>): T | null => {
    const raw = cells.get(column);
    if (raw === "") return null;
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    problems.add(importProblem(cells.line, column, parsed.code, parsed.params));
    return null;
  };
  const text = (column: string) => cells.get(column) || null;

  const externalId = cells.get("external_id");
  if (externalId === "") problems.add(importProblem(cells.line, "external_id", "REQUIRED_VALUE", { column: "external_id" }));
  else {
    const id = parseId(externalId);
    if (!id.ok) problems.add(importProblem(cells.line, "external_id", id.code, id.params));
  }
  const email = optional("email", parseEmail);
  const prefecture = optional("prefecture", parsePrefecture);
  const birthYear = optional("birth_year", (raw) => parseInteger(raw, 1900, new Date().getFullYear()));
  const acquisitionCost = optional("acquisition_cost", (raw) => parseMoney(raw, "acquisition_cost"));
  const acquired = optional("acquired_at", parseTimestamp);
  const emailOptIn = optional("email_opt_in", parseBoolean);
  const lineOptIn = optional("line_opt_in", parseBoolean);
  const smsOptIn = optional("sms_opt_in", parseBoolean);
  const dmOptIn = optional("dm_opt_in", parseBoolean);
  const name = text("name");
  if (name !== null && name.length > MAX_NAME_CHARS) problems.add(importProblem(cells.line, "name", "TEXT_TOO_LONG", { column: "name", length: name.length, limit: MAX_NAME_CHARS }));
  if (problems.count > before) return undefined;

  const attributes: Record<string, unknown> = cells.attributes();
  const gender = text("gender");
  if (prefecture !== null) attributes.prefecture = prefecture;
  if (gender !== null) attributes.gender = gender;
  if (birthYear !== null) attributes.birthYear = birthYear;

  const acquiredAt = acquired === null ? "\\N" : `${acquired.local}${acquired.offset ?? ""}`;
  const json = Object.keys(attributes).length > 0 ? JSON.stringify(attributes) : null;
  return `${cells.line}\t${copyText(externalId)}\t${copyText(name)}\t${copyText(email)}\t${copyText(json)}\t${copyText(text("acquisition_channel"))}\t${acquisitionCost ?? "\\N"}\t${acquiredAt}\t${copyBoolean(emailOptIn)}\t${copyBoolean(lineOptIn)}\t${copyBoolean(smsOptIn)}\t${copyBoolean(dmOptIn)}\n`;
}

/** Streams the customers CSV into the staging table (plain lines through the fast lane unless `lane` says otherwise). */
export const stageCsvCustomers = (ctx: ImportContext, stage: string, lane = customerPlainLane) => readIntoStage(ctx, SPEC, stage, STAGE_COLUMNS, encodeCustomerRow, lane);

/**
 * Imports a customers CSV: new external ids are inserted, known ones updated where a given
 * cell differs (empty cells keep the stored value), identical rows are left untouched so a
 * re-import changes nothing, not even `updated_at`.
 */
export async function importCustomers({ handle, ...options }: ImportOptions & { handle: Pick<DbHandle, "transaction"> }): Promise<ImportSummary> {
  return runImport(handle, options, async (ctx) => {
    const { query } = ctx;
    const stage = ctx.tempName("customers");
    await query(
      `create temp table ${stage} (
         line int not null, external_id text not null, name text, email text, attributes jsonb,
         acquisition_channel text, acquisition_cost numeric(14, 2), acquired_at timestamptz,
         email_opt_in boolean, line_opt_in boolean, sms_opt_in boolean, dm_opt_in boolean
       ) on commit drop`,
    );
    const { rowsRead, problems, rejected, delimiter, encoding } = await stageCsvCustomers(ctx, stage);
    const summary: ImportSummary = {
      kind: "customers",
      format: "csv",
      label: options.label,
      isDryRun: options.dryRun ?? false,
      delimiter,
      encoding,
      rowsRead,
      customers: { inserted: 0, updated: 0, unchanged: 0 },
      skippedCount: 0,
      skipped: [],
    };
    if (rowsRead === 0) return summary;

    // Refused anyway when a row has a problem: its id joins the check, so the report is complete.
    await checkDuplicates(ctx, stage, problems, options.skipInvalid ? undefined : rejected);
    await checkFutureAcquisitions(ctx, stage, problems);
    rejectIfProblems(ctx, "customer", rowsRead, problems);
    options.onProgress?.({ phase: "writing", bytesRead: 0, rowsRead });

    const [staged] = await query<{ n: number }>(`select count(*)::int as n from ${stage}`);
    // Update first, so the insert below only sees ids that are new.
    const write = async () => {
      const [updated] = await query<{ n: number }>(
        `with changed as (
           update customers c set
             name = coalesce(s.name, c.name),
             email = coalesce(s.email, c.email),
             attributes = c.attributes || coalesce(s.attributes, '{}'::jsonb),
             acquisition_channel = coalesce(s.acquisition_channel, c.acquisition_channel),
             acquisition_cost = coalesce(s.acquisition_cost, c.acquisition_cost),
             acquired_at = coalesce(s.acquired_at, c.acquired_at),
             email_opt_in = coalesce(s.email_opt_in, c.email_opt_in),
             line_opt_in = coalesce(s.line_opt_in, c.line_opt_in),
             sms_opt_in = coalesce(s.sms_opt_in, c.sms_opt_in),
             dm_opt_in = coalesce(s.dm_opt_in, c.dm_opt_in),
             updated_at = now()
           from ${stage} s
           where c.external_id = s.external_id
             and (c.name, c.email, c.attributes, c.acquisition_channel, c.acquisition_cost, c.acquired_at,
                  c.email_opt_in, c.line_opt_in, c.sms_opt_in, c.dm_opt_in)
                 is distinct from
                 (coalesce(s.name, c.name), coalesce(s.email, c.email), c.attributes || coalesce(s.attributes, '{}'::jsonb),
                  coalesce(s.acquisition_channel, c.acquisition_channel), coalesce(s.acquisition_cost, c.acquisition_cost),
                  coalesce(s.acquired_at, c.acquired_at), coalesce(s.email_opt_in, c.email_opt_in),
                  coalesce(s.line_opt_in, c.line_opt_in), coalesce(s.sms_opt_in, c.sms_opt_in), coalesce(s.dm_opt_in, c.dm_opt_in))
           returning 1)
         select count(*)::int as n from changed`,
      );
      // The coalesce defaults repeat the column defaults of packages/db/src/schema/customers.ts.
      const [inserted] = await query<{ n: number }>(
        `with added as (
           insert into customers (external_id, name, email, attributes, acquisition_channel, acquisition_cost, acquired_at,
                                  email_opt_in, line_opt_in, sms_opt_in, dm_opt_in)
           select s.external_id, coalesce(s.name, ''), s.email, coalesce(s.attributes, '{}'::jsonb), s.acquisition_channel,
                  s.acquisition_cost, s.acquired_at, coalesce(s.email_opt_in, true), coalesce(s.line_opt_in, false),
                  coalesce(s.sms_opt_in, false), coalesce(s.dm_opt_in, true)
             from ${stage} s
            where not exists (select 1 from customers c where c.external_id = s.external_id)
           on conflict (external_id) do nothing
           returning 1)
         select count(*)::int as n from added`,
      );
      return { inserted, updated };
    };
    const { result: { inserted, updated } } = await writeTable(ctx, "customers", staged?.n ?? 0, write);
    const insertedCount = inserted?.n ?? 0;
    const updatedCount = updated?.n ?? 0;
    summary.customers = { inserted: insertedCount, updated: updatedCount, unchanged: (staged?.n ?? 0) - insertedCount - updatedCount };
    summary.skippedCount = rowsRead - (staged?.n ?? 0);
    summary.skipped = problems.first;
    await recordCustomersImportRun(ctx, summary);
    await writeAudit(ctx, "import.customers", summary);
    return summary;
  });
}
