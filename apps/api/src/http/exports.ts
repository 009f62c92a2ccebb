// The CSV downloads: GET /export/customers.csv (customers with a snapshot's scores, any signed-in
// role) and GET /export/campaigns/:id/audience.csv (a launched campaign's treatment group: personal
// data, so admins and operators only). Every refusal is a JSON error before the first byte; the
// files stream in keyset pages (see csv.ts for how a failure mid-file shows).
// customer.service (the list filter) carries GraphQL decorators, which need the metadata polyfill first.
import "reflect-metadata";
import type { DbHandle } from "@ltvloop/db/client";
import type { Role } from "@ltvloop/db/schema";
import type { Express, Request, Response } from "express";
import type { Viewer } from "../context.ts";
import { ALLOW } from "../graphql/roles.ts";
import { writeAudit } from "../modules/audit/audit.service.ts";
import { audiencePage, findAudienceCampaign, type AudienceRow } from "../modules/campaigns/campaign-audience.service.ts";
import { DomainError } from "../errors.ts";
import { customerExportPage, type CustomerExportRow } from "../modules/customers/customer-export.service.ts";
import type { CustomerFilter } from "../modules/customers/customer.input.ts";
import { filterConditions } from "../modules/customers/customer.service.ts";
import { getSnapshot, latestSnapshot } from "../modules/snapshots/snapshot.service.ts";
import { exportError, streamCsv, type CsvColumn, type CsvType } from "./csv.ts";

const DEFAULT_PAGE = 5_000;
const AUDIENCE_ROLES: readonly Role[] = ["admin", "operator"];
const ID = /^[1-9]\d{0,15}$/;

const column = <Row>(name: keyof Row & string, type: CsvType): CsvColumn<Row> => ({ name, type, value: (row) => row[name] });

const CUSTOMER_COLUMNS: CsvColumn<CustomerExportRow>[] = [
  column("external_id", "text"),
  column("name", "text"),
  column("email", "text"),
  column("prefecture", "text"),
  column("acquisition_channel", "text"),
  column("first_order_at", "time"),
  column("last_order_at", "time"),
  column("order_count", "number"),
  column("revenue", "number"),
  column("r_score", "number"),
  column("f_score", "number"),
  column("m_score", "number"),
  column("rfm_segment", "text"),
  column("decile", "number"),
  column("p_alive", "number"),
  column("expected_purchases", "number"),
  column("expected_spend", "number"),
  column("predicted_clv", "number"),
  column("historical_clv", "number"),
];

type QueryValue = Request["query"][string];
const texts = (v: QueryValue): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string" && x.trim() !== "");

/**
 * The customer list's filter from the list's own URL parameters (q, seg, pref, dmin, dmax, pmin,
 * pmax), so the admin exports exactly what it shows by passing its query on. Null when none.
 */
export function filterFromListQuery(query: Request["query"]): { filter: CustomerFilter | null; problems: string[] } {
  const filter: CustomerFilter = {};
  const problems: string[] = [];
  const number = (key: string, min: number, max: number, integer: boolean): number | null => {
    const [raw] = texts(query[key]);
    if (raw === undefined) return null;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      problems.push(`${key} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}`);
      return null;
    }
    return n;
  };
  const [search] = texts(query.q);
  if (search !== undefined) filter.search = search;
  const segments = texts(query.seg);
  if (segments.length) filter.rfmSegments = segments;
  const prefectures = texts(query.pref);
  if (prefectures.length) filter.prefectures = prefectures;
  const decileMin = number("dmin", 1, 10, true);
  const decileMax = number("dmax", 1, 10, true);
  const pAliveMin = number("pmin", 0, 1, false);
  const pAliveMax = number("pmax", 0, 1, false);
  if (decileMin !== null) filter.decileMin = decileMin;
  if (decileMax !== null) filter.decileMax = decileMax;
  if (pAliveMin !== null) filter.pAliveMin = pAliveMin;
  if (pAliveMax !== null) filter.pAliveMax = pAliveMax;
  return { filter: Object.keys(filter).length ? filter : null, problems };
}

const SCORE_FILTERS = ["rfmSegments", "decileMin", "decileMax", "pAliveMin", "pAliveMax"] as const;

export type ViewerOf = (req: Request) => Promise<Viewer | null>;

/** Signed in, and of one of `roles`; otherwise answers 401/403 and returns null. */
async function authorize(req: Request, res: Response, viewerOf: ViewerOf, roles: readonly string[], forbidden: (role: string) => string): Promise<Viewer | null> {
  const viewer = await viewerOf(req);
  if (!viewer) {
    exportError(res, 401, "UNAUTHENTICATED", "Sign in first, or send an API key as `Authorization: Bearer …`.");
    return null;
  }
  if (!roles.includes(viewer.role)) {
    exportError(res, 403, "FORBIDDEN", forbidden(viewer.role));
    return null;
  }
  return viewer;
}

/** Express 5 passes a rejected handler to its error handler; this answers JSON before the first byte instead. */
const guarded =
  (route: (req: Request, res: Response) => Promise<void>) =>
  async (req: Request, res: Response): Promise<void> => {
    try {
      await route(req, res);
    } catch (error) {
      process.stderr.write(`[export] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) exportError(res, 500, "INTERNAL_SERVER_ERROR", "The export failed before it started; the server log has the details. Try again.");
      else res.destroy();
    }
  };

export function mountExports(app: Express, handle: DbHandle, viewerOf: ViewerOf, options: { pageSize?: number } = {}): void {
  const PAGE = options.pageSize ?? DEFAULT_PAGE;
  app.get(
    "/export/customers.csv",
    guarded(async (req, res) => {
      const viewer = await authorize(req, res, viewerOf, ALLOW.read, (role) => `Your role (${role}) may not export customers.`);
      if (!viewer) return;
      const segmentParam = typeof req.query.segmentId === "string" ? req.query.segmentId : undefined;
      const snapshotParam = typeof req.query.snapshotId === "string" ? req.query.snapshotId : undefined;
      if ((segmentParam && !ID.test(segmentParam)) || (snapshotParam && !ID.test(snapshotParam))) {
        return exportError(res, 400, "BAD_USER_INPUT", "segmentId and snapshotId must be ids (whole numbers from 1), as the API returns them.");
      }
      const segmentId = segmentParam ? Number(segmentParam) : null;
      let snapshotId: number | null;
      try {
        snapshotId = snapshotParam ? (await getSnapshot(handle.query, Number(snapshotParam))).id : ((await latestSnapshot(handle.query))?.id ?? null);
      } catch {
        return exportError(res, 404, "NOT_FOUND", `Snapshot ${snapshotParam} does not exist.`);
      }
      if (segmentId !== null && snapshotId === null) {
        return exportError(res, 400, "BAD_USER_INPUT", "Segment exports need a snapshot; create one first.");
      }
      const { filter, problems } = filterFromListQuery(req.query);
      if (problems.length) return exportError(res, 400, "BAD_USER_INPUT", `The filter is invalid: ${problems.join("; ")}.`);
      if (filter && snapshotId === null && SCORE_FILTERS.some((key) => filter[key] != null)) {
        return exportError(res, 400, "BAD_USER_INPUT", "Score filters (segment, decile, P(alive)) need a snapshot; create one first.");
      }
      try {
        filterConditions(filter, []);
      } catch (error) {
        if (error instanceof DomainError) return exportError(res, 400, "BAD_USER_INPUT", `${error.message} ${error.problems.map((p) => `${p.path} ${p.message}`).join("; ")}`.trim());
        throw error;
      }
      await writeAudit(handle.query, viewer, "export.customers", "segment", segmentId, { snapshotId, ...(filter ? { filter } : {}) });
      await streamCsv(res, {
        filename: `customers${segmentId ? `-segment-${segmentId}` : ""}${filter ? "-filtered" : ""}.csv`,
        columns: CUSTOMER_COLUMNS,
        pageSize: PAGE,
        page: (after) => customerExportPage(handle.query, { snapshotId, segmentId, afterId: after?.id ?? 0, limit: PAGE, filter }),
      });
    }),
  );

  app.get(
    "/export/campaigns/:id/audience.csv",
    guarded(async (req, res) => {
      const viewer = await authorize(
        req,
        res,
        viewerOf,
        AUDIENCE_ROLES,
        (role) => `Audience lists contain personal data; your role (${role}) may not export them. Ask an operator or admin.`,
      );
      if (!viewer) return;
      const id = String(req.params.id);
      if (!ID.test(id)) return exportError(res, 400, "BAD_USER_INPUT", `"${id.slice(0, 40)}" is not a campaign id.`);
      const campaign = await findAudienceCampaign(handle.query, Number(id));
      if (!campaign) return exportError(res, 404, "NOT_FOUND", `Campaign ${id} does not exist.`);
      if (!campaign.launched_at) {
        return exportError(res, 409, "CONFLICT", `Campaign ${id} has not been launched, so it has no audience yet. Launch it first.`);
      }
      await writeAudit(handle.query, viewer, "campaign.export_audience", "campaign", campaign.id, {});
      const columns: CsvColumn<AudienceRow>[] = [
        column("external_id", "text"),
        column("name", "text"),
        column("email", "text"),
        { name: "line_opt_in", type: "boolean", value: (r) => (r.line_opt_in ? "true" : "false") },
        { name: "segment", type: "text", value: () => campaign.segment_name },
      ];
      await streamCsv(res, {
        filename: `campaign-${campaign.id}-audience.csv`,
        columns,
        pageSize: PAGE,
        page: (after) => audiencePage(handle.query, campaign.id, after?.id ?? 0, PAGE),
      });
    }),
  );
}
