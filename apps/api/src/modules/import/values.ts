// Cell parsers shared by the customer and order imports. Each returns the normalised value
// or a problem code with its parameters (and the English message rendered from them) that says
// what is wrong and how to fix it; the caller adds line and column.
import { readPrefecture } from "../customers/prefectures.ts";
import { cellValue, importProblemMessage, type ImportProblemCode, type ProblemParams } from "./problems.ts";

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ImportProblemCode; params: ProblemParams; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: ImportProblemCode, params: ProblemParams = {}): Parsed<never> => ({ ok: false, code, params, message: importProblemMessage(code, params) });

/**
 * A point in time as the staging table takes it: `local` is `YYYY-MM-DD HH:mm:ss[.ffffff]`,
 * `offset` is `+09:00`-style when the cell named a zone, or null when the business time zone
 * applies (PostgreSQL converts with `::timestamp at time zone`, which knows DST rules).
 */
export interface ParsedTimestamp {
  local: string;
  offset: string | null;
}

const DATE_PATTERN =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Full-width forms of ASCII (１, －, ／, ：, ．), the ideographic space and the minus sign U+2212. */
const WIDE_CHARACTERS = /[\uFF01-\uFF5E\u3000\u2212]/;

/**
 * A number or date cell typed in full-width characters (「１２３」, 「２０２４／１／５」, as Japanese
 * input methods write them) is refused with its half-width spelling when that would be accepted,
 * else with what is wrong with the half-width spelling (so 「－５００」 is told it is negative).
 */
function withWidthHint<T>(raw: string, parse: (raw: string) => Parsed<T>): Parsed<T> {
  if (!WIDE_CHARACTERS.test(raw)) return parse(raw);
  const narrow = raw.normalize("NFKC").replace(/\u2212/g, "-").trim();
  const parsed = parse(narrow);
  return parsed.ok ? fail("FULL_WIDTH", { value: cellValue(raw), expected: narrow }) : parsed;
}

/** First Gregorian year of each Japanese era (令和元年 = 2019). */
const ERA_START: Record<string, number> = { 令和: 2019, 平成: 1989, 昭和: 1926, 大正: 1912, 明治: 1868 };
const JAPANESE_DATE = /^(?:(令和|平成|昭和|大正|明治)\s*(\d{1,2}|元)|(\d{4}))\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2}:\d{2}(?::\d{2})?))?/;
/** Excel's day numbers of 1954-10-03 … 2099-12-31 (day 1 is 1900-01-01; 1899-12-30 is day 0 for dates after February 1900). */
const EXCEL_SERIAL = /^(\d{5})(?:\.(\d+))?$/;
const EXCEL_SERIAL_RANGE = [20_000, 73_050] as const;

/**
 * What a cell that is not a date most likely means, when that is clear: a Japanese-style date
 * (令和6年1月5日, 2024年1月5日) or an Excel date serial number (45296: the column was not
 * formatted as a date when the CSV was saved). Null when nothing is that clear.
 */
function dateHint(raw: string): Parsed<never> | null {
  const japanese = JAPANESE_DATE.exec(raw);
  if (japanese) {
    const [, era, eraYear, year, month, day, time] = japanese;
    const y = era ? (ERA_START[era] ?? 0) + (eraYear === "元" ? 1 : Number(eraYear)) - 1 : Number(year);
    const expected = `${y}-${pad(Number(month))}-${pad(Number(day))}${time ? ` ${time}` : ""}`;
    const checked = parseTimestamp(expected);
    return checked.ok ? fail("JAPANESE_DATE", { value: cellValue(raw), expected }) : (checked as Parsed<never>);
  }
  const serial = EXCEL_SERIAL.exec(raw);
  if (serial && Number(serial[1]) >= EXCEL_SERIAL_RANGE[0] && Number(serial[1]) <= EXCEL_SERIAL_RANGE[1]) {
    const at = new Date(Date.UTC(1899, 11, 30) + Math.round(Number(raw) * 86_400) * 1000);
    const time = at.getUTCHours() + at.getUTCMinutes() + at.getUTCSeconds() > 0 ? ` ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}${at.getUTCSeconds() > 0 ? `:${pad(at.getUTCSeconds())}` : ""}` : "";
    return fail("EXCEL_DATE_NUMBER", { value: raw, expected: `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}${time}` });
  }
  return null;
}

export function parseTimestamp(raw: string): Parsed<ParsedTimestamp> {
  return withWidthHint(raw, parseHalfWidthTimestamp);
}

function parseHalfWidthTimestamp(raw: string): Parsed<ParsedTimestamp> {
  const match = DATE_PATTERN.exec(raw);
  if (!match) return dateHint(raw) ?? fail("BAD_DATE", { value: cellValue(raw) });
  const [, y, , mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (year < 1900 || year > 2100) return fail("YEAR_OUT_OF_RANGE", { value: raw, min: 1900, max: 2100 });
  if (month < 1 || month > 12) return fail("BAD_MONTH", { value: raw, month });
  if (day < 1 || day > daysInMonth(year, month)) {
    return fail("NO_SUCH_DAY", { value: raw, month: `${year}-${pad(month)}`, days: daysInMonth(year, month) });
  }
  if (hour > 23 || minute > 59 || second > 59) return fail("BAD_TIME", { value: raw });
  let offset: string | null = null;
  if (zone !== undefined) {
    if (zone.toUpperCase() === "Z") {
      offset = "+00:00";
    } else {
      const digits = zone.replace(":", "");
      const zoneHours = Number(digits.slice(1, 3));
      const zoneMinutes = Number(digits.slice(3, 5));
      if (zoneHours > 14 || zoneMinutes > 59) return fail("BAD_ZONE", { value: raw, zone });
      offset = `${digits[0]}${pad(zoneHours)}:${pad(zoneMinutes)}`;
    }
  }
  // Fractions beyond microseconds (.NET writes 7 digits, Java up to 9) are cut, not rounded, so
  // 23:59:59.9999999 stays on its day.
  const local = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}${fraction?.slice(0, 7) ?? ""}`;
  return ok({ local, offset });
}

const CURRENCY_SIGNS = /[¥￥$€£円]|\b(JPY|USD|EUR|yen)\b/i;
const PLAIN_DECIMAL = /^\d+(?:\.(\d+))?$/;
const GROUPED_DECIMAL = /^\d{1,3}(?:,\d{3})+(?:\.(\d+))?$/;

/**
 * A money amount ≥ 0 with at most 2 decimals, returned as a decimal string for `numeric`.
 * Thousands separators are accepted when they group correctly ("1,234,567.50"), because
 * spreadsheets export them that way; "1,23" is rejected rather than guessed.
 */
export function parseMoney(raw: string, column: string): Parsed<string> {
  return withWidthHint(raw, (cell) => parseHalfWidthMoney(cell, column));
}

function parseHalfWidthMoney(raw: string, column: string): Parsed<string> {
  if (CURRENCY_SIGNS.test(raw)) {
    return fail("CURRENCY_SIGN", { value: cellValue(raw) });
  }
  const compact = raw.trim();
  if (/\s/.test(compact)) {
    return fail("SPACE_IN_NUMBER", { value: cellValue(raw) });
  }
  if (/^-/.test(compact) && (PLAIN_DECIMAL.test(compact.slice(1)) || GROUPED_DECIMAL.test(compact.slice(1)))) {
    return column === "amount" ? fail("NEGATIVE_ORDER_AMOUNT", { value: raw }) : fail("NEGATIVE_AMOUNT", { value: raw, column });
  }
  const match = PLAIN_DECIMAL.exec(compact) ?? GROUPED_DECIMAL.exec(compact);
  if (!match) {
    return fail("BAD_NUMBER", { value: cellValue(raw) });
  }
  if ((match[1]?.length ?? 0) > 2) return fail("TOO_MANY_DECIMALS", { value: raw, limit: 2 });
  const value = compact.replace(/,/g, "");
  const integerDigits = (value.split(".")[0] ?? "").replace(/^0+(?=\d)/, "");
  if (integerDigits.length > 12) return fail("NUMBER_TOO_LARGE", { value: cellValue(raw), max: "999,999,999,999.99" });
  return ok(value);
}

/** Longest id accepted (external ids of customers and orders, clv's customer_id). */
export const MAX_ID_CHARS = 255;

/** An id: any text up to {@link MAX_ID_CHARS} characters, without control characters. */
/** One of the 47 prefectures, as its official name (東京都 for 東京, Tokyo, TOKYO-TO or Tōkyō). */
export function parsePrefecture(raw: string): Parsed<string> {
  const read = readPrefecture(raw);
  if (read.ok) return ok(read.value);
  return fail("BAD_PREFECTURE", read.suggestion ? { value: cellValue(raw), suggestion: read.suggestion } : { value: cellValue(raw) });
}

/**
 * How Excel shows a long numeric id it took for a number (4567890123456 → 4.56789E+12): the
 * digits past the sixth are gone, so different customers or orders would share one id.
 */
const EXCEL_EXPONENT = /^\d(?:\.\d+)?E\+\d{1,3}$/i;

export function parseId(raw: string): Parsed<string> {
  if (EXCEL_EXPONENT.test(raw)) return fail("EXPONENT_ID", { value: raw });
  if (raw.length > MAX_ID_CHARS) {
    return fail("ID_TOO_LONG", { length: raw.length, limit: MAX_ID_CHARS, start: raw.slice(0, 20) });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return fail("CONTROL_CHARACTER");
  return ok(raw);
}

/** A ratio 0–1 with at most 4 decimals (`numeric(5,4)`). */
export function parseRatio(raw: string): Parsed<string> {
  return withWidthHint(raw, parseHalfWidthRatio);
}

function parseHalfWidthRatio(raw: string): Parsed<string> {
  const match = /^(?:0|1)?(?:\.(\d+))?$/.exec(raw);
  const asNumber = Number(raw);
  if (raw === "" || raw === "." || !match) {
    if (/^\d+(\.\d+)?%?$/.test(raw) && Number.parseFloat(raw) > 1 && Number.parseFloat(raw) <= 100) {
      return fail("PERCENT_AS_RATIO", { value: raw, ratio: Number.parseFloat(raw) / 100, percent: Number.parseFloat(raw) });
    }
    return fail("BAD_RATIO", { value: cellValue(raw) });
  }
  if (asNumber > 1) return fail("RATIO_ABOVE_ONE", { value: raw });
  if ((match[1]?.length ?? 0) > 4) return fail("TOO_MANY_DECIMALS", { value: raw, limit: 4 });
  return ok(raw.startsWith(".") ? `0${raw}` : raw);
}

/** A whole number in [min, max]. */
export function parseInteger(raw: string, min: number, max: number): Parsed<number> {
  return withWidthHint(raw, (cell) => parseHalfWidthInteger(cell, min, max));
}

function parseHalfWidthInteger(raw: string, min: number, max: number): Parsed<number> {
  // A sign only where negative values are allowed (a loyalty adjustment of -50).
  if (!(min < 0 ? /^[+-]?\d+$/ : /^[+]?\d+$/).test(raw)) return fail("NOT_WHOLE_NUMBER", { value: cellValue(raw), min });
  const value = Number(raw);
  if (value < min || value > max) return fail("OUT_OF_RANGE", { value: cellValue(raw), min, max });
  return ok(value);
}

// t/f is how PostgreSQL exports booleans (psql \copy, COPY … CSV). Japanese sheets write
// はい/いいえ, a circle or a cross (○/×; 〇 and ◯ are other circles the input method offers, ✕
// another cross) and あり/なし or 有/無 (has / has not) in yes/no columns such as an e-mail opt-in.
export const TRUE_WORDS = new Set(["true", "1", "yes", "y", "t", "はい", "○", "〇", "◯", "あり", "有"]);
export const FALSE_WORDS = new Set(["false", "0", "no", "n", "f", "いいえ", "×", "✕", "なし", "無"]);

/**
 * A yes/no cell. Full-width letters and digits (ＴＲＵＥ, １), as a Japanese input method types
 * them, read as their half-width forms; anything else is refused with the accepted spellings.
 */
export function parseBoolean(raw: string): Parsed<boolean> {
  let word = raw.toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  if (WIDE_CHARACTERS.test(word)) {
    word = word.normalize("NFKC").toLowerCase().trim();
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
  }
  return fail("BAD_BOOLEAN", { value: cellValue(raw) });
}

// Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is the mail tool's job.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(raw: string): Parsed<string> {
  if (raw.length > 254 || !EMAIL_PATTERN.test(raw)) return fail("BAD_EMAIL", { value: cellValue(raw) });
  return ok(raw);
}

export function parseCurrency(raw: string): Parsed<string> {
  if (!/^[A-Za-z]{3}$/.test(raw)) return fail("BAD_CURRENCY", { value: cellValue(raw) });
  if (raw !== raw.toUpperCase()) return fail("CURRENCY_LOWERCASE", { value: raw, expected: raw.toUpperCase() });
  return ok(raw);
}
