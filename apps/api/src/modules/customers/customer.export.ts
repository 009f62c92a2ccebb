// GET /export/customers.csv — customers with their scores as CSV for spreadsheets and BI tools.
// Streams in keyset pages so a million rows never sit in memory; UTF-8 with BOM for Excel.
import type { DbHandle } from "@ltvloop/db/client";
import type { Express, Request, Response } from "express";
import type { Viewer } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { latestSnapshot, getSnapshot } from "../snapshots/snapshot.service.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { CSV_BOM, csvCell } from "../../http/csv.ts";

const PAGE = 5_000;
const HEADER = [
  "external_id", "name", "email", "prefecture", "acquisition_channel", "first_order_at", "last_order_at", "order_count", "revenue",
  "r_score", "f_score", "m_score", "rfm_segment", "decile", "p_alive", "expected_purchases", "expected_spend", "predicted_clv", "historical_clv",
];

export function mountCustomerExport(
  app: Express,
  handle: DbHandle,
  resolveViewer: (req: Request) => Promise<Viewer | null>,
): void {
  app.get("/export/customers.csv", async (req: Request, res: Response) => {
    const viewer = await resolveViewer(req);
    if (!viewer) return void res.status(401).json({ error: "UNAUTHENTICATED", message: "Sign in or send an API key as Authorization: Bearer …" });
    if (!(ALLOW.read as readonly string[]).includes(viewer.role)) return void res.status(403).json({ error: "FORBIDDEN" });
    const segmentId = typeof req.query.segmentId === "string" ? req.query.segmentId : undefined;
    const snapshotParam = typeof req.query.snapshotId === "string" ? req.query.snapshotId : undefined;
    if ((segmentId && !/^\d+$/.test(segmentId)) || (snapshotParam && !/^\d+$/.test(snapshotParam))) {
      return void res.status(400).json({ error: "BAD_USER_INPUT", message: "segmentId and snapshotId must be numeric ids." });
    }
    let snapshotId: number | null;
    try {
      snapshotId = snapshotParam ? (await getSnapshot(handle.query, Number(snapshotParam))).id : ((await latestSnapshot(handle.query))?.id ?? null);
    } catch {
      return void res.status(404).json({ error: "NOT_FOUND", message: `Snapshot ${snapshotParam} does not exist.` });
    }
    if (segmentId && snapshotId === null) {
      return void res.status(400).json({ error: "BAD_USER_INPUT", message: "Segment exports need a snapshot; create one first." });
    }
    await writeAudit(handle.query, viewer, "export.customers", "segment", segmentId ?? null, { snapshotId });
    res.setHeader("content-type", "text/csv; charset=utf-8");
    res.setHeader("content-disposition", `attachment; filename="customers${segmentId ? `-segment-${segmentId}` : ""}.csv"`);
    res.write(`${CSV_BOM}${HEADER.join(",")}\r\n`);
    let afterId = 0;
    for (;;) {
      const rows = await handle.query<Record<string, unknown>>(
        `select c.id, c.external_id, c.name, c.email, c.attributes->>'prefecture' as prefecture, c.acquisition_channel,
                r.first_order_at, r.last_order_at, r.order_count, r.revenue,
                s.r_score, s.f_score, s.m_score, s.rfm_segment, s.decile, s.p_alive, s.expected_purchases,
                s.expected_spend, s.predicted_clv, s.historical_clv
           from customers c
           left join customer_rollups r on r.customer_id = c.id
           left join customer_scores s on s.customer_id = c.id and s.snapshot_id = $1
          where c.id > $2
            and ($3::bigint is null or exists (select 1 from segment_members m where m.segment_id = $3 and m.snapshot_id = $1 and m.customer_id = c.id))
          order by c.id limit ${PAGE}`,
        [snapshotId, afterId, segmentId ? Number(segmentId) : null],
      );
      if (rows.length === 0) break;
      const chunk = rows.map((row) => HEADER.map((h) => csvCell(row[h])).join(",")).join("\r\n");
      if (!res.write(`${chunk}\r\n`)) await new Promise((resolve) => res.once("drain", resolve));
      afterId = rows[rows.length - 1]?.id as number;
      if (rows.length < PAGE) break;
    }
    res.end();
  });
}
