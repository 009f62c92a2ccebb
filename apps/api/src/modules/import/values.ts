// Cell parsers shared by the customer and order imports. Each returns the normalised value
// or a message that says what is wrong and how to fix it; the caller adds line and column.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

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
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

const DATE_HINT = "write YYYY-MM-DD or YYYY/MM/DD, optionally with a time HH:mm[:ss] and a zone (Z or +09:00)";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseTimestamp(raw: string): Parsed<ParsedTimestamp> {
  const match = DATE_PATTERN.exec(raw);
  if (!match) return fail(`"${raw}" is not a date: ${DATE_HINT}.`);
  const [, y, , mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (year < 1900 || year > 2100) return fail(`"${raw}": the year must be between 1900 and 2100.`);
  if (month < 1 || month > 12) return fail(`"${raw}" has no month ${month}: ${DATE_HINT}.`);
  if (day < 1 || day > daysInMonth(year, month)) {
    return fail(`"${raw}" is not a calendar date: ${year}-${pad(month)} has ${daysInMonth(year, month)} days.`);
  }
  if (hour > 23 || minute > 59 || second > 59) return fail(`"${raw}" has an invalid time of day: hours 0–23, minutes and seconds 0–59.`);
  let offset: string | null = null;
  if (zone !== undefined) {
    if (zone.toUpperCase() === "Z") {
      offset = "+00:00";
    } else {
      const digits = zone.replace(":", "");
      const zoneHours = Number(digits.slice(1, 3));
      const zoneMinutes = Number(digits.slice(3, 5));
      if (zoneHours > 14 || zoneMinutes > 59) return fail(`"${raw}" has an invalid zone offset ${zone}: use -12:00 … +14:00.`);
      offset = `${digits[0]}${pad(zoneHours)}:${pad(zoneMinutes)}`;
    }
  }
  const local = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}${fraction ?? ""}`;
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
  if (CURRENCY_SIGNS.test(raw)) {
    return fail(`"${raw}" contains a currency sign or code: write the number only (e.g. 1234.50); the currency goes in the currency column.`);
  }
  const compact = raw.trim();
  if (/\s/.test(compact)) {
    return fail(`"${raw}" has a space inside the number: write it without spaces (1234.50; 1,234 is accepted as a thousands separator), or correct the value if two cells ran together.`);
  }
  if (/^-/.test(compact) && (PLAIN_DECIMAL.test(compact.slice(1)) || GROUPED_DECIMAL.test(compact.slice(1)))) {
    return fail(
      column === "amount"
        ? `${column} must be 0 or more, got ${raw}: record a refund as its own order with status refunded, not as a negative amount.`
        : `${column} must be 0 or more, got ${raw}.`,
    );
  }
  const match = PLAIN_DECIMAL.exec(compact) ?? GROUPED_DECIMAL.exec(compact);
  if (!match) {
    return fail(`"${raw}" is not a number: write digits with an optional decimal point, e.g. 1234 or 1234.50 (1,234 is accepted too).`);
  }
  if ((match[1]?.length ?? 0) > 2) return fail(`"${raw}" has more than 2 decimals: round it to the smallest currency unit.`);
  const value = compact.replace(/,/g, "");
  const integerDigits = (value.split(".")[0] ?? "").replace(/^0+(?=\d)/, "");
  if (integerDigits.length > 12) return fail(`"${raw}" is too large: at most 999,999,999,999.99.`);
  return ok(value);
}

/** Longest id accepted (external ids of customers and orders, clv's customer_id). */
export const MAX_ID_CHARS = 255;

/** An id: any text up to {@link MAX_ID_CHARS} characters, without control characters. */
export function parseId(raw: string): Parsed<string> {
  if (raw.length > MAX_ID_CHARS) {
    return fail(`the id is ${raw.length} characters long; at most ${MAX_ID_CHARS} are accepted (it starts "${raw.slice(0, 20)}…"). Check that the right column holds the id.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return fail(`the id contains a control character (a line break or tab): remove it.`);
  return ok(raw);
}

/** A ratio 0–1 with at most 4 decimals (`numeric(5,4)`). */
export function parseRatio(raw: string): Parsed<string> {
  const match = /^(?:0|1)?(?:\.(\d+))?$/.exec(raw);
  const asNumber = Number(raw);
  if (raw === "" || raw === "." || !match) {
    if (/^\d+(\.\d+)?%?$/.test(raw) && Number.parseFloat(raw) > 1 && Number.parseFloat(raw) <= 100) {
      return fail(`"${raw}" is not a ratio from 0 to 1: write ${Number.parseFloat(raw) / 100} for ${Number.parseFloat(raw)}%.`);
    }
    return fail(`"${raw}" is not a ratio from 0 to 1 (e.g. 0.35).`);
  }
  if (asNumber > 1) return fail(`"${raw}" is more than 1: a margin is a ratio from 0 to 1.`);
  if ((match[1]?.length ?? 0) > 4) return fail(`"${raw}" has more than 4 decimals.`);
  return ok(raw.startsWith(".") ? `0${raw}` : raw);
}

/** A whole number in [min, max]. */
export function parseInteger(raw: string, min: number, max: number): Parsed<number> {
  if (!/^[+]?\d+$/.test(raw)) return fail(`"${raw}" is not a whole number${min >= 0 ? ` (${min} or more)` : ""}.`);
  const value = Number(raw);
  if (value < min || value > max) return fail(`${raw} is out of range: expected ${min} to ${max}.`);
  return ok(value);
}

// t/f is how PostgreSQL exports booleans (psql \copy, COPY … CSV).
const TRUE_WORDS = new Set(["true", "1", "yes", "y", "t"]);
const FALSE_WORDS = new Set(["false", "0", "no", "n", "f"]);

export function parseBoolean(raw: string): Parsed<boolean> {
  const word = raw.toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return fail(`"${raw}" is not a yes/no value: write true/false, 1/0 or yes/no (leave empty for the default).`);
}

// Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is the mail tool's job.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(raw: string): Parsed<string> {
  if (raw.length > 254 || !EMAIL_PATTERN.test(raw)) return fail(`"${raw}" is not an email address (expected name@example.com).`);
  return ok(raw);
}

export function parseCurrency(raw: string): Parsed<string> {
  if (!/^[A-Za-z]{3}$/.test(raw)) return fail(`"${raw}" is not a currency code: write 3 letters such as JPY or USD.`);
  if (raw !== raw.toUpperCase()) return fail(`"${raw}": write the currency code in capitals (${raw.toUpperCase()}).`);
  return ok(raw);
}
