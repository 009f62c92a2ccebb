// "Orders complete up to": the instant campaign measurements compare their outcome window with.
// An admin sets it for an incremental feed as a business day the orders are complete through
// (the end of that day in the settings' time zone); through today means up to now, since
// completeness is a statement about the past and the API refuses a future instant.
import { businessToday, endOfBusinessDay, pickerCellDay } from "../shared/zoned-date.ts";

/** The instant to send for "complete through `day`": the day's end, or now when that is later. */
export function completeThroughInstant(day: string, timeZone: string, now = Date.now()): string {
  return new Date(Math.min(Date.parse(endOfBusinessDay(day, timeZone)), now)).toISOString();
}

/** Whether the date picker greys out a cell: days after today in the business time zone. */
export function isFutureBusinessDay(cellMs: number, timeZone: string, now = Date.now()): boolean {
  return pickerCellDay(cellMs) > businessToday(timeZone, now);
}
