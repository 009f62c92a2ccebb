// Runs the real `ltvloop` command in a child process, as a user would.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const apiRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node --import tsx src/index.ts …args` in apps/api with the test's environment minus
 * DATABASE_URL, so the child uses embedded PGlite in `dataDir` (or needs no database at all).
 */
export function runLtvloop(dataDir: string, ...args: string[]): Promise<CliRun> {
  // eslint-disable-next-line no-restricted-properties -- the child inherits the test's environment, minus DATABASE_URL
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts", ...args], {
    cwd: apiRoot,
    env: { ...inherited, LTVLOOP_DATA_DIR: dataDir },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
