// Bounds on free-form arguments: every string and list a client sends to a list query has a
// size limit, checked before any SQL runs, so no request can make the database chew on a
// megabyte of search text or a list of a million keys.
import type { FieldProblem } from "../errors.ts";

export const BOUNDS = {
  /** Characters of a search text. */
  searchLength: 100,
  /** Items of a list argument (segment keys, prefectures, channels, statuses…). */
  listItems: 50,
  /** Characters of each item of a list argument. */
  itemLength: 100,
  /** Characters of a cursor (`after`). */
  cursorLength: 500,
} as const;

export function checkText(problems: FieldProblem[], path: string, value: string | null | undefined, max: number): void {
  if (value !== null && value !== undefined && value.length > max) {
    problems.push({ path, message: `must be at most ${max} characters (got ${value.length}); shorten it` });
  }
}

export function checkList(problems: FieldProblem[], path: string, list: readonly string[] | null | undefined): void {
  if (!list) return;
  if (list.length > BOUNDS.listItems) {
    problems.push({ path, message: `must have at most ${BOUNDS.listItems} items (got ${list.length}); split the request` });
    return;
  }
  list.forEach((item, i) => {
    if (item.length > BOUNDS.itemLength) problems.push({ path: `${path}[${i}]`, message: `must be at most ${BOUNDS.itemLength} characters` });
  });
}

/** A numeric id as the API hands them out (a positive integer below 2^53), or a problem. */
export function checkId(problems: FieldProblem[], path: string, value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    problems.push({ path, message: "is not an id (a positive whole number)" });
    return null;
  }
  return Number(value);
}
