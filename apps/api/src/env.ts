import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/admin's build output, next to this app in the monorepo. */
const DEFAULT_ADMIN_DIST = fileURLToPath(new URL("../../admin/dist", import.meta.url));

// The one reader of process.env: every variable the API and CLI understand, validated once.
// The README's configuration table lists the same variables.

export interface Env {
  /** `postgres://…` for PostgreSQL; unset for embedded PGlite. */
  databaseUrl: string | undefined;
  /** PGlite data directory (embedded mode only). */
  dataDir: string;
  port: number;
  host: string;
  isProduction: boolean;
  /** Demo users' password (demo seed only). */
  demoPassword: string;
  /** Log every SQL statement to stderr. */
  logQueries: boolean;
  /** Session lifetime in hours. */
  sessionTtlHours: number;
  /** The built admin UI the server serves at `/`. */
  adminDist: string;
  /** Where the user typed the command: pnpm runs scripts inside apps/api and sets INIT_CWD. */
  invocationDir: string;
  /** PostgreSQL: longest one statement of a request may run (ms); 0 turns it off. */
  statementTimeoutMs: number;
  /** PostgreSQL: longest a session may sit idle inside a transaction (ms); 0 turns it off. */
  idleInTransactionTimeoutMs: number;
  /** PostgreSQL: longest one statement of a background job may run (ms), unless its kind says otherwise. */
  jobStatementTimeoutMs: number;
  /** Per job kind (`snapshot`, …): statement timeouts overriding jobStatementTimeoutMs. */
  jobStatementTimeouts: Record<string, number>;
  /** Run the scheduler (nightly snapshot, final measurements, retries) inside `ltvloop serve`. */
  schedulerEnabled: boolean;
  /** How often the scheduler looks for due work (ms). */
  schedulerPollMs: number;
  /** Express `trust proxy`: which proxies' X-Forwarded-For is believed; false trusts none. */
  trustProxy: false | string;
}

export class EnvError extends Error {
  override name = "EnvError";
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EnvError(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

function parseFlag(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === "" || raw === "0" || raw.toLowerCase() === "false") return false;
  if (raw === "1" || raw.toLowerCase() === "true") return true;
  throw new EnvError(`${name} must be 1/true or 0/false; got "${raw}".`);
}

/** `kind=ms,kind=ms` → { kind: ms }. */
function parseTimeouts(name: string, raw: string | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  if (!raw) return result;
  for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = part.match(/^([a-z][a-z0-9_-]*)=(\d+)$/i);
    if (!match) throw new EnvError(`${name} must list kind=milliseconds pairs separated by commas (e.g. "snapshot=1800000"); got "${part}".`);
    result[match[1] as string] = parseInteger(name, match[2], 0, 0, 86_400_000);
  }
  return result;
}

/** LTVLOOP_TRUST_PROXY: unset/0/false trusts no proxy; 1/true trusts loopback; else Express's own list syntax. */
function parseTrustProxy(raw: string | undefined): false | string {
  if (raw === undefined || raw === "" || raw === "0" || raw.toLowerCase() === "false") return false;
  if (raw === "1" || raw.toLowerCase() === "true") return "loopback";
  if (!/^[\w.:/, -]+$/.test(raw)) {
    throw new EnvError(`LTVLOOP_TRUST_PROXY must be 1, 0, or a list of proxy addresses/subnets (e.g. "loopback" or "10.0.0.0/8"); got "${raw}".`);
  }
  return raw;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const databaseUrl = source.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new EnvError(
      `DATABASE_URL must start with postgres:// or postgresql://; got "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}". Unset it to use the embedded database.`,
    );
  }
  return {
    databaseUrl,
    dataDir: resolvePath(source.INIT_CWD || process.cwd(), source.LTVLOOP_DATA_DIR || ".data/pglite"),
    port: parseInteger("PORT", source.PORT, 4000, 1, 65535),
    host: source.HOST || "127.0.0.1",
    isProduction: source.NODE_ENV === "production",
    demoPassword: source.LTVLOOP_DEMO_PASSWORD || "ltvloop-demo",
    logQueries: parseFlag("LTVLOOP_LOG_SQL", source.LTVLOOP_LOG_SQL),
    sessionTtlHours: parseInteger("LTVLOOP_SESSION_TTL_HOURS", source.LTVLOOP_SESSION_TTL_HOURS, 12, 1, 24 * 90),
    invocationDir: source.INIT_CWD || process.cwd(),
    statementTimeoutMs: parseInteger("LTVLOOP_STATEMENT_TIMEOUT_MS", source.LTVLOOP_STATEMENT_TIMEOUT_MS, 30_000, 0, 86_400_000),
    idleInTransactionTimeoutMs: parseInteger("LTVLOOP_IDLE_IN_TRANSACTION_TIMEOUT_MS", source.LTVLOOP_IDLE_IN_TRANSACTION_TIMEOUT_MS, 60_000, 0, 86_400_000),
    jobStatementTimeoutMs: parseInteger("LTVLOOP_JOB_STATEMENT_TIMEOUT_MS", source.LTVLOOP_JOB_STATEMENT_TIMEOUT_MS, 3_600_000, 0, 86_400_000),
    jobStatementTimeouts: parseTimeouts("LTVLOOP_JOB_STATEMENT_TIMEOUTS", source.LTVLOOP_JOB_STATEMENT_TIMEOUTS),
    trustProxy: parseTrustProxy(source.LTVLOOP_TRUST_PROXY),
    schedulerEnabled: source.LTVLOOP_SCHEDULER === undefined || source.LTVLOOP_SCHEDULER === "" ? true : parseFlag("LTVLOOP_SCHEDULER", source.LTVLOOP_SCHEDULER),
    schedulerPollMs: parseInteger("LTVLOOP_SCHEDULER_POLL_MS", source.LTVLOOP_SCHEDULER_POLL_MS, 30_000, 100, 3_600_000),
    adminDist: source.LTVLOOP_ADMIN_DIST ? resolvePath(source.INIT_CWD || process.cwd(), source.LTVLOOP_ADMIN_DIST) : DEFAULT_ADMIN_DIST,
  };
}
