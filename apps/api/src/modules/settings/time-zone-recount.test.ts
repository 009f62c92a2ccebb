// A new business time zone recounts every customer's purchase days in the settings' transaction.
// On ten million orders that takes over a minute, past a request's 30 s statement timeout (the
// change failed with "canceling statement due to statement timeout"): the recount runs under the
// timeout the server passes for it, a background job's.
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

  it("recounts the rollups under the timeout given for it, and only when the zone changes", async () => {
    const timeouts: string[] = [];
    const zone = (await getSettings(api.db.query)).timeZone === "Asia/Tokyo" ? "America/New_York" : "Asia/Tokyo";
    await updateSettings(watched(timeouts), null, { timeZone: zone }, { recountTimeoutMs: 5_400_000 });
    expect(timeouts).toEqual(["90min"]);
    const [rollups] = await api.db.query<{ n: number }>("select count(*)::int as n from customer_rollups");
    expect(rollups?.n).toBeGreaterThan(0);
    // The same zone again, or another field: nothing to recount.
    await updateSettings(watched(timeouts), null, { timeZone: zone, currency: "JPY" }, { recountTimeoutMs: 5_400_000 });
    expect(timeouts).toEqual(["90min"]);
    // The timeout was the transaction's own: the connection's is back afterwards.
    const [after] = await api.db.query<{ timeout: string }>("select current_setting('statement_timeout') as timeout");
    expect(after?.timeout).not.toBe("90min");
  });
});
