// The orders import's fast lane: a line without quotes (most lines of an export) is validated
// and written as COPY text straight from the file's text into the COPY buffer, with no field
// array, no string per cell and no object per row. It accepts only the common spellings (ids
// without surrounding spaces or backslashes, YYYY-MM-DD dates with an optional HH:MM[:SS] and
// zone, plain decimal amounts, lowercase statuses…) and writes exactly what the record path
// (encodeOrderRow) writes for them; anything else — including every invalid cell — returns
// false and takes the record path, which reports problems with line and column.
// orders-plain-lines.test.ts checks the two paths against each other on randomised files.
import { ORDER_STATUSES } from "@ltvloop/db/schema";
import type { CopyBuffer } from "./copy-buffer.ts";
import type { PlainLane } from "./staging.ts";
import { MAX_ID_CHARS } from "./values.ts";

const EXTERNAL_ID = 0;
const CUSTOMER = 1;
const ORDERED_AT = 2;
const AMOUNT = 3;
const CURRENCY = 4;
const GROSS_MARGIN = 5;
const STATUS = 6;
const CHANNEL = 7;
const ITEMS = 8;
const ROLES = new Map([
  ["external_id", EXTERNAL_ID],
  ["customer_external_id", CUSTOMER],
  ["ordered_at", ORDERED_AT],
  ["amount", AMOUNT],
  ["currency", CURRENCY],
  ["gross_margin", GROSS_MARGIN],
  ["status", STATUS],
  ["channel", CHANNEL],
  ["items", ITEMS],
]);
const MAX_INT = 2_147_483_647;
const TAB = 0x09;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Whether String.prototype.trim would remove this character at a cell's edge. */
function isTrimmed(c: number): boolean {
  if (c <= 0x20) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A cell written as it is: not empty, no trimmable edge, nothing to escape. */
function plainCell(text: string, from: number, to: number, out: CopyBuffer): boolean {
  return to > from && !isTrimmed(text.charCodeAt(from)) && !isTrimmed(text.charCodeAt(to - 1)) && out.plain(text, from, to);
}

/** Two ASCII digits at `at` as a number, or -1. */
function two(text: string, at: number): number {
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  return isDigit(a) && isDigit(b) ? (a - 0x30) * 10 + (b - 0x30) : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `YYYY-MM-DD`, optionally followed by ` HH:MM[:SS]` or `THH:MM[:SS]` and then `Z`, `±HH:MM` or
 * `±HHMM`; written as parseTimestamp's `local` and `offset`.
 */
function timestamp(text: string, a: number, b: number, out: CopyBuffer): boolean {
  if (b - a < 10 || text.charCodeAt(a + 4) !== 0x2d || text.charCodeAt(a + 7) !== 0x2d) return false;
  const century = two(text, a);
  const yy = two(text, a + 2);
  const month = two(text, a + 5);
  const day = two(text, a + 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) return false;
  const year = century * 100 + yy;
  if (year < 1900 || year > 2100 || day > daysInMonth(year, month)) return false;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let p = a + 10;
  let zoneSign = 0;
  let zoneHours = 0;
  let zoneMinutes = 0;
  if (p < b) {
    const t = text.charCodeAt(p);
    if ((t !== 0x54 && t !== 0x20) || b - p < 6 || text.charCodeAt(p + 3) !== 0x3a) return false;
    hour = two(text, p + 1);
    minute = two(text, p + 4);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
    p += 6;
    if (p < b && text.charCodeAt(p) === 0x3a) {
      if (b - p < 3) return false;
      second = two(text, p + 1);
      if (second < 0 || second > 59) return false;
      p += 3;
    }
    if (p < b) {
      const z = text.charCodeAt(p);
      if (z === 0x5a) {
        if (p + 1 !== b) return false;
        zoneSign = 0x2b;
      } else if (z === 0x2b || z === 0x2d) {
        zoneSign = z;
        zoneHours = b - p >= 3 ? two(text, p + 1) : -1;
        if (b - p === 6 && text.charCodeAt(p + 3) === 0x3a) zoneMinutes = two(text, p + 4);
        else if (b - p === 5) zoneMinutes = two(text, p + 3);
        else return false;
        if (zoneHours < 0 || zoneHours > 14 || zoneMinutes < 0 || zoneMinutes > 59) return false;
      } else {
        return false;
      }
    }
  }
  const { bytes } = out;
  let o = out.pos;
  for (let i = a; i < a + 10; i++) bytes[o++] = text.charCodeAt(i);
  bytes[o++] = 0x20;
  bytes[o++] = 0x30 + Math.floor(hour / 10);
  bytes[o++] = 0x30 + (hour % 10);
  bytes[o++] = 0x3a;
  bytes[o++] = 0x30 + Math.floor(minute / 10);
  bytes[o++] = 0x30 + (minute % 10);
  bytes[o++] = 0x3a;
  bytes[o++] = 0x30 + Math.floor(second / 10);
  bytes[o++] = 0x30 + (second % 10);
  if (zoneSign !== 0) {
    bytes[o++] = zoneSign;
    bytes[o++] = 0x30 + Math.floor(zoneHours / 10);
    bytes[o++] = 0x30 + (zoneHours % 10);
    bytes[o++] = 0x3a;
    bytes[o++] = 0x30 + Math.floor(zoneMinutes / 10);
    bytes[o++] = 0x30 + (zoneMinutes % 10);
  }
  out.pos = o;
  return true;
}

/** `123`, `123.4` or `123.45`, at most 12 digits before the point once leading zeros go; written as it is. */
function amount(text: string, a: number, b: number, out: CopyBuffer): boolean {
  let i = a;
  let digits = 0;
  while (i < b && isDigit(text.charCodeAt(i))) {
    if (digits > 0 || text.charCodeAt(i) !== 0x30 || i + 1 === b || !isDigit(text.charCodeAt(i + 1))) digits++;
    i++;
  }
  if (i === a || digits > 12) return false;
  if (i < b) {
    const decimals = b - i - 1;
    if (text.charCodeAt(i) !== 0x2e || decimals < 1 || decimals > 2) return false;
    for (let j = i + 1; j < b; j++) if (!isDigit(text.charCodeAt(j))) return false;
  }
  const { bytes } = out;
  for (let j = a; j < b; j++) bytes[out.pos++] = text.charCodeAt(j);
  return true;
}

/** `0`, `1`, `0.d…`, `1.0…` or `.d…` with 1–4 decimals; written as parseRatio returns it. */
function ratio(text: string, a: number, b: number, out: CopyBuffer): boolean {
  const first = text.charCodeAt(a);
  let i = a;
  if (first === 0x30 || first === 0x31) i++;
  if (i < b) {
    const decimals = b - i - 1;
    if (text.charCodeAt(i) !== 0x2e || decimals < 1 || decimals > 4) return false;
    for (let j = i + 1; j < b; j++) {
      const c = text.charCodeAt(j);
      if (!isDigit(c) || (first === 0x31 && c !== 0x30)) return false;
    }
  }
  if (first === 0x2e) out.byte(0x30);
  const { bytes } = out;
  for (let j = a; j < b; j++) bytes[out.pos++] = text.charCodeAt(j);
  return true;
}

/** A whole number 0–MAX_INT in plain digits; written as the number. */
function items(text: string, a: number, b: number, out: CopyBuffer): boolean {
  if (b - a > 15) return false;
  let value = 0;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return false;
    value = value * 10 + (c - 0x30);
  }
  if (value > MAX_INT) return false;
  out.int(value);
  return true;
}

function status(text: string, a: number, b: number, out: CopyBuffer): boolean {
  for (const name of ORDER_STATUSES) {
    if (b - a === name.length && text.startsWith(name, a)) {
      out.ascii(name);
      return true;
    }
  }
  return false;
}

function upperCurrency(text: string, a: number, b: number, out: CopyBuffer): boolean {
  if (b - a !== 3) return false;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x41 || c > 0x5a) return false;
  }
  for (let i = a; i < b; i++) out.byte(text.charCodeAt(i));
  return true;
}

/** Drops what a line wrote so far; the line takes the record path. */
function rollBack(out: CopyBuffer, mark: number): false {
  out.pos = mark;
  return false;
}

/**
 * The fast lane for a file with this header (every column an order column; resolveHeader has
 * checked that), or undefined when it cannot take one.
 */
export function orderPlainLane(header: Map<string, number>): PlainLane | undefined {
  const size = header.size;
  const at = new Int32Array(9).fill(-1);
  for (const [name, index] of header) {
    const role = ROLES.get(name);
    if (role === undefined) return undefined;
    at[role] = index;
  }
  const bounds = new Int32Array(size * 2);
  // Start and end of the cell of a role (both 0 when the file has no such column).
  const lo = (role: number) => {
    const index = at[role] as number;
    return index === -1 ? 0 : (bounds[index * 2] as number);
  };
  const hi = (role: number) => {
    const index = at[role] as number;
    return index === -1 ? 0 : (bounds[index * 2 + 1] as number);
  };

  return (text, start, end, line, out) => {
    let from = start;
    for (let field = 0; field < size; field++) {
      let comma = text.indexOf(",", from);
      if (comma === -1 || comma >= end) comma = -1;
      if (field === size - 1) {
        if (comma !== -1) return false;
        comma = end;
      } else if (comma === -1) {
        return false;
      }
      bounds[field * 2] = from;
      bounds[field * 2 + 1] = comma;
      from = comma + 1;
    }
    out.room();
    const mark = out.pos;
    out.int(line);
    out.byte(TAB);
    let a = lo(EXTERNAL_ID);
    let b = hi(EXTERNAL_ID);
    if (b - a > MAX_ID_CHARS || !plainCell(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(CUSTOMER);
    b = hi(CUSTOMER);
    if (b - a > MAX_ID_CHARS || !plainCell(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(ORDERED_AT);
    b = hi(ORDERED_AT);
    if (!timestamp(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(AMOUNT);
    b = hi(AMOUNT);
    if (!amount(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(CURRENCY);
    b = hi(CURRENCY);
    if (a === b) out.ascii("JPY");
    else if (!upperCurrency(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(GROSS_MARGIN);
    b = hi(GROSS_MARGIN);
    if (a === b) out.ascii("\\N");
    else if (!ratio(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(STATUS);
    b = hi(STATUS);
    if (a === b) out.ascii("completed");
    else if (!status(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(CHANNEL);
    b = hi(CHANNEL);
    if (a === b) out.ascii("\\N");
    else if (!plainCell(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(ITEMS);
    b = hi(ITEMS);
    if (a === b) out.byte(0x31);
    else if (!items(text, a, b, out)) return rollBack(out, mark);
    out.byte(0x0a);
    return true;
  };
}
