// Which columns a customer read selects: only those the GraphQL selection's fields need.

/** Each field of `CustomerScore` and the column it is read from (asOf comes from the snapshot). */
const SCORE_COLUMNS = {
  recencyDays: "s.recency_days as s_recency_days",
  frequency: "s.frequency as s_frequency",
  monetary: "s.monetary as s_monetary",
  rScore: "s.r_score as s_r",
  fScore: "s.f_score as s_f",
  mScore: "s.m_score as s_m",
  rfmSegment: "s.rfm_segment as s_rfm_segment",
  decile: "s.decile as s_decile",
  repeatPurchases: "s.btyd_x as s_x",
  recencyT: "s.btyd_t_x as s_tx",
  ageT: "s.btyd_t as s_t",
  pAlive: "s.p_alive as s_p_alive",
  expectedPurchases: "s.expected_purchases as s_expected_purchases",
  expectedSpend: "s.expected_spend as s_expected_spend",
  predictedClv: "s.predicted_clv as s_predicted_clv",
  historicalClv: "s.historical_clv as s_historical_clv",
  revenue: "s.revenue as s_revenue",
  orderCount: "s.order_count as s_order_count",
} as const;

/**
 * The columns of a customer row by what they serve; a read selects only the groups its GraphQL
 * selection needs (id, external id and name always), so a list of names and CLVs does not parse
 * every column of 50 customers. `score` is the score's presence (its snapshot id); each
 * `score:<field>` one field of it.
 */
const COLUMN_GROUPS = {
  contact: "c.email, c.email_opt_in, c.line_opt_in, c.sms_opt_in, c.dm_opt_in",
  attributes: "c.attributes",
  acquisition: "c.acquisition_channel, c.acquisition_cost, c.acquired_at",
  rollup: "r.first_order_at, r.last_order_at, coalesce(r.order_count, 0) as order_count, coalesce(r.revenue, 0) as revenue",
  score: "s.snapshot_id as s_snapshot_id",
  ...(Object.fromEntries(Object.entries(SCORE_COLUMNS).map(([field, column]) => [`score:${field}`, column])) as Record<`score:${keyof typeof SCORE_COLUMNS}`, string>),
};
export type ColumnGroup = keyof typeof COLUMN_GROUPS;
export const ALL_COLUMN_GROUPS: ReadonlySet<ColumnGroup> = new Set(Object.keys(COLUMN_GROUPS) as ColumnGroup[]);
const ALL_SCORE_GROUPS = (Object.keys(SCORE_COLUMNS) as (keyof typeof SCORE_COLUMNS)[]).map((field) => `score:${field}` as const);

/**
 * The column group each field of `Customer` reads; null for fields served by the id alone (their
 * own resolvers read the rest). A field missing here, such as one added later, reads every group.
 */
const GROUP_OF_FIELD: Record<string, ColumnGroup | null> = {
  __typename: null,
  id: null,
  externalId: null,
  name: null,
  orders: null,
  scoreHistory: null,
  segmentHistory: null,
  campaignExposures: null,
  email: "contact",
  emailOptIn: "contact",
  lineOptIn: "contact",
  smsOptIn: "contact",
  dmOptIn: "contact",
  attributes: "attributes",
  prefecture: "attributes",
  acquisitionChannel: "acquisition",
  acquisitionCost: "acquisition",
  acquiredAt: "acquisition",
  firstOrderAt: "rollup",
  lastOrderAt: "rollup",
  orderCount: "rollup",
  revenue: "rollup",
  score: "score",
};

/** Fields of `CustomerScore` that read no column of their own. */
const SCORE_WITHOUT_COLUMN = new Set(["__typename", "snapshotId", "asOf"]);

/**
 * The column groups the selected fields of `Customer` read, and of its score the selected
 * `scoreFields`. A field either list does not know reads every group (of the customer, or of
 * the score).
 */
export function columnGroupsFor(fields: Iterable<string>, scoreFields: Iterable<string> = []): ReadonlySet<ColumnGroup> {
  const groups = new Set<ColumnGroup>();
  for (const field of fields) {
    if (!Object.hasOwn(GROUP_OF_FIELD, field)) return ALL_COLUMN_GROUPS;
    const group = GROUP_OF_FIELD[field];
    if (group) groups.add(group);
  }
  if (!groups.has("score")) return groups;
  for (const field of scoreFields) {
    if (SCORE_WITHOUT_COLUMN.has(field)) continue;
    if (!Object.hasOwn(SCORE_COLUMNS, field)) {
      for (const group of ALL_SCORE_GROUPS) groups.add(group);
      break;
    }
    groups.add(`score:${field as keyof typeof SCORE_COLUMNS}`);
  }
  return groups;
}

/** The select list of a customer row with these column groups. */
export function customerColumns(groups: ReadonlySet<ColumnGroup> = ALL_COLUMN_GROUPS): string {
  return ["c.id, c.external_id, c.name", ...(Object.keys(COLUMN_GROUPS) as ColumnGroup[]).filter((g) => groups.has(g)).map((g) => COLUMN_GROUPS[g])].join(", ");
}

/** Every column of a score (with its snapshot id), as toScore reads them: a score history's select list. */
export function scoreColumns(): string {
  return [COLUMN_GROUPS.score, ...ALL_SCORE_GROUPS.map((g) => COLUMN_GROUPS[g])].join(", ");
}
