/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Campaigns($statuses: [CampaignStatus!]) {\n    campaigns(first: 100, filter: { statuses: $statuses }) {\n      totalCount\n      nodes { id name status objective channel segmentName plannedStart launchedAt decision updatedAt }\n    }\n  }\n": typeof types.CampaignsDocument,
    "\n  query Campaign($id: ID!) {\n    campaign(id: $id) {\n      id\n      name\n      status\n      objective\n      channel\n      hypothesis\n      offer\n      segmentId\n      segmentName\n      holdoutRatio\n      outcomeWindowDays\n      primaryKpi\n      expectedLift\n      costPerContact\n      fixedCost\n      plannedStart\n      launchedAt\n      outcomeWindowEndsAt\n      decision\n      decisionRationale\n      reviewedBy\n      reviewedAt\n      plan {\n        eligibleCustomers\n        segmentMembers\n        optedOut\n        treatmentSize\n        controlSize\n        baselineConversion\n        isUnderpowered\n        requiredSegmentSize\n        mdeConversion { absolute relative }\n        warnings { code message }\n      }\n      roster { treatment control }\n      latestResult {\n        id\n        computedAt\n        isProvisional\n        primary { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant }\n        groups { group n converters conversion revenuePerCustomer ordersPerCustomer }\n        srm { isMismatch pValue plannedHoldoutRatio observedHoldoutRatio }\n        money { incrementalRevenue incrementalGrossProfit campaignCost roi margin }\n      }\n      events { id at actor kind fromStatus toStatus }\n    }\n  }\n": typeof types.CampaignDocument,
    "\n  mutation PlanCampaign($id: ID!) {\n    planCampaign(id: $id) { id status }\n  }\n": typeof types.PlanCampaignDocument,
    "\n  mutation LaunchCampaign($id: ID!, $idempotencyKey: String!) {\n    launchCampaign(id: $id, idempotencyKey: $idempotencyKey) { id status }\n  }\n": typeof types.LaunchCampaignDocument,
    "\n  mutation MeasureCampaign($id: ID!) {\n    measureCampaign(id: $id) { id status }\n  }\n": typeof types.MeasureCampaignDocument,
    "\n  mutation ReviewCampaign($id: ID!, $decision: CampaignDecision!, $rationale: String!) {\n    reviewCampaign(id: $id, decision: $decision, rationale: $rationale) { campaign { id status } nextCycle { id } }\n  }\n": typeof types.ReviewCampaignDocument,
    "\n  query ClvModel {\n    clvModel {\n      asOf\n      timeUnit\n      drivingModel\n      customers\n      horizonMonths\n      monthlyDiscountRate\n      margin\n      bgNbd { r alpha a b logLikelihood converged error }\n      paretoNbd { r alpha s beta logLikelihood converged error }\n      gammaGamma { p q gamma logLikelihood converged error }\n      holdout { calibrationEnd holdoutDays totalActual totalPredicted byFrequency { frequency customers actualMean predictedMean isOpenEnded } error }\n      pAliveHistogram { from to customers }\n    }\n  }\n": typeof types.ClvModelDocument,
    "\n  query Customers($first: Int!, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrderBy) {\n    customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        externalId\n        name\n        prefecture\n        lastOrderAt\n        orderCount\n        revenue\n        score { rfmSegment decile pAlive predictedClv recencyDays }\n      }\n    }\n  }\n": typeof types.CustomersDocument,
    "\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      externalId\n      name\n      email\n      prefecture\n      acquisitionChannel\n      acquiredAt\n      firstOrderAt\n      lastOrderAt\n      orderCount\n      revenue\n      emailOptIn\n      lineOptIn\n      smsOptIn\n      dmOptIn\n      score { rfmSegment rScore fScore mScore decile pAlive predictedClv historicalClv expectedPurchases }\n      scoreHistory { snapshotId asOf rfmSegment pAlive predictedClv }\n      segmentHistory { snapshotId asOf segmentId segmentKey segmentName color }\n      campaignExposures { campaignId campaignName group status assignedAt }\n    }\n  }\n": typeof types.CustomerDocument,
    "\n  query CustomerOrders($id: ID!, $after: String) {\n    customer(id: $id) {\n      id\n      orders(first: 10, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { id externalId orderedAt amount currency status channel items }\n      }\n    }\n  }\n": typeof types.CustomerOrdersDocument,
    "\n  query KpiOverview($from: DateTimeISO!, $to: DateTimeISO!) {\n    kpiOverview(from: $from, to: $to, granularity: MONTH) {\n      currency\n      meanClv\n      periods {\n        periodStart\n        customers\n        activeCustomers\n        repeatRate\n        orders\n        revenue\n        averageOrderValue\n        purchaseFrequency\n        retentionRate\n        churnRate\n      }\n    }\n  }\n": typeof types.KpiOverviewDocument,
    "\n  query RfmSegmentSummary {\n    rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPredictedClv meanPAlive }\n  }\n": typeof types.RfmSegmentSummaryDocument,
    "\n  query LatestSnapshot {\n    latestSnapshot { id asOf finishedAt customerCount }\n  }\n": typeof types.LatestSnapshotDocument,
    "\n  mutation CreateSnapshot {\n    createSnapshot { id status progress stage }\n  }\n": typeof types.CreateSnapshotDocument,
    "\n  query SnapshotProgress($id: ID!) {\n    snapshot(id: $id) { id status progress stage error }\n  }\n": typeof types.SnapshotProgressDocument,
    "\n  query RfMatrix {\n    rfMatrix { asOf customers revenue cells { r f customers revenue revenueShare meanMonetary segmentKey } }\n  }\n": typeof types.RfMatrixDocument,
    "\n  query Segments {\n    segments(first: 100) {\n      totalCount\n      nodes {\n        id\n        key\n        name\n        kind\n        color\n        description\n        stats { customers customerShare revenueShare meanPredictedClv meanPAlive }\n      }\n    }\n  }\n": typeof types.SegmentsDocument,
    "\n  query Deciles {\n    deciles { decile customers revenue share cumulativeShare meanOrderValue meanRevenue }\n  }\n": typeof types.DecilesDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name stats { customers } }\n  }\n": typeof types.CreateSegmentDocument,
    "\n  query Me {\n    me { id email role }\n  }\n": typeof types.MeDocument,
    "\n  query SessionSettings {\n    settings { currency timeZone }\n  }\n": typeof types.SessionSettingsDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { expiresAt me { id email role } }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  query SettingsPage {\n    settings { currency timeZone defaultMargin rfmBinMode rfmThresholds { recencyDays frequency monetary } updatedAt }\n    users { id email name role isActive lastLoginAt }\n  }\n": typeof types.SettingsPageDocument,
    "\n  mutation UpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) { currency timeZone defaultMargin updatedAt }\n  }\n": typeof types.UpdateSettingsDocument,
};
const documents: Documents = {
    "\n  query Campaigns($statuses: [CampaignStatus!]) {\n    campaigns(first: 100, filter: { statuses: $statuses }) {\n      totalCount\n      nodes { id name status objective channel segmentName plannedStart launchedAt decision updatedAt }\n    }\n  }\n": types.CampaignsDocument,
    "\n  query Campaign($id: ID!) {\n    campaign(id: $id) {\n      id\n      name\n      status\n      objective\n      channel\n      hypothesis\n      offer\n      segmentId\n      segmentName\n      holdoutRatio\n      outcomeWindowDays\n      primaryKpi\n      expectedLift\n      costPerContact\n      fixedCost\n      plannedStart\n      launchedAt\n      outcomeWindowEndsAt\n      decision\n      decisionRationale\n      reviewedBy\n      reviewedAt\n      plan {\n        eligibleCustomers\n        segmentMembers\n        optedOut\n        treatmentSize\n        controlSize\n        baselineConversion\n        isUnderpowered\n        requiredSegmentSize\n        mdeConversion { absolute relative }\n        warnings { code message }\n      }\n      roster { treatment control }\n      latestResult {\n        id\n        computedAt\n        isProvisional\n        primary { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant }\n        groups { group n converters conversion revenuePerCustomer ordersPerCustomer }\n        srm { isMismatch pValue plannedHoldoutRatio observedHoldoutRatio }\n        money { incrementalRevenue incrementalGrossProfit campaignCost roi margin }\n      }\n      events { id at actor kind fromStatus toStatus }\n    }\n  }\n": types.CampaignDocument,
    "\n  mutation PlanCampaign($id: ID!) {\n    planCampaign(id: $id) { id status }\n  }\n": types.PlanCampaignDocument,
    "\n  mutation LaunchCampaign($id: ID!, $idempotencyKey: String!) {\n    launchCampaign(id: $id, idempotencyKey: $idempotencyKey) { id status }\n  }\n": types.LaunchCampaignDocument,
    "\n  mutation MeasureCampaign($id: ID!) {\n    measureCampaign(id: $id) { id status }\n  }\n": types.MeasureCampaignDocument,
    "\n  mutation ReviewCampaign($id: ID!, $decision: CampaignDecision!, $rationale: String!) {\n    reviewCampaign(id: $id, decision: $decision, rationale: $rationale) { campaign { id status } nextCycle { id } }\n  }\n": types.ReviewCampaignDocument,
    "\n  query ClvModel {\n    clvModel {\n      asOf\n      timeUnit\n      drivingModel\n      customers\n      horizonMonths\n      monthlyDiscountRate\n      margin\n      bgNbd { r alpha a b logLikelihood converged error }\n      paretoNbd { r alpha s beta logLikelihood converged error }\n      gammaGamma { p q gamma logLikelihood converged error }\n      holdout { calibrationEnd holdoutDays totalActual totalPredicted byFrequency { frequency customers actualMean predictedMean isOpenEnded } error }\n      pAliveHistogram { from to customers }\n    }\n  }\n": types.ClvModelDocument,
    "\n  query Customers($first: Int!, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrderBy) {\n    customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        externalId\n        name\n        prefecture\n        lastOrderAt\n        orderCount\n        revenue\n        score { rfmSegment decile pAlive predictedClv recencyDays }\n      }\n    }\n  }\n": types.CustomersDocument,
    "\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      externalId\n      name\n      email\n      prefecture\n      acquisitionChannel\n      acquiredAt\n      firstOrderAt\n      lastOrderAt\n      orderCount\n      revenue\n      emailOptIn\n      lineOptIn\n      smsOptIn\n      dmOptIn\n      score { rfmSegment rScore fScore mScore decile pAlive predictedClv historicalClv expectedPurchases }\n      scoreHistory { snapshotId asOf rfmSegment pAlive predictedClv }\n      segmentHistory { snapshotId asOf segmentId segmentKey segmentName color }\n      campaignExposures { campaignId campaignName group status assignedAt }\n    }\n  }\n": types.CustomerDocument,
    "\n  query CustomerOrders($id: ID!, $after: String) {\n    customer(id: $id) {\n      id\n      orders(first: 10, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { id externalId orderedAt amount currency status channel items }\n      }\n    }\n  }\n": types.CustomerOrdersDocument,
    "\n  query KpiOverview($from: DateTimeISO!, $to: DateTimeISO!) {\n    kpiOverview(from: $from, to: $to, granularity: MONTH) {\n      currency\n      meanClv\n      periods {\n        periodStart\n        customers\n        activeCustomers\n        repeatRate\n        orders\n        revenue\n        averageOrderValue\n        purchaseFrequency\n        retentionRate\n        churnRate\n      }\n    }\n  }\n": types.KpiOverviewDocument,
    "\n  query RfmSegmentSummary {\n    rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPredictedClv meanPAlive }\n  }\n": types.RfmSegmentSummaryDocument,
    "\n  query LatestSnapshot {\n    latestSnapshot { id asOf finishedAt customerCount }\n  }\n": types.LatestSnapshotDocument,
    "\n  mutation CreateSnapshot {\n    createSnapshot { id status progress stage }\n  }\n": types.CreateSnapshotDocument,
    "\n  query SnapshotProgress($id: ID!) {\n    snapshot(id: $id) { id status progress stage error }\n  }\n": types.SnapshotProgressDocument,
    "\n  query RfMatrix {\n    rfMatrix { asOf customers revenue cells { r f customers revenue revenueShare meanMonetary segmentKey } }\n  }\n": types.RfMatrixDocument,
    "\n  query Segments {\n    segments(first: 100) {\n      totalCount\n      nodes {\n        id\n        key\n        name\n        kind\n        color\n        description\n        stats { customers customerShare revenueShare meanPredictedClv meanPAlive }\n      }\n    }\n  }\n": types.SegmentsDocument,
    "\n  query Deciles {\n    deciles { decile customers revenue share cumulativeShare meanOrderValue meanRevenue }\n  }\n": types.DecilesDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name stats { customers } }\n  }\n": types.CreateSegmentDocument,
    "\n  query Me {\n    me { id email role }\n  }\n": types.MeDocument,
    "\n  query SessionSettings {\n    settings { currency timeZone }\n  }\n": types.SessionSettingsDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { expiresAt me { id email role } }\n  }\n": types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  query SettingsPage {\n    settings { currency timeZone defaultMargin rfmBinMode rfmThresholds { recencyDays frequency monetary } updatedAt }\n    users { id email name role isActive lastLoginAt }\n  }\n": types.SettingsPageDocument,
    "\n  mutation UpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) { currency timeZone defaultMargin updatedAt }\n  }\n": types.UpdateSettingsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Campaigns($statuses: [CampaignStatus!]) {\n    campaigns(first: 100, filter: { statuses: $statuses }) {\n      totalCount\n      nodes { id name status objective channel segmentName plannedStart launchedAt decision updatedAt }\n    }\n  }\n"): (typeof documents)["\n  query Campaigns($statuses: [CampaignStatus!]) {\n    campaigns(first: 100, filter: { statuses: $statuses }) {\n      totalCount\n      nodes { id name status objective channel segmentName plannedStart launchedAt decision updatedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Campaign($id: ID!) {\n    campaign(id: $id) {\n      id\n      name\n      status\n      objective\n      channel\n      hypothesis\n      offer\n      segmentId\n      segmentName\n      holdoutRatio\n      outcomeWindowDays\n      primaryKpi\n      expectedLift\n      costPerContact\n      fixedCost\n      plannedStart\n      launchedAt\n      outcomeWindowEndsAt\n      decision\n      decisionRationale\n      reviewedBy\n      reviewedAt\n      plan {\n        eligibleCustomers\n        segmentMembers\n        optedOut\n        treatmentSize\n        controlSize\n        baselineConversion\n        isUnderpowered\n        requiredSegmentSize\n        mdeConversion { absolute relative }\n        warnings { code message }\n      }\n      roster { treatment control }\n      latestResult {\n        id\n        computedAt\n        isProvisional\n        primary { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant }\n        groups { group n converters conversion revenuePerCustomer ordersPerCustomer }\n        srm { isMismatch pValue plannedHoldoutRatio observedHoldoutRatio }\n        money { incrementalRevenue incrementalGrossProfit campaignCost roi margin }\n      }\n      events { id at actor kind fromStatus toStatus }\n    }\n  }\n"): (typeof documents)["\n  query Campaign($id: ID!) {\n    campaign(id: $id) {\n      id\n      name\n      status\n      objective\n      channel\n      hypothesis\n      offer\n      segmentId\n      segmentName\n      holdoutRatio\n      outcomeWindowDays\n      primaryKpi\n      expectedLift\n      costPerContact\n      fixedCost\n      plannedStart\n      launchedAt\n      outcomeWindowEndsAt\n      decision\n      decisionRationale\n      reviewedBy\n      reviewedAt\n      plan {\n        eligibleCustomers\n        segmentMembers\n        optedOut\n        treatmentSize\n        controlSize\n        baselineConversion\n        isUnderpowered\n        requiredSegmentSize\n        mdeConversion { absolute relative }\n        warnings { code message }\n      }\n      roster { treatment control }\n      latestResult {\n        id\n        computedAt\n        isProvisional\n        primary { metric control treatment difference differenceCi { lower upper } relativeLift relativeLiftCi { lower upper } pValue isSignificant }\n        groups { group n converters conversion revenuePerCustomer ordersPerCustomer }\n        srm { isMismatch pValue plannedHoldoutRatio observedHoldoutRatio }\n        money { incrementalRevenue incrementalGrossProfit campaignCost roi margin }\n      }\n      events { id at actor kind fromStatus toStatus }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlanCampaign($id: ID!) {\n    planCampaign(id: $id) { id status }\n  }\n"): (typeof documents)["\n  mutation PlanCampaign($id: ID!) {\n    planCampaign(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchCampaign($id: ID!, $idempotencyKey: String!) {\n    launchCampaign(id: $id, idempotencyKey: $idempotencyKey) { id status }\n  }\n"): (typeof documents)["\n  mutation LaunchCampaign($id: ID!, $idempotencyKey: String!) {\n    launchCampaign(id: $id, idempotencyKey: $idempotencyKey) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MeasureCampaign($id: ID!) {\n    measureCampaign(id: $id) { id status }\n  }\n"): (typeof documents)["\n  mutation MeasureCampaign($id: ID!) {\n    measureCampaign(id: $id) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReviewCampaign($id: ID!, $decision: CampaignDecision!, $rationale: String!) {\n    reviewCampaign(id: $id, decision: $decision, rationale: $rationale) { campaign { id status } nextCycle { id } }\n  }\n"): (typeof documents)["\n  mutation ReviewCampaign($id: ID!, $decision: CampaignDecision!, $rationale: String!) {\n    reviewCampaign(id: $id, decision: $decision, rationale: $rationale) { campaign { id status } nextCycle { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClvModel {\n    clvModel {\n      asOf\n      timeUnit\n      drivingModel\n      customers\n      horizonMonths\n      monthlyDiscountRate\n      margin\n      bgNbd { r alpha a b logLikelihood converged error }\n      paretoNbd { r alpha s beta logLikelihood converged error }\n      gammaGamma { p q gamma logLikelihood converged error }\n      holdout { calibrationEnd holdoutDays totalActual totalPredicted byFrequency { frequency customers actualMean predictedMean isOpenEnded } error }\n      pAliveHistogram { from to customers }\n    }\n  }\n"): (typeof documents)["\n  query ClvModel {\n    clvModel {\n      asOf\n      timeUnit\n      drivingModel\n      customers\n      horizonMonths\n      monthlyDiscountRate\n      margin\n      bgNbd { r alpha a b logLikelihood converged error }\n      paretoNbd { r alpha s beta logLikelihood converged error }\n      gammaGamma { p q gamma logLikelihood converged error }\n      holdout { calibrationEnd holdoutDays totalActual totalPredicted byFrequency { frequency customers actualMean predictedMean isOpenEnded } error }\n      pAliveHistogram { from to customers }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Customers($first: Int!, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrderBy) {\n    customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        externalId\n        name\n        prefecture\n        lastOrderAt\n        orderCount\n        revenue\n        score { rfmSegment decile pAlive predictedClv recencyDays }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Customers($first: Int!, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrderBy) {\n    customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        externalId\n        name\n        prefecture\n        lastOrderAt\n        orderCount\n        revenue\n        score { rfmSegment decile pAlive predictedClv recencyDays }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      externalId\n      name\n      email\n      prefecture\n      acquisitionChannel\n      acquiredAt\n      firstOrderAt\n      lastOrderAt\n      orderCount\n      revenue\n      emailOptIn\n      lineOptIn\n      smsOptIn\n      dmOptIn\n      score { rfmSegment rScore fScore mScore decile pAlive predictedClv historicalClv expectedPurchases }\n      scoreHistory { snapshotId asOf rfmSegment pAlive predictedClv }\n      segmentHistory { snapshotId asOf segmentId segmentKey segmentName color }\n      campaignExposures { campaignId campaignName group status assignedAt }\n    }\n  }\n"): (typeof documents)["\n  query Customer($id: ID!) {\n    customer(id: $id) {\n      id\n      externalId\n      name\n      email\n      prefecture\n      acquisitionChannel\n      acquiredAt\n      firstOrderAt\n      lastOrderAt\n      orderCount\n      revenue\n      emailOptIn\n      lineOptIn\n      smsOptIn\n      dmOptIn\n      score { rfmSegment rScore fScore mScore decile pAlive predictedClv historicalClv expectedPurchases }\n      scoreHistory { snapshotId asOf rfmSegment pAlive predictedClv }\n      segmentHistory { snapshotId asOf segmentId segmentKey segmentName color }\n      campaignExposures { campaignId campaignName group status assignedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerOrders($id: ID!, $after: String) {\n    customer(id: $id) {\n      id\n      orders(first: 10, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { id externalId orderedAt amount currency status channel items }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerOrders($id: ID!, $after: String) {\n    customer(id: $id) {\n      id\n      orders(first: 10, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { id externalId orderedAt amount currency status channel items }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KpiOverview($from: DateTimeISO!, $to: DateTimeISO!) {\n    kpiOverview(from: $from, to: $to, granularity: MONTH) {\n      currency\n      meanClv\n      periods {\n        periodStart\n        customers\n        activeCustomers\n        repeatRate\n        orders\n        revenue\n        averageOrderValue\n        purchaseFrequency\n        retentionRate\n        churnRate\n      }\n    }\n  }\n"): (typeof documents)["\n  query KpiOverview($from: DateTimeISO!, $to: DateTimeISO!) {\n    kpiOverview(from: $from, to: $to, granularity: MONTH) {\n      currency\n      meanClv\n      periods {\n        periodStart\n        customers\n        activeCustomers\n        repeatRate\n        orders\n        revenue\n        averageOrderValue\n        purchaseFrequency\n        retentionRate\n        churnRate\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RfmSegmentSummary {\n    rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPredictedClv meanPAlive }\n  }\n"): (typeof documents)["\n  query RfmSegmentSummary {\n    rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPredictedClv meanPAlive }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LatestSnapshot {\n    latestSnapshot { id asOf finishedAt customerCount }\n  }\n"): (typeof documents)["\n  query LatestSnapshot {\n    latestSnapshot { id asOf finishedAt customerCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSnapshot {\n    createSnapshot { id status progress stage }\n  }\n"): (typeof documents)["\n  mutation CreateSnapshot {\n    createSnapshot { id status progress stage }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SnapshotProgress($id: ID!) {\n    snapshot(id: $id) { id status progress stage error }\n  }\n"): (typeof documents)["\n  query SnapshotProgress($id: ID!) {\n    snapshot(id: $id) { id status progress stage error }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RfMatrix {\n    rfMatrix { asOf customers revenue cells { r f customers revenue revenueShare meanMonetary segmentKey } }\n  }\n"): (typeof documents)["\n  query RfMatrix {\n    rfMatrix { asOf customers revenue cells { r f customers revenue revenueShare meanMonetary segmentKey } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Segments {\n    segments(first: 100) {\n      totalCount\n      nodes {\n        id\n        key\n        name\n        kind\n        color\n        description\n        stats { customers customerShare revenueShare meanPredictedClv meanPAlive }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Segments {\n    segments(first: 100) {\n      totalCount\n      nodes {\n        id\n        key\n        name\n        kind\n        color\n        description\n        stats { customers customerShare revenueShare meanPredictedClv meanPAlive }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Deciles {\n    deciles { decile customers revenue share cumulativeShare meanOrderValue meanRevenue }\n  }\n"): (typeof documents)["\n  query Deciles {\n    deciles { decile customers revenue share cumulativeShare meanOrderValue meanRevenue }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name stats { customers } }\n  }\n"): (typeof documents)["\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) { id name stats { customers } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id email role }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id email role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionSettings {\n    settings { currency timeZone }\n  }\n"): (typeof documents)["\n  query SessionSettings {\n    settings { currency timeZone }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { expiresAt me { id email role } }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) { expiresAt me { id email role } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsPage {\n    settings { currency timeZone defaultMargin rfmBinMode rfmThresholds { recencyDays frequency monetary } updatedAt }\n    users { id email name role isActive lastLoginAt }\n  }\n"): (typeof documents)["\n  query SettingsPage {\n    settings { currency timeZone defaultMargin rfmBinMode rfmThresholds { recencyDays frequency monetary } updatedAt }\n    users { id email name role isActive lastLoginAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) { currency timeZone defaultMargin updatedAt }\n  }\n"): (typeof documents)["\n  mutation UpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) { currency timeZone defaultMargin updatedAt }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;