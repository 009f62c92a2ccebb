// The admin UI's caching: after an upgrade a browser must not keep an index.html that names the
// previous build's assets, while the hashed assets themselves are cached for good.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_CACHE_CONTROL, INDEX_CACHE_CONTROL, mountAdminUi } from "./admin-ui.ts";

describe("serving the admin UI", () => {
  let dir: string;
  let base: string;
  let close: () => void;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "admin-dist-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), '<!doctype html><script src="/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, "assets", "index-abc123.js"), "console.log(1)");
    writeFileSync(join(dir, "favicon.svg"), "<svg/>");
    const app = express();
    mountAdminUi(app, dir);
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close?.();
    rmSync(dir, { recursive: true, force: true });
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
});
