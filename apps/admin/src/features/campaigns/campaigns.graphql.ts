import { graphql } from "../../gql/index.ts";

export const CampaignsQuery = graphql(`
  query Campaigns($statuses: [CampaignStatus!]) {
    campaigns(first: 100, filter: { statuses: $statuses }) {
      totalCount
      nodes { id name status objective channel segmentName plannedStart launchedAt decision updatedAt }
    }
  }
`);

export const CampaignQuery = graphql(`
  query Campaign($id: ID!) {
    campaign(id: $id) {
      id
      name
      status
      objective
      channel
      hypothesis
      offer
      segmentId
      segmentName
      holdoutRatio
      outcomeWindowDays
      primaryKpi
      expectedLift
      costPerContact
      fixedCost
      plannedStart
      launchedAt
      outcomeWindowEndsAt
      decision
      decisionRationale
      reviewedBy
      reviewedAt
      plan {
        eligibleCustomers
        segmentMembers
        optedOut
        treatmentSize
        controlSize
        baselineConversion
        isUnderpowered
        requiredSegmentSize
        mdeConversion { absolute relative }
        warnings { code message }
      }
      roster { treatment control }
      latestResult {
        id
        computedAt
        isProvisional
        primary { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant }
        groups { group n converters conversion revenuePerCustomer ordersPerCustomer }
        srm { isMismatch pValue plannedHoldoutRatio observedHoldoutRatio }
        money { incrementalRevenue incrementalGrossProfit campaignCost roi margin }
      }
      events { id at actor kind fromStatus toStatus }
    }
  }
`);

export const PlanCampaignMutation = graphql(`
  mutation PlanCampaign($id: ID!) {
    planCampaign(id: $id) { id status }
  }
`);

export const LaunchCampaignMutation = graphql(`
  mutation LaunchCampaign($id: ID!, $idempotencyKey: String!) {
    launchCampaign(id: $id, idempotencyKey: $idempotencyKey) { id status }
  }
`);

export const MeasureCampaignMutation = graphql(`
  mutation MeasureCampaign($id: ID!) {
    measureCampaign(id: $id) { id status }
  }
`);

export const ReviewCampaignMutation = graphql(`
  mutation ReviewCampaign($id: ID!, $decision: CampaignDecision!, $rationale: String!) {
    reviewCampaign(id: $id, decision: $decision, rationale: $rationale) { campaign { id status } nextCycle { id } }
  }
`);
