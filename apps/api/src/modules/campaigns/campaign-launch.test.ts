// Launch guarantees: a retry returns the same launch, a double click creates one roster, a
// launch that dies half-way leaves nothing behind and can be retried.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS_FOLDER } from "@ltvloop/db/migrate";
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { launchCampaign, ROSTER_WRITERS_LOCK } from "./campaign-launch.service.ts";
import { planCampaign } from "./campaign-plan.service.ts";
import { createCampaign } from "./campaign.service.ts";

const LAUNCH = `mutation($id: ID!, $key: String!) { launchCampaign(id: $id, idempotencyKey: $key) { id status launchedAt roster { treatment control } } }`;

interface Launched {
  launchCampaign: { id: string; status: string; launchedAt: string; roster: { treatment: number; control: number } };
}

describe.each(testDatabaseKinds())("launching a campaign on %s", (kind) => {
  let api: TestApi;
  let cookie: string;
  let segmentId: string;

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 800);
    cookie = await api.loginAs("operator");
    const [largest] = await api.db.query<{ segment_id: number }>(
      "select segment_id from segment_members group by segment_id order by count(*) desc limit 1",
    );
    segmentId = String(largest?.segment_id);
  });
  afterAll(async () => {
    await api.close();
  });

  const planned = async (name: string) => {
    const campaign = await createCampaign(api.db, null, { name, segmentId, objective: "retain", channel: "coupon", holdoutRatio: 0.3 });
    await planCampaign(api.db, null, campaign.id);
    return campaign.id;
  };
  const rosterSize = async (id: number) => {
    const [row] = await api.db.query<{ n: number }>("select count(*)::int as n from campaign_assignments where campaign_id = $1", [id]);
    return row?.n ?? 0;
  };
  const launchEvents = async (id: number) => {
    const [row] = await api.db.query<{ n: number }>("select count(*)::int as n from campaign_events where campaign_id = $1 and kind = 'launch'", [id]);
    return row?.n ?? 0;
  };
  const members = async () => {
    const [row] = await api.db.query<{ n: number }>(
      "select count(*)::int as n from segment_members where segment_id = $1 and snapshot_id = (select max(id) from snapshots)",
      [Number(segmentId)],
    );
    return row?.n ?? 0;
  };

  it("creates one roster for two parallel launches with the same key, and a retry returns the same launch", async () => {
    const id = await planned("double click");
    const [a, b] = await Promise.all([
      api.gql<Launched>(LAUNCH, { id: String(id), key: "click-1" }, { cookie }),
      api.gql<Launched>(LAUNCH, { id: String(id), key: "click-1" }, { cookie }),
    ]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data?.launchCampaign).toEqual(b.data?.launchCampaign);
    expect(await rosterSize(id)).toBe(await members());
    expect(await launchEvents(id)).toBe(1);

    const retry = await api.gql<Launched>(LAUNCH, { id: String(id), key: "click-1" }, { cookie });
    expect(retry.data?.launchCampaign).toEqual(a.data?.launchCampaign);
    const other = await api.gql(LAUNCH, { id: String(id), key: "click-2" }, { cookie });
    expect(other.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(other.errors?.[0]?.message).toMatch(/already launched .* another idempotency key/);
    expect(await rosterSize(id)).toBe(await members());
    expect(await launchEvents(id)).toBe(1);
  });

  it("lets exactly one of two parallel launches with different keys win", async () => {
    const id = await planned("two operators");
    const results = await Promise.all([
      api.gql<Launched>(LAUNCH, { id: String(id), key: "operator-a" }, { cookie }),
      api.gql<Launched>(LAUNCH, { id: String(id), key: "operator-b" }, { cookie }),
    ]);
    expect(results.filter((r) => r.data?.launchCampaign).length).toBe(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === "CONFLICT").length).toBe(1);
    expect(await rosterSize(id)).toBe(await members());
  });

  it("refuses a key already used for another campaign", async () => {
    const id = await planned("reused key");
    const res = await api.gql(LAUNCH, { id: String(id), key: "click-1" }, { cookie });
    expect(res.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(await rosterSize(id)).toBe(0);
  });

  it("leaves no roster when a launch dies after inserting it, and a retry then succeeds with the same assignment", async () => {
    const id = await planned("interrupted");
    await expect(
      launchCampaign(api.db, null, id, "crash-1", {
        afterRosterInsert: () => Promise.reject(new Error("process killed")),
      }),
    ).rejects.toThrow("process killed");
    expect(await rosterSize(id)).toBe(0);
    const [row] = await api.db.query<{ status: string; launch_idempotency_key: string | null; launched_at: Date | null }>(
      "select status, launch_idempotency_key, launched_at from campaigns where id = $1",
      [id],
    );
    expect(row).toEqual({ status: "planned", launch_idempotency_key: null, launched_at: null });
    expect(await launchEvents(id)).toBe(0);

    const launched = await launchCampaign(api.db, null, id, "crash-1");
    expect(launched.status).toBe("running");
    expect(await rosterSize(id)).toBe(await members());
  });

  it("assigns by a deterministic hash of (seed, customer): the same seed and plan give the same groups", async () => {
    const groupsOf = (id: number) =>
      api.db.query<{ customer_id: number; group: string }>(`select customer_id, "group" from campaign_assignments where campaign_id = $1 order by customer_id`, [id]);
    const twins: number[] = [];
    for (const name of ["twin a", "twin b", "other seed"]) {
      const campaign = await createCampaign(api.db, null, { name, segmentId, objective: "retain", channel: "coupon", holdoutRatio: 0.3 }, name === "other seed" ? {} : { assignmentSeed: "fixed-seed" });
      await planCampaign(api.db, null, campaign.id);
      await launchCampaign(api.db, null, campaign.id, `twin-${campaign.id}`);
      twins.push(campaign.id);
    }
    const [a, b, c] = await Promise.all(twins.map(groupsOf));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const control = (a ?? []).filter((g) => g.group === "control").length;
    expect(Math.abs(control - (a ?? []).length * 0.3)).toBeLessThanOrEqual(1);
  });

  it("launches exactly the group sizes its plan stated", async () => {
    // The control count depends on the seed's random start (⌊n·h + u⌋), so across seeds and
    // ratios it is sometimes ⌊n·h⌋ and sometimes one more: the plan must say which.
    const seen = new Set<string>();
    for (const holdoutRatio of [0.13, 0.27, 0.41]) {
      for (const seed of ["a", "b", "c"]) {
        const campaign = await createCampaign(api.db, null, { name: `sizes ${holdoutRatio} ${seed}`, segmentId, objective: "retain", channel: "coupon", holdoutRatio }, { assignmentSeed: `sizes-${seed}` });
        const planned = await planCampaign(api.db, null, campaign.id);
        const launched = await launchCampaign(api.db, null, campaign.id, `sizes-${campaign.id}`);
        const [roster] = await api.db.query<{ treatment: number; control: number }>(
          `select (count(*) filter (where "group" = 'treatment'))::int as treatment, (count(*) filter (where "group" = 'control'))::int as control
             from campaign_assignments where campaign_id = $1`,
          [launched.id],
        );
        expect(roster).toEqual({ treatment: planned.plan?.treatmentSize, control: planned.plan?.controlSize });
        const n = planned.plan?.eligibleCustomers ?? 0;
        seen.add(roster?.control === Math.floor(n * holdoutRatio) ? "floor" : "floor + 1");
      }
    }
    expect([...seen].sort()).toEqual(["floor", "floor + 1"]);
  });

  it("keeps assignments immutable", async () => {
    const [row] = await api.db.query<{ campaign_id: number; customer_id: number }>("select campaign_id, customer_id from campaign_assignments limit 1");
    await expect(api.db.query(`update campaign_assignments set "group" = 'treatment' where campaign_id = $1 and customer_id = $2`, [row?.campaign_id, row?.customer_id])).rejects.toThrow(/immutable/);
    await expect(api.db.query("delete from campaign_assignments where campaign_id = $1", [row?.campaign_id])).rejects.toThrow(/immutable/);
  });

  it("gives rosters launched before migration 0020 their snapshot's order counts when it runs", async () => {
    // Every campaign launched above, taken back to before the migration and migrated again.
    const migration = readFileSync(join(MIGRATIONS_FOLDER, "0020_roster_snapshot_orders.sql"), "utf8");
    const expected = await api.db.query<{ campaign_id: number; customer_id: number; snapshot_orders: number | null }>(
      "select campaign_id, customer_id, snapshot_orders from campaign_assignments order by 1, 2",
    );
    expect(new Set(expected.map((r) => r.campaign_id)).size).toBeGreaterThanOrEqual(4);
    expect(expected.every((r) => r.snapshot_orders !== null)).toBe(true);
    await api.db.transaction(async ({ query }) => {
      await query("alter table campaign_assignments drop column snapshot_orders");
      for (const statement of migration.split("--> statement-breakpoint")) await query(statement);
    });
    const migrated = await api.db.query<{ campaign_id: number; customer_id: number; snapshot_orders: number | null }>(
      "select campaign_id, customer_id, snapshot_orders from campaign_assignments order by 1, 2",
    );
    expect(migrated).toEqual(expected);
    // The roster's guard is back on.
    await expect(api.db.query("update campaign_assignments set snapshot_orders = 0")).rejects.toThrow(/immutable/);
  });

  // The last tests: they put customers in a roster by hand (without the launch's order counts).
  it("keeps a roster's campaign and customers: they cannot be deleted, re-numbered or truncated away", async () => {
    const [row] = await api.db.query<{ campaign_id: number }>("select campaign_id from campaign_assignments limit 1");
    const campaignId = Number(row?.campaign_id);
    await expect(api.db.query("delete from campaigns where id = $1", [campaignId])).rejects.toThrow(`campaign ${campaignId} has a roster and cannot be deleted`);
    await expect(api.db.query("update campaigns set id = default where id = $1", [campaignId])).rejects.toThrow(/has a roster and cannot be re-numbered/);
    // A customer without orders (whose own keys would refuse first), put in the roster by hand.
    const fresh = async (externalId: string) => {
      const [customer] = await api.db.query<{ id: number }>("insert into customers (external_id, name) values ($1, 'Guard test') returning id", [externalId]);
      return Number(customer?.id);
    };
    const rostered = await fresh("guard-rostered");
    await api.db.query(`insert into campaign_assignments (campaign_id, customer_id, "group", stratum) values ($1, $2, 'control', 'R1F1')`, [campaignId, rostered]);
    await expect(api.db.query("delete from customers where id = $1", [rostered])).rejects.toThrow(`customer ${rostered} is in the roster of campaign ${campaignId} and cannot be deleted`);
    await expect(api.db.query("update customers set id = default where id = $1", [rostered])).rejects.toThrow(/cannot be re-numbered/);
    await expect(
      api.db.transaction(async ({ query }) => {
        await query("set transaction isolation level repeatable read");
        await query("delete from customers where id = $1", [rostered]);
      }),
    ).rejects.toThrow(/only be deleted under READ COMMITTED/);
    // A DELETE that matches no customer has nothing to check, under any isolation level.
    await api.db.transaction(async ({ query }) => {
      await query("set transaction isolation level repeatable read");
      await query("delete from customers where external_id = 'guard-no-such-customer'");
    });
    await expect(api.db.query("truncate customers cascade")).rejects.toThrow(/would leave campaign rosters without their customers/);
    await expect(api.db.query("truncate campaigns cascade")).rejects.toThrow(/would leave campaign rosters without their campaigns/);
    const [kept] = await api.db.query<{ n: number }>("select count(*)::int as n from customers where id = $1", [rostered]);
    expect(kept?.n).toBe(1);
    // A customer in no roster and a campaign never launched go as before.
    const loose = await fresh("guard-loose");
    await api.db.query("delete from customers where id = $1", [loose]);
    const draft = await createCampaign(api.db, null, { name: "never launched", segmentId, objective: "retain", channel: "coupon", holdoutRatio: 0.3 });
    await api.db.query("delete from campaigns where id = $1", [draft.id]);
    const [gone] = await api.db.query<{ n: number }>("select (select count(*) from customers where id = $1) + (select count(*) from campaigns where id = $2) as n", [loose, draft.id]);
    expect(Number(gone?.n)).toBe(0);
  });

  it("holds the roster writers' lock while a launch writes, which a customer deletion waits for", async () => {
    const id = await planned("guarded launch");
    let held: { mode: string }[] = [];
    await launchCampaign(api.db, null, id, "guarded-1", {
      afterRosterInsert: async (query) => {
        held = await query<{ mode: string }>(
          "select mode from pg_locks where locktype = 'advisory' and granted and ((classid::bigint << 32) | objid::bigint) = $1",
          [ROSTER_WRITERS_LOCK],
        );
      },
    });
    expect(held.map((l) => l.mode)).toContain("ShareLock");
    if (kind !== "postgres") return; // one connection: nothing runs beside the launch
    // A roster writer in progress (as a launch holds it) and a deletion of one of its customers:
    // the deletion waits, then sees the roster committed meanwhile and refuses.
    const [customer] = await api.db.query<{ id: number }>("insert into customers (external_id, name) values ('guard-race', 'Guard race') returning id");
    let deletion: Promise<unknown> | undefined;
    let settled = false;
    await api.db.transaction(async ({ query }) => {
      await query("select pg_advisory_xact_lock_shared($1)", [ROSTER_WRITERS_LOCK]);
      await query(`insert into campaign_assignments (campaign_id, customer_id, "group", stratum) values ($1, $2, 'treatment', 'R1F1')`, [id, customer?.id]);
      deletion = api.db.query("delete from customers where id = $1", [customer?.id]).finally(() => (settled = true));
      deletion.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
    });
    await expect(deletion).rejects.toThrow(`customer ${customer?.id} is in the roster of campaign ${id} and cannot be deleted`);
  });
});
