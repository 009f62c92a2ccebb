// The admin UI's caching: after an upgrade a browser must not keep an index.html that names the
// previous build's assets, while the hashed assets themselves are cached for good.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, brotliCompressSync, gunzipSync, gzipSync } from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_CACHE_CONTROL, INDEX_CACHE_CONTROL, mountAdminUi } from "./admin-ui.ts";

const BIG = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `word${i % 50}`))};\n`;

describe("serving the admin UI", () => {
  let dir: string;
  let base: string;
  let close: () => void;
  /** Errors the routes passed on (Express's handler would log each with its stack). */
  const errors: unknown[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "admin-dist-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), '<!doctype html><script src="/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, "assets", "index-abc123.js"), "console.log(1)");
    // A large script with the build's compressed copies, and a stylesheet without them.
    writeFileSync(join(dir, "assets", "big-def456.js"), BIG);
    writeFileSync(join(dir, "assets", "big-def456.js.gz"), gzipSync(BIG));
    writeFileSync(join(dir, "assets", "big-def456.js.br"), brotliCompressSync(BIG));
    writeFileSync(join(dir, "assets", "style-aaa111.css"), "body{margin:0}");
    writeFileSync(join(dir, "favicon.svg"), "<svg/>");
    // Large enough that a download is still running when the client goes away.
    writeFileSync(join(dir, "assets", "huge-0f0f0f.js"), "");
    writeFileSync(join(dir, "assets", "huge-0f0f0f.js.br"), Buffer.alloc(32 * 1024 * 1024, 7));
    const app = express();
    mountAdminUi(app, dir);
    app.use((error: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
      errors.push(error);
      next(error);
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a download the browser abandons (it navigated away) is not passed on as an error", async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request(`${base}/assets/huge-0f0f0f.js`, { headers: { "accept-encoding": "br" } }, (res) => {
        expect(res.headers["content-encoding"]).toBe("br");
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", (error) => ((error as { code?: string }).code === "ECONNRESET" ? undefined : reject(error)));
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(errors).toEqual([]);
  });

  it("index.html is revalidated on every load, at / and by name", async () => {
    for (const path of ["/", "/index.html"]) {
      const res = await fetch(`${base}${path}`, { headers: { accept: "text/html" } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe(INDEX_CACHE_CONTROL);
      expect(await res.text()).toContain("index-abc123.js");
    }
  });

  it("client-side routes get the app shell, also revalidated", async () => {
    const res = await fetch(`${base}/campaigns/12?tab=results`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("<!doctype html>");
  });

  it("hashed assets are immutable for a year; other files an hour", async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe(ASSET_CACHE_CONTROL);
    expect(ASSET_CACHE_CONTROL).toMatch(/max-age=31536000.*immutable/);
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
  });

  it("an asset of another build is a 404, not the app shell served as a script", async () => {
    const res = await fetch(`${base}/assets/index-old999.js`, { headers: { accept: "*/*" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).not.toMatch(/html/);
  });

  it("sends the build's Brotli or gzip copy of a script to a browser that accepts it, the plain file otherwise", async () => {
    const get = (encoding: string | undefined) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        // node:http, not fetch: fetch would decode the body and hide what was sent.
        const url = new URL(`${base}/assets/big-def456.js`);
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: encoding === undefined ? {} : { "accept-encoding": encoding } }, (res) => {
          const parts: Buffer[] = [];
          res.on("data", (part: Buffer) => parts.push(part));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
        });
        req.on("error", reject);
        req.end();
      });
    const br = await get("gzip, deflate, br");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(br.headers["cache-control"]).toBe(ASSET_CACHE_CONTROL);
    expect(br.headers.vary).toContain("Accept-Encoding");
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG);
    expect(br.body.length).toBeLessThan(BIG.length / 5);
    const gz = await get("gzip;q=1.0, br;q=0");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(BIG);
    const plain = await get(undefined);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(BIG);
    // A file the build did not compress is served as it is, whatever the browser accepts.
    const css = await fetch(`${base}/assets/style-aaa111.css`, { headers: { "accept-encoding": "br, gzip" } });
    expect(css.headers.get("content-encoding")).toBeNull();
    expect(await css.text()).toBe("body{margin:0}");
  });
});
