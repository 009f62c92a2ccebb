// CSV import through HTTP (the admin's upload): preview writes nothing and reports line-numbered
// problems, commit imports and records an import run, roles and limits are enforced.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { testDatabaseKinds } from "@ltvloop/db/testing";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing/api.ts";
import { mountImports } from "./imports.ts";

const GOOD = "external_id,name,prefecture\nU1,山田 太郎,東京都\nU2,佐藤 花子,大阪府\nU3,鈴木 一郎,\n";
const BAD = "external_id,name,email,birth_year\nB1,ok,,\nB2,bad mail,not-an-email,\nB3,ok,,\nB4,old,,1700\n";

describe.each(testDatabaseKinds())("POST /import on %s", (kind) => {
  let api: TestApi;
  let operator: string;
  beforeAll(async () => {
    api = await createTestApi(kind);
    operator = await api.loginAs("operator");
  });
  afterAll(async () => {
    await api.close();
  });

  const post = (path: string, body: string, cookie?: string, type = "text/csv") =>
    fetch(`${api.url}${path}`, { method: "POST", headers: { "content-type": type, ...(cookie ? { cookie } : {}) }, body });
  const count = async (table: string) => Number((await api.db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n);

  it("previews a good file: counts what would change and writes nothing", async () => {
    const res = await post("/import/customers?mode=preview&name=good.csv", GOOD, operator);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { mode: string; summary: { rowsRead: number; isDryRun: boolean; customers: { inserted: number } } };
    expect(body.mode).toBe("preview");
    expect(body.summary).toMatchObject({ rowsRead: 3, isDryRun: true, customers: { inserted: 3, updated: 0, unchanged: 0 } });
    expect(await count("customers where external_id like 'U%'")).toBe(0);
    expect(await count("import_runs")).toBe(0);
  });

  it("rejects a file with bad rows with line-numbered problems, in preview and commit, writing nothing", async () => {
    for (const mode of ["preview", "commit"]) {
      const res = await post(`/import/customers?mode=${mode}&name=bad.csv`, BAD, operator);
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { reason: string; params: unknown; problems: { line: number; column: string }[] } };
      expect(body.error.reason).toBe("IMPORT_REJECTED");
      expect(body.error.params).toEqual({ problemCount: 2, rowsRead: 4 });
      expect(body.error.problems.map((p) => [p.line, p.column])).toEqual([
        [3, "email"],
        [5, "birth_year"],
      ]);
      // Codes and parameters for the UI to word; the English message for scripts.
      expect(body.error.problems).toMatchObject([
        { code: "BAD_EMAIL", params: { value: expect.any(String) }, message: expect.stringMatching(/is not an email address/) },
        { code: "OUT_OF_RANGE", params: { min: 1900 }, message: expect.stringMatching(/out of range/) },
      ]);
    }
    expect(await count("customers where external_id like 'B%'")).toBe(0);
    expect(await count("import_runs")).toBe(0);
  });

  it("commits a good file, records an import run for customers and lists it in the history", async () => {
    const res = await post("/import/customers?mode=commit&name=good.csv&uploadId=upload-good-1", GOOD, operator);
    expect(res.status).toBe(200);
    expect(await count("customers where external_id like 'U%'")).toBe(3);
    const progress = await fetch(`${api.url}/import/progress/upload-good-1`, { headers: { cookie: operator } });
    expect(await progress.json()).toMatchObject({ done: true, rowsRead: 3 });
    // Another user cannot read someone else's upload.
    const admin = await api.loginAs("admin");
    expect((await fetch(`${api.url}/import/progress/upload-good-1`, { headers: { cookie: admin } })).status).toBe(404);

    const orders = "external_id,customer_external_id,ordered_at,amount\nO1,U1,2024-03-01,1200\nO2,U2,2024-04-01,800\n";
    expect((await post("/import/orders?mode=commit&name=orders.csv", orders, operator)).status).toBe(200);
    const history = await api.gql<{ importRuns: { kind: string; label: string; rows: number; inserted: number; importedBy: string }[] }>(
      "{ importRuns { kind label rows inserted importedBy coveredFrom } }",
      {},
      { cookie: operator },
    );
    expect(history.data?.importRuns).toMatchObject([
      { kind: "orders", label: "orders.csv", rows: 2, inserted: 2, importedBy: "operator@example.com" },
      { kind: "customers", label: "good.csv", rows: 3, inserted: 3, importedBy: "operator@example.com" },
    ]);
  });

  it("reads a tab-separated upload (Excel's Unicode Text too) with no parameter, and says how it read it", async () => {
    const tsv = "external_id\tname\temail_opt_in\nT1\t山田 太郎\tはい\nT2\t佐藤, 花子\tいいえ\n";
    const res = await post("/import/customers?mode=preview&name=customers.txt", tsv, operator);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { summary: unknown }).summary).toMatchObject({ rowsRead: 2, delimiter: "tab", encoding: "utf8", customers: { inserted: 2 } });
    const unicodeText = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, "utf16le")]);
    const utf16 = await fetch(`${api.url}/import/customers?mode=preview&name=unicode.txt&encoding=utf8`, {
      method: "POST",
      headers: { "content-type": "text/csv", cookie: operator },
      body: unicodeText,
    });
    expect(utf16.status).toBe(200);
    expect(((await utf16.json()) as { summary: unknown }).summary).toMatchObject({ rowsRead: 2, delimiter: "tab", encoding: "utf16le" });
  });

  it("reads UTF-16 without a byte order mark when the upload declares it (the admin's encoding choice), and names it when not", async () => {
    const tsv = "external_id\tname\nW1\t山田 太郎\nW2\t髙橋 ①\n";
    const upload = (encoding: string, body: Buffer) =>
      fetch(`${api.url}/import/customers?mode=preview&name=wide.txt&encoding=${encoding}`, { method: "POST", headers: { "content-type": "text/csv", cookie: operator }, body });
    for (const [encoding, bytes] of [
      ["utf16le", Buffer.from(tsv, "utf16le")],
      ["utf16be", Buffer.from(tsv, "utf16le").swap16()],
    ] as const) {
      const res = await upload(encoding, bytes);
      expect(res.status, encoding).toBe(200);
      expect(((await res.json()) as { summary: unknown }).summary).toMatchObject({ rowsRead: 2, delimiter: "tab", encoding, customers: { inserted: 2 } });
    }
    const undeclared = await upload("utf8", Buffer.from(tsv, "utf16le"));
    expect(undeclared.status).toBe(422);
    expect(((await undeclared.json()) as { error: { problems: unknown[] } }).error.problems).toMatchObject([{ line: 1, code: "WIDE_ENCODING", params: { found: "UTF-16LE", declare: "utf16le" } }]);
  });

  it("names unknown customers of an orders file by line", async () => {
    const res = await post("/import/orders?mode=preview", "external_id,customer_external_id,ordered_at,amount\nX1,U1,2024-03-01,10\nX2,NOPE,2024-03-01,10\n", operator);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { problems: { line: number; column: string }[] } };
    expect(body.error.problems).toMatchObject([{ line: 3, column: "customer_external_id", code: "UNKNOWN_CUSTOMER", params: { value: "NOPE" } }]);
  });

  it("admits admins and operators only, signed in, with a CSV body", async () => {
    expect((await post("/import/customers", GOOD)).status).toBe(401);
    const analyst = await api.loginAs("analyst");
    const refused = await post("/import/customers", GOOD, analyst);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { reason: string } }).error.reason).toBe("IMPORT_ROLE");
    expect((await post("/import/customers", GOOD, operator, "text/plain")).status).toBe(415);
    expect((await post("/import/segments", GOOD, operator)).status).toBe(404);
    expect((await post("/import/customers?mode=now", GOOD, operator)).status).toBe(400);
    // An unknown encoding names every accepted one, UTF-16 included (it said "use utf8 or shift_jis").
    const latin1 = await post("/import/customers?mode=preview&encoding=latin1", GOOD, operator);
    expect(latin1.status).toBe(400);
    expect(((await latin1.json()) as { error: { message: string } }).error.message).toBe('Unknown encoding "latin1": use utf8, shift_jis (aliases sjis, cp932), utf16le or utf16be.');
  });
});

describe("upload size limit", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const app = express();
    const never = { transaction: () => Promise.reject(new Error("must not reach the database")) };
    mountImports(app, never as never, async () => ({ userId: 1, email: "o@example.com", role: "operator", via: "session" }), { maxBytes: 100 });
    server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses a body over the limit before reading it", async () => {
    const res = await fetch(`${url}/import/customers`, { method: "POST", headers: { "content-type": "text/csv" }, body: "x".repeat(500) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { reason: string; params: { maxMegabytes: number } } }).error.reason).toBe("IMPORT_TOO_LARGE");
  });
});
