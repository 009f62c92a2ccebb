import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDb, DatabaseLockedError } from "./client.ts";
import { LOCK_FILE, lockDataDir } from "./lock.ts";

const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ltvloop-lock-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts another process that opens the embedded database in `dir` and waits. */
async function holdInChild(dir: string): Promise<ChildProcess> {
  const script = `import { createDb } from ${JSON.stringify(new URL("./client.ts", import.meta.url).pathname)};
    const h = await createDb({ dataDir: ${JSON.stringify(dir)}, lockCommand: "ltvloop serve (test holder)" });
    await h.query("create table if not exists t (x int)");
    process.stdout.write("ready\\n");
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

describe("one writer per embedded database directory", () => {
  it("refuses a second process while the first holds the directory, naming the holder and what to do", async () => {
    const dir = tempDir();
    const holder = await holdInChild(dir);
    const error = await createDb({ dataDir: dir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseLockedError);
    const locked = error as DatabaseLockedError;
    expect(locked.holder.pid).toBe(holder.pid);
    expect(locked.message).toContain(`process ${holder.pid} (ltvloop serve (test holder))`);
    expect(locked.message).toMatch(/since \d{4}-\d\d-\d\dT/);
    expect(locked.message).toContain(`kill ${holder.pid}`);
    expect(locked.message).toContain("GraphQL API");
  }, 60_000);

  it("takes over the lock of a process that was killed, and the data it wrote is there", async () => {
    const dir = tempDir();
    const holder = await holdInChild(dir);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true); // SIGKILL leaves the lock behind
    const handle = await createDb({ dataDir: dir, lockCommand: "taker" });
    try {
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid, command: "taker" });
      expect(await handle.query("select count(*)::int as n from t")).toEqual([{ n: 0 }]);
    } finally {
      await handle.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // closing releases it
  }, 60_000);

  it("refuses a second opener in the same process, and opens again after close", async () => {
    const dir = tempDir();
    const first = await createDb({ dataDir: dir });
    await expect(createDb({ dataDir: dir })).rejects.toBeInstanceOf(DatabaseLockedError);
    await first.close();
    const again = await createDb({ dataDir: dir });
    await again.close();
  }, 60_000);

  it("takes over a lock naming this very pid that this process does not hold (a restarted container)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, hostname: hostname(), command: "ltvloop serve", since: "2020-01-01" }));
    const lock = lockDataDir(dir, "me again");
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({ command: "me again" });
    expect(() => lockDataDir(dir, "twice")).toThrow(DatabaseLockedError);
    lock.release();
  });

  it("reclaims a lock whose pid no longer exists without touching a live one", () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(dead.stdout);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, hostname: hostname(), command: "gone", since: "2020-01-01" }));
    const lock = lockDataDir(dir, "me");
    expect(lock.holder.pid).toBe(process.pid);
    expect(() => lockDataDir(dir, "other")).toThrow(DatabaseLockedError);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
