// Shared helpers for the benchmark scripts (they print figures; they are not tests).
import { cpus, loadavg, totalmem } from "node:os";
import { createDb, type DbHandle } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";

export function requirePostgresUrl(): string {
   
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    process.stderr.write(
      "This benchmark runs on PostgreSQL: set DATABASE_URL, e.g.\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:…\n",
    );
    process.exit(2);
  }
  return url;
}

/** A fresh, migrated database `name` on the server of `url` (dropped first if it exists). */
export async function freshDatabase(url: string, name: string): Promise<{ url: string; handle: DbHandle }> {
  const admin = await createDb({ databaseUrl: url, maxConnections: 1 });
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.close();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await createDb({ databaseUrl: target.toString(), maxConnections: 4 });
  await migrate(handle);
  return { url: target.toString(), handle };
}

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export const peakRssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

export async function time<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - start) / 1000 };
}

export function printTable(rows: Record<string, string | number>[]): void {
  const headers = Object.keys(rows[0] ?? {});
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join("  ");
  process.stdout.write(`${line(headers)}\n${line(widths.map((w) => "-".repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(headers.map((h) => String(row[h])))}\n`);
}

export function argValue(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const raw = index >= 0 ? process.argv[index + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw.replaceAll("_", ""));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/**
 * A fresh, migrated schema `name` inside the database of `url` (dropped first if it exists),
 * for benchmarks that must stay inside one database they were given.
 */
export async function freshSchema(url: string, name: string, maxConnections = 4): Promise<DbHandle> {
  const admin = await createDb({ databaseUrl: url, maxConnections: 1 });
  await admin.query(`drop schema if exists "${name}" cascade`);
  await admin.query(`create schema "${name}"`);
  await admin.close();
  const handle = await createDb({ databaseUrl: url, schemaName: name, maxConnections });
  await migrate(handle);
  return handle;
}

/** The 1-minute load average, to one decimal. */
export const loadAverage = () => loadavg()[0]?.toFixed(1) ?? "?";
