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

export interface RangeProblem {
  field: "decile" | "pAlive";
  min: number;
  max: number;
}

/** Ranges whose minimum is above their maximum: caught here, before the server would refuse them. */
export function rangeProblems(state: Pick<ListState, "decileMin" | "decileMax" | "pAliveMin" | "pAliveMax">): RangeProblem[] {
  const out: RangeProblem[] = [];
  if (state.decileMin !== null && state.decileMax !== null && state.decileMin > state.decileMax) out.push({ field: "decile", min: state.decileMin, max: state.decileMax });
  if (state.pAliveMin !== null && state.pAliveMax !== null && state.pAliveMin > state.pAliveMax) out.push({ field: "pAlive", min: state.pAliveMin, max: state.pAliveMax });
  return out;
}
