// Delivery results import: every bad row reported by line and column with nothing written, a
// replayed file changing nothing, control rows accepted and counted as contamination, the
// GraphQL mutation (roles, dry run, status) and the CLI's wiring.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { formatSummary } from "../../cli/import.command.ts";
import { runLtvloop } from "../../testing/cli.ts";
import { csv, tsv, unicodeText } from "../../testing/delimited-text.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { launchCampaign } from "../campaigns/campaign-launch.service.ts";
import { planCampaign } from "../campaigns/campaign-plan.service.ts";
import { createCampaign } from "../campaigns/campaign.service.ts";
import { importDeliveries } from "./delivery-import.service.ts";

const LAUNCHED_AT = new Date("2025-06-02T00:00:00+09:00");
const NOW = new Date("2025-06-10T00:00:00+09:00");
const IMPORT = `mutation($c: ID!, $csv: String!, $dry: Boolean) {
  importDeliveries(campaignId: $c, csv: $csv, fileName: "d.csv", dryRun: $dry) { campaignId isDryRun rowsRead delimiter inserted updated unchanged controlCustomers }
}`;

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe.each(testDatabaseKinds())("delivery results import on %s", (kind) => {
  let api: TestApi;
  let campaignId: number;
  let treated: string[] = [];
  let control: string[] = [];

  const stored = async () => (await api.db.query<{ n: number }>("select count(*)::int as n from campaign_deliveries where campaign_id = $1", [campaignId]))[0]?.n ?? 0;
  const runs = async () => (await api.db.query<{ n: number }>("select count(*)::int as n from import_runs where kind = 'deliveries' and campaign_id = $1", [campaignId]))[0]?.n ?? 0;
  const load = (csv: string, extra: { skipInvalid?: boolean; dryRun?: boolean; now?: Date } = {}) =>
    importDeliveries({ handle: api.db, campaignId, source: csv, label: "deliveries.csv", now: NOW, ...extra });

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 300);
    const [largest] = await api.db.query<{ segment_id: number }>("select segment_id from segment_members group by segment_id order by count(*) desc limit 1");
    const created = await createCampaign(api.db, null, { name: "LINE coupon", segmentId: String(largest?.segment_id), objective: "retain", channel: "coupon", holdoutRatio: 0.3 });
    await planCampaign(api.db, null, created.id);
    await launchCampaign(api.db, null, created.id, "deliveries-test", { launchedAt: LAUNCHED_AT });
    campaignId = created.id;
    const roster = await api.db.query<{ external_id: string; group: string }>(
      `select c.external_id, a."group" from campaign_assignments a join customers c on c.id = a.customer_id where a.campaign_id = $1 order by c.external_id`,
      [campaignId],
    );
    treated = roster.filter((r) => r.group === "treatment").map((r) => r.external_id);
    control = roster.filter((r) => r.group === "control").map((r) => r.external_id);
    await api.db.query("insert into customers (external_id, name) values ('OFF-ROSTER', 'Not on the roster')");
  }, 300_000);
  afterAll(async () => {
    await api?.close();
  });

  it("lists every bad row by line and column and writes nothing", async () => {
    const [a, b] = treated;
    const csv = [
      "Customer_External_ID,Event,Occurred_At,Channel",
      `${a},delivered,2025-06-02 10:00,line`,
      "NOBODY,sent,2025-06-02 10:00,line",
      "OFF-ROSTER,sent,2025-06-02 10:00,line",
      `${a},viewed,2025-06-02 10:00,line`,
      `${b},sent,2025-06-01 23:00,line`,
      `${b},opened,2025-06-12 10:00,line`,
      `${a},delivered,2025-06-02T01:00:00Z,line`,
      `${b},clicked,yesterday,line`,
      `${b},,2025-06-03 10:00,`,
    ].join("\n");
    const error = await rejection(load(csv));
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.message).toBe(
      "deliveries.csv was rejected: 8 problems in 9 delivery rows; nothing was imported. Fix the rows below and import the file again, or use --skip-invalid to import only the valid rows.",
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      "line 3, column customer_external_id",
      "line 4, column customer_external_id",
      "line 5, column event",
      "line 6, column occurred_at",
      "line 7, column occurred_at",
      "line 8, column occurred_at",
      "line 9, column occurred_at",
      "line 10, column event",
    ]);
    const by = (line: number) => error.problems.find((p) => p.path.startsWith(`line ${line},`))?.message ?? "";
    expect(by(3)).toContain("unknown customer NOBODY");
    expect(by(4)).toContain(`not on campaign ${campaignId}'s roster`);
    expect(by(5)).toContain('"viewed" is not a valid event: write one of sent, delivered, bounced, opened, clicked, redeemed.');
    // Times in the business time zone (Asia/Tokyo by default) with its offset, as the file's cells were written.
    expect(by(6)).toBe("2025-06-01 23:00:00+09:00 is before the campaign's launch at 2025-06-02 00:00:00+09:00: check the date or the campaign id.");
    expect(by(7)).toBe(
      "2025-06-12 10:00:00+09:00 is after the import time 2025-06-10 00:00:00+09:00 (tolerance 60 min): a delivery cannot be in the future; fix the date or the time zone.",
    );
    // 10:00 in Tokyo is 01:00Z: the same event at the same instant as line 2.
    expect(by(8)).toContain("already appears on line 2");
    // Each problem's code and parameters, for clients that word it themselves.
    expect(error.problems.map((p) => ({ line: p.line, column: p.column, reason: p.reason, params: p.params }))).toEqual([
      { line: 3, column: "customer_external_id", reason: "UNKNOWN_CUSTOMER", params: { value: "NOBODY" } },
      { line: 4, column: "customer_external_id", reason: "NOT_ON_ROSTER", params: { value: "OFF-ROSTER", campaignId } },
      { line: 5, column: "event", reason: "BAD_CHOICE", params: { column: "event", value: "viewed", allowed: "sent, delivered, bounced, opened, clicked, redeemed" } },
      // The parameters keep UTC instants, with the zone, for clients that word them themselves.
      { line: 6, column: "occurred_at", reason: "BEFORE_LAUNCH", params: { value: "2025-06-01T14:00:00.000Z", launchedAt: "2025-06-01T15:00:00.000Z", timeZone: "Asia/Tokyo" } },
      { line: 7, column: "occurred_at", reason: "FUTURE_DELIVERY", params: { value: "2025-06-12T01:00:00.000Z", importTime: "2025-06-09T15:00:00.000Z", toleranceMinutes: 60, timeZone: "Asia/Tokyo" } },
      { line: 8, column: "occurred_at", reason: "DUPLICATE_KEY", params: { key: "customer_external_id + event + occurred_at", value: `${a} delivered 2025-06-02T01:00:00.000Z`, firstLine: 2 } },
      { line: 9, column: "occurred_at", reason: "BAD_DATE", params: { value: "yesterday" } },
      { line: 10, column: "event", reason: "REQUIRED_VALUE", params: { column: "event" } },
    ]);
    expect(await stored()).toBe(0);
    expect(await runs()).toBe(0);
  });

  it("writes a good file in one go; replaying it changes nothing; control rows count as contamination", async () => {
    const [a, b, c] = treated;
    const [x] = control;
    const csv = [
      "customer_external_id,event,occurred_at,channel",
      `${a},sent,2025-06-02 10:00,line`,
      `${a},delivered,2025-06-02 10:00:05,line`,
      `${a},opened,2025-06-02 12:00,line`,
      `${b},sent,2025-06-02 10:00,line`,
      `${b},bounced,2025-06-02 10:00:07,line`,
      `${c},delivered,2025-06-03 09:00+09:00,`,
      `${x},delivered,2025-06-03 09:00,line`,
    ].join("\n");
    const first = await load(csv);
    expect(first).toMatchObject({ kind: "deliveries", rowsRead: 7, campaignId, deliveries: { inserted: 7, updated: 0, unchanged: 0 }, controlCustomers: 1 });
    expect(await stored()).toBe(7);
    const again = await load(csv);
    expect(again.deliveries).toEqual({ inserted: 0, updated: 0, unchanged: 7 });
    expect(await stored()).toBe(7);
    // A changed channel on a known row updates it; nothing else moves.
    const changed = await load(csv.replace(`${c},delivered,2025-06-03 09:00+09:00,`, `${c},delivered,2025-06-03 09:00+09:00,email`));
    expect(changed.deliveries).toEqual({ inserted: 0, updated: 1, unchanged: 6 });
    const [run] = await api.db.query<{ covered_from: Date; covered_to: Date; rows: number }>(
      "select covered_from, covered_to, rows from import_runs where kind = 'deliveries' and campaign_id = $1 order by id limit 1",
      [campaignId],
    );
    expect(new Date(run?.covered_from as Date).toISOString()).toBe("2025-06-02T01:00:00.000Z");
    expect(new Date(run?.covered_to as Date).toISOString()).toBe("2025-06-03T00:00:00.000Z");
    expect(run?.rows).toBe(7);
    expect(await runs()).toBe(3);
    const [audit] = await api.db.query<{ n: number }>("select count(*)::int as n from audit_log where operation = 'import.deliveries'");
    expect(audit?.n).toBe(3);
  });

  it("imports only the valid rows under skipInvalid and writes nothing on a dry run", async () => {
    const before = await stored();
    const [, , , d] = treated;
    const csv = `customer_external_id,event,occurred_at\n${d},sent,2025-06-04 10:00\nNOBODY,sent,2025-06-04 10:00\n`;
    const dry = await load(csv, { skipInvalid: true, dryRun: true });
    expect(dry).toMatchObject({ isDryRun: true, skippedCount: 1, deliveries: { inserted: 1 } });
    expect(await stored()).toBe(before);
    const skipped = await load(csv, { skipInvalid: true });
    expect(skipped).toMatchObject({ skippedCount: 1, deliveries: { inserted: 1 } });
    expect(skipped.skipped[0]).toMatchObject({ line: 3, column: "customer_external_id" });
    expect(await stored()).toBe(before + 1);
  });

  it("reads a tab-separated file (and Excel's Unicode Text) as the same rows as its CSV twin, and says how it was read", async () => {
    const before = await stored();
    const [, , , , , f, g] = treated;
    const rows = [
      ["customer_external_id", "event", "occurred_at", "channel"],
      [f as string, "sent", "2025-06-04 10:00", "LINE, 公式"],
      [g as string, "delivered", "2025-06-04 10:00:05", "e-mail"],
    ];
    const tabs = await load(tsv(rows));
    expect(tabs).toMatchObject({ rowsRead: 2, delimiter: "tab", encoding: "utf8", deliveries: { inserted: 2, updated: 0, unchanged: 0 } });
    expect(await stored()).toBe(before + 2);
    // The same rows with commas, and as Unicode Text: the same keys and channels, so nothing changes.
    expect(await load(csv(rows))).toMatchObject({ rowsRead: 2, delimiter: "comma", deliveries: { inserted: 0, updated: 0, unchanged: 2 } });
    const unicode = await importDeliveries({ handle: api.db, campaignId, source: unicodeText(rows), label: "deliveries.txt", now: NOW });
    expect(unicode).toMatchObject({ rowsRead: 2, delimiter: "tab", encoding: "utf16le", deliveries: { inserted: 0, updated: 0, unchanged: 2 } });
    expect(await stored()).toBe(before + 2);
    // The CLI's line (the same formatSummary as orders).
    expect(formatSummary(unicode).split("\n")[0]).toBe("Imported deliveries.txt: 2 rows read (tab-separated, UTF-16LE)");
    expect(formatSummary({ ...unicode, delimiter: "comma", encoding: "utf8" }).split("\n")[0]).toBe("Imported deliveries.txt: 2 rows read");
  });

  it("serves operators through GraphQL: dry run, import, and a refusal before launch", async () => {
    const cookie = await api.loginAs("operator");
    const [, , , , e] = treated;
    const csv = `customer_external_id,event,occurred_at\n${e},delivered,2025-06-05 10:00\n`;
    const dry = await api.gql<{ importDeliveries: Record<string, unknown> }>(IMPORT, { c: String(campaignId), csv, dry: true }, { cookie });
    expect(dry.errors).toBeUndefined();
    expect(dry.data?.importDeliveries).toMatchObject({ isDryRun: true, rowsRead: 1, delimiter: "COMMA", inserted: 1 });
    const tabbed = await api.gql<{ importDeliveries: Record<string, unknown> }>(IMPORT, { c: String(campaignId), csv: csv.replaceAll(",", "\t"), dry: true }, { cookie });
    expect(tabbed.data?.importDeliveries).toMatchObject({ isDryRun: true, rowsRead: 1, delimiter: "TAB", inserted: 1 });
    const done = await api.gql<{ importDeliveries: Record<string, unknown> }>(IMPORT, { c: String(campaignId), csv }, { cookie });
    expect(done.data?.importDeliveries).toMatchObject({ campaignId: String(campaignId), isDryRun: false, inserted: 1, controlCustomers: 0 });
    const bad = await api.gql(IMPORT, { c: String(campaignId), csv: "customer_external_id,event,occurred_at\nNOBODY,sent,2025-06-05\n" }, { cookie });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "line 2, column customer_external_id" }] });

    const [seg] = await api.db.query<{ segment_id: number }>("select segment_id from segment_members limit 1");
    const draft = await createCampaign(api.db, null, { name: "not launched", segmentId: String(seg?.segment_id), objective: "retain", channel: "coupon", holdoutRatio: 0.3 });
    const refused = await api.gql(IMPORT, { c: String(draft.id), csv }, { cookie });
    expect(refused.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(refused.errors?.[0]?.message).toContain("only after launch");
    const analyst = await api.loginAs("analyst");
    const forbidden = await api.gql(IMPORT, { c: String(campaignId), csv }, { cookie: analyst });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("ltvloop import deliveries (CLI)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ltvloop-deliveries-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("documents its columns, needs --campaign, and names a campaign that does not exist", { timeout: 300_000 }, async () => {
    const ltvloop = (...args: string[]) => runLtvloop(join(dir, "pglite"), ...args);
    const help = await ltvloop("import", "deliveries", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/event\s+required\s+sent \| delivered \| bounced \| opened \| clicked \| redeemed/);
    const file = join(dir, "d.csv");
    await writeFile(file, "customer_external_id,event,occurred_at\nC1,sent,2025-06-02 10:00\n");
    const missing = await ltvloop("import", "deliveries", file);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--campaign");
    const unknown = await ltvloop("import", "deliveries", "--campaign", "42", file);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Campaign 42 does not exist");
  });
});
