// A transaction log held as per-customer purchase days in typed arrays, filled while a file is
// read: what `summarizeTransactions` computes, without an object per transaction. Memory is
// 16 bytes per distinct (customer, day) entry (same-day rows of a customer that arrive one after
// the other are merged on arrival) plus the customer ids.
import { ScoringError } from "./errors.ts";

/** Per-customer statistics of {@link PurchaseLog.summarize}, as columns (one slot per calibration customer). */
export interface SummaryColumns {
  /** Calibration customers (first purchase on or before the calibration end). */
  n: number;
  /** Index of each customer in the log (`log.id(customer[i])` is the id). */
  customer: Int32Array;
  /** x: repeat purchase days in the calibration period. */
  frequency: Int32Array;
  /** t_x in the time unit. */
  recency: Float64Array;
  /** T in the time unit. */
  T: Float64Array;
  /** Mean spend of the calibration repeat purchase days (0 when frequency is 0). */
  monetaryValue: Float64Array;
  /** Purchase days after the calibration end, up to the holdout end. */
  holdoutPurchases: Int32Array;
  /** Customers whose first purchase is after the calibration end (not in the columns). */
  customersAfterCalibration: number;
}

function grow<T extends Int32Array | Float64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Integer keys (0 to 10^15) → dense slots, by open addressing: the customer index of a file with
 * millions of numeric ids, several times faster than a Map and without an object per entry.
 */
class IntegerKeyIndex {
  private keys = new Float64Array(1 << 12).fill(-1);
  private slots = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;
  private size = 0;

  private static hash(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** The slot of `key`, or -1. */
  get(key: number): number {
    for (let i = IntegerKeyIndex.hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i] as number;
      if (k === key) return this.slots[i] as number;
      if (k === -1) return -1;
    }
  }

  /** Records `key` → `slot` (the key must be absent). */
  set(key: number, slot: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.rehash();
    let i = IntegerKeyIndex.hash(key) & this.mask;
    while (this.keys[i] !== -1) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.slots[i] = slot;
    this.size++;
  }

  private rehash(): void {
    const keys = this.keys;
    const slots = this.slots;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.slots = new Int32Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i] as number, slots[i] as number);
  }
}

/**
 * Numeric ids below this are looked up in a plain array (4 bytes per id up to the largest seen,
 * at most 128 MB); larger ones in the hash index.
 */
const DIRECT_IDS = 1 << 25;

/** A customer id written as a plain decimal number (no sign, no leading zero, at most 15 digits). */
const CANONICAL_NUMBER = /^(?:0|[1-9]\d{0,14})$/;

export class PurchaseLog {
  /** Ids that are canonical decimal numbers are keyed by their value (no string kept), others by text. */
  private readonly numericIndex = new IntegerKeyIndex();
  /** Slot + 1 of numeric ids below {@link DIRECT_IDS}, 0 for unseen. */
  private direct = new Int32Array(0);
  private readonly textIndex = new Map<string, number>();
  private readonly ids: (string | number)[] = [];
  private head = new Int32Array(1024).fill(-1);
  private lastDayOf = new Int32Array(1024);
  private entryDay: Int32Array;
  private entryAmount: Float64Array;
  private entryNext: Int32Array;
  private entries = 0;
  /** Rows added (before same-day merging). */
  transactions = 0;
  firstDay = Infinity;
  lastDay = -Infinity;

  /**
   * `expectedEntries`: how many purchase days to make room for at once (e.g. a file's size over
   * its shortest possible row). Room that is never written is never touched, so a generous
   * estimate costs address space, not memory, and saves the copies of growing.
   */
  constructor(options: { expectedEntries?: number } = {}) {
    const room = Math.min(Math.max(options.expectedEntries ?? 0, 4096), 1 << 26);
    this.entryDay = new Int32Array(room);
    this.entryAmount = new Float64Array(room);
    this.entryNext = new Int32Array(room);
  }

  get customers(): number {
    return this.ids.length;
  }

  id(customer: number): string {
    const id = this.ids[customer];
    return id === undefined ? "" : typeof id === "number" ? String(id) : id;
  }

  /** Index of a customer id, adding it on first sight. */
  customerIndex(id: string): number {
    if (CANONICAL_NUMBER.test(id)) return this.numericCustomerIndex(Number(id));
    const c = this.textIndex.get(id);
    if (c !== undefined) return c;
    const added = this.addCustomer(id);
    this.textIndex.set(id, added);
    return added;
  }

  /**
   * Index of a customer whose id is the decimal text of `id` (an integer from 0 to 10^15 − 1):
   * the same customer as `customerIndex(String(id))`, for readers that parse digits themselves.
   */
  numericCustomerIndex(id: number): number {
    if (id < DIRECT_IDS) {
      // Small ids (most exports number their customers from 1) index an array directly: no
      // hashing, and ids that arrive in order touch memory in order.
      if (id >= this.direct.length) {
        let size = Math.max(this.direct.length, 1 << 16);
        while (size <= id) size *= 2;
        const direct = new Int32Array(Math.min(size, DIRECT_IDS));
        direct.set(this.direct);
        this.direct = direct;
      }
      const slot = this.direct[id] as number;
      if (slot !== 0) return slot - 1;
      const added = this.addCustomer(id);
      this.direct[id] = added + 1;
      return added;
    }
    const c = this.numericIndex.get(id);
    if (c !== -1) return c;
    const added = this.addCustomer(id);
    this.numericIndex.set(id, added);
    return added;
  }

  private addCustomer(id: string | number): number {
    const c = this.ids.length;
    this.ids.push(id);
    if (c >= this.head.length) {
      const size = this.head.length * 2;
      const head = new Int32Array(size).fill(-1);
      head.set(this.head);
      this.head = head;
      this.lastDayOf = grow(this.lastDayOf, size);
    }
    return c;
  }

  /** One purchase of `amount` (≥ 0) on calendar day number `day` (days since 1970-01-01). */
  add(customer: number, day: number, amount: number): void {
    this.transactions++;
    if (day < this.firstDay) this.firstDay = day;
    if (day > this.lastDay) this.lastDay = day;
    const head = this.head[customer] ?? -1;
    if (head !== -1 && this.lastDayOf[customer] === day) {
      this.entryAmount[head] = (this.entryAmount[head] ?? 0) + amount;
      return;
    }
    const e = this.entries++;
    if (e >= this.entryDay.length) {
      this.entryDay = grow(this.entryDay, e + 1);
      this.entryAmount = grow(this.entryAmount, e + 1);
      this.entryNext = grow(this.entryNext, e + 1);
    }
    this.entryDay[e] = day;
    this.entryAmount[e] = amount;
    this.entryNext[e] = head;
    this.head[customer] = e;
    this.lastDayOf[customer] = day;
  }

  /**
   * Calibration statistics at `calibrationEnd` (inclusive day number) and holdout purchase days
   * up to `holdoutEnd`, with the conventions of `summarizeTransactions`: purchases on one
   * calendar day are one purchase day (spend summed); frequency counts repeat days; recency and
   * T run from the first day; monetary value is the mean spend of the repeat days. Linear in
   * the entries (a customer's days are sorted only when they arrived out of order).
   */
  summarize(options: { calibrationEnd: number; holdoutEnd?: number; unitDays: number }): SummaryColumns {
    const { calibrationEnd, unitDays } = options;
    const holdoutEnd = options.holdoutEnd ?? calibrationEnd;
    if (holdoutEnd < calibrationEnd) throw new ScoringError("INVALID_INPUT", "holdoutEnd must not be before calibrationEnd.");
    const total = this.ids.length;
    const out: SummaryColumns = {
      n: 0,
      customer: new Int32Array(total),
      frequency: new Int32Array(total),
      recency: new Float64Array(total),
      T: new Float64Array(total),
      monetaryValue: new Float64Array(total),
      holdoutPurchases: new Int32Array(total),
      customersAfterCalibration: 0,
    };
    // A customer's entries, newest first as the list runs, in scratch arrays reused for every
    // customer; read backwards they run oldest first.
    let scratchDays = new Int32Array(256);
    let scratchAmounts = new Float64Array(256);
    for (let c = 0; c < total; c++) {
      let count = 0;
      let sorted = true;
      for (let e = this.head[c] ?? -1; e !== -1; e = this.entryNext[e] ?? -1) {
        if (count === scratchDays.length) {
          scratchDays = grow(scratchDays, count * 2);
          scratchAmounts = grow(scratchAmounts, count * 2);
        }
        const day = this.entryDay[e] ?? 0;
        if (count > 0 && day >= (scratchDays[count - 1] ?? 0)) sorted = false;
        scratchDays[count] = day;
        scratchAmounts[count] = this.entryAmount[e] ?? 0;
        count++;
      }
      if (count === 0) continue;
      let days: ArrayLike<number> = scratchDays;
      let amounts: ArrayLike<number> = scratchAmounts;
      let length = count;
      if (sorted) {
        // Oldest first: reverse the newest-first run in place.
        for (let i = 0, j = count - 1; i < j; i++, j--) {
          const d = scratchDays[i] ?? 0;
          scratchDays[i] = scratchDays[j] ?? 0;
          scratchDays[j] = d;
          const a = scratchAmounts[i] ?? 0;
          scratchAmounts[i] = scratchAmounts[j] ?? 0;
          scratchAmounts[j] = a;
        }
      } else {
        // Out of order (or a day repeated after another day): sort by day, arrival order within
        // a day, and merge same-day entries.
        const order = Array.from({ length: count }, (_, i) => count - 1 - i).sort((p, q) => (scratchDays[p] ?? 0) - (scratchDays[q] ?? 0) || q - p);
        const d2: number[] = [];
        const a2: number[] = [];
        for (const i of order) {
          const day = scratchDays[i] ?? 0;
          if (d2.length > 0 && d2[d2.length - 1] === day) a2[a2.length - 1] = (a2[a2.length - 1] ?? 0) + (scratchAmounts[i] ?? 0);
          else {
            d2.push(day);
            a2.push(scratchAmounts[i] ?? 0);
          }
        }
        days = d2;
        amounts = a2;
        length = d2.length;
      }
      const first = days[0] ?? 0;
      if (first > calibrationEnd) {
        out.customersAfterCalibration++;
        continue;
      }
      let calDays = 0;
      let lastCal = first;
      let repeatSpend = 0;
      let holdout = 0;
      for (let i = 0; i < length; i++) {
        const day = days[i] ?? 0;
        if (day <= calibrationEnd) {
          calDays++;
          lastCal = day;
          if (i > 0) repeatSpend += amounts[i] ?? 0;
        } else if (day <= holdoutEnd) {
          holdout++;
        }
      }
      const k = out.n++;
      const frequency = calDays - 1;
      out.customer[k] = c;
      out.frequency[k] = frequency;
      out.recency[k] = (lastCal - first) / unitDays;
      out.T[k] = (calibrationEnd - first) / unitDays;
      out.monetaryValue[k] = frequency > 0 ? repeatSpend / frequency : 0;
      out.holdoutPurchases[k] = holdout;
    }
    return out;
  }
}
