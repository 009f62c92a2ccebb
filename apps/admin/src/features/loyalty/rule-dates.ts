// The rule form's dates are business days (YYYY-MM-DD in the settings' time zone), whatever
// zone the admin's browser is in; the API takes instants. The conversion is zoned-date's.
import { businessToday, dayBoundary, endOfBusinessDay, pickerCellDay } from "../shared/zoned-date.ts";

export { businessToday };

/**
 * When a rule picked to apply from `day` starts: 00:00 of that day in the business time zone,
 * or now when that is already past (today: the API takes no effective date in the past).
 */
export function effectiveFromInstant(day: string, timeZone: string, now = Date.now()): string {
  const start = Date.parse(dayBoundary(day, timeZone, "start"));
  return new Date(Math.max(start, now)).toISOString();
}

/**
 * A fixed expiry date is the last day the points are valid (「3月31日まで」, "through 31 March"):
 * they expire at the end of that day in the business time zone, i.e. 00:00 of the next day.
 */
export function expiryDateInstant(day: string, timeZone: string): string {
  return endOfBusinessDay(day, timeZone);
}

/**
 * Whether the date picker greys out a calendar cell: days before today in the business zone.
 * The picker hands over the cell as the browser's local midnight, so its local calendar date is the day.
 */
export function isPastBusinessDay(cellMs: number, timeZone: string, now = Date.now()): boolean {
  return pickerCellDay(cellMs) < businessToday(timeZone, now);
}
