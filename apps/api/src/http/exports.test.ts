// CSV downloads: cells typed (numbers stay numbers, formulas never run), and a download that
// fails is either an error response or visibly incomplete, never a shorter file that looks whole.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { DbHandle, Query } from "@ltvloop/db/client";
import { createTestDb, type TestDatabase } from "@ltvloop/db/testing";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoUsers } from "../modules/seed/seed.service.ts";
import { seedScoredDemo } from "../testing/demo.ts";
import { csvCell } from "./csv.ts";
import { mountExports } from "./exports.ts";

describe("csv cells", () => {
  it("writes numbers of number columns as numbers, negative ones included", () => {
    expect(csvCell("-1001.41", "number")).toBe("-1001.41");
    expect(csvCell(-3, "number")).toBe("-3");
    expect(csvCell("1.5e-7", "number")).toBe("1.5e-7");
    expect(csvCell(null, "number")).toBe("");
  });

  it("escapes text that a spreadsheet would run as a formula, in ASCII and full-width forms", () => {
    for (const text of ["=1+1", "+81", "-2", "@SUM(A1)", "\t=x", "\r=x", "＝HYPERLINK(\"x\")", "＋1", "－1", "＠x", "−1", "  =1", "\u3000＝1"]) {
      expect(csvCell(text).replace(/^"/, ""), JSON.stringify(text)).toMatch(/^'/);
    }
    // Text columns escape number-looking text too: it is text (an id "-12" is not a number).
    expect(csvCell("-12", "text")).toBe("'-12");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
  });
});

/** Fails every statement matching `pattern` after `pass` matching ones succeeded. */
function failingAfter(handle: DbHandle, pattern: RegExp, pass: number): DbHandle {
  let seen = 0;
  const query: Query = (text, params) => {
    if (pattern.test(text) && seen++ >= pass) return Promise.reject(new Error("injected: the database went away"));
    return handle.query(text, params);
  };
  return { ...handle, query };
}

describe("customers.csv", () => {
  let db: TestDatabase;
  const servers: Server[] = [];
  const viewer = { userId: 0, email: "analyst@example.com", role: "analyst" as const, via: "session" as const };

  async function serve(handle: DbHandle): Promise<string> {
    const app = express();
    mountExports(app, handle, async () => viewer, { pageSize: 50 });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/export/customers.csv`;
  }

  beforeAll(async () => {
    db = await createTestDb("pglite");
    const snapshot = await seedScoredDemo(db, 200);
    await seedDemoUsers(db.query, "export-test-password");
    const [analyst] = await db.query<{ id: number }>("select id from users where role = 'analyst' order by id limit 1");
    viewer.userId = analyst?.id as number;
    await db.query("update customers set name = '＝HYPERLINK(\"http://x\")' where id = (select min(id) from customers)");
    await db.query("update customer_scores set historical_clv = -1001.41 where snapshot_id = $1 and customer_id = (select min(customer_id) from customer_scores where snapshot_id = $1)", [
      snapshot.id,
    ]);
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await db.destroy();
  });

  it("writes numbers as numbers and full-width formulas escaped, every row of the file", async () => {
    const res = await fetch(await serve(db));
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/^\uFEFF/, "");
    const [header, ...lines] = text.trim().split("\r\n");
    const names = (header as string).split(",");
    const [count] = await db.query<{ n: number }>("select count(*)::int as n from customers");
    expect(lines).toHaveLength(count?.n as number);
    const numeric = ["order_count", "revenue", "r_score", "decile", "p_alive", "predicted_clv", "historical_clv"].map((n) => names.indexOf(n));
    let negatives = 0;
    for (const line of lines) {
      const cells = line.split(",");
      for (const i of numeric) {
        const cell = cells[i] as string;
        expect(cell === "" || Number.isFinite(Number(cell)), `${names[i]}=${cell}`).toBe(true);
        if (cell.startsWith("-")) negatives += 1;
      }
    }
    expect(negatives).toBeGreaterThan(0);
    expect(text).toContain(`"'＝HYPERLINK(""http://x"")"`);
  });

  it("answers a failure before the first byte with an error response", async () => {
    const res = await fetch(await serve(failingAfter(db, /from customers c/, 0)));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: "INTERNAL_SERVER_ERROR" } });
  });

  it("cuts the download when a later page fails, so the client sees it incomplete", async () => {
    const res = await fetch(await serve(failingAfter(db, /from customers c/, 2)));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow(/terminated/);
  });

  it("exports only what the customer list's filter shows (the list's own URL parameters), every page", async () => {
    const base = await serve(db);
    const [expected] = await db.query<{ n: number }>(
      `select count(*)::int as n from customer_scores s join customers c on c.id = s.customer_id
        where s.snapshot_id = (select max(id) from snapshots) and s.rfm_segment = any($1::text[]) and s.decile between 2 and 9`,
      [["at_risk", "hibernating", "lost"]],
    );
    expect(expected?.n).toBeGreaterThan(50); // more than one page of 50
    const res = await fetch(`${base}?seg=at_risk&seg=hibernating&seg=lost&dmin=2&dmax=9`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("customers-filtered.csv");
    const [header, ...lines] = (await res.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    const names = (header as string).split(",");
    expect(lines).toHaveLength(expected?.n as number);
    for (const line of lines) {
      const cells = line.split(",");
      expect(["at_risk", "hibernating", "lost"]).toContain(cells[names.indexOf("rfm_segment")]);
    }
  });

  it("refuses a malformed or reversed filter before the first byte", async () => {
    const base = await serve(db);
    expect((await fetch(`${base}?dmin=abc`)).status).toBe(400);
    const reversed = await fetch(`${base}?dmin=8&dmax=3`);
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { error: { message: string } }).error.message).toContain("decileMin");
  });
});
