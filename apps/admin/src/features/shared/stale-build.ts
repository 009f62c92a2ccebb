// A tab opened before the admin was rebuilt still runs the old build, whose page chunks are gone
// from the server: the next click on a page not yet visited fetched a missing chunk and left a
// blank page with nothing to say why. Loading the page the user asked for afresh picks up the
// new build. A chunk that is missing from the new build too would reload forever, so the same
// page is loaded afresh at most once in RELOAD_WINDOW_MS; after that the error stays.

const STORAGE_KEY = "ltvloop.staleBuildReload";
export const RELOAD_WINDOW_MS = 30_000;

/** Whether an error is the browser failing to fetch one of the build's chunks (JavaScript or CSS). */
export function isStaleChunkError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Unable to preload CSS/i.test(message);
}

type ReloadStore = Pick<Storage, "getItem" | "setItem">;

/**
 * Whether to load `target` afresh now; when it says yes it remembers the attempt, so a second
 * failure on the same page within the window says no.
 */
export function claimReload(storage: ReloadStore, target: string, now: number): boolean {
  try {
    const previous = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null") as { target?: unknown; at?: unknown } | null;
    if (previous && previous.target === target && typeof previous.at === "number" && now - previous.at >= 0 && now - previous.at < RELOAD_WINDOW_MS) return false;
  } catch {
    // An unreadable record is no record.
  }
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify({ target, at: now }));
  } catch {
    // Without storage there is no loop guard: do not reload at all.
    return false;
  }
  return true;
}
