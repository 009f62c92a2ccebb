// GET /export/campaigns/:id/audience.csv: the treatment group for the delivery tool. Audience
// lists carry personal data, so only admins and operators (the people who launch) may export,
// and each export is audited.
import { CSV_BOM, csvCell } from "../../http/csv.ts";
import type { DbHandle } from "@ltvloop/db/client";
import type { Role } from "@ltvloop/db/schema";
import type { Express } from "express";
import type { Env } from "../../env.ts";
import { resolveViewer } from "../../server.ts";
import { writeAudit } from "../audit/audit.service.ts";

const EXPORT_ROLES: readonly Role[] = ["admin", "operator"];
const PAGE = 5_000;

export function mountCampaignExports(app: Express, handle: DbHandle, _env?: Env): void {
  app.get("/export/campaigns/:id/audience.csv", async (req, res) => {
    try {
      const viewer = await resolveViewer(handle, req.headers.authorization, req.headers.cookie);
      if (!viewer) {
        res.status(401).json({ error: { code: "UNAUTHENTICATED", message: "Sign in first, or send an API key as `Authorization: Bearer …`." } });
        return;
      }
      if (!EXPORT_ROLES.includes(viewer.role)) {
        res.status(403).json({ error: { code: "FORBIDDEN", message: `Audience lists contain personal data; your role (${viewer.role}) may not export them. Ask an operator or admin.` } });
        return;
      }
      const id = req.params.id;
      if (!/^\d{1,15}$/.test(id)) {
        res.status(400).json({ error: { code: "BAD_USER_INPUT", message: `"${id}" is not a campaign id.` } });
        return;
      }
      const [campaign] = await handle.query<{ id: number; launched_at: Date | null; segment_name: string }>(
        "select c.id, c.launched_at, s.name as segment_name from campaigns c join segments s on s.id = c.segment_id where c.id = $1",
        [Number(id)],
      );
      if (!campaign) {
        res.status(404).json({ error: { code: "NOT_FOUND", message: `Campaign ${id} does not exist.` } });
        return;
      }
      if (!campaign.launched_at) {
        res.status(409).json({ error: { code: "CONFLICT", message: `Campaign ${id} has not been launched, so it has no audience yet. Launch it first.` } });
        return;
      }
      await writeAudit(handle.query, viewer, "campaign.export_audience", "campaign", campaign.id, {});
      res.status(200);
      res.setHeader("content-type", "text/csv; charset=utf-8");
      res.setHeader("content-disposition", `attachment; filename="campaign-${campaign.id}-audience.csv"`);
      res.setHeader("cache-control", "no-store");
      res.write(`${CSV_BOM}external_id,name,email,line_opt_in,segment\r\n`);
      let after = 0;
      for (;;) {
        const rows = await handle.query<{ id: number; external_id: string; name: string; email: string | null; line_opt_in: boolean }>(
          `select cu.id, cu.external_id, cu.name, cu.email, cu.line_opt_in
             from campaign_assignments a join customers cu on cu.id = a.customer_id
            where a.campaign_id = $1 and a."group" = 'treatment' and a.customer_id > $2
            order by a.customer_id limit $3`,
          [campaign.id, after, PAGE],
        );
        if (rows.length === 0) break;
        const chunk = rows
          .map((r) => [r.external_id, r.name, r.email, r.line_opt_in ? "true" : "false", campaign.segment_name].map(csvCell).join(","))
          .join("\r\n");
        // Respect back-pressure so a large list streams instead of piling up in memory.
        if (!res.write(`${chunk}\r\n`)) await new Promise((resolve) => res.once("drain", resolve));
        after = (rows.at(-1) as { id: number }).id;
        if (rows.length < PAGE) break;
      }
      res.end();
    } catch (error) {
      process.stderr.write(`[export] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) res.status(500).json({ error: { code: "INTERNAL_SERVER_ERROR", message: "Export failed; the server log has the details." } });
      else res.end();
    }
  });
}
