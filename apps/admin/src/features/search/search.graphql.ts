import { graphql } from "../../gql/index.ts";

/** One round trip for the global search: matching customers (server-side), all segments and campaigns (filtered here). */
export const GlobalSearchQuery = graphql(`
  query GlobalSearch($search: String!) {
    customers(first: 10, filter: { search: $search }) {
      totalCount
      nodes { id externalId name prefecture }
    }
    segments(first: 100) { nodes { id key name kind } }
    campaigns(first: 100) { nodes { id name status segmentName segmentKey } }
  }
`);
