// Shapes shared by the import services, the CLI and (later) the GraphQL API.

/** utf16le/utf16be must be declared: the reader names UTF-16 and UTF-32 files it finds without it. */
export type ImportEncoding = "utf8" | "shift_jis" | "utf16le" | "utf16be";

/**
 * The file's content: a string (already text), bytes, or a byte stream such as
 * `fs.createReadStream(path)` or an upload stream. Streams are read once, never held whole.
 */
export type ImportSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

/** Who runs the import, for the audit log. */
export type ImportActor =
  | { kind: "cli" }
  | { kind: "user"; userId: number }
  | { kind: "api_key"; apiKeyId: number };

export interface ImportProgress {
  phase: "reading" | "checking" | "writing";
  bytesRead: number;
  rowsRead: number;
}

export interface ImportOptions {
  source: ImportSource;
  /** Shown in messages and stored in the audit log, e.g. the file name. */
  label: string;
  encoding?: ImportEncoding;
  /** Import the valid rows and report the others instead of rejecting the whole file. */
  skipInvalid?: boolean;
  /** Validate and count what would change, then roll everything back. */
  dryRun?: boolean;
  actor?: ImportActor;
  /** Orders only: accept orders dated after the import time (otherwise refused beyond a small tolerance). */
  allowFuture?: boolean;
  /** The import time (default now); tests control the clock with it. */
  now?: Date;
  onProgress?: (progress: ImportProgress) => void;
  /** Smallest load written in bulk mode (default BULK_MIN_ROWS of the table); tests lower it to exercise bulk mode. */
  bulkMinRows?: number;
  /** false: every line takes the record path, none the fast lane for plain lines (tests compare the two). Default true. */
  fastLane?: boolean;
}

export type { ImportProblem } from "./problems.ts";
import type { ImportProblem } from "./problems.ts";

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  kind: "customers" | "orders" | "deliveries";
  format: "csv" | "cdnow";
  label: string;
  isDryRun: boolean;
  /** CSV files: the separator the file was read with (from its header line) and the encoding it was read in (a UTF-16 byte order mark overrides the one chosen). */
  delimiter?: "comma" | "tab";
  encoding?: ImportEncoding;
  /** Data rows in the file (the header not counted). */
  rowsRead: number;
  customers?: WriteCounts;
  orders?: WriteCounts;
  /** Deliveries only: the campaign, the rows written, and how many control customers the file has rows for (contamination). */
  campaignId?: number;
  deliveries?: WriteCounts;
  controlCustomers?: number;
  /** Rows left out under skipInvalid. */
  skippedCount: number;
  /** The first skipped rows' problems (at most MAX_REPORTED_PROBLEMS). */
  skipped: ImportProblem[];
}

/** How many problems a rejection or a skip report lists; the total is always stated. */
export const MAX_REPORTED_PROBLEMS = 100;
