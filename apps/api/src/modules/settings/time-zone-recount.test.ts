// A new business time zone recounts every customer's purchase days. On ten million orders that
// takes minutes, past a request's 30 s statement timeout (the change failed with "canceling
// statement due to statement timeout"): the recount runs in a background job (time-zone-change.ts)
// under a job's statement timeout, the one configured for kind `time-zone`
// (LTVLOOP_JOB_STATEMENT_TIMEOUTS), else the jobs' default.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { getSettings, updateSettings } from "./settings.service.ts";

describe.each(testDatabaseKinds())("changing the time zone on %s", (kind) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 120);
  });
  afterAll(async () => {
    await api.close();
  });

  /** The handle, with the statement timeout in force read just before each write to customer_rollups. */
  const watched = (timeouts: string[]): DbHandle => ({
    ...api.db,
    transaction: (work) =>
      api.db.transaction((tx) => {
        const query: Query = async (text, params) => {
          if (/insert into customer_rollups/i.test(text)) {
            const [row] = await tx.query<{ timeout: string }>("select current_setting('statement_timeout') as timeout");
            timeouts.push(row?.timeout ?? "");
          }
          return tx.query(text, params);
        };
        return work({ ...tx, query: query as Query });
      }),
  });

  it("recounts the rollups in the job under the time-zone kind's timeout, and only when the zone changes", async () => {
    const timeouts: string[] = [];
    const zone = (await getSettings(api.db.query)).timeZone === "Asia/Tokyo" ? "America/New_York" : "Asia/Tokyo";
    const env = { jobStatementTimeoutMs: 3_600_000, jobStatementTimeouts: { snapshot: 60_000, "time-zone": 5_400_000 } };
    const saved = await updateSettings(watched(timeouts), null, { timeZone: zone }, { env });
    expect(timeouts).toEqual(["90min"]);
    expect(saved.timeZone).toBe(zone);
    expect(saved.timeZoneChange).toMatchObject({ to: zone, status: "succeeded" });
    const [rollups] = await api.db.query<{ n: number }>("select count(*)::int as n from customer_rollups");
    expect(rollups?.n).toBeGreaterThan(0);
    // The same zone again, or another field: nothing to recount, no job.
    const again = await updateSettings(watched(timeouts), null, { timeZone: zone, currency: "JPY" }, { env });
    expect(timeouts).toEqual(["90min"]);
    expect(again.timeZoneChange).toBeNull();
    // No time-zone override: the jobs' own timeout.
    const back = zone === "Asia/Tokyo" ? "America/New_York" : "Asia/Tokyo";
    await updateSettings(watched(timeouts), null, { timeZone: back }, { env: { jobStatementTimeoutMs: 7_200_000, jobStatementTimeouts: { snapshot: 60_000 } } });
    expect(timeouts).toEqual(["90min", "2h"]);
    // The timeout was the transaction's own: the connection's is back afterwards.
    const [after] = await api.db.query<{ timeout: string }>("select current_setting('statement_timeout') as timeout");
    expect(after?.timeout).not.toBe("90min");
  });
});
