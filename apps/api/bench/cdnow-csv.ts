// Bench helper: the repository's CDNOW sample as a transaction CSV (customer_id,ordered_at,amount),
// replicated `copies` times with new customer ids per copy, written to a temporary file.
import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { loadCdnowTransactions } from "@ltvloop/scoring/testing/cdnow";

export async function writeCdnowCsv(copies: number, options: { withAmount?: boolean } = {}): Promise<{ path: string; rows: number; customers: number }> {
  const withAmount = options.withAmount ?? true;
  const transactions = loadCdnowTransactions();
  const customers = new Set(transactions.map((t) => t.customerId)).size;
  const dir = await mkdtemp(join(tmpdir(), "ltvloop-bench-"));
  const path = join(dir, `cdnow-x${copies}.csv`);
  const out = createWriteStream(path);
  out.write(withAmount ? "customer_id,ordered_at,amount\n" : "customer_id,ordered_at\n");
  // Ids stay unique per copy: copy k of customer c is c + k·10,000 (CDNOW ids are ≤ 2,357 per sample).
  const lines = transactions.map((t) => [Number(t.customerId), withAmount ? `,${String(t.at)},${t.amount}\n` : `,${String(t.at)}\n`] as const);
  for (let k = 0; k < copies; k++) {
    let chunk = "";
    for (const [id, rest] of lines) chunk += `${id + k * 10_000}${rest}`;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { path, rows: transactions.length * copies, customers: customers * copies };
}
