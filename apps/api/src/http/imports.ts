// CSV import from the admin: POST /import/customers and POST /import/orders with the file as the
// request body (Content-Type text/csv, which a cross-site form cannot send without a preflight).
// The body streams into the import services of modules/import — the same code as the CLI — so a
// large file is never held whole. `?mode=preview` validates and counts inside a transaction that
// is rolled back (nothing is written); `mode=commit` imports. While a request runs, its progress
// is readable at GET /import/progress/:uploadId (the client picks the id). Admins and operators
// only (the role matrix: they manage the data segments and campaigns are built on).
import type { DbHandle } from "@ltvloop/db/client";
import type { Role } from "@ltvloop/db/schema";
import type { Express, Request, Response } from "express";
import { DomainError, type FieldProblem } from "../errors.ts";
import { importCustomers } from "../modules/import/customers-import.service.ts";
import type { ImportActor, ImportEncoding, ImportProgress, ImportSummary } from "../modules/import/import.types.ts";
import { importOrders } from "../modules/import/orders-import.service.ts";
import { ENCODING_NAMES, parseEncoding } from "../modules/import/text-source.ts";
import type { ErrorReasonCode } from "../reasons.ts";
import type { ViewerOf } from "./exports.ts";

export const IMPORT_ROLES: readonly Role[] = ["admin", "operator"];
/** Largest upload accepted (bytes); larger files go through the CLI (`ltvloop import`). */
export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const UPLOAD_ID = /^[A-Za-z0-9_-]{8,64}$/;
const KINDS = ["customers", "orders"] as const;
type Kind = (typeof KINDS)[number];

/**
 * One problem of a rejected file: the line (1 = header), the column, the problem's code
 * (IMPORT_PROBLEM_CODES, modules/import/problems.ts) and parameters, which clients word
 * themselves, and the English message rendered from them (for scripts and logs).
 */
export interface UploadProblem {
  line: number | null;
  column: string | null;
  code: string | null;
  params: Record<string, string | number>;
  message: string;
}

interface ProgressEntry extends ImportProgress {
  userId: number;
  totalBytes: number | null;
  done: boolean;
  updatedAt: number;
}

class UploadTooLarge extends Error {}

/** The upload's answer; `reason` is one of ERROR_REASON_CODES (reasons.ts), so clients word it from the same catalogue. */
function answer(res: Response, status: number, code: string, message: string, extra: { reason?: ErrorReasonCode } & Record<string, unknown> = {}): void {
  res.status(status).json({ error: { code, message, ...extra } });
}

/** An import service's field problem as the upload answer lists it (older problems only have a "line 12, column amount" path). */
export function toUploadProblem(problem: FieldProblem): UploadProblem {
  const m = /^line (\d+)(?:, column (.+))?$/.exec(problem.path);
  return {
    line: problem.line ?? (m ? Number(m[1]) : null),
    column: problem.column ?? m?.[2] ?? null,
    code: problem.reason ?? null,
    params: problem.params ?? {},
    message: problem.message,
  };
}

/** The request body as a byte stream that stops with UploadTooLarge past `limit` bytes. */
async function* limitedBody(req: Request, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > limit) throw new UploadTooLarge();
    yield chunk;
  }
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

export function mountImports(app: Express, handle: DbHandle, viewerOf: ViewerOf, options: { maxBytes?: number } = {}): void {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const progress = new Map<string, ProgressEntry>();
  // Finished entries are kept a minute for the last poll, then dropped.
  const sweep = () => {
    const now = Date.now();
    for (const [id, entry] of progress) if (entry.done && now - entry.updatedAt > 60_000) progress.delete(id);
  };

  app.get("/import/progress/:uploadId", async (req, res) => {
    const viewer = await viewerOf(req);
    if (!viewer) return answer(res, 401, "UNAUTHENTICATED", "Sign in first.");
    const entry = progress.get(String(req.params.uploadId));
    // Another user's upload is as unknown as one that never existed.
    if (!entry || entry.userId !== viewer.userId) return answer(res, 404, "NOT_FOUND", "No upload with this id is running.");
    res.set("cache-control", "no-store").json({
      phase: entry.phase,
      bytesRead: entry.bytesRead,
      rowsRead: entry.rowsRead,
      totalBytes: entry.totalBytes,
      done: entry.done,
    });
  });

  app.post("/import/:kind", async (req, res) => {
    sweep();
    const viewer = await viewerOf(req);
    if (!viewer) return answer(res, 401, "UNAUTHENTICATED", "Sign in first, or send an API key as `Authorization: Bearer …`.");
    if (!IMPORT_ROLES.includes(viewer.role)) {
      return answer(res, 403, "FORBIDDEN", `Your role (${viewer.role}) may not import data; admins and operators may.`, { reason: "IMPORT_ROLE", params: { role: viewer.role } });
    }
    const kind = String(req.params.kind) as Kind;
    if (!KINDS.includes(kind)) return answer(res, 404, "NOT_FOUND", `There is no import of "${kind.slice(0, 40)}": use /import/customers or /import/orders.`);
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (contentType !== "text/csv" && contentType !== "application/octet-stream") {
      return answer(res, 415, "BAD_USER_INPUT", "Send the file as the request body with Content-Type: text/csv.", { reason: "IMPORT_CONTENT_TYPE" });
    }
    const mode = req.query.mode === "commit" ? "commit" : req.query.mode === "preview" || req.query.mode === undefined ? "preview" : null;
    if (!mode) return answer(res, 400, "BAD_USER_INPUT", "mode must be preview (check only, nothing written) or commit.", { reason: "IMPORT_MODE" });
    let encoding: ImportEncoding = "utf8";
    if (typeof req.query.encoding === "string" && req.query.encoding !== "") {
      const parsed = parseEncoding(req.query.encoding);
      if (!parsed) return answer(res, 400, "BAD_USER_INPUT", `Unknown encoding "${req.query.encoding.slice(0, 20)}": use ${ENCODING_NAMES}.`, { reason: "IMPORT_ENCODING" });
      encoding = parsed;
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      return answer(res, 413, "BAD_USER_INPUT", `The file is larger than ${megabytes(maxBytes)}; import it with the CLI (ltvloop import ${kind} FILE).`, {
        reason: "IMPORT_TOO_LARGE",
        params: { maxMegabytes: Math.round(maxBytes / 1024 / 1024) },
      });
    }
    const label = typeof req.query.name === "string" && req.query.name.trim() ? req.query.name.trim().slice(0, 200) : `${kind}.csv`;
    const uploadId = typeof req.query.uploadId === "string" && UPLOAD_ID.test(req.query.uploadId) ? req.query.uploadId : null;
    const entry: ProgressEntry = {
      userId: viewer.userId,
      phase: "reading",
      bytesRead: 0,
      rowsRead: 0,
      totalBytes: Number.isFinite(declared) ? declared : null,
      done: false,
      updatedAt: Date.now(),
    };
    if (uploadId) progress.set(uploadId, entry);
    const actor: ImportActor = viewer.via === "api_key" && viewer.apiKeyId ? { kind: "api_key", apiKeyId: viewer.apiKeyId } : { kind: "user", userId: viewer.userId };
    const options = {
      handle,
      source: limitedBody(req, maxBytes),
      label,
      encoding,
      dryRun: mode === "preview",
      actor,
      onProgress: (p: ImportProgress) => Object.assign(entry, { phase: p.phase, rowsRead: p.rowsRead, updatedAt: Date.now() }, p.bytesRead > 0 ? { bytesRead: p.bytesRead } : {}),
    };
    try {
      const summary: ImportSummary = kind === "customers" ? await importCustomers(options) : await importOrders(options);
      res.set("cache-control", "no-store").json({ mode, summary });
    } catch (error) {
      // The rest of an unread body is drained so the client sees the answer, not a reset.
      req.resume();
      if (error instanceof UploadTooLarge) {
        return answer(res, 413, "BAD_USER_INPUT", `The file is larger than ${megabytes(maxBytes)}; nothing was imported. Import it with the CLI (ltvloop import ${kind} FILE).`, {
          reason: "IMPORT_TOO_LARGE",
          params: { maxMegabytes: Math.round(maxBytes / 1024 / 1024) },
        });
      }
      if (error instanceof DomainError && error.code === "BAD_USER_INPUT") {
        // The importer states the totals in its message ("… rejected: 12 problems in 300 customer rows …").
        const totals = /rejected: (\d+) problems? in (\d+) /.exec(error.message);
        const params = totals ? { problemCount: Number(totals[1]), rowsRead: Number(totals[2]) } : { problemCount: error.problems.length };
        return answer(res, 422, "BAD_USER_INPUT", error.message, { reason: "IMPORT_REJECTED", mode, params, problems: error.problems.map(toUploadProblem) });
      }
      process.stderr.write(`[import] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return answer(res, 500, "INTERNAL_SERVER_ERROR", "The import failed on the server; nothing was imported. The server log has the details.");
    } finally {
      entry.done = true;
      entry.updatedAt = Date.now();
    }
  });
}
