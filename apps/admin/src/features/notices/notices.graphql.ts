import { graphql } from "../../gql/index.ts";

/** What the navigation counts: campaigns waiting for review, and those whose window ended (measure now). */
export const NavNoticesQuery = graphql(`
  query NavNotices {
    toReview: campaigns(first: 1, filter: { statuses: [CHECKED] }) { totalCount }
    toMeasure: campaigns(first: 1, filter: { statuses: [MEASURING] }) { totalCount }
  }
`);
