// Which message files (locales/<locale>/<namespace>.json) each screen needs. A visit downloads
// SHELL with its language before the app mounts, and a route's own namespaces while the router
// enters it (router.ts), so a page renders with all of its words and the other files of the
// catalogue are fetched only when a page that uses them is opened.
//
// The lists are what the code uses: namespaces.test.ts scans each page's import closure
// for message keys (t("…"), $t('…'), keypath, keys kept in constants, `prefix.${code}` keys
// built from API codes) and fails when a page uses a namespace its list lacks, or lists one it
// does not use. Keys are not prefixed by their file: files are merged into one tree (catalogue.ts),
// so `nav.*` or `errors.*` can live in several files; the test maps every key to its file.

/** The message files, by name. */
export const NAMESPACES = [
  "acquisition",
  "api-errors",
  "campaign-delivery",
  "campaign-detail",
  "campaign-loyalty",
  "campaign-plan",
  "campaign-trust",
  "core",
  "daily",
  "explorer",
  "import-problems",
  "imports",
  "jobs",
  "loyalty",
  "segments",
  "settings",
] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Loaded with the language, before the app mounts: the header, navigation, search box and what every page shares (formats, role and segment names). */
export const SHELL_NAMESPACES: readonly Namespace[] = ["core"];

/**
 * Every page that shows an API error (ErrorAlert, a form's field problems, sign-in) words its
 * reason and problems from api-errors. It loads with the page, not when an error arrives: an
 * error is when the network is least likely to deliver another file. A refused import's lines
 * (import-problems) are the exception: see ON_DEMAND_NAMESPACES.
 */
const ERRORS: Namespace[] = ["api-errors"];

/**
 * Parts that load their own message files when they are first shown, not with the page (file
 * under src → its namespaces; it calls loadNamespaces with them, and is imported only by
 * import()). An error alert words the lines of a refused file (FileProblem.vue) from
 * import-problems: only an import refused for its content has them, and the file reached the
 * server, so the network is up. The import page, whose own upload form words them too, lists it.
 */
export const ON_DEMAND_NAMESPACES: Readonly<Record<string, readonly Namespace[]>> = {
  "features/shared/components/FileProblem.vue": ["import-problems"],
};

/** Per route name (router.ts): the namespaces its page needs besides SHELL_NAMESPACES. */
export const ROUTE_NAMESPACES: Readonly<Record<string, readonly Namespace[]>> = {
  login: [...ERRORS],
  // KPI trends, cohorts, the range bar and the glossary's help popovers (TermHelp) are in daily.
  dashboard: ["daily", ...ERRORS],
  // Saved views (savedViews.*) and the filtered export are in imports.
  customers: ["daily", "imports", ...ERRORS],
  customer: ["loyalty", ...ERRORS],
  segments: ["daily", "segments", ...ERRORS],
  // The board (campaignBoard.*) is in campaign-plan; its saved views in imports.
  campaigns: ["campaign-plan", "imports", ...ERRORS],
  "campaign-new": ["campaign-detail", "campaign-loyalty", "campaign-plan", ...ERRORS],
  "campaign-compare": ["campaign-detail", "campaign-plan", "campaign-trust", ...ERRORS],
  campaign: ["campaign-delivery", "campaign-detail", "campaign-loyalty", "campaign-trust", ...ERRORS],
  clv: ["daily", ...ERRORS],
  acquisition: ["acquisition", ...ERRORS],
  loyalty: ["loyalty", ...ERRORS],
  // The upload form words the problems of a checked file (problem-text.ts) from import-problems.
  imports: ["imports", "import-problems", ...ERRORS],
  // The explorer's page opens the API keys drawer (apiKeys.* in settings).
  explorer: ["explorer", "settings", ...ERRORS],
  // The RF segment map editor (rfMapEditor.*) is in imports, the job schedule in jobs.
  settings: ["daily", "imports", "jobs", "settings", ...ERRORS],
  account: ["daily", ...ERRORS],
  search: ["daily", ...ERRORS],
  glossary: ["daily"],
  "not-allowed": ["daily"],
  "not-found": ["daily"],
};

/** The namespaces a route needs besides the shell's; none for a route without a list. */
export function routeNamespaces(name: string | symbol | null | undefined): readonly Namespace[] {
  return typeof name === "string" ? (ROUTE_NAMESPACES[name] ?? []) : [];
}
