// Builds the production runtime of the API and the `ltvloop` command: one ESM bundle of the
// TypeScript sources (this app and the workspace packages it imports), with every third-party
// package left to Node's own resolution. Plain JavaScript so that `bin/ltvloop.js` can call it
// without a TypeScript loader.
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const apiRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(apiRoot, "../..");
export const OUT_DIR = join(apiRoot, "dist");
export const ENTRY_FILE = join(OUT_DIR, "ltvloop.js");

/** Everything the bundle is made from; a change to any of these makes it stale. */
const SOURCE_DIRS = [join(apiRoot, "src"), join(repoRoot, "packages/db/src"), join(repoRoot, "packages/scoring/src")];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when the bundle is missing or older than a source file. */
export function isBundleStale() {
  let built;
  try {
    built = statSync(ENTRY_FILE).mtimeMs;
  } catch {
    return true;
  }
  return SOURCE_DIRS.some((dir) => newestMtime(dir) > built);
}

/**
 * Source files that find their neighbours through `import.meta.url` (the migrations folder, the
 * admin build) keep doing so from the bundle: each occurrence becomes the file's own original
 * URL, computed relative to the bundle, so the repository can still be moved as a whole.
 */
const keepModuleUrls = {
  name: "keep-module-urls",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      let contents = await readFile(args.path, "utf8");
      if (contents.includes("import.meta.url")) {
        const fromBundle = relative(OUT_DIR, args.path).split("\\").join("/");
        contents = contents.replaceAll("import.meta.url", `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
      }
      return { contents, loader: "ts" };
    });
  },
};

/**
 * Third-party packages stay external (native addons, WASM assets, one copy of graphql). A package
 * this app depends on is imported by name; one only a workspace package depends on (pnpm does not
 * hoist it) by its resolved file, relative to the bundle.
 */
const externalPackages = {
  name: "external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@ltvloop/") || args.path.startsWith("node:")) return undefined;
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      if (existsSync(join(apiRoot, "node_modules", name))) return { path: args.path, external: true };
      const file = createRequire(args.importer).resolve(args.path);
      return { path: "./" + relative(OUT_DIR, file).split("\\").join("/"), external: true };
    });
  },
};

/** Bundles `src/index.ts` into `dist/` (code-split, so `--help` loads no server code). */
export async function bundle() {
  const { build } = await import("esbuild");
  await build({
    entryPoints: { ltvloop: join(apiRoot, "src/index.ts") },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    tsconfig: join(apiRoot, "tsconfig.json"),
    plugins: [externalPackages, keepModuleUrls],
    logLevel: "warning",
    legalComments: "none",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await bundle();
  process.stdout.write(`Bundled the API into ${relative(process.cwd(), ENTRY_FILE)} in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
}
