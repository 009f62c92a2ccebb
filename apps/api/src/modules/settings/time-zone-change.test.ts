// A new business time zone is a background job (kind settings.time-zone): the request returns at
// once, and the job recounts every customer's purchase days and sets the zone in one transaction.
// Readers must never see the zone and the rollups disagree: before the job commits they see the
// old zone with the old days, after it the new with the new; a failed, cancelled or abandoned job
// leaves both as they were. One change at a time.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import type { Query } from "@ltvloop/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { zoneAgreement } from "../../testing/zone-agreement.ts";
import { runNextDueJob } from "../scheduler/scheduler.service.ts";
import { getSettings, updateSettings } from "./settings.service.ts";
import { TIME_ZONE_JOB, cancelTimeZoneChange, executeTimeZoneChange, latestTimeZoneChange, type TimeZoneChange, type TimeZoneChangeStage } from "./time-zone-change.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const other = (zone: string) => (zone === "Asia/Tokyo" ? "America/New_York" : "Asia/Tokyo");

const SETTINGS = "{ timeZone defaultMargin timeZoneChange { id from to status stage requestedBy errorCode error startedAt finishedAt } }";
interface SettingsAnswer {
  timeZone: string;
  defaultMargin: number;
  timeZoneChange: { id: string; from: string; to: string; status: string; stage: string | null; requestedBy: string | null; errorCode: string | null; error: string | null } | null;
}

describe.each(testDatabaseKinds())("a time-zone change as a background job on %s", (kind) => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 120);
    admin = await api.loginAs("admin");
  });
  afterAll(async () => {
    await api.close();
  });

  const agreement = (query: Query = api.db.query) => zoneAgreement(query);

  it("changes purchase days at all between the two zones (else the checks below prove nothing)", async () => {
    const [row] = await api.db.query<{ n: number }>(
      `select count(*)::int as n from (
         select distinct customer_id, (ordered_at at time zone 'Asia/Tokyo')::date from orders where status = 'completed'
         except select distinct customer_id, (ordered_at at time zone 'America/New_York')::date from orders where status = 'completed') d`,
    );
    expect(row?.n).toBeGreaterThan(10);
  });

  it("answers at once with the change queued, saves the other fields then, and the job sets the zone with its rollups", async () => {
    const from = (await getSettings(api.db.query)).timeZone;
    const to = other(from);
    expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
    const res = await api.gql<{ updateSettings: SettingsAnswer }>(`mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) ${SETTINGS} }`, { input: { timeZone: to, defaultMargin: 0.25 } }, { cookie: admin });
    expect(res.errors).toBeUndefined();
    expect(res.data?.updateSettings).toMatchObject({ timeZone: from, defaultMargin: 0.25, timeZoneChange: { from, to, status: "QUEUED", requestedBy: "admin@example.com" } });
    const id = res.data?.updateSettings.timeZoneChange?.id;
    // Poll as the admin page does: until the job ends, the old zone with the old days.
    const seen = new Set<string>();
    let last: SettingsAnswer | undefined;
    for (let i = 0; i < 600; i += 1) {
      const poll = await api.gql<{ settings: SettingsAnswer }>(`{ settings ${SETTINGS} }`, {}, { cookie: admin });
      last = poll.data?.settings;
      expect(last?.timeZoneChange?.id).toBe(id);
      const status = last?.timeZoneChange?.status ?? "";
      seen.add(status);
      const state = await agreement();
      expect(state.mismatches).toBe(0);
      if (status === "QUEUED" || status === "RUNNING") {
        expect(last?.timeZone).toBe(from);
      } else break;
      await sleep(20);
    }
    expect(last?.timeZoneChange).toMatchObject({ status: "SUCCEEDED", errorCode: null, stage: null });
    expect(last?.timeZone).toBe(to);
    expect(await agreement()).toEqual({ zone: to, mismatches: 0 });
    // The job's own audit row, in the requester's name; and it is in the job history.
    const [audit] = await api.db.query<{ actor: string | null; details: { timeZone: string; timeZoneBefore: string } }>(
      "select u.email as actor, a.details from audit_log a left join users u on u.id = a.actor_user_id where a.operation = 'settings.time-zone' order by a.id desc limit 1",
    );
    expect(audit).toMatchObject({ actor: "admin@example.com", details: { timeZone: to, timeZoneBefore: from } });
    const jobs = await api.gql<{ jobs: { nodes: { id: string; kind: string; status: string }[] } }>(`{ jobs(first: 5, kind: "${TIME_ZONE_JOB}") { nodes { id kind status } } }`, {}, { cookie: admin });
    expect(jobs.data?.jobs.nodes[0]).toEqual({ id, kind: TIME_ZONE_JOB, status: "SUCCEEDED" });
  });

  it("keeps the old zone with the old days until the job commits, reported stage by stage (PostgreSQL: read from another connection)", async () => {
    const from = (await getSettings(api.db.query)).timeZone;
    const to = other(from);
    const queued = await updateSettings(api.db, null, { timeZone: to }, { timeZone: "queue" });
    expect(queued.timeZone).toBe(from);
    expect(queued.timeZoneChange).toMatchObject({ from, to, status: "queued" });
    expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
    const stages: TimeZoneChangeStage[] = [];
    const outcome = await executeTimeZoneChange(api.db, queued.timeZoneChange?.id as number, {
      onStage: async (stage, tx) => {
        stages.push(stage);
        // Inside the job's transaction the recount is visible to the job alone.
        if (stage === "saving") expect((await agreement(tx)).mismatches).toBeGreaterThan(0);
        if (kind !== "postgres") return; // PGlite: the transaction holds the only connection
        expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
        expect(await latestTimeZoneChange(api.db, api.db.query)).toMatchObject({ status: "running", stage, to });
        // A change to yet another zone is refused while this one runs; nothing of it is saved.
        await expect(updateSettings(api.db, null, { timeZone: "Europe/London", defaultMargin: 0.5 }, { timeZone: "queue" })).rejects.toMatchObject({
          code: "CONFLICT",
          detail: { reason: "TIME_ZONE_CHANGE_BUSY", params: { from, to } },
        });
        expect((await getSettings(api.db.query)).defaultMargin).not.toBe(0.5);
      },
    });
    expect(outcome.status).toBe("succeeded");
    expect(stages).toEqual(["waiting", "recounting", "saving"]);
    expect(await agreement()).toEqual({ zone: to, mismatches: 0 });
  });

  it("refuses a second change while one is queued, saving nothing of it; the same change again is no new job; a cancel leaves everything as it was", async () => {
    const before = await getSettings(api.db.query);
    const to = other(before.timeZone);
    const queued = await updateSettings(api.db, null, { timeZone: to }, { timeZone: "queue" });
    const id = queued.timeZoneChange?.id;
    const refused = await api.gql(`mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) ${SETTINGS} }`, { input: { timeZone: "Europe/Paris", currency: "EUR" } }, { cookie: admin });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "TIME_ZONE_CHANGE_BUSY", params: { id, from: before.timeZone, to } });
    expect(refused.errors?.[0]?.message).toContain(`from ${before.timeZone} to ${to}`);
    expect(refused.errors?.[0]?.message).toMatch(/Wait for that change to finish .* or cancel it/);
    expect((await getSettings(api.db.query)).currency).toBe(before.currency);
    // The same zone again (a form saved twice): the change under way, no second job.
    const same = await updateSettings(api.db, null, { timeZone: to }, { timeZone: "queue" });
    expect(same.timeZoneChange?.id).toBe(id);
    // The zone in force with another field: saved, the change left alone.
    const margin = await updateSettings(api.db, null, { timeZone: before.timeZone, defaultMargin: 0.31 }, { timeZone: "queue" });
    expect(margin).toMatchObject({ defaultMargin: 0.31, timeZone: before.timeZone, timeZoneChange: null });
    const cancelled = await api.gql<{ cancelTimeZoneChange: { id: string; status: string } }>("mutation { cancelTimeZoneChange { id status } }", {}, { cookie: admin });
    expect(cancelled.data?.cancelTimeZoneChange).toEqual({ id: String(id), status: "CANCELLED" });
    expect(await latestTimeZoneChange(api.db, api.db.query)).toMatchObject({ id, status: "cancelled", errorCode: "CANCELLED" });
    expect(await agreement()).toEqual({ zone: before.timeZone, mismatches: 0 });
    const again = await api.gql("mutation { cancelTimeZoneChange { id } }", {}, { cookie: admin });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "TIME_ZONE_CHANGE_NOT_ACTIVE" });
    // Analysts may read the change, not cancel it.
    const analyst = await api.loginAs("analyst");
    expect((await api.gql<{ settings: SettingsAnswer }>(`{ settings ${SETTINGS} }`, {}, { cookie: analyst })).data?.settings.timeZoneChange?.status).toBe("CANCELLED");
  });

  it("a recount that fails after writing leaves the zone and the rollups as they were, the job failed with its code", async () => {
    const from = (await getSettings(api.db.query)).timeZone;
    const queued = await updateSettings(api.db, null, { timeZone: other(from) }, { timeZone: "queue" });
    const outcome = await executeTimeZoneChange(api.db, queued.timeZoneChange?.id as number, {
      onStage: (stage) => {
        if (stage === "saving") throw Object.assign(new Error("disk full (injected)"), { code: "DISK_FULL" });
      },
    });
    expect(outcome.status).toBe("failed");
    expect(await latestTimeZoneChange(api.db, api.db.query)).toMatchObject({ status: "failed", errorCode: "DISK_FULL", error: "disk full (injected)" });
    expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
    // The service's waiting mode (scripts) reports the job's error.
    await expect(
      updateSettings(api.db, null, { timeZone: other(from) }, { onStage: (stage) => { if (stage === "recounting") throw Object.assign(new Error("stopped (injected)"), { code: "STOPPED" }); } }),
    ).rejects.toThrow("stopped (injected)");
    expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
  });

  // PGlite has no statement timeout: the test exists only where the limit does (not a skip).
  if (kind === "postgres") it("a recount over its statement timeout fails with STATEMENT_TIMEOUT and changes nothing", async () => {
    const from = (await getSettings(api.db.query)).timeZone;
    const queued = await updateSettings(api.db, null, { timeZone: other(from) }, { timeZone: "queue" });
    const outcome = await executeTimeZoneChange(api.db, queued.timeZoneChange?.id as number, { env: { jobStatementTimeoutMs: 3_600_000, jobStatementTimeouts: { "time-zone": 1 } } });
    expect(outcome.status).toBe("failed");
    expect(await latestTimeZoneChange(api.db, api.db.query)).toMatchObject({ status: "failed", errorCode: "STATEMENT_TIMEOUT" });
    expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
  });

  it("a cancel while the job runs rolls it back", async () => {
    const from = (await getSettings(api.db.query)).timeZone;
    const queued = await updateSettings(api.db, null, { timeZone: other(from) }, { timeZone: "queue" });
    let cancelling: Promise<TimeZoneChange> | undefined;
    const outcome = await executeTimeZoneChange(api.db, queued.timeZoneChange?.id as number, {
      onStage: async (stage) => {
        if (stage !== "recounting") return;
        // Not awaited here: on PGlite its reads wait for the job's transaction to end.
        cancelling = cancelTimeZoneChange(api.db, null);
        if (kind === "postgres") expect(await cancelling).toMatchObject({ status: "running", cancelRequested: true });
      },
    });
    expect(outcome.status).toBe("cancelled");
    expect(await cancelling).toMatchObject({ id: queued.timeZoneChange?.id });
    expect(await latestTimeZoneChange(api.db, api.db.query)).toMatchObject({ status: "cancelled", errorCode: "CANCELLED" });
    expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
  });

  it("the scheduler runs a queued change its requester never started", async () => {
    const from = (await getSettings(api.db.query)).timeZone;
    const queued = await updateSettings(api.db, null, { timeZone: other(from) }, { timeZone: "queue" });
    const ran = await runNextDueJob(api.db, { jobTimeouts: { jobStatementTimeoutMs: 3_600_000, jobStatementTimeouts: {} } });
    expect(ran).toMatchObject({ jobId: queued.timeZoneChange?.id, kind: TIME_ZONE_JOB, outcome: { status: "succeeded" } });
    expect(await agreement()).toEqual({ zone: other(from), mismatches: 0 });
  });

  it("a run whose process died is marked failed (ABANDONED) and changed nothing; a new change may then start", async () => {
    const from = (await getSettings(api.db.query)).timeZone;
    await api.db.query(
      `insert into jobs (kind, status, payload, singleton_key, owner, attempts, started_at, lease_expires_at)
       values ($1, 'running', $2::jsonb, $1, 'elsewhere:999999:dead', 1, now() - interval '5 minutes', now() - interval '1 minute')`,
      [TIME_ZONE_JOB, JSON.stringify({ from, to: other(from), requestedBy: null, stage: "recounting" })],
    );
    expect(await latestTimeZoneChange(api.db, api.db.query)).toMatchObject({ status: "failed", errorCode: "ABANDONED", stage: null });
    expect(await agreement()).toEqual({ zone: from, mismatches: 0 });
    const next = await updateSettings(api.db, null, { timeZone: other(from) });
    expect(next).toMatchObject({ timeZone: other(from), timeZoneChange: { status: "succeeded" } });
    expect(await agreement()).toEqual({ zone: other(from), mismatches: 0 });
  });
});
