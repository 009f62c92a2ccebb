import { graphql } from "../../gql/index.ts";

export const CampaignsQuery = graphql(`
  query Campaigns($statuses: [CampaignStatus!]) {
    campaigns(first: 100, filter: { statuses: $statuses }) {
      totalCount
      nodes { id name status objective channel segmentName segmentKey plannedStart launchedAt decision updatedAt }
    }
  }
`);

graphql(`
  fragment CampaignDetailLift on LiftEstimate {
    metric
    method
    control
    treatment
    difference
    differenceCi { lower upper }
    relativeLift
    relativeLiftCi { lower upper }
    pValue
    isSignificant
    verdict
    analysis
    differenceMethod
    relativeLiftMethod
    methodCode
    differenceMethodCode
    relativeLiftMethodCode
  }
`);

// The headline of a measurement, as the Check step reads it. Split from the per-day and
// per-stratum parts so that every measurement of a campaign fits the API's cost limit
// (a list of full results is over it; see CampaignResultHistory*Query).
graphql(`
  fragment CampaignDetailResultCore on CampaignResult {
    id
    computedAt
    computedBy
    isProvisional
    provisionalReasons
    provisionalReasonCodes
    countedUntil
    ordersCompleteUntil
    methodVersion
    windowFrom
    windowTo
    prePeriodFrom
    prePeriodTo
    primary { ...CampaignDetailLift }
    conversion { ...CampaignDetailLift }
    revenuePerCustomer { ...CampaignDetailLift }
    ordersPerCustomer { ...CampaignDetailLift }
    revenuePerCustomerWinsorized {
      metric method control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant
      verdict analysis differenceMethod relativeLiftMethod methodCode differenceMethodCode relativeLiftMethodCode
      percentile cap cappedTreatment cappedControl
    }
    cuped { metric theta varianceReduction lift { ...CampaignDetailLift } }
    groups { group n converters conversion orders revenue revenuePerCustomer ordersPerCustomer averageOrderValue preConversion preRevenuePerCustomer preOrdersPerCustomer }
    srm { isMismatch pValue chiSquare plannedHoldoutRatio observedHoldoutRatio basis arms { group roster observable historyMissing optedOutAfterLaunch } }
    loyalty {
      offerKind multiplier bonusStamps bonusPoints pointValue expectedRedemptionRate liability method
      arms { group n pointsEarned bonusPoints bonusStamps pointsRedeemed pointsRedeemedPerCustomer redemptionRate }
    }
    money {
      incrementalRevenue incrementalRevenueCi { lower upper } incrementalGrossProfit incrementalGrossProfitCi { lower upper } campaignCost loyaltyCost roi margin marginSource
      netProfit netProfitCi { lower upper } roiCi { lower upper } probabilityRoiPositive isProfitable method methodCode
    }
  }
`);

graphql(`
  fragment CampaignDetailResultExtra on CampaignResult {
    id
    did { metric treatmentPre treatmentPost controlPre controlPost estimate ci { lower upper } pValue isSignificant }
    strata { stratum treatmentN controlN treatmentConversion controlConversion difference differenceCi { lower upper } pValue adjustedPValue isSignificant }
    series { day date treatmentConversion controlConversion treatmentRevenuePerCustomer controlRevenuePerCustomer }
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
      loyaltyOffer {
        kind
        multiplier
        bonusStamps
      }
      segmentId
      segmentName
      segmentKey
      snapshotId
      holdoutRatio
      outcomeWindowDays
      prePeriodDays
      primaryKpi
      guardrailKpis
      expectedLift
      costPerContact
      fixedCost
      margin
      plannedStart
      launchedAt
      outcomeWindowEndsAt
      decision
      decisionRationale
      reviewedBy
      reviewedAt
      createdBy
      createdAt
      parentCampaignId
      plan {
        computedAt
        snapshotId
        snapshotAsOf
        eligibleCustomers
        segmentMembers
        optedOut
        treatmentSize
        controlSize
        holdoutRatio
        primaryKpi
        expectedLift
        baselineFrom
        baselineTo
        baselineConversion
        baselineRevenuePerCustomer
        baselineOrdersPerCustomer
        isUnderpowered
        requiredSegmentSize
        baselineSource
        daysToDetect
        overlappingCustomers
        overlappingCampaignIds
        mdeConversion { absolute relative }
        mdeRevenuePerCustomer { absolute relative }
        mdeOrdersPerCustomer { absolute relative }
        warnings { code message }
      }
      roster { treatment control strata { stratum treatment control } }
      latestResult { ...CampaignDetailResultCore ...CampaignDetailResultExtra }
      results { id computedAt isProvisional }
      events { id at actor kind fromStatus toStatus details }
      chain {
        id
        name
        status
        decision
        launchedAt
        reviewedAt
        createdAt
        parentCampaignId
        latestResult { id isProvisional primary { ...CampaignDetailLift } }
      }
    }
  }
`);

export const CampaignResultHistoryCoreQuery = graphql(`
  query CampaignResultHistoryCore($id: ID!) {
    campaign(id: $id) { id results { ...CampaignDetailResultCore } }
  }
`);

export const CampaignResultHistoryExtraQuery = graphql(`
  query CampaignResultHistoryExtra($id: ID!) {
    campaign(id: $id) { id results { ...CampaignDetailResultExtra } }
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

export const CancelCampaignMutation = graphql(`
  mutation CancelCampaign($id: ID!, $reason: String!) {
    cancelCampaign(id: $id, reason: $reason) { id status }
  }
`);

export const ReviewCampaignMutation = graphql(`
  mutation ReviewCampaign($id: ID!, $decision: CampaignDecision!, $rationale: String!) {
    reviewCampaign(id: $id, decision: $decision, rationale: $rationale) { campaign { id status } nextCycle { id name } }
  }
`);
