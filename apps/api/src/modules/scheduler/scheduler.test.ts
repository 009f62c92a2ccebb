// The scheduler on a real database: the nightly slot in the business time zone, single flight,
// retries with exponential backoff up to max attempts, lease expiry, final measurements gated by
// the orders watermark, and the admin-only history and schedule over GraphQL.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { launchCampaign } from "../campaigns/campaign-launch.service.ts";
import { planCampaign } from "../campaigns/campaign-plan.service.ts";
import { createCampaign } from "../campaigns/campaign.service.ts";
import { setOrdersWatermark } from "../data-quality/data-quality.service.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { setNightlySchedule } from "./job-history.service.ts";
import { latestDailyRun } from "./schedule.time.ts";
import { CAMPAIGN_MEASURE_JOB, NIGHTLY_SNAPSHOT_JOB, planDueJobs, runNextDueJob, schedulerTick } from "./scheduler.service.ts";

interface JobRecord {
  id: number;
  status: string;
  attempts: number;
  max_attempts: number;
  error_code: string | null;
  run_after: Date;
  finished_at: Date | null;
  scheduled_for: Date | null;
  subject_id: number | null;
}

describe.each(testDatabaseKinds())("the scheduler on %s", (kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 300);
  });
  afterAll(async () => {
    await api.close();
  });

  const jobsOf = (jobKind: string) =>
    api.db.query<JobRecord>(
      "select id, status, attempts, max_attempts, error_code, run_after, finished_at, scheduled_for, subject_id from jobs where kind = $1 order by id",
      [jobKind],
    );
  /** Puts the schedule's last change in the past, so today's slot counts as after it. */
  const scheduleSetDaysAgo = (days: number) => api.db.query("update job_schedules set updated_at = now() - make_interval(days => $1) where kind = $2", [days, NIGHTLY_SNAPSHOT_JOB]);
  const clearScheduled = () => api.db.query("delete from jobs where kind = any($1::text[])", [[NIGHTLY_SNAPSHOT_JOB, CAMPAIGN_MEASURE_JOB]]);

  it("enqueues the nightly slot of the business time zone once, and only slots after the schedule was set", async () => {
    await clearScheduled();
    await setNightlySchedule(api.db, null, { enabled: true, localTime: "01:30" });
    await api.db.query("update settings set time_zone = 'America/New_York' where id = 1");
    try {
      // 8 March 2026: New York springs forward at 02:00; 01:30 EST is 06:30 UTC.
      const now = () => new Date("2026-03-08T12:00:00Z");
      expect(await planDueJobs(api.db, { now })).toEqual([]); // set "now" in real time: after that slot
      await api.db.query("update job_schedules set updated_at = '2026-03-01T00:00:00Z' where kind = $1", [NIGHTLY_SNAPSHOT_JOB]);
      const events = await planDueJobs(api.db, { now });
      expect(events).toHaveLength(1);
      expect(await planDueJobs(api.db, { now })).toEqual([]); // the same slot never twice
      const [job] = await jobsOf(NIGHTLY_SNAPSHOT_JOB);
      expect(job?.scheduled_for?.toISOString()).toBe("2026-03-08T06:30:00.000Z");
      expect(job?.status).toBe("queued");
      // The next day's slot is an hour earlier in UTC (EDT), and waits for the pending one (single flight).
      expect(await planDueJobs(api.db, { now: () => new Date("2026-03-09T12:00:00Z") })).toEqual([]);
      await api.db.query("update jobs set status = 'cancelled' where id = $1", [job?.id]);
      const next = await planDueJobs(api.db, { now: () => new Date("2026-03-09T12:00:00Z") });
      expect(next[0]).toMatchObject({ kind: NIGHTLY_SNAPSHOT_JOB, scheduledFor: new Date("2026-03-09T05:30:00.000Z") });
      // Tokyo: 01:30 JST is 16:30 UTC the day before.
      await clearScheduled();
      await api.db.query("update settings set time_zone = 'Asia/Tokyo' where id = 1");
      const tokyo = await planDueJobs(api.db, { now: () => new Date("2026-03-09T12:00:00Z") });
      expect(tokyo[0]).toMatchObject({ scheduledFor: new Date("2026-03-08T16:30:00.000Z") });
    } finally {
      await api.db.query("update settings set time_zone = 'Asia/Tokyo' where id = 1");
      await clearScheduled();
    }
  });

  it("runs the due nightly snapshot; a disabled schedule enqueues nothing", async () => {
    await setNightlySchedule(api.db, null, { enabled: false });
    await scheduleSetDaysAgo(2);
    expect(await planDueJobs(api.db)).toEqual([]);
    await setNightlySchedule(api.db, null, { enabled: true, localTime: "00:00" });
    await scheduleSetDaysAgo(2);
    const before = await api.db.query<{ id: number }>("select id from snapshots where status = 'succeeded'");
    expect(await schedulerTick(api.db)).toBe(1);
    const [job] = await jobsOf(NIGHTLY_SNAPSHOT_JOB);
    expect(job).toMatchObject({ status: "succeeded", attempts: 1, error_code: null });
    expect(job?.scheduled_for?.toISOString()).toBe(latestDailyRun("00:00", "Asia/Tokyo", new Date()).toISOString());
    const [snapshot] = await api.db.query<{ status: string }>("select status from snapshots where id = $1", [job?.subject_id]);
    expect(snapshot?.status).toBe("succeeded");
    expect((await api.db.query("select id from snapshots where status = 'succeeded'")).length).toBe(before.length + 1);
    expect(await schedulerTick(api.db)).toBe(0); // nothing more due today
    await setNightlySchedule(api.db, null, { enabled: false });
    await clearScheduled();
  });

  it("single flight: the nightly snapshot waits (retry with backoff) while another snapshot is being computed", async () => {
    await setNightlySchedule(api.db, null, { enabled: true, localTime: "00:00" });
    await scheduleSetDaysAgo(2);
    const manual = await createSnapshot(api.db, null, {}); // pending, as if a person had just pressed the button
    await planDueJobs(api.db, { backoffMs: 150 });
    const ran = await runNextDueJob(api.db);
    expect(ran?.outcome.status).toBe("retrying");
    let [job] = await jobsOf(NIGHTLY_SNAPSHOT_JOB);
    expect(job).toMatchObject({ status: "queued", attempts: 1, error_code: "CONFLICT" });
    expect(await runNextDueJob(api.db)).toBeNull(); // backing off
    expect((await executeSnapshot(api.db, manual.id)).status).toBe("succeeded");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await runNextDueJob(api.db))?.outcome.status).toBe("succeeded");
    [job] = await jobsOf(NIGHTLY_SNAPSHOT_JOB);
    expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
    const [{ n } = { n: 0 }] = await api.db.query<{ n: number }>("select count(*)::int as n from snapshots where status in ('pending', 'running')");
    expect(n).toBe(0);
    await setNightlySchedule(api.db, null, { enabled: false });
    await clearScheduled();
  });

  it("turning the schedule off cancels a queued nightly run", async () => {
    await setNightlySchedule(api.db, null, { enabled: true, localTime: "00:00" });
    await scheduleSetDaysAgo(2);
    expect(await planDueJobs(api.db)).toHaveLength(1);
    await setNightlySchedule(api.db, null, { enabled: false });
    const [job] = await jobsOf(NIGHTLY_SNAPSHOT_JOB);
    expect(job).toMatchObject({ status: "cancelled", error_code: "CANCELLED", attempts: 0 });
    expect(await runNextDueJob(api.db)).toBeNull();
    await clearScheduled();
  });

  it("retries a failing job with exponential backoff and stops at max attempts", async () => {
    await api.db.query(
      "insert into jobs (kind, subject_id, dedupe_key, max_attempts, backoff_ms) values ($1, 987654, 'missing', 3, 300)",
      [CAMPAIGN_MEASURE_JOB],
    );
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      let ran = await runNextDueJob(api.db);
      while (!ran) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ran = await runNextDueJob(api.db);
      }
      expect(ran.outcome.status).toBe(attempt < 3 ? "retrying" : "failed");
      const [job] = await api.db.query<JobRecord & { now: Date }>("select *, now() as now from jobs where dedupe_key = 'missing'");
      expect(job).toMatchObject({ attempts: attempt, error_code: "NOT_FOUND" });
      if (attempt < 3) waits.push((job as JobRecord & { now: Date }).run_after.getTime() - (job as JobRecord & { now: Date }).now.getTime());
      else expect(job?.status).toBe("failed");
    }
    // 300 ms, then 600 ms (minus the moments between the failure and the read).
    expect(waits[0]).toBeGreaterThan(200);
    expect(waits[0]).toBeLessThanOrEqual(300);
    expect(waits[1]).toBeGreaterThan(500);
    expect(waits[1]).toBeLessThanOrEqual(600);
    expect(await runNextDueJob(api.db)).toBeNull();
    await clearScheduled();
  });

  it("a run whose lease ran out goes back to the queue while attempts remain, and fails after the last", async () => {
    const insert = (attempts: number) =>
      api.db.query<{ id: number }>(
        `insert into jobs (kind, dedupe_key, status, owner, attempts, max_attempts, backoff_ms, lease_expires_at, started_at)
         values ($1, $2, 'running', 'gone-host:1:x', $3, 3, 1000, now() - interval '1 second', now()) returning id`,
        [NIGHTLY_SNAPSHOT_JOB, `lease-${attempts}`, attempts],
      );
    const [retry] = await insert(1);
    const [last] = await insert(3);
    await schedulerTick(api.db, { jobsPerTick: 0 });
    const rows = await api.db.query<JobRecord>("select * from jobs where id = any($1::bigint[]) order by id", [[retry?.id, last?.id]]);
    expect(rows[0]).toMatchObject({ status: "queued", attempts: 1, error_code: "ABANDONED", finished_at: null });
    expect(rows[1]).toMatchObject({ status: "failed", attempts: 3, error_code: "ABANDONED" });
    await clearScheduled();
  });

  it("measures a campaign when its window has closed and the orders are complete to its end, once", async () => {
    const [segment] = await api.db.query<{ segment_id: number }>("select segment_id from segment_members group by segment_id order by count(*) desc limit 1");
    const campaign = await createCampaign(api.db, null, { name: "auto measure", segmentId: String(segment?.segment_id), objective: "retain", channel: "coupon", holdoutRatio: 0.3 });
    await planCampaign(api.db, null, campaign.id);
    await launchCampaign(api.db, null, campaign.id, "auto-measure");
    await api.db.query("update campaigns set launched_at = now() - interval '40 days' where id = $1", [campaign.id]);
    // Orders complete only to 20 days ago: the window (ended 10 days ago) is not covered yet.
    await setOrdersWatermark(api.db, null, new Date(Date.now() - 20 * 86_400_000), "test");
    expect(await planDueJobs(api.db)).toEqual([]);
    await setOrdersWatermark(api.db, null, new Date(), "test");
    expect(await schedulerTick(api.db)).toBe(1);
    const [job] = await jobsOf(CAMPAIGN_MEASURE_JOB);
    expect(job).toMatchObject({ status: "succeeded", subject_id: campaign.id, attempts: 1 });
    const [row] = await api.db.query<{ status: string; results: number; provisional: number }>(
      `select c.status, count(r.id)::int as results, count(r.id) filter (where r.is_provisional)::int as provisional
         from campaigns c left join campaign_results r on r.campaign_id = c.id where c.id = $1 group by c.status`,
      [campaign.id],
    );
    expect(row).toEqual({ status: "checked", results: 1, provisional: 0 });
    expect(await schedulerTick(api.db)).toBe(0);
    await setOrdersWatermark(api.db, null, null, "");
  });

  it("shows the history and the schedule to admins only, and validates the time", async () => {
    const admin = await api.loginAs("admin");
    const operator = await api.loginAs("operator");
    const set = await api.gql<{ setNightlySnapshotSchedule: { enabled: boolean; localTime: string; timeZone: string; nextRunAt: string } }>(
      `mutation { setNightlySnapshotSchedule(input: { enabled: true, localTime: "04:15" }) { enabled localTime timeZone nextRunAt } }`,
      {},
      { cookie: admin },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data?.setNightlySnapshotSchedule).toMatchObject({ enabled: true, localTime: "04:15", timeZone: "Asia/Tokyo" });
    const next = new Date(set.data?.setNightlySnapshotSchedule.nextRunAt as string);
    expect(next.getUTCHours() * 60 + next.getUTCMinutes()).toBe(19 * 60 + 15); // 04:15 JST
    expect(next.getTime()).toBeGreaterThan(Date.now());
    const bad = await api.gql(`mutation { setNightlySnapshotSchedule(input: { localTime: "4:15" }) { localTime } }`, {}, { cookie: admin });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.message).toMatch(/HH:MM/);
    const history = await api.gql<{ jobs: { totalCount: number; nodes: { kind: string; status: string; attempts: number; errorCode: string | null }[] } }>(
      `{ jobs(first: 5) { totalCount nodes { id kind status attempts maxAttempts scheduledFor runAfter startedAt finishedAt errorCode } } }`,
      {},
      { cookie: admin },
    );
    expect(history.errors).toBeUndefined();
    expect(history.data?.jobs.totalCount).toBeGreaterThan(0);
    expect(history.data?.jobs.nodes.some((j) => j.kind === CAMPAIGN_MEASURE_JOB && j.status === "SUCCEEDED")).toBe(true);
    for (const query of ["{ jobs(first: 5) { totalCount } }", "{ nightlySnapshotSchedule { enabled } }"]) {
      const denied = await api.gql(query, {}, { cookie: operator });
      expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    await setNightlySchedule(api.db, null, { enabled: false });
  });
});
