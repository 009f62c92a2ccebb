// Every problem an import can report about a file, a line or a cell, as a stable code with
// parameters. Clients word them themselves (the admin has Japanese and English wording for each
// code); the English `message` the API and the CLI show is rendered here, in one place, from the
// same code and parameters. It imports only the dependency-free zoned-time.ts, so the admin's
// tests can read the list.
import { formatInZone } from "../../zoned-time.ts";

export const IMPORT_PROBLEM_CODES = [
  // The file as a whole: encoding, CSV syntax, size limits.
  "EMPTY_FILE",
  "BAD_ENCODING",
  "WIDE_ENCODING",
  "BAD_SURROGATE",
  "LINE_TOO_LONG",
  "NUL_CHARACTER",
  "TOO_MANY_COLUMNS",
  "CELL_TOO_LONG",
  "UNCLOSED_QUOTE",
  "TEXT_AFTER_QUOTE",
  "QUOTE_IN_VALUE",
  // The header row.
  "UNNAMED_COLUMN",
  "DUPLICATE_COLUMN",
  "UNKNOWN_COLUMN",
  "MISSING_COLUMN",
  // A row's shape.
  "FIELD_COUNT",
  "UNNAMED_COLUMN_DATA",
  "HEADER_REPEATED",
  "NOT_CDNOW_LINE",
  // One cell.
  "REQUIRED_VALUE",
  "BAD_DATE",
  "JAPANESE_DATE",
  "EXCEL_DATE_NUMBER",
  "YEAR_OUT_OF_RANGE",
  "BAD_MONTH",
  "NO_SUCH_DAY",
  "BAD_TIME",
  "BAD_ZONE",
  "NOT_A_MONTH",
  "DAY_NOT_MONTH",
  "FULL_WIDTH",
  "CURRENCY_SIGN",
  "SPACE_IN_NUMBER",
  "NEGATIVE_AMOUNT",
  "NEGATIVE_ORDER_AMOUNT",
  "BAD_NUMBER",
  "TOO_MANY_DECIMALS",
  "NUMBER_TOO_LARGE",
  "ID_TOO_LONG",
  "EXPONENT_ID",
  "CONTROL_CHARACTER",
  "BAD_RATIO",
  "PERCENT_AS_RATIO",
  "RATIO_ABOVE_ONE",
  "NOT_WHOLE_NUMBER",
  "OUT_OF_RANGE",
  "BAD_BOOLEAN",
  "BAD_EMAIL",
  "BAD_PREFECTURE",
  "BAD_CURRENCY",
  "CURRENCY_LOWERCASE",
  "WRONG_CURRENCY",
  "BAD_CHOICE",
  "TEXT_TOO_LONG",
  "REDEEM_NOT_POSITIVE",
  "ADJUST_ZERO",
  // A row against the others or against the database.
  "DUPLICATE_KEY",
  "UNKNOWN_CUSTOMER",
  "FUTURE_ORDER",
  "FUTURE_ACQUISITION",
  "TOTAL_TOO_LARGE",
  "FUTURE_DELIVERY",
  "FUTURE_PURCHASE",
  "NOT_ON_ROSTER",
  "BEFORE_LAUNCH",
  "BALANCE_TOO_LOW",
  "ENTRY_ID_REUSED",
] as const;

export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];
export type ProblemParams = Record<string, string | number>;

/** A cell's value as a parameter: long values are cut, so a runaway cell does not fill the report. */
export const cellValue = (raw: string, max = 80) => (raw.length > max ? `${raw.slice(0, max)}…` : raw);

/** The yes/no spellings parseBoolean accepts (values.ts), for the messages. */
export const BOOLEAN_WORDS = "true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無";

const DATE_HINT = "write YYYY-MM-DD or YYYY/MM/DD, optionally with a time HH:mm[:ss] and a zone (Z or +09:00)";

/** What a required cell holds, for the English message (the admin has its own wording). */
const REQUIRED_HINTS: Record<string, string> = {
  external_id: "every row needs your id for it",
  customer_external_id: "write the external_id of the customer",
  ordered_at: "write the order date, e.g. 2024-03-01 or 2024-03-01 14:05",
  occurred_at: "write when it happened, e.g. 2025-06-02 10:00",
  amount: "write the amount, e.g. 1280 (0 for none)",
  event: "write one of sent, delivered, bounced, opened, clicked, redeemed",
  points: "write a whole number of points",
  entry_id: "give each entry your own id (a receipt or ticket number)",
  channel: "name the acquisition channel",
  month: "write YYYY-MM",
  kind: "write redeem or adjust",
};

type Params = Record<string, string | number | undefined>;
const s = (p: Params, key: string) => String(p[key] ?? "");

/**
 * An ISO instant parameter as the CLI shows times: in the problem's `timeZone` (the business time
 * zone) with its offset, `2026-12-06 10:00:00+09:00`; as given when there is no zone or it is not
 * an instant.
 */
function instant(p: Params, key: string): string {
  const value = s(p, key);
  const zone = p.timeZone;
  const ms = Date.parse(value);
  if (typeof zone !== "string" || zone === "" || Number.isNaN(ms)) return value;
  try {
    return formatInZone(ms, zone);
  } catch {
    return value;
  }
}

/**
 * Header problems name the file's columns: `expected` lists them all, `required` the required
 * ones (both comma-separated names, words in no language); English marks the required ones.
 */
const expectedColumns = (p: Params) => {
  const required = new Set(s(p, "required").split(", "));
  return s(p, "expected")
    .split(", ")
    .map((name) => (required.has(name) ? `${name} (required)` : name))
    .join(", ");
};

/** The `expected` and `required` parameters of header problems, from the documented columns. */
export function columnParams(columns: readonly { name: string; isRequired: boolean }[], extra: string[] = []): { expected: string; required: string } {
  return {
    expected: [...columns.map((c) => c.name), ...extra].join(", "),
    required: columns.filter((c) => c.isRequired).map((c) => c.name).join(", "),
  };
}

/** Separators other than the comma, as they show inside a header that was read as one column. */
const OTHER_SEPARATORS: readonly (readonly [string, "semicolon" | "tab" | "pipe"])[] = [
  [";", "semicolon"],
  ["\t", "tab"],
  ["|", "pipe"],
];

/** The separator other than the comma a header cell holds (the whole header was then read as one column), or null. */
export function otherSeparatorIn(cell: string): "semicolon" | "tab" | "pipe" | null {
  return OTHER_SEPARATORS.find(([character]) => cell.includes(character))?.[1] ?? null;
}

/**
 * The accepted column an unknown one most likely means: the same name written with spaces or
 * hyphens ("External ID" → external_id), or an id without the "external_" the file format
 * uses ("customer_id" → customer_external_id; "order_id" → external_id when no accepted column
 * starts with "order_"). Null when nothing is that close.
 */
export function likelyColumn(column: string, accepted: readonly string[]): string | null {
  const wanted = column.trim().toLowerCase().replace(/[\s-]+/g, "_");
  if (wanted === "") return null;
  if (accepted.includes(wanted) && wanted !== column) return wanted;
  const withoutExternal = accepted.find((c) => c.includes("external_") && c.replace("external_", "") === wanted);
  if (withoutExternal) return withoutExternal;
  const stem = /^([a-z]+)_id$/.exec(wanted)?.[1];
  if (stem && accepted.includes("external_id") && !accepted.some((c) => c.startsWith(`${stem}_`))) return "external_id";
  return null;
}

/**
 * The parameters of UNKNOWN_COLUMN: the accepted columns and, when one applies, a hint:
 * `separator` (semicolon, tab or pipe) when the header holds another separator, so the whole
 * header was read as one column; otherwise `suggestion`, the accepted column it likely means.
 */
export function unknownColumnParams(column: string, columns: readonly { name: string; isRequired: boolean }[], extra: string[] = []): ProblemParams {
  const params: ProblemParams = { column, ...columnParams(columns, extra) };
  const separator = otherSeparatorIn(column);
  if (separator) params.separator = separator;
  else {
    const suggestion = likelyColumn(column, columns.map((c) => c.name));
    if (suggestion) params.suggestion = suggestion;
  }
  return params;
}

/** How the English messages name the separators `otherSeparatorIn` finds. */
const SEPARATOR_WORDS = { semicolon: "semicolons (;)", tab: "tabs", pipe: "vertical bars (|)" } as const;

/** What to do about a header read as one column because of `separator` (an English clause, no full stop). */
export function separatorAdvice(separator: string): string {
  return `The header looks separated by ${SEPARATOR_WORDS[separator as keyof typeof SEPARATOR_WORDS] ?? separator}: save the file with commas between columns`;
}

const ENGLISH: Record<ImportProblemCode, (p: Params) => string> = {
  EMPTY_FILE: (p) => `no header row; expected ${s(p, "expected")}`,
  BAD_ENCODING: (p) =>
    p.encoding === "shift_jis" && p.found === "UTF-8"
      ? "the bytes are UTF-8 text, which read as Shift_JIS would be other characters: import it with encoding utf8"
      : p.encoding === "shift_jis"
      ? "bytes that are not Shift_JIS text: check the file's encoding; if it is UTF-8, import it with encoding utf8"
      : "bytes that are not UTF-8 text: if the file was saved as Shift_JIS (for example by Excel on Japanese Windows), import it with encoding shift_jis; otherwise save it as UTF-8",
  WIDE_ENCODING: (p) =>
    `the bytes are ${s(p, "found")} (a 0 byte in every character): ${
      p.separator === "tab"
        ? 'separated by tabs, as Excel\'s "Unicode Text" is: save it as "CSV UTF-8 (comma delimited)"'
        : p.declare
          ? `import it with encoding ${s(p, "declare")}, or save it as UTF-8 CSV`
          : "UTF-32 is not read: save it as UTF-8 CSV"
    }`,
  BAD_SURROGATE: (p) => `the file is not valid ${s(p, "encoding")} (an unpaired surrogate, or it ends inside a character): check the file's encoding`,
  LINE_TOO_LONG: (p) =>
    `line ${s(p, "line")} is longer than ${s(p, "limit")} characters without ending: a cell is at most ${s(p, "maxCell")} characters and a row at most ${s(p, "maxColumns")} columns; check for an unbalanced double quote`,
  NUL_CHARACTER: (p) => `field ${s(p, "field")} contains a NUL character (byte 0): the file is binary, or UTF-16/UTF-32 text read as another encoding. Save it as UTF-8 CSV`,
  TOO_MANY_COLUMNS: (p) =>
    `the line has ${s(p, "count")} columns; at most ${s(p, "limit")} are accepted. Check the separator (${p.separator === "tab" ? "a tab: the file is tab-separated" : "a comma"}) and remove unused columns`,
  CELL_TOO_LONG: (p) =>
    `field ${s(p, "field")} is longer than ${s(p, "limit")} characters: shorten it (ids, names and notes have to fit), or check for an unbalanced double quote that runs into later lines`,
  UNCLOSED_QUOTE: (p) => `the double quote that opens field ${s(p, "field")} is never closed: close it, or double a quote that belongs to the value ("")`,
  TEXT_AFTER_QUOTE: (p) => `field ${s(p, "field")} has text after its closing double quote: quote the whole value, and write a quote inside it as ""`,
  QUOTE_IN_VALUE: (p) => `field ${s(p, "field")} has a double quote inside an unquoted value: quote the whole value ("say ""hi""") or remove the quote`,
  UNNAMED_COLUMN: (p) => `column ${s(p, "position")} has no name: give every column a header or delete the empty column`,
  DUPLICATE_COLUMN: (p) => `the column ${s(p, "column")} appears twice: keep one`,
  UNKNOWN_COLUMN: (p) =>
    `unknown column "${s(p, "column")}": rename or delete it. Expected columns: ${expectedColumns(p)}` +
    (p.separator
      ? `. ${separatorAdvice(s(p, "separator"))}`
      : p.suggestion
        ? `. If you mean ${s(p, "suggestion")}, rename the column to ${s(p, "suggestion")}`
        : ""),
  MISSING_COLUMN: (p) => `the required column ${s(p, "column")} is missing. Expected columns: ${expectedColumns(p)}`,
  FIELD_COUNT: (p) =>
    p.separator === "tab"
      ? `the row has ${s(p, "found")} fields but the header has ${s(p, "expected")} (the file is tab-separated): quote values that contain a tab and check for missing or extra tabs`
      : `the row has ${s(p, "found")} fields but the header has ${s(p, "expected")}: quote values that contain commas ("1,234") and check for missing or extra separators`,
  UNNAMED_COLUMN_DATA: (p) =>
    `column ${s(p, "position")} has no name in the header but holds "${s(p, "value")}" on this line: give the column a name in the header, or delete its values (empty unnamed columns at the end of the header are ignored)`,
  HEADER_REPEATED: (p) => `the header is repeated at line ${s(p, "line")} (files joined together?): remove that line`,
  NOT_CDNOW_LINE: (p) => `"${s(p, "value")}" is not a CDNOW line: expected "master_id sample_id YYYYMMDD cds dollars"`,
  REQUIRED_VALUE: (p) => `${s(p, "column")} is required${REQUIRED_HINTS[s(p, "column")] ? `: ${REQUIRED_HINTS[s(p, "column")]}` : ""}`,
  BAD_DATE: (p) => `"${s(p, "value")}" is not a date: ${DATE_HINT}`,
  JAPANESE_DATE: (p) => `"${s(p, "value")}" is a Japanese-style date: write it as ${s(p, "expected")} (YYYY-MM-DD)`,
  EXCEL_DATE_NUMBER: (p) =>
    `"${s(p, "value")}" is a number, not a date: it looks like an Excel date serial number (${s(p, "expected")}). Format the column as a date (yyyy-mm-dd) in Excel before saving the CSV, or write ${s(p, "expected")}`,
  YEAR_OUT_OF_RANGE: (p) => `"${s(p, "value")}": the year must be between ${s(p, "min")} and ${s(p, "max")}`,
  BAD_MONTH: (p) => `"${s(p, "value")}" has no month ${s(p, "month")}: months are 01–12`,
  NO_SUCH_DAY: (p) => `"${s(p, "value")}" is not a calendar date: ${s(p, "month")} has ${s(p, "days")} days`,
  BAD_TIME: (p) => `"${s(p, "value")}" has an invalid time of day: hours 0–23, minutes and seconds 0–59`,
  BAD_ZONE: (p) => `"${s(p, "value")}" has an invalid zone offset ${s(p, "zone")}: use -12:00 … +14:00`,
  NOT_A_MONTH: (p) => `"${s(p, "value")}" is not a month: write YYYY-MM, e.g. 2025-01`,
  DAY_NOT_MONTH: (p) => `"${s(p, "value")}" is a day, not a month: spend is per month, write ${s(p, "expected")}`,
  FULL_WIDTH: (p) => `"${s(p, "value")}" is written in full-width characters: write it in half-width characters, ${s(p, "expected")} (in Excel, =ASC() converts them)`,
  CURRENCY_SIGN: (p) => `"${s(p, "value")}" contains a currency sign or code: write the number only (e.g. 1234.50); the currency goes in the currency column`,
  SPACE_IN_NUMBER: (p) =>
    `"${s(p, "value")}" has a space inside the number: write it without spaces (1234.50; 1,234 is accepted as a thousands separator), or correct the value if two cells ran together`,
  NEGATIVE_AMOUNT: (p) => `${s(p, "column")} must be 0 or more, got ${s(p, "value")}`,
  NEGATIVE_ORDER_AMOUNT: (p) => `amount must be 0 or more, got ${s(p, "value")}: record a refund as its own order with status refunded, not as a negative amount`,
  BAD_NUMBER: (p) => `"${s(p, "value")}" is not a number: write digits with an optional decimal point, e.g. 1234 or 1234.50 (1,234 is accepted too)`,
  TOO_MANY_DECIMALS: (p) => `"${s(p, "value")}" has more than ${s(p, "limit")} decimals${p.limit === 2 ? ": round it to the smallest currency unit" : ""}`,
  NUMBER_TOO_LARGE: (p) => `"${s(p, "value")}" is too large: at most ${s(p, "max")}`,
  ID_TOO_LONG: (p) =>
    `the id is ${s(p, "length")} characters long; at most ${s(p, "limit")} are accepted (it starts "${s(p, "start")}…"). Check that the right column holds the id`,
  EXPONENT_ID: (p) =>
    `"${s(p, "value")}" is a number in Excel's exponent form: its digits are lost, so it cannot tell customers or orders apart. Format the id column as text in Excel and save the CSV again (or export it without Excel)`,
  CONTROL_CHARACTER: () => "the value contains a control character (a line break or tab): remove it",
  BAD_RATIO: (p) => `"${s(p, "value")}" is not a ratio from 0 to 1 (e.g. 0.35)`,
  PERCENT_AS_RATIO: (p) => `"${s(p, "value")}" is not a ratio from 0 to 1: write ${s(p, "ratio")} for ${s(p, "percent")}%`,
  RATIO_ABOVE_ONE: (p) => `"${s(p, "value")}" is more than 1: a margin is a ratio from 0 to 1`,
  NOT_WHOLE_NUMBER: (p) => `"${s(p, "value")}" is not a whole number${Number(p.min) >= 0 ? ` (${s(p, "min")} or more)` : ""}`,
  OUT_OF_RANGE: (p) => `${s(p, "value")} is out of range: expected ${s(p, "min")} to ${s(p, "max")}`,
  BAD_BOOLEAN: (p) => `"${s(p, "value")}" is not a yes/no value: write ${BOOLEAN_WORDS} (leave empty for the default)`,
  BAD_EMAIL: (p) => `"${s(p, "value")}" is not an email address (expected name@example.com)`,
  BAD_PREFECTURE: (p) =>
    `"${s(p, "value")}" is not one of Japan's 47 prefectures: write it as 東京都, 東京 or Tokyo, or leave it empty for customers outside Japan${p.suggestion ? ` (did you mean ${s(p, "suggestion")}?)` : ""}`,
  BAD_CURRENCY: (p) => `"${s(p, "value")}" is not a currency code: write 3 letters such as JPY or USD`,
  CURRENCY_LOWERCASE: (p) => `"${s(p, "value")}": write the currency code in capitals (${s(p, "expected")})`,
  WRONG_CURRENCY: (p) => `${s(p, "value")} is not the business currency ${s(p, "expected")}: convert the amount to ${s(p, "expected")}`,
  BAD_CHOICE: (p) => `"${s(p, "value")}" is not a valid ${s(p, "column")}: write one of ${s(p, "allowed")}${p.column === "status" ? " (empty means completed)" : ""}`,
  TEXT_TOO_LONG: (p) => `the ${s(p, "column")} is ${s(p, "length")} characters long; at most ${s(p, "limit")} are accepted`,
  REDEEM_NOT_POSITIVE: (p) => `a redemption takes a positive number of points (e.g. 500), got ${s(p, "value")}`,
  ADJUST_ZERO: () => "an adjustment must change the balance: write a positive or negative number of points",
  DUPLICATE_KEY: (p) =>
    `${s(p, "value")} already appears on line ${s(p, "firstLine")}: each row needs its own ${s(p, "key").includes("+") ? `combination of ${s(p, "key")}` : s(p, "key")}`,
  UNKNOWN_CUSTOMER: (p) => `unknown customer ${s(p, "value")}: import the customer first (ltvloop import customers) or correct the id`,
  FUTURE_ORDER: (p) =>
    `${instant(p, "value")} is after the import time ${instant(p, "importTime")} (tolerance ${s(p, "toleranceMinutes")} min): fix the date, or pass --allow-future if future-dated orders are intended`,
  FUTURE_ACQUISITION: (p) =>
    `${instant(p, "value")} is after the import time ${instant(p, "importTime")} (tolerance ${s(p, "toleranceMinutes")} min): a customer cannot be acquired in the future; check the date (a mistyped year?) and the time zone`,
  TOTAL_TOO_LARGE: (p) =>
    `the completed orders of customer ${s(p, "value")} add up to more than ${s(p, "max")}, the largest revenue a customer can hold: check the amounts (a misplaced decimal point, or cents written for yen?)`,
  FUTURE_DELIVERY: (p) =>
    `${instant(p, "value")} is after the import time ${instant(p, "importTime")} (tolerance ${s(p, "toleranceMinutes")} min): a delivery cannot be in the future; fix the date or the time zone`,
  FUTURE_PURCHASE: (p) => `"${s(p, "value")}" is after today (${s(p, "max")}): a purchase cannot be in the future; check the date (a mistyped year?) and the time zone`,
  NOT_ON_ROSTER: (p) =>
    `customer ${s(p, "value")} is not on campaign ${s(p, "campaignId")}'s roster: deliveries are recorded only for the customers the launch assigned (download the treatment list of this campaign)`,
  BEFORE_LAUNCH: (p) => `${instant(p, "value")} is before the campaign's launch at ${instant(p, "launchedAt")}: check the date or the campaign id`,
  BALANCE_TOO_LOW: (p) => `customer ${s(p, "value")} has ${s(p, "balance")} points: taking ${s(p, "points")} would leave a negative balance; use at most ${s(p, "balance")} points`,
  ENTRY_ID_REUSED: (p) => `entry id ${s(p, "value")} was already used for this customer with other points: use a new entry id for a different entry`,
};

/** The English sentence for a problem: what the API's `message` and the CLI show. */
export function importProblemMessage(code: ImportProblemCode, params: ProblemParams = {}): string {
  return `${ENGLISH[code](params)}.`;
}

/** One problem with one row (or the header); `line` is the physical line, the header is 1. */
export interface ImportProblem {
  line: number;
  column?: string | undefined;
  code: ImportProblemCode;
  params: ProblemParams;
  /** English, rendered from code and params by importProblemMessage. */
  message: string;
}

/** A problem at a line (and column), with its English message. */
export function importProblem(line: number, column: string | undefined, code: ImportProblemCode, params: ProblemParams = {}): ImportProblem {
  return { line, ...(column ? { column } : {}), code, params, message: importProblemMessage(code, params) };
}

export const problemPath = (p: Pick<ImportProblem, "line" | "column">) => (p.column ? `line ${p.line}, column ${p.column}` : `line ${p.line}`);

/**
 * A problem as a GraphQL error's field problem (`extensions.problems[]`): the path the CLI
 * prints, the English message, and for clients `reason` (the code), `params`, `line`, `column`.
 */
export function toFieldProblem(p: ImportProblem): { path: string; message: string; reason: ImportProblemCode; params: ProblemParams; line: number; column?: string } {
  return { path: problemPath(p), message: p.message, reason: p.code, params: p.params, line: p.line, ...(p.column ? { column: p.column } : {}) };
}
