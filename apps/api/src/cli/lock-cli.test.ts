// `ltvloop import` into an embedded directory another process holds (a running server) is refused
// with exit code 1, naming the holder and what to do, and writes nothing.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runLtvloop } from "../testing/cli.ts";

const clientModule = fileURLToPath(new URL("../../../../packages/db/src/client.ts", import.meta.url));

describe("the embedded database's single writer, from the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "ltvloop-lock-cli-"));
  let holder: ChildProcess | undefined;
  afterAll(() => {
    holder?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses an import while another process holds the directory, then imports once it is gone", async () => {
    const script = `import { createDb } from ${JSON.stringify(clientModule)};
      await createDb({ dataDir: ${JSON.stringify(join(dir, "db"))}, lockCommand: "ltvloop serve" });
      process.stdout.write("ready\\n");
      setInterval(() => {}, 1000);`;
    holder = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      holder?.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      holder?.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
    });
    const file = join(dir, "customers.csv");
    writeFileSync(file, "external_id,name\nc-1,Aiko\n");
    const refused = await runLtvloop(join(dir, "db"), "import", "customers", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is in use by process ${holder.pid} (ltvloop serve)`);
    expect(refused.stderr).toMatch(/Stop that process first .* or, while it serves, do the work through the server/);
    expect(refused.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace

    holder.kill("SIGKILL");
    await new Promise((resolve) => holder?.once("exit", resolve));
    const imported = await runLtvloop(join(dir, "db"), "import", "customers", file);
    expect(imported.code, imported.stderr).toBe(0);
  }, 180_000);
});
