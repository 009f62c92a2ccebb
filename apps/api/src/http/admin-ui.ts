// The built admin UI, served by the API so the product is one process on one port. Vite names
// every built asset by its content hash (assets/index-3f9a1c.js), so those are cached for a year
// as immutable; index.html names the current hashes, so browsers revalidate it on every load
// (no-cache): after an upgrade the next page load gets the new index and with it the new assets.
import { existsSync } from "node:fs";
import { basename, extname, join, normalize, sep } from "node:path";
import express, { type Express, type Request } from "express";

export const INDEX_CACHE_CONTROL = "no-cache";
export const ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";
/** Other files of the build (icons, robots.txt): not hashed, so only briefly. */
export const OTHER_CACHE_CONTROL = "public, max-age=3600";

const ASSET_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
};

/** The encodings a request accepts, in the server's order of preference (Brotli is smaller). */
function acceptedEncodings(req: Request): ("br" | "gzip")[] {
  const header = String(req.headers["accept-encoding"] ?? "");
  const accepts = (name: string) => header.split(",").some((part) => {
    const [coding = "", ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return coding.trim().toLowerCase() === name && (q === undefined || Number(q.slice(2)) > 0);
  });
  return (["br", "gzip"] as const).filter(accepts);
}

export function mountAdminUi(app: Express, adminDist: string): void {
  const assets = `${sep}assets${sep}`;
  // The build writes .br and .gz copies of scripts and styles (apps/admin/scripts/precompress-plugin.ts):
  // a browser that accepts one gets it, so a visit downloads the compressed size.
  const compressed = new Map<string, boolean>();
  const hasCopy = (path: string) => {
    let found = compressed.get(path);
    if (found === undefined) {
      found = existsSync(path);
      compressed.set(path, found);
    }
    return found;
  };
  app.get(/^\/assets\/[^/]+$/, (req, res, next) => {
    const type = ASSET_TYPES[extname(req.path)];
    if (type === undefined) return next();
    const file = normalize(join(adminDist, req.path));
    if (!file.startsWith(join(adminDist, "assets") + sep)) return next();
    const encoding = acceptedEncodings(req).find((e) => hasCopy(`${file}.${e === "br" ? "br" : "gz"}`));
    res.setHeader("Vary", "Accept-Encoding");
    if (encoding === undefined) return next();
    res.setHeader("Content-Type", type);
    res.setHeader("Content-Encoding", encoding);
    res.setHeader("Cache-Control", ASSET_CACHE_CONTROL);
    res.sendFile(`${file}.${encoding === "br" ? "br" : "gz"}`, { cacheControl: false }, passOnUnlessAborted(next));
  });
  app.use(
    express.static(adminDist, {
      index: "index.html",
      setHeaders: (res, path) => {
        const cacheControl = basename(path) === "index.html" ? INDEX_CACHE_CONTROL : path.includes(assets) ? ASSET_CACHE_CONTROL : OTHER_CACHE_CONTROL;
        res.setHeader("Cache-Control", cacheControl);
      },
    }),
  );
  // A hashed asset that is not there (an old page asking for the previous build's files) is a
  // 404, not the app shell: HTML served as a script only hides the cause.
  app.get(/^\/assets\//, (_req, res) => {
    res.status(404).set("Cache-Control", "no-store").type("text").send("Not found: this file belongs to another build of the admin UI. Reload the page.");
  });
  // Client-side routes: any other GET that accepts HTML gets the app shell.
  app.get(/^\/(?!graphql|export|healthz).*/, (req, res, next) => {
    if (!req.accepts("html")) return next();
    res.set("Cache-Control", INDEX_CACHE_CONTROL);
    res.sendFile("index.html", { root: adminDist }, passOnUnlessAborted(next));
  });
}

/**
 * A sendFile callback: a browser that navigated away or closed the tab mid-download aborts the
 * request (Express reports ECONNABORTED). Nothing is wrong and nobody is left to answer, so it is
 * not passed on as an error (whose handler would log a stack trace for every such page change).
 */
function passOnUnlessAborted(next: (error?: unknown) => void): (error?: Error) => void {
  return (error) => {
    if (error && (error as { code?: string }).code !== "ECONNABORTED") next(error);
  };
}
