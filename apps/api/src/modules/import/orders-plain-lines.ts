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
import { amount, hasPlus, isDigit, plainCell, roleCells, rollBack, TAB, timestamp, type LineShape } from "./plain-cells.ts";
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

/**
 * The fast lane for a file with this header (every column an order column; resolveHeader has
 * checked that), or undefined when it cannot take one.
 */
export function orderPlainLane(header: Map<string, number>, shape: LineShape): PlainLane | undefined {
  const cells = roleCells(header, ROLES, shape);
  if (!cells) return undefined;
  const { split, lo, hi } = cells;

  return (text, start, end, line, out) => {
    if (!split(text, start, end)) return false;
    out.room();
    const mark = out.pos;
    out.int(line);
    out.byte(TAB);
    let a = lo(EXTERNAL_ID);
    let b = hi(EXTERNAL_ID);
    if (b - a > MAX_ID_CHARS || hasPlus(text, a, b) || !plainCell(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(CUSTOMER);
    b = hi(CUSTOMER);
    if (b - a > MAX_ID_CHARS || hasPlus(text, a, b) || !plainCell(text, a, b, out)) return rollBack(out, mark);
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
