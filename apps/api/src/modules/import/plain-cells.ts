// Cells of a plain line (a line without quotes) checked and written as COPY text in place, for
// the imports' fast lanes (orders-plain-lines.ts, customers-plain-lines.ts): each accepts only
// the common spellings of its kind of cell and writes exactly what the record path writes for
// them; anything else returns false and the line takes the record path.
import type { CopyBuffer } from "./copy-buffer.ts";

export const TAB = 0x09;

export const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Whether String.prototype.trim would remove this character at a cell's edge. */
export function isTrimmed(c: number): boolean {
  if (c <= 0x20) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A cell written as it is: not empty, no trimmable edge, nothing to escape. */
export function plainCell(text: string, from: number, to: number, out: CopyBuffer): boolean {
  return to > from && !isTrimmed(text.charCodeAt(from)) && !isTrimmed(text.charCodeAt(to - 1)) && out.plain(text, from, to);
}

/** Whether text[a, b) holds a "+": an id such as 4.56789E+12 (a number Excel rounded) is left to parseId. */
export function hasPlus(text: string, a: number, b: number): boolean {
  // A loop over the cell, not indexOf: that would scan the rest of the block on every cell without one.
  for (let i = a; i < b; i++) if (text.charCodeAt(i) === 0x2b) return true;
  return false;
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
export function timestamp(text: string, a: number, b: number, out: CopyBuffer): boolean {
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
export function amount(text: string, a: number, b: number, out: CopyBuffer): boolean {
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

/** Drops what a line wrote so far; the line takes the record path. */
export function rollBack(out: CopyBuffer, mark: number): false {
  out.pos = mark;
  return false;
}

/** What a file's lines look like: how many cells the header has, and what separates them. */
export interface LineShape {
  width: number;
  delimiter: "comma" | "tab";
}

/**
 * Finds the `size` cells of text[start, end) split at `separator` (a comma or a tab) into
 * `bounds` (start and end of cell i at 2i and 2i + 1); false when the line has another number of
 * cells.
 */
export function splitCells(text: string, start: number, end: number, size: number, bounds: Int32Array, separator = ","): boolean {
  let from = start;
  for (let field = 0; field < size; field++) {
    let comma = text.indexOf(separator, from);
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
  return true;
}

/**
 * Where each role's cell of a plain line is, for a file whose header maps every column to a
 * role (`roles`: column name → role number); undefined when a column has no role (such a file
 * takes the record path). `split` finds a line's cells (`shape.width` of them, split at its
 * delimiter; the unnamed trailing columns after the header's named ones must be empty, else the
 * line takes the record path, which refuses it); `lo` and `hi` give the start and end of a role's
 * cell (both 0 when the file has no such column, i.e. an empty cell).
 */
export function roleCells(header: Map<string, number>, roles: Map<string, number>, shape: LineShape) {
  const size = shape.width;
  const named = header.size;
  const separator = shape.delimiter === "tab" ? "\t" : ",";
  const at = new Int32Array(roles.size).fill(-1);
  for (const [name, index] of header) {
    const role = roles.get(name);
    if (role === undefined) return undefined;
    at[role] = index;
  }
  const bounds = new Int32Array(size * 2);
  const split =
    named === size
      ? (text: string, start: number, end: number) => splitCells(text, start, end, size, bounds, separator)
      : (text: string, start: number, end: number) => {
          if (!splitCells(text, start, end, size, bounds, separator)) return false;
          for (let i = named; i < size; i++) if (bounds[i * 2] !== bounds[i * 2 + 1]) return false;
          return true;
        };
  return {
    split,
    lo: (role: number) => {
      const index = at[role] as number;
      return index === -1 ? 0 : (bounds[index * 2] as number);
    },
    hi: (role: number) => {
      const index = at[role] as number;
      return index === -1 ? 0 : (bounds[index * 2 + 1] as number);
    },
  };
}
