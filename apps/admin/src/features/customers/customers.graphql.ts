import { graphql } from "../../gql/index.ts";

export const CustomersQuery = graphql(`
  query Customers($first: Int!, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrderBy) {
    customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        externalId
        name
        prefecture
        lastOrderAt
        orderCount
        revenue
        score { rfmSegment decile pAlive predictedClv recencyDays }
      }
    }
  }
`);

export const CustomerQuery = graphql(`
  query Customer($id: ID!) {
    customer(id: $id) {
      id
      externalId
      name
      email
      prefecture
      acquisitionChannel
      acquiredAt
      firstOrderAt
      lastOrderAt
      orderCount
      revenue
      emailOptIn
      lineOptIn
      smsOptIn
      dmOptIn
      score { rfmSegment rScore fScore mScore decile pAlive predictedClv historicalClv expectedPurchases }
      scoreHistory { snapshotId asOf rfmSegment pAlive predictedClv }
      segmentHistory { snapshotId asOf segmentId segmentKey segmentName color }
      campaignExposures { campaignId campaignName group status assignedAt }
    }
  }
`);

export const CustomerOrdersQuery = graphql(`
  query CustomerOrders($id: ID!, $after: String) {
    customer(id: $id) {
      id
      orders(first: 10, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id externalId orderedAt amount currency status channel items }
      }
    }
  }
`);
