// Runs the malformed-CSV corpus (./corpus, expected reactions in ./corpus/expected.json): every
// file is either refused with the line, column and reason stated there, writing nothing, or
// imported exactly as stated.
import { createReadStream, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { importCustomers } from "./customers-import.service.ts";
import type { ImportEncoding } from "./import.types.ts";
import { importOrders } from "./orders-import.service.ts";
import { IMPORT_PROBLEM_CODES } from "./problems.ts";

const corpusDir = join(dirname(fileURLToPath(import.meta.url)), "corpus");

interface ExpectedOrder {
  external_id: string;
  customer: string;
  ordered_at: string;
  amount: string;
  currency: string;
  status: string;
  channel: string | null;
  items: number;
  gross_margin: string | null;
}

type Expected = { kind: "orders" | "customers"; note: string; encoding?: ImportEncoding } & (
  | { expect: "refused"; path: string; message: string }
  | { expect: "imported"; orders?: ExpectedOrder[]; customers?: string[] }
);

const corpus = Object.entries(JSON.parse(readFileSync(join(corpusDir, "expected.json"), "utf8")) as Record<string, Expected>);

describe("the corpus", () => {
  it("has at least 60 files, each with an expected reaction", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(corpus.filter(([, e]) => e.expect === "refused").length).toBeGreaterThanOrEqual(40);
  });
});

describe.each(testDatabaseKinds())("malformed-CSV corpus on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db.query("truncate customer_rollups, orders, customers, audit_log restart identity cascade");
    await db.query("insert into customers (external_id, name) values ('C1', 'One'), ('C2', 'Two'), ('C3', 'Three')");
  });

  const run = (file: string, expected: Expected) => {
    const options = { handle: db, source: createReadStream(join(corpusDir, file)), label: file, ...(expected.encoding ? { encoding: expected.encoding } : {}) };
    return expected.kind === "orders" ? importOrders(options) : importCustomers(options);
  };

  it.each(corpus)("%s", async (file, expected) => {
    if (expected.expect === "refused") {
      let error: unknown;
      try {
        await run(file, expected);
      } catch (caught) {
        error = caught;
      }
      expect(error, `${file} should be refused`).toBeInstanceOf(DomainError);
      const refusal = error as DomainError;
      expect(refusal.code).toBe("BAD_USER_INPUT");
      expect(refusal.problems[0]?.path).toBe(expected.path);
      expect(`${refusal.message} ${refusal.problems[0]?.message ?? ""}`).toContain(expected.message);
      // Every refusal names its problem by a code clients can word (and its parameters).
      expect(IMPORT_PROBLEM_CODES, `${file}: ${refusal.problems[0]?.reason}`).toContain(refusal.problems[0]?.reason);
      expect(refusal.problems[0]?.params).toBeTypeOf("object");
      const [{ orders, customers } = { orders: -1, customers: -1 }] = await db.query<{ orders: number; customers: number }>(
        "select (select count(*) from orders)::int as orders, (select count(*) from customers)::int as customers",
      );
      expect({ orders, customers }).toEqual({ orders: 0, customers: 3 });
      return;
    }
    await run(file, expected);
    if (expected.orders) {
      const rows = await db.query<ExpectedOrder & { ordered_at: Date | string }>(
        `select o.external_id, c.external_id as customer, o.ordered_at, o.amount::text as amount, o.currency, o.status, o.channel, o.items,
                o.gross_margin::text as gross_margin
           from orders o join customers c on c.id = o.customer_id order by o.external_id`,
      );
      const actual = rows.map((r) => ({ ...r, ordered_at: new Date(r.ordered_at).toISOString() }));
      expect(actual).toEqual([...expected.orders].sort((a, b) => (a.external_id < b.external_id ? -1 : 1)));
    }
    if (expected.customers) {
      const rows = await db.query<{ external_id: string }>("select external_id from customers where external_id not in ('C1', 'C2', 'C3') order by 1");
      expect(rows.map((r) => r.external_id)).toEqual(expected.customers);
    }
  });
});
