import { graphql } from "../../../gql/index.ts";

/**
 * Step 1's choices: every active segment with its size and value in the latest snapshot. All of
 * SegmentStats is selected: it has no id, so a narrower selection would replace (and drop
 * fields of) what the segments page cached under the same Segment.
 */
export const PlanSegmentsQuery = graphql(`
  query PlanSegments {
    segments(first: 100) {
      nodes {
        id
        key
        name
        kind
        color
        description
        stats { snapshotId customers customerShare revenue revenueShare meanPredictedClv meanPAlive }
      }
    }
    latestSnapshot { id asOf }
  }
`);

/**
 * The settings' default margin. Fetched without the cache: SettingsType has no id, so another
 * selection of `settings` in the cache would replace (not merge with) the session's one.
 */
export const PlanDefaultsQuery = graphql(`
  query PlanDefaults {
    settings { defaultMargin }
  }
`);

/** The planner's live numbers (nothing is saved). */
export const PowerAnalysisQuery = graphql(`
  query PlanPowerAnalysis(
    $segmentId: ID!
    $snapshotId: ID
    $channel: CampaignChannel!
    $holdoutRatio: Float!
    $expectedLift: Float
    $outcomeWindowDays: Int!
    $primaryKpi: CampaignKpi
    $objective: CampaignObjective
  ) {
    powerAnalysis(
      segmentId: $segmentId
      snapshotId: $snapshotId
      channel: $channel
      holdoutRatio: $holdoutRatio
      expectedLift: $expectedLift
      outcomeWindowDays: $outcomeWindowDays
      primaryKpi: $primaryKpi
      objective: $objective
    ) {
      snapshotId
      snapshotAsOf
      segmentMembers
      optedOut
      eligibleCustomers
      treatmentSize
      controlSize
      holdoutRatio
      baselineFrom
      baselineTo
      baselineConversion
      baselineRevenuePerCustomer
      baselineRevenueStandardDeviation
      baselineOrdersPerCustomer
      mdeConversion { absolute relative }
      mdeRevenuePerCustomer { absolute relative }
      mdeOrdersPerCustomer { absolute relative }
      primaryKpi
      expectedLift
      isUnderpowered
      requiredSegmentSize
      overlappingCustomers
      overlappingCampaignIds
      warnings { code message }
      baselineSource
      daysToDetect
      computedAt
    }
  }
`);

/** A draft to edit in the wizard. */
export const CampaignDraftQuery = graphql(`
  query CampaignDraft($id: ID!) {
    campaign(id: $id) {
      id
      name
      status
      segmentId
      snapshotId
      objective
      hypothesis
      channel
      offer
      loyaltyOffer {
        kind
        multiplier
        bonusStamps
      }
      primaryKpi
      guardrailKpis
      expectedLift
      holdoutRatio
      costPerContact
      fixedCost
      margin
      outcomeWindowDays
      prePeriodDays
      plannedStart
      parentCampaignId
    }
  }
`);

export const CreateCampaignMutation = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) { id status }
  }
`);

export const UpdateCampaignMutation = graphql(`
  mutation UpdateCampaign($id: ID!, $input: UpdateCampaignInput!) {
    updateCampaign(id: $id, input: $input) { id status updatedAt }
  }
`);

/** DRAFT → PLANNED right after saving ("Save and plan"). */
export const PlanSavedCampaignMutation = graphql(`
  mutation PlanSavedCampaign($id: ID!) {
    planCampaign(id: $id) { id status }
  }
`);
