import { graphql } from "../../gql/index.ts";

export const RfMatrixQuery = graphql(`
  query RfMatrix {
    rfMatrix { asOf customers revenue cells { r f customers revenue revenueShare meanMonetary segmentKey } }
  }
`);

export const SegmentsQuery = graphql(`
  query Segments {
    segments(first: 100) {
      totalCount
      nodes {
        id
        key
        name
        kind
        color
        description
        stats { customers customerShare revenueShare meanPredictedClv meanPAlive }
      }
    }
  }
`);

export const DecilesQuery = graphql(`
  query Deciles {
    deciles { decile customers revenue share cumulativeShare meanOrderValue meanRevenue }
  }
`);

export const CreateSegmentMutation = graphql(`
  mutation CreateSegment($input: CreateSegmentInput!) {
    createSegment(input: $input) { id name stats { customers } }
  }
`);
