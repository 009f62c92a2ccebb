import { graphql } from "../../gql/index.ts";

export const ImportRunsQuery = graphql(`
  query ImportRuns($first: Int!) {
    importRuns(first: $first) { id kind label rows inserted updated coveredFrom coveredTo importedAt importedBy }
  }
`);
