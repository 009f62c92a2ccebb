import { graphql } from "../../../gql/index.ts";

export const CompareCampaignsQuery = graphql(`
  query CompareCampaigns($ids: [ID!]!) {
    compareCampaigns(ids: $ids) {
      campaign { id name status channel segmentName segmentKey primaryKpi holdoutRatio launchedAt }
      hasResult
      isProvisional
      isSrmMismatch
      treatmentN
      controlN
      primary { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant verdict analysis relativeLiftMethod relativeLiftMethodCode }
      conversion { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant verdict analysis relativeLiftMethod relativeLiftMethodCode }
      revenuePerCustomer { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant verdict analysis relativeLiftMethod relativeLiftMethodCode }
      incrementalRevenue
      roi
      money { roi roiCi { lower upper } probabilityRoiPositive isProfitable netProfit netProfitCi { lower upper } campaignCost methodCode }
      decision
    }
  }
`);

/** Campaigns that can be added to the comparison. */
export const CompareCandidatesQuery = graphql(`
  query CompareCandidates {
    campaigns(first: 100) {
      nodes { id name status segmentName segmentKey }
    }
  }
`);
