// The built admin UI, served by the API so the product is one process on one port. Vite names
// every built asset by its content hash (assets/index-3f9a1c.js), so those are cached for a year
// as immutable; index.html names the current hashes, so browsers revalidate it on every load
// (no-cache): after an upgrade the next page load gets the new index and with it the new assets.
import { basename, sep } from "node:path";
import express, { type Express } from "express";

export const INDEX_CACHE_CONTROL = "no-cache";
export const ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";
/** Other files of the build (icons, robots.txt): not hashed, so only briefly. */
export const OTHER_CACHE_CONTROL = "public, max-age=3600";

export function mountAdminUi(app: Express, adminDist: string): void {
  const assets = `${sep}assets${sep}`;
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
    res.sendFile("index.html", { root: adminDist });
  });
}
