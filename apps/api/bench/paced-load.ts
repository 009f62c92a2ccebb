// An open-loop load at a fixed rate: request i is due at start + i / rate, sent then on a free
// keep-alive connection (a new one when all are busy), and its latency counts from the moment it
// was due, so a server that falls behind is charged for the wait as well (no coordinated
// omission). autocannon's `overallRate` is not this: each of its connections sends back to back
// until it has used its share of the second and then pauses, so the load arrives in bursts at
// the start of every second and the latencies are those of the full concurrency.
// The bench runs it in a fresh process of its own (pacedLoadInChild), so that no other work and
// no garbage collection of a long-running process delays the requests it sends.
import { execFile } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export interface PacedTarget {
  port: number;
  headers: Record<string, string>;
  body: string;
  /** The answer every request must get; a different body counts as a failure. */
  expect?: string | undefined;
}

export interface PacedRun {
  /** Answered requests, latencies in ms from the due time, sorted. */
  latencies: number[];
  failures: number;
  seconds: number;
  /** The most connections open at once. */
  connections: number;
}

export function pacedLoad(target: PacedTarget, rate: number, seconds: number, maxConnections = 256): Promise<PacedRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: maxConnections });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  let settled = 0;
  let inFlight = 0;
  let peak = 0;
  const body = Buffer.from(target.body);
  const headers = { ...target.headers, "content-length": String(body.length) };
  return new Promise((resolve) => {
    const start = performance.now();
    const finish = () => {
      agent.destroy();
      resolve({ latencies: latencies.sort((a, b) => a - b), failures, seconds: (performance.now() - start) / 1000, connections: peak });
    };
    const done = (due: number, ok: boolean) => {
      inFlight -= 1;
      settled += 1;
      if (ok) latencies.push(performance.now() - due);
      else failures += 1;
      if (settled === total) finish();
    };
    const fire = (due: number) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      const req = request({ host: "127.0.0.1", port: target.port, path: "/graphql", method: "POST", headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => done(due, res.statusCode === 200 && (!target.expect || Buffer.concat(chunks).toString() === target.expect)));
      });
      req.on("error", () => done(due, false));
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        fire(start + (sent * 1000) / rate);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - performance.now()));
    };
    tick();
  });
}

/** pacedLoad in a fresh process (`tsx paced-load.ts SPEC`), which prints its run as JSON. */
export async function pacedLoadInChild(target: PacedTarget, rate: number, seconds: number): Promise<PacedRun> {
  const spec = JSON.stringify({ target: { port: target.port, headers: target.headers, body: target.body, expect: target.expect }, rate, seconds });
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), spec], { maxBuffer: 1 << 26 });
  return JSON.parse(stdout) as PacedRun;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const spec = JSON.parse(process.argv[2] ?? "{}") as { target: PacedTarget; rate: number; seconds: number };
  process.stdout.write(JSON.stringify(await pacedLoad(spec.target, spec.rate, spec.seconds)));
}
