// Sends a CSV file to POST /import/<kind> (the body streams on the server into the same importer
// as the CLI) and reads its progress from GET /import/progress/<id> while the request runs.

import { readAsUtf16, type EncodingChoice } from "../shared/file-encoding.ts";

export type ImportKind = "customers" | "orders";
export type ImportMode = "preview" | "commit";
/** The encodings the page offers (EncodingSelect.vue); UTF-16 is for files without a byte order mark (one with it is read as UTF-16 whatever is chosen). */
export type ImportEncodingChoice = EncodingChoice;

export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  kind: ImportKind;
  label: string;
  isDryRun: boolean;
  rowsRead: number;
  customers?: WriteCounts;
  orders?: WriteCounts;
  /** The separator the API read from the header line, and the encoding it read (a UTF-16 byte order mark overrides the one chosen). */
  delimiter?: "comma" | "tab";
  encoding?: string;
}

/**
 * What the API read differently from a comma-separated file in the chosen encoding: tab-separated
 * text, UTF-16 text although another encoding was chosen (the file starts with a UTF-16 byte order mark).
 */
export function readAs(summary: ImportSummary, chosen: ImportEncodingChoice): { tab: boolean; utf16: boolean } {
  return { tab: summary.delimiter === "tab", utf16: readAsUtf16(summary.encoding, chosen) };
}

/** One problem of a rejected file: where, and a code with parameters the page words (problem-text.ts). */
export interface UploadProblem {
  line: number | null;
  column: string | null;
  code: string | null;
  params: Record<string, string | number>;
}

export interface UploadProgress {
  phase: "reading" | "checking" | "writing";
  bytesRead: number;
  rowsRead: number;
  totalBytes: number | null;
  done: boolean;
}

export type UploadOutcome =
  | { ok: true; mode: ImportMode; summary: ImportSummary }
  | { ok: false; status: number; reason: string | null; message: string; problems: UploadProblem[]; params: Record<string, string | number> };

/** How many problems the page lists; the server reports at most 100 and always the total. */
export const SHOWN_PROBLEMS = 20;

/** A random id the progress of one upload is read under. */
export function newUploadId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function uploadUrl(kind: ImportKind, mode: ImportMode, options: { name: string; encoding: ImportEncodingChoice; uploadId: string }): string {
  const q = new URLSearchParams({ mode, name: options.name, encoding: options.encoding, uploadId: options.uploadId });
  return `/import/${kind}?${q.toString()}`;
}

/** Share of the file read (0–1), or null while unknown. */
export function progressRatio(p: UploadProgress | null): number | null {
  if (!p || !p.totalBytes) return null;
  return Math.min(1, p.bytesRead / p.totalBytes);
}

/** The rows that changed or would change, for the summary line. */
export function countsOf(summary: ImportSummary): WriteCounts {
  return (summary.kind === "customers" ? summary.customers : summary.orders) ?? { inserted: 0, updated: 0, unchanged: 0 };
}

function readParams(value: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") out[k] = v;
  return out;
}

/** A problem of the upload answer, keeping only what the page shows (the English message is not). */
export function readUploadProblem(raw: unknown): UploadProblem {
  const p = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    line: typeof p["line"] === "number" ? p["line"] : null,
    column: typeof p["column"] === "string" ? p["column"] : null,
    code: typeof p["code"] === "string" ? p["code"] : null,
    params: readParams(p["params"]),
  };
}

/** Reads an upload's answer, JSON in both cases; anything else is a server failure. */
export async function readOutcome(res: Response): Promise<UploadOutcome> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const b = body as { mode?: ImportMode; summary?: ImportSummary; error?: { reason?: string; message?: string; problems?: unknown[]; params?: Record<string, string | number> } } | null;
  if (res.ok && b?.summary && b.mode) return { ok: true, mode: b.mode, summary: b.summary };
  return {
    ok: false,
    status: res.status,
    reason: b?.error?.reason ?? null,
    message: b?.error?.message ?? `HTTP ${res.status}`,
    problems: Array.isArray(b?.error?.problems) ? b.error.problems.map(readUploadProblem) : [],
    params: b?.error?.params ?? {},
  };
}

/** Uploads `file`; `onProgress` is called about twice a second until the answer arrives. */
export async function uploadCsv(
  file: File,
  kind: ImportKind,
  mode: ImportMode,
  encoding: ImportEncodingChoice,
  onProgress: (p: UploadProgress) => void,
): Promise<UploadOutcome> {
  const uploadId = newUploadId();
  let finished = false;
  const poll = async () => {
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      if (finished) break;
      const res = await fetch(`/import/progress/${uploadId}`, { credentials: "same-origin" }).catch(() => null);
      if (res?.ok) onProgress((await res.json()) as UploadProgress);
    }
  };
  const polling = poll();
  try {
    const res = await fetch(uploadUrl(kind, mode, { name: file.name, encoding, uploadId }), {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "text/csv" },
      body: file,
    });
    return await readOutcome(res);
  } catch {
    return { ok: false, status: 0, reason: "NETWORK", message: "network", problems: [], params: {} };
  } finally {
    finished = true;
    await polling;
  }
}
