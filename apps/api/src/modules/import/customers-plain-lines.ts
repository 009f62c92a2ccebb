// The customers import's fast lane: a line without quotes is validated and written as COPY text
// for the staging table straight from the file's text, as the orders import does
// (orders-plain-lines.ts). It accepts only the common spellings (ids and texts without
// surrounding spaces or backslashes, e-mail addresses without spaces, plain decimal costs,
// YYYY-MM-DD dates with an optional time and zone, four-digit birth years, the opt-in words, the
// prefectures' official names) and
// writes exactly what the record path (encodeCustomerRow) writes for them, including the
// attributes JSON of prefecture, gender and birth year; anything else — every invalid cell, a
// file with attr_ columns — returns false and takes the record path, which reports problems with
// line and column. customers-plain-lines.test.ts checks the two paths on randomised files.
import { isOfficialPrefecture } from "../customers/prefectures.ts";
import type { CopyBuffer } from "./copy-buffer.ts";
import { amount, hasPlus, isDigit, isTrimmed, plainCell, roleCells, rollBack, TAB, timestamp, type LineShape } from "./plain-cells.ts";
import type { PlainLane } from "./staging.ts";
import { FALSE_WORDS as PARSED_FALSE, MAX_ID_CHARS, TRUE_WORDS as PARSED_TRUE } from "./values.ts";

const EXTERNAL_ID = 0;
const NAME = 1;
const EMAIL = 2;
const PREFECTURE = 3;
const GENDER = 4;
const BIRTH_YEAR = 5;
const CHANNEL = 6;
const COST = 7;
const ACQUIRED_AT = 8;
const EMAIL_OPT_IN = 9;
const LINE_OPT_IN = 10;
const SMS_OPT_IN = 11;
const DM_OPT_IN = 12;
const ROLES = new Map([
  ["external_id", EXTERNAL_ID],
  ["name", NAME],
  ["email", EMAIL],
  ["prefecture", PREFECTURE],
  ["gender", GENDER],
  ["birth_year", BIRTH_YEAR],
  ["acquisition_channel", CHANNEL],
  ["acquisition_cost", COST],
  ["acquired_at", ACQUIRED_AT],
  ["email_opt_in", EMAIL_OPT_IN],
  ["line_opt_in", LINE_OPT_IN],
  ["sms_opt_in", SMS_OPT_IN],
  ["dm_opt_in", DM_OPT_IN],
]);
/** parseEmail's limit. */
const MAX_EMAIL_CHARS = 254;
const AT = 0x40;
const TRUE_WORDS = ["true", "1", "yes", "y", "t"];
const FALSE_WORDS = ["false", "0", "no", "n", "f"];
/** parseBoolean's Japanese spellings (values.ts), compared as they are. */
const JAPANESE_TRUE = [...PARSED_TRUE].filter((w) => !TRUE_WORDS.includes(w));
const JAPANESE_FALSE = [...PARSED_FALSE].filter((w) => !FALSE_WORDS.includes(w));

/** Whether text[a, b) is `word` in any letter case (ASCII). */
function isWord(text: string, a: number, b: number, word: string): boolean {
  if (b - a !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    const c = text.charCodeAt(a + i);
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether text[a, b) is `word` exactly. */
const isExactly = (text: string, a: number, b: number, word: string) => b - a === word.length && text.startsWith(word, a);

/** An opt-in cell as parseBoolean reads it: `t`, `f`, or `\N` when empty (other spellings, full-width ones among them, take the record path). */
function optIn(text: string, a: number, b: number, out: CopyBuffer): boolean {
  if (a === b) {
    out.ascii("\\N");
    return true;
  }
  if (TRUE_WORDS.some((w) => isWord(text, a, b, w))) out.byte(0x74);
  else if (FALSE_WORDS.some((w) => isWord(text, a, b, w))) out.byte(0x66);
  else if (JAPANESE_TRUE.some((w) => isExactly(text, a, b, w))) out.byte(0x74);
  else if (JAPANESE_FALSE.some((w) => isExactly(text, a, b, w))) out.byte(0x66);
  else return false;
  return true;
}

/**
 * An address parseEmail accepts — one @, nothing trimmable, a dot inside the domain — with no
 * character COPY text would escape.
 */
function email(text: string, a: number, b: number, out: CopyBuffer): boolean {
  if (b - a > MAX_EMAIL_CHARS) return false;
  let at = -1;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (isTrimmed(c)) return false;
    if (c === AT) {
      if (at !== -1) return false;
      at = i;
    }
  }
  if (at <= a) return false;
  const dot = text.lastIndexOf(".", b - 2);
  if (dot <= at + 1) return false;
  return out.plain(text, a, b);
}

/** A text cell: `\N` when empty, else written as it is (false when it needs escaping or trimming). */
function optionalText(text: string, a: number, b: number, out: CopyBuffer): boolean {
  if (a === b) {
    out.ascii("\\N");
    return true;
  }
  return plainCell(text, a, b, out);
}

/** A four-digit year from 1900 to `thisYear`, or -1. */
function year(text: string, a: number, b: number, thisYear: number): number {
  if (b - a !== 4) return -1;
  let value = 0;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value >= 1900 && value <= thisYear ? value : -1;
}

/**
 * The fast lane for a file with this header (customer columns only: a file with attr_ columns
 * takes the record path), or undefined when it cannot take one.
 */
export function customerPlainLane(header: Map<string, number>, shape: LineShape): PlainLane | undefined {
  const cells = roleCells(header, ROLES, shape);
  if (!cells) return undefined;
  const { split, lo, hi } = cells;
  /** A JSON string value of an attribute: the cell as it is (plain cells hold no quote, backslash or control character). */
  const attribute = (text: string, out: CopyBuffer, first: boolean, key: string, role: number): boolean => {
    out.ascii(first ? `{"${key}":"` : `,"${key}":"`);
    if (!plainCell(text, lo(role), hi(role), out)) return false;
    out.byte(0x22);
    return true;
  };

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
    if (!optionalText(text, lo(NAME), hi(NAME), out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(EMAIL);
    b = hi(EMAIL);
    if (a === b) out.ascii("\\N");
    else if (!email(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    // attributes: prefecture, gender and birth year, in the record path's key order.
    let keys = 0;
    if (lo(PREFECTURE) !== hi(PREFECTURE)) {
      // Official names only (東京都); other spellings and typos take the record path.
      if (hi(PREFECTURE) - lo(PREFECTURE) > 4 || !isOfficialPrefecture(text.slice(lo(PREFECTURE), hi(PREFECTURE)))) return rollBack(out, mark);
      if (!attribute(text, out, keys === 0, "prefecture", PREFECTURE)) return rollBack(out, mark);
      keys++;
    }
    if (lo(GENDER) !== hi(GENDER)) {
      if (!attribute(text, out, keys === 0, "gender", GENDER)) return rollBack(out, mark);
      keys++;
    }
    a = lo(BIRTH_YEAR);
    b = hi(BIRTH_YEAR);
    if (a !== b) {
      const born = year(text, a, b, new Date().getFullYear());
      if (born < 0) return rollBack(out, mark);
      out.ascii(keys === 0 ? '{"birthYear":' : ',"birthYear":');
      out.int(born);
      keys++;
    }
    if (keys === 0) out.ascii("\\N");
    else out.byte(0x7d);
    out.byte(TAB);
    if (!optionalText(text, lo(CHANNEL), hi(CHANNEL), out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(COST);
    b = hi(COST);
    if (a === b) out.ascii("\\N");
    else if (!amount(text, a, b, out)) return rollBack(out, mark);
    out.byte(TAB);
    a = lo(ACQUIRED_AT);
    b = hi(ACQUIRED_AT);
    if (a === b) out.ascii("\\N");
    else if (!timestamp(text, a, b, out)) return rollBack(out, mark);
    for (const role of [EMAIL_OPT_IN, LINE_OPT_IN, SMS_OPT_IN, DM_OPT_IN]) {
      out.byte(TAB);
      if (!optIn(text, lo(role), hi(role), out)) return rollBack(out, mark);
    }
    out.byte(0x0a);
    return true;
  };
}
