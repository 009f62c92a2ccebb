// Channel spend: acquisition spend per channel and month, imported from CSV or tab-separated
// text (the CLI and a GraphQL mutation). The file is small (channels × months), so it is read whole, every row is
// checked first, and nothing is written unless every row is valid; the writes, one upsert per
// changed month, and the audit row are one transaction. Re-importing the same file changes nothing.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database, DbHandle } from "@ltvloop/db/client";
import { channelSpend } from "@ltvloop/db/schema";
import type { Viewer } from "../../context.ts";
import { writeAudit } from "../audit/audit.service.ts";
import type { ColumnDoc } from "../import/columns.ts";
import type { ImportEncoding, ImportSource } from "../import/import.types.ts";
import { readSmallCsv, type SmallCsvRead } from "../import/small-csv.ts";
import { cellValue, importProblemMessage, type ImportProblemCode, type ProblemParams } from "../import/problems.ts";
import { parseCurrency, parseMoney } from "../import/values.ts";
import { getSettings } from "../settings/settings.service.ts";

export const CHANNEL_SPEND_COLUMNS: readonly ColumnDoc[] = [
  { name: "channel", isRequired: true, description: "acquisition channel, as in the customers' acquisition_channel" },
  { name: "month", isRequired: true, description: "YYYY-MM (or YYYY/MM, or the month's first day YYYY-MM-01), business time zone" },
  { name: "amount", isRequired: true, description: "that month's acquisition spend of the channel, ≥ 0, up to 2 decimals" },
  { name: "currency", isRequired: false, description: "3 capital letters; must be the settings' currency (default it)" },
];

export const CHANNEL_SPEND_HELP = `
Columns:
${CHANNEL_SPEND_COLUMNS.map((c) => `  ${c.name.padEnd(22)}${c.isRequired ? "required  " : "optional  "}${c.description}`).join("\n")}

The spend of a month is shared equally by the customers acquired that month through the channel
who have no acquisition_cost of their own (per-customer costs win).
A header row is required; column order is free; header names are case-insensitive.
Commas or tabs between cells, as the header line has them (Excel's "Text (Tab delimited)"
and "Unicode Text" files import as saved).
A file with any invalid row imports nothing. Each channel and month may appear once.
Re-importing is safe: a channel's month is replaced by the file's amount, equal rows are left alone.

Example:
  channel,month,amount
  paid_search,2025-01,1250000
  social,2025-01,480000
`;

/** Problems listed in a rejection; the total is always stated. */

export interface ChannelSpendInputRow {
  line: number;
  channel: string;
  /** The first day of the month, YYYY-MM-01. */
  month: string;
  amount: string;
  currency: string;
}

export interface ChannelSpendImportSummary {
  label: string;
  /** The separator the file was read with (from its header line) and the encoding it was read in (a UTF-16 byte order mark overrides the one chosen). */
  delimiter: "comma" | "tab";
  encoding: ImportEncoding;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

const failed = (code: ImportProblemCode, params: ProblemParams) => ({ ok: false as const, code, params, message: importProblemMessage(code, params) });

/** A month cell: YYYY-MM, YYYY/MM or the first day YYYY-MM-01 (YYYY/MM/01). */
export function parseMonth(raw: string): { ok: true; value: string } | { ok: false; code: ImportProblemCode; params: ProblemParams; message: string } {
  const match = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?$/.exec(raw);
  if (!match) return failed("NOT_A_MONTH", { value: cellValue(raw) });
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) return failed("BAD_MONTH", { value: raw, month });
  if (year < 1900 || year > 2999) return failed("YEAR_OUT_OF_RANGE", { value: raw, min: 1900, max: 2999 });
  if (match[3] !== undefined && Number(match[3]) !== 1) {
    return failed("DAY_NOT_MONTH", { value: raw, expected: `${match[1]}-${String(month).padStart(2, "0")}` });
  }
  return { ok: true, value: `${match[1]}-${String(month).padStart(2, "0")}-01` };
}

/** Reads and checks the whole file; throws one BAD_USER_INPUT listing every problem by line and column. */
export async function readChannelSpend(
  source: ImportSource,
  options: { label: string; encoding?: ImportEncoding; currency: string },
): Promise<SmallCsvRead<ChannelSpendInputRow>> {
  const seen = new Map<string, number>();
  const read = { label: options.label, ...(options.encoding ? { encoding: options.encoding } : {}), what: "The channel spend file", columns: CHANNEL_SPEND_COLUMNS };
  return readSmallCsv(source, read, ({ line, cell, problem, problemCount }) => {
    const channel = cell("channel");
    if (channel === "") problem("channel", "REQUIRED_VALUE", { column: "channel" });
    const monthCell = cell("month");
    const month = monthCell === "" ? null : parseMonth(monthCell);
    if (!month) problem("month", "REQUIRED_VALUE", { column: "month" });
    else if (!month.ok) problem("month", month.code, month.params);
    const amountCell = cell("amount");
    // "spend", not "amount": a negative spend is not a refund (the orders' hint).
    const amount = amountCell === "" ? null : parseMoney(amountCell, "spend");
    if (!amount) problem("amount", "REQUIRED_VALUE", { column: "amount" });
    else if (!amount.ok) problem("amount", amount.code, amount.code === "NEGATIVE_AMOUNT" ? { ...amount.params, column: "amount" } : amount.params);
    const currencyCell = cell("currency");
    const currency = currencyCell === "" ? { ok: true as const, value: options.currency } : parseCurrency(currencyCell);
    if (!currency.ok) problem("currency", currency.code, currency.params);
    else if (currency.value !== options.currency) {
      problem("currency", "WRONG_CURRENCY", { value: currency.value, expected: options.currency });
    }
    if (problemCount() > 0 || !month?.ok || !amount?.ok || !currency.ok) return undefined;
    const key = `${channel}\u0000${month.value}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem("month", "DUPLICATE_KEY", { key: "channel + month", value: cellValue(`${channel} ${month.value.slice(0, 7)}`), firstLine: earlier });
      return undefined;
    }
    seen.set(key, line);
    return { line, channel, month: month.value, amount: amount.value, currency: currency.value };
  });
}

/** Validates the whole file, then writes it in one transaction. */
export async function importChannelSpend(
  handle: Pick<DbHandle, "transaction" | "query">,
  source: ImportSource,
  options: { label: string; encoding?: ImportEncoding; actor: Viewer | null },
): Promise<ChannelSpendImportSummary> {
  const { currency } = await getSettings(handle.query);
  const { rows, delimiter, encoding } = await readChannelSpend(source, { label: options.label, currency, ...(options.encoding ? { encoding: options.encoding } : {}) });
  return handle.transaction(async ({ db, query }) => {
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const channels = [...new Set(rows.map((r) => r.channel))];
    const existing = channels.length === 0 ? [] : await db.select().from(channelSpend).where(inArray(channelSpend.channel, channels));
    const byKey = new Map(existing.map((e) => [`${e.channel}\u0000${e.month}`, e]));
    for (const row of rows) {
      const before = byKey.get(`${row.channel}\u0000${row.month}`);
      if (!before) {
        await db.insert(channelSpend).values({ channel: row.channel, month: row.month, amount: row.amount, currency: row.currency });
        counts.inserted++;
      } else if (Number(before.amount) !== Number(row.amount) || before.currency !== row.currency) {
        await db
          .update(channelSpend)
          .set({ amount: row.amount, currency: row.currency, updatedAt: new Date() })
          .where(and(eq(channelSpend.channel, row.channel), eq(channelSpend.month, row.month)));
        counts.updated++;
      } else {
        counts.unchanged++;
      }
    }
    const summary = { label: options.label, delimiter, encoding, rowsRead: rows.length, ...counts };
    await writeAudit(query, options.actor, "importChannelSpend", "channel_spend", null, { file: options.label, ...counts, rowsRead: rows.length });
    return summary;
  });
}

/** Every stored month of spend, by channel and month. */
export async function listChannelSpend(db: Database): Promise<{ channel: string; month: string; amount: number; currency: string }[]> {
  const rows = await db.select().from(channelSpend).orderBy(asc(channelSpend.channel), asc(channelSpend.month));
  return rows.map((r) => ({ channel: r.channel, month: r.month.slice(0, 7), amount: Number(r.amount), currency: r.currency }));
}
