// One writer per embedded database. PGlite keeps the whole database in one process's memory and
// writes its files from there: a second process opening the same directory works on its own copy,
// and the two overwrite each other's files (rows that vanish, a directory that no longer opens).
// So the directory holds a lock file naming its holder; a second opener is refused with that
// holder's pid, command and start time, and a lock left by a process that no longer exists is
// taken over.
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE = "ltvloop.lock";

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  since: string;
}

/** The embedded database is open in another live process. */
export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
  readonly code = "DATABASE_LOCKED";
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database ${dataDir} is in use by process ${holder.pid} (${holder.command}) on ${holder.hostname} since ${holder.since}. ` +
        "Only one process may open it at a time: a second one would work on a stale copy and the two would overwrite each other's files. " +
        `Stop that process first (e.g. \`kill ${holder.pid}\`, or Ctrl+C where it runs), or, while it serves, do the work through the server ` +
        "(the admin UI or its GraphQL API at /graphql). For several processes at once, use PostgreSQL (DATABASE_URL).",
    );
  }
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number") return null;
    return {
      pid: parsed.pid,
      hostname: String(parsed.hostname ?? "unknown host"),
      command: String(parsed.command ?? "unknown command"),
      since: String(parsed.since ?? "an unknown time"),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    // Unreadable or half-written: treated as a holder that cannot be verified alive.
    return { pid: -1, hostname: "unknown host", command: "unreadable lock file", since: "an unknown time" };
  }
}

/** Lock files this process holds now: a lock naming this pid but not listed here is a previous
 * incarnation's (a container restarted under the same pid). */
const heldHere = new Set<string>();

/**
 * Whether `pid` could be the LTV Loop process that wrote the lock: alive, and (where /proc shows
 * it) a Node.js process, so a recycled pid now used by something else does not hold the lock.
 */
function couldHoldLock(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return commandLine === "" || /node|tsx|ltvloop/i.test(commandLine);
  } catch {
    return true; // no /proc (macOS): alive is all we can tell
  }
}

export interface DirectoryLock {
  holder: LockHolder;
  /** Removes the lock file if it is still this process's. */
  release: () => void;
}

/** Takes the directory's lock or throws DatabaseLockedError naming the live holder. */
export function lockDataDir(dataDir: string, command = describeCommand()): DirectoryLock {
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), command, since: new Date().toISOString() };
  const candidate = `${path}.${process.pid}.${Date.now()}`;
  writeFileSync(candidate, `${JSON.stringify(holder)}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // link() fails with EEXIST when the lock exists: creation and content appear at once.
        linkSync(candidate, path);
        heldHere.add(path);
        return {
          holder,
          release: () => {
            heldHere.delete(path);
            releaseIfOurs(path, holder);
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const current = readHolder(path);
      if (!current) continue; // released between our attempts
      const sameMachine = current.hostname === holder.hostname;
      const previousIncarnation = sameMachine && current.pid === process.pid && !heldHere.has(path);
      if (current.pid > 0 && !previousIncarnation && (!sameMachine || couldHoldLock(current.pid))) {
        throw new DatabaseLockedError(dataDir, current);
      }
      if (current.pid < 0 && Date.now() - statSync(path).mtimeMs < 2000) {
        // Possibly being written right now by another opener: wait for it to settle.
        continue;
      }
      // The holder is gone: move its lock aside (only one taker's rename succeeds), check that
      // what was moved is the dead holder's lock, not one a faster taker has just written.
      const aside = `${path}.stale.${process.pid}.${attempt}`;
      try {
        renameSync(path, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      const moved = readHolder(aside);
      if (moved && moved.pid > 0 && moved.pid !== current.pid && couldHoldLock(moved.pid)) {
        // A live lock was taken by mistake: put it back and report its holder.
        try {
          linkSync(aside, path);
        } finally {
          rmSync(aside, { force: true });
        }
        throw new DatabaseLockedError(dataDir, moved);
      }
      rmSync(aside, { force: true });
    }
    const current = readHolder(path);
    throw new DatabaseLockedError(dataDir, current ?? { pid: -1, hostname: "unknown host", command: "a concurrent opener", since: "now" });
  } finally {
    rmSync(candidate, { force: true });
  }
}

function releaseIfOurs(path: string, holder: LockHolder): void {
  const current = readHolder(path);
  if (current && current.pid === holder.pid && current.since === holder.since) rmSync(path, { force: true });
}

function describeCommand(): string {
  const args = process.argv.slice(1).map((a) => a.replace(/^.*\/(?=[^/]+$)/, ""));
  return args.join(" ").slice(0, 200) || "node";
}
