import { graphql } from "../../gql/index.ts";

export const KpiOverviewQuery = graphql(`
  query KpiOverview($from: DateTimeISO!, $to: DateTimeISO!) {
    kpiOverview(from: $from, to: $to, granularity: MONTH) {
      currency
      meanClv
      periods {
        periodStart
        customers
        activeCustomers
        repeatRate
        orders
        revenue
        averageOrderValue
        purchaseFrequency
        retentionRate
        churnRate
      }
    }
  }
`);

export const RfmSegmentSummaryQuery = graphql(`
  query RfmSegmentSummary {
    rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPredictedClv meanPAlive }
  }
`);

export const LatestSnapshotQuery = graphql(`
  query LatestSnapshot {
    latestSnapshot { id asOf finishedAt customerCount }
  }
`);

export const CreateSnapshotMutation = graphql(`
  mutation CreateSnapshot($input: CreateSnapshotInput) {
    createSnapshot(input: $input) { id status progress stage }
  }
`);

export const SnapshotProgressQuery = graphql(`
  query SnapshotProgress($id: ID!) {
    snapshot(id: $id) { id status progress stage error }
  }
`);

export const CohortRetentionQuery = graphql(`
  query CohortRetention($from: DateTimeISO, $to: DateTimeISO, $maxMonths: Int! = 12) {
    cohortRetention(from: $from, to: $to, maxMonths: $maxMonths) {
      maxMonths
      dataThrough
      partialMonth
      cohorts { cohortMonth size cells { monthsSince activeCustomers retention } }
    }
  }
`);
