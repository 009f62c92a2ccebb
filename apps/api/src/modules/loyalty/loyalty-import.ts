// Redemptions and manual adjustments from CSV or tab-separated text (the CLI and a GraphQL mutation). The file is read
// whole and every row checked first (line-numbered problems); then, in one transaction, each row
// is written in file order with the same rules as a single entry (row lock, expiries, balance):
// a row that would overdraw a balance rejects the whole file. Entry ids make a replay a no-op.
import type { DbHandle } from "@ltvloop/db/client";
import type { Viewer } from "../../context.ts";
import { fileRejected, DomainError } from "../../errors.ts";
import { writeAudit } from "../audit/audit.service.ts";
import type { ColumnDoc } from "../import/columns.ts";
import type { ImportEncoding, ImportSource } from "../import/import.types.ts";
import { readSmallCsv, type SmallCsvRead } from "../import/small-csv.ts";
import { cellValue, importProblem, toFieldProblem } from "../import/problems.ts";
import { parseId, parseInteger } from "../import/values.ts";
import { checkManualEntry, MAX_POINTS_PER_ENTRY, writeManualEntry, type ManualKind } from "./loyalty-ledger.service.ts";

export const LOYALTY_ENTRY_COLUMNS: readonly ColumnDoc[] = [
  { name: "customer_external_id", isRequired: true, description: "the customer's external_id" },
  { name: "kind", isRequired: true, description: "redeem (points used) or adjust (a manual correction)" },
  { name: "points", isRequired: true, description: "redeem: points used, > 0; adjust: signed change, e.g. 200 or -50" },
  { name: "entry_id", isRequired: true, description: "your id of this entry; the same id again is recorded once" },
  { name: "note", isRequired: false, description: "free text kept with the entry (reason, reward, ticket)" },
];

export const LOYALTY_ENTRIES_HELP = `
Columns:
${LOYALTY_ENTRY_COLUMNS.map((c) => `  ${c.name.padEnd(22)}${c.isRequired ? "required  " : "optional  "}${c.description}`).join("\n")}

Commas or tabs between cells, as the header line has them (Excel's "Text (Tab delimited)"
and "Unicode Text" files import as saved).
Entries are recorded at the time of the import. A redemption or a negative adjustment may not
take a balance below zero (points expired by then are not available). A file with any invalid
row imports nothing. Re-importing the same file changes nothing (entry ids are kept per customer).

Example:
  customer_external_id,kind,points,entry_id,note
  C-0001,redeem,500,pos-2025-0001,coupon
  C-0002,adjust,200,cs-981,apology
`;

const MAX_PROBLEMS = 100;
/** checkManualEntry's limits (loyalty-ledger.service.ts). */
const MAX_ENTRY_ID_CHARS = 200;
const MAX_NOTE_CHARS = 500;

export interface LoyaltyEntryRow {
  line: number;
  customerExternalId: string;
  kind: ManualKind;
  points: number;
  entryId: string;
  note: string | null;
}

export interface LoyaltyEntriesSummary {
  label: string;
  /** The separator the file was read with (from its header line) and the encoding it was read in (a UTF-16 byte order mark overrides the one chosen). */
  delimiter: "comma" | "tab";
  encoding: ImportEncoding;
  rowsRead: number;
  recorded: number;
  unchanged: number;
}

/** Reads and checks the whole file; throws one BAD_USER_INPUT listing every problem by line and column. */
export async function readLoyaltyEntries(source: ImportSource, options: { label: string; encoding?: ImportEncoding }): Promise<SmallCsvRead<LoyaltyEntryRow>> {
  const seen = new Map<string, number>();
  return readSmallCsv(source, { ...options, what: "The loyalty entries file", columns: LOYALTY_ENTRY_COLUMNS }, ({ line, cell, problem, problemCount }) => {
    const customer = parseId(cell("customer_external_id"));
    if (cell("customer_external_id") === "") problem("customer_external_id", "REQUIRED_VALUE", { column: "customer_external_id" });
    else if (!customer.ok) problem("customer_external_id", customer.code, customer.params);
    const kindCell = cell("kind").toLowerCase();
    if (kindCell === "") problem("kind", "REQUIRED_VALUE", { column: "kind" });
    else if (kindCell !== "redeem" && kindCell !== "adjust") problem("kind", "BAD_CHOICE", { column: "kind", value: cellValue(cell("kind")), allowed: "redeem, adjust" });
    const pointsCell = cell("points");
    const points = parseInteger(pointsCell, -MAX_POINTS_PER_ENTRY, MAX_POINTS_PER_ENTRY);
    if (pointsCell === "") problem("points", "REQUIRED_VALUE", { column: "points" });
    else if (!points.ok) problem("points", points.code, points.params);
    const entryId = cell("entry_id");
    if (entryId === "") problem("entry_id", "REQUIRED_VALUE", { column: "entry_id" });
    if (problemCount() > 0 || !customer.ok || !points.ok) return undefined;
    const kind = kindCell as ManualKind;
    const note = cell("note") || null;
    // The checks of a single entry (checkManualEntry), as codes: the points' sign, the lengths.
    if (kind === "redeem" && points.value <= 0) problem("points", "REDEEM_NOT_POSITIVE", { value: points.value });
    if (kind === "adjust" && points.value === 0) problem("points", "ADJUST_ZERO");
    if (entryId.length > MAX_ENTRY_ID_CHARS) problem("entry_id", "TEXT_TOO_LONG", { column: "entry_id", length: entryId.length, limit: MAX_ENTRY_ID_CHARS });
    if ((note ?? "").length > MAX_NOTE_CHARS) problem("note", "TEXT_TOO_LONG", { column: "note", length: (note ?? "").length, limit: MAX_NOTE_CHARS });
    if (problemCount() > 0) return undefined;
    // Anything checkManualEntry refuses that the codes above missed would fail the write; say so here.
    if (checkManualEntry({ kind, points: points.value, idempotencyKey: entryId, note }).length > 0) {
      problem("points", "OUT_OF_RANGE", { value: points.value, min: -MAX_POINTS_PER_ENTRY, max: MAX_POINTS_PER_ENTRY });
      return undefined;
    }
    const key = `${customer.value}\u0000${entryId}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem("entry_id", "DUPLICATE_KEY", { key: "customer_external_id + entry_id", value: cellValue(entryId), firstLine: earlier });
      return undefined;
    }
    seen.set(key, line);
    return { line, customerExternalId: customer.value, kind, points: points.value, entryId, note };
  });
}

/** Validates the whole file, then writes every row in one transaction (all or none). */
export async function importLoyaltyEntries(
  handle: Pick<DbHandle, "transaction">,
  source: ImportSource,
  options: { label: string; encoding?: ImportEncoding; actor: Viewer | null; now?: Date },
): Promise<LoyaltyEntriesSummary> {
  const { rows, delimiter, encoding } = await readLoyaltyEntries(source, { label: options.label, ...(options.encoding ? { encoding: options.encoding } : {}) });
  return handle.transaction(async ({ query }) => {
    const ids = await query<{ id: number; external_id: string }>("select id, external_id from customers where external_id = any($1::text[])", [
      [...new Set(rows.map((r) => r.customerExternalId))],
    ]);
    const idOf = new Map(ids.map((r) => [r.external_id, Number(r.id)]));
    const unknown = rows.filter((r) => !idOf.has(r.customerExternalId));
    if (unknown.length > 0) {
      throw fileRejected(
        `${options.label} was rejected: ${unknown.length} row${unknown.length === 1 ? "" : "s"} name unknown customers; nothing was imported.`,
        unknown.slice(0, MAX_PROBLEMS).map((r) => toFieldProblem(importProblem(r.line, "customer_external_id", "UNKNOWN_CUSTOMER", { value: cellValue(r.customerExternalId) }))),
      );
    }
    const summary: LoyaltyEntriesSummary = { label: options.label, delimiter, encoding, rowsRead: rows.length, recorded: 0, unchanged: 0 };
    for (const row of rows) {
      try {
        const result = await writeManualEntry(
          query,
          { customerId: idOf.get(row.customerExternalId) as number, kind: row.kind, points: row.points, idempotencyKey: row.entryId, note: row.note },
          options.actor,
          options.now,
        );
        if (result.isReplay) summary.unchanged++;
        else summary.recorded++;
      } catch (error) {
        if (error instanceof DomainError) {
          // The write's own refusals: a balance that would go below zero, an entry id used for other points.
          const problem =
            error.detail?.reason === "BALANCE_TOO_LOW"
              ? importProblem(row.line, "points", "BALANCE_TOO_LOW", { value: cellValue(row.customerExternalId), balance: error.detail.params?.balance ?? 0, points: row.points })
              : error.code === "CONFLICT" && error.detail?.reason === "ENTRY_ID_REUSED"
                ? importProblem(row.line, "entry_id", "ENTRY_ID_REUSED", { value: cellValue(row.entryId) })
                : undefined;
          if (problem) throw fileRejected(`${options.label} was rejected at line ${row.line}; nothing was imported.`, [toFieldProblem(problem)]);
          // Any other refusal keeps its own code and reason; its problems point at the line.
          throw new DomainError(
            error.code,
            `${options.label} was rejected at line ${row.line}: ${error.message}; nothing was imported.`,
            error.problems.map((p) => ({ ...p, path: `line ${row.line}, ${p.path}` })),
            error.detail,
          );
        }
        throw error;
      }
    }
    await writeAudit(query, options.actor, "loyalty.importEntries", "loyalty_point_entries", null, { file: options.label, ...summary });
    return summary;
  });
}
