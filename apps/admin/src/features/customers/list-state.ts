// The customer list's state (search, filters, sort, page) lives in the URL so that Back, reload,
// bookmarks and shared links all show the same list. One function each way, tested.
import type { CustomerFilter, CustomerSortField, SortDirection } from "../../gql/graphql.ts";

export const SORT_FIELDS: CustomerSortField[] = ["PREDICTED_CLV", "HISTORICAL_CLV", "P_ALIVE", "MONETARY", "REVENUE", "ORDER_COUNT", "RECENCY_DAYS", "LAST_ORDER_AT", "ACQUIRED_AT", "EXTERNAL_ID", "NAME"];
export const DEFAULT_SORT: CustomerSortField = "PREDICTED_CLV";
export const DEFAULT_DIRECTION: SortDirection = "DESC";

export interface ListState {
  search: string;
  rfmSegments: string[];
  prefectures: string[];
  decileMin: number | null;
  decileMax: number | null;
  pAliveMin: number | null;
  pAliveMax: number | null;
  sort: CustomerSortField;
  direction: SortDirection;
  /** The `after` cursors of the pages visited beyond the first (page n = n − 1 cursors). */
  cursors: string[];
}

export type Query = Record<string, string | null | (string | null)[] | undefined>;

const list = (v: Query[string]): string[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is string => typeof x === "string" && x.length > 0);
const first = (v: Query[string]): string | undefined => list(v)[0];
function num(v: Query[string], min: number, max: number): number | null {
  const text = first(v);
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

export function emptyState(): ListState {
  return { search: "", rfmSegments: [], prefectures: [], decileMin: null, decileMax: null, pAliveMin: null, pAliveMax: null, sort: DEFAULT_SORT, direction: DEFAULT_DIRECTION, cursors: [] };
}

/** Reads the URL's query; anything malformed is dropped rather than breaking the page. */
export function stateFromQuery(query: Query): ListState {
  const sort = first(query["sort"]);
  const dir = first(query["dir"]);
  return {
    search: first(query["q"]) ?? "",
    rfmSegments: list(query["seg"]),
    prefectures: list(query["pref"]),
    decileMin: num(query["dmin"], 1, 10),
    decileMax: num(query["dmax"], 1, 10),
    pAliveMin: num(query["pmin"], 0, 1),
    pAliveMax: num(query["pmax"], 0, 1),
    sort: SORT_FIELDS.includes(sort as CustomerSortField) ? (sort as CustomerSortField) : DEFAULT_SORT,
    direction: dir === "ASC" || dir === "DESC" ? dir : DEFAULT_DIRECTION,
    cursors: list(query["after"]),
  };
}

/** The shortest query for a state: defaults are left out. */
export function queryFromState(state: ListState): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  if (state.search.trim()) q["q"] = state.search.trim();
  if (state.rfmSegments.length) q["seg"] = [...state.rfmSegments];
  if (state.prefectures.length) q["pref"] = [...state.prefectures];
  if (state.decileMin !== null) q["dmin"] = String(state.decileMin);
  if (state.decileMax !== null) q["dmax"] = String(state.decileMax);
  if (state.pAliveMin !== null) q["pmin"] = String(state.pAliveMin);
  if (state.pAliveMax !== null) q["pmax"] = String(state.pAliveMax);
  if (state.sort !== DEFAULT_SORT) q["sort"] = state.sort;
  if (state.direction !== DEFAULT_DIRECTION) q["dir"] = state.direction;
  if (state.cursors.length) q["after"] = [...state.cursors];
  return q;
}

/** The API's filter for a state. */
export function filterFromState(state: ListState): CustomerFilter {
  const filter: CustomerFilter = {};
  if (state.search.trim()) filter.search = state.search.trim();
  if (state.rfmSegments.length) filter.rfmSegments = state.rfmSegments;
  if (state.prefectures.length) filter.prefectures = state.prefectures;
  if (state.decileMin !== null) filter.decileMin = state.decileMin;
  if (state.decileMax !== null) filter.decileMax = state.decileMax;
  if (state.pAliveMin !== null) filter.pAliveMin = state.pAliveMin;
  if (state.pAliveMax !== null) filter.pAliveMax = state.pAliveMax;
  return filter;
}

/**
 * The filter form, a draft of the URL's filters until Apply. P(alive) is typed in percent
 * (0–100), as the table shows it; the URL and the API keep the 0–1 probability.
 */
export interface FilterForm {
  search: string;
  rfmSegments: string[];
  prefectures: string[];
  decileMin: number | null;
  decileMax: number | null;
  pAliveMinPct: number | null;
  pAliveMaxPct: number | null;
}

/** 0.3 → 30 and back, without binary noise (0.07 × 100 is 7.000000000000001). */
const toPercent = (p: number | null): number | null => (p === null ? null : Math.round(p * 1e8) / 1e6);
const fromPercent = (pct: number | null): number | null => (pct === null ? null : Math.round(pct * 1e6) / 1e8);

/** The form showing a state's filters. */
export function formFromState(state: ListState): FilterForm {
  return {
    search: state.search,
    rfmSegments: [...state.rfmSegments],
    prefectures: [...state.prefectures],
    decileMin: state.decileMin,
    decileMax: state.decileMax,
    pAliveMinPct: toPercent(state.pAliveMin),
    pAliveMaxPct: toPercent(state.pAliveMax),
  };
}

/** The state after applying the form: its filters, the state's sort, back to the first page. */
export function applyForm(state: ListState, form: FilterForm): ListState {
  return {
    ...state,
    search: form.search,
    rfmSegments: [...form.rfmSegments],
    prefectures: [...form.prefectures],
    decileMin: form.decileMin,
    decileMax: form.decileMax,
    pAliveMin: fromPercent(form.pAliveMinPct),
    pAliveMax: fromPercent(form.pAliveMaxPct),
    cursors: [],
  };
}

/** The bounds of each range field, in the form's units. */
export const FORM_BOUNDS = { decile: { lo: 1, hi: 10 }, pAlive: { lo: 0, hi: 100 } } as const;

export type FormProblem =
  | { kind: "order"; field: "decile" | "pAlive"; min: number; max: number }
  | { kind: "bounds"; field: "decile" | "pAlive"; value: number; lo: number; hi: number };

/** What keeps the form from being applied, caught here before the server would refuse it: a value out of bounds, a minimum above its maximum. */
export function formProblems(form: Pick<FilterForm, "decileMin" | "decileMax" | "pAliveMinPct" | "pAliveMaxPct">): FormProblem[] {
  const out: FormProblem[] = [];
  const ranges = [
    { field: "decile" as const, min: form.decileMin, max: form.decileMax },
    { field: "pAlive" as const, min: form.pAliveMinPct, max: form.pAliveMaxPct },
  ];
  for (const { field, min, max } of ranges) {
    const { lo, hi } = FORM_BOUNDS[field];
    const outside = [min, max].filter((v): v is number => v !== null && (v < lo || v > hi));
    for (const value of outside) out.push({ kind: "bounds", field, value, lo, hi });
    if (!outside.length && min !== null && max !== null && min > max) out.push({ kind: "order", field, min, max });
  }
  return out;
}
