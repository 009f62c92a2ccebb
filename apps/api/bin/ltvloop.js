#!/usr/bin/env node
// The `ltvloop` command as users run it: the built bundle in dist/, rebuilt first when a source
// file is newer than the bundle (a few seconds), so a checkout never runs stale code.
import { pathToFileURL } from "node:url";
import { ENTRY_FILE, bundle, isBundleStale } from "../scripts/bundle.mjs";

if (isBundleStale()) {
  process.stderr.write("ltvloop: building the command from the sources (once after each change)…\n");
  await bundle();
}
await import(pathToFileURL(ENTRY_FILE).href);
