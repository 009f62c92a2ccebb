import { graphql } from "../../gql/index.ts";

export const RfMatrixQuery = graphql(`
  query RfMatrix {
    rfMatrix { asOf customers revenue lookbackDays cells { r f customers revenue revenueShare meanMonetary segmentKey } }
  }
`);

export const SegmentStatsFields = graphql(`
  fragment SegmentStatsFields on SegmentStats {
    snapshotId
    customers
    customerShare
    revenue
    revenueShare
    meanPredictedClv
    meanPAlive
  }
`);

export const SegmentFields = graphql(`
  fragment SegmentFields on Segment {
    id
    key
    name
    kind
    color
    description
    definition
    archived
    createdAt
    updatedAt
    stats { ...SegmentStatsFields }
  }
`);

export const SegmentsQuery = graphql(`
  query Segments($includeArchived: Boolean! = false, $after: String) {
    segments(first: 100, includeArchived: $includeArchived, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...SegmentFields }
    }
  }
`);

export const SegmentQuery = graphql(`
  query Segment($id: ID!) {
    segment(id: $id) { ...SegmentFields }
  }
`);

export const SegmentMembersQuery = graphql(`
  query SegmentMembers($id: ID!, $first: Int!, $after: String, $orderBy: CustomerOrderBy) {
    segment(id: $id) {
      id
      members(first: $first, after: $after, orderBy: $orderBy) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          externalId
          name
          prefecture
          revenue
          lastOrderAt
          score { rfmSegment decile pAlive predictedClv }
        }
      }
    }
  }
`);

export const SegmentPreviewQuery = graphql(`
  query SegmentPreview($kind: SegmentKind!, $definition: JSON!) {
    segmentPreview(kind: $kind, definition: $definition) { ...SegmentStatsFields }
  }
`);

export const DecilesQuery = graphql(`
  query Deciles {
    deciles { decile customers revenue share cumulativeShare meanOrderValue meanRevenue }
  }
`);

export const SegmentSnapshotsQuery = graphql(`
  query SegmentSnapshots {
    snapshots(first: 100) { nodes { id asOf status customerCount } }
  }
`);

export const SegmentMigrationQuery = graphql(`
  query SegmentMigration($fromSnapshotId: ID!, $toSnapshotId: ID!) {
    segmentMigration(fromSnapshotId: $fromSnapshotId, toSnapshotId: $toSnapshotId) {
      fromSnapshotId
      toSnapshotId
      fromAsOf
      toAsOf
      transitions { from to customers revenue }
    }
  }
`);

export const CreateSegmentMutation = graphql(`
  mutation CreateSegment($input: CreateSegmentInput!) {
    createSegment(input: $input) { ...SegmentFields }
  }
`);

export const UpdateSegmentMutation = graphql(`
  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {
    updateSegment(id: $id, input: $input) { ...SegmentFields }
  }
`);

export const ArchiveSegmentMutation = graphql(`
  mutation ArchiveSegment($id: ID!, $archived: Boolean!) {
    archiveSegment(id: $id, archived: $archived) { ...SegmentFields }
  }
`);
