// Bounds on free-form arguments: every string and list a client sends to a list query has a
// size limit, checked before any SQL runs, so no request can make the database chew on a
// megabyte of search text or a list of a million keys.
import type { FieldProblem } from "../errors.ts";
import { fieldProblem } from "../reasons.ts";

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
    problems.push(fieldProblem(path, "TOO_LONG", { max, length: value.length }));
  }
}

export function checkList(problems: FieldProblem[], path: string, list: readonly string[] | null | undefined): void {
  if (!list) return;
  if (list.length > BOUNDS.listItems) {
    problems.push(fieldProblem(path, "TOO_MANY_ITEMS", { max: BOUNDS.listItems, count: list.length }));
    return;
  }
  list.forEach((item, i) => {
    if (item.length > BOUNDS.itemLength) problems.push(fieldProblem(`${path}[${i}]`, "TOO_LONG", { max: BOUNDS.itemLength }));
  });
}

/** A numeric id as the API hands them out (a positive integer below 2^53), or a problem. */
export function checkId(problems: FieldProblem[], path: string, value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    problems.push(fieldProblem(path, "NOT_AN_ID", { value: value.slice(0, 40) }));
    return null;
  }
  return Number(value);
}
