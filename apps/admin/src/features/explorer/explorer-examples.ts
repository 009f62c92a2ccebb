// Starter queries from docs/graphql.md. They open as the explorer's first tabs (until the user
// has tabs of their own) and stay one click away in the Examples panel. explorer.test.ts
// validates every one against the committed schema, so a schema change cannot silently break them.

export interface ExplorerExample {
  /** Stable id; also the i18n key under `explorer.examples.<id>` for its title and comment. */
  id: string;
  query: string;
  /** Variables for the tab, computed when the explorer opens (dates relative to today). */
  variables?: (today: Date) => Record<string, unknown>;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export const EXPLORER_EXAMPLES: readonly ExplorerExample[] = [
  {
    id: "me",
    query: `query Me {
  me { email role authenticatedVia }
  latestSnapshot { id asOf customerCount }
}`,
  },
  {
    id: "atRisk",
    query: `query AtRisk($after: String) {
  customers(
    first: 50
    after: $after
    filter: { rfmSegments: ["at_risk"], pAliveMin: 0.3 }
    orderBy: { field: PREDICTED_CLV, direction: DESC }
  ) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      externalId name email prefecture lastOrderAt orderCount revenue
      score { rScore fScore mScore rfmSegment decile pAlive expectedPurchases expectedSpend predictedClv historicalClv }
    }
  }
}`,
  },
  {
    id: "rfm",
    query: `query RfmOverview {
  rfMatrix { asOf customers revenue cells { r f customers revenueShare meanMonetary segmentKey } }
  rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPredictedClv meanPAlive }
  deciles { decile customers revenue share cumulativeShare meanOrderValue }
}`,
  },
  {
    id: "kpis",
    query: `query Kpis($from: DateTimeISO!, $to: DateTimeISO!) {
  kpiOverview(from: $from, to: $to, granularity: MONTH) {
    currency meanClv
    periods { periodStart customers newCustomers activeCustomers repeatRate orders revenue averageOrderValue purchaseFrequency retentionRate churnRate }
    totals { orders revenue activeCustomers repeatRate }
  }
}`,
    variables: (today) => {
      const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
      const from = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), 1));
      return { from: `${isoDay(from)}T00:00:00+09:00`, to: `${isoDay(to)}T00:00:00+09:00` };
    },
  },
  {
    id: "clvModel",
    query: `query ClvModel {
  clvModel {
    asOf timeUnit drivingModel customers uniqueTriples horizonMonths monthlyDiscountRate margin
    bgNbd { r alpha a b logLikelihood converged error }
    gammaGamma { p q gamma logLikelihood converged error }
    holdout { calibrationEnd totalActual totalPredicted byFrequency { frequency customers actualMean predictedMean } error }
  }
}`,
  },
  {
    id: "segments",
    query: `query Segments {
  segments(first: 50) {
    nodes { id key name kind color stats { customers customerShare revenueShare meanPredictedClv meanPAlive } }
  }
}`,
  },
  {
    id: "cohorts",
    query: `query Cohorts {
  cohortRetention(maxMonths: 12) {
    cohorts { cohortMonth size cells { monthsSince activeCustomers retention revenue } }
  }
}`,
  },
];

/** One GraphiQL tab: the example's comment (in the user's language) above its query. */
export interface ExampleTab {
  query: string;
  variables?: string;
}

export function exampleTab(example: ExplorerExample, comment: string, today: Date): ExampleTab {
  const header = comment
    .split("\n")
    .map((line) => `# ${line}`.trimEnd())
    .join("\n");
  const tab: ExampleTab = { query: `${header}\n${example.query}\n` };
  if (example.variables) tab.variables = JSON.stringify(example.variables(today), null, 2);
  return tab;
}
