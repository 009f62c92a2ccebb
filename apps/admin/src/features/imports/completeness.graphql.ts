import { graphql } from "../../gql/index.ts";

export const DataCompletenessQuery = graphql(`
  query DataCompleteness {
    dataCompleteness { ordersCompleteUntil source note setBy setAt lastOrdersImportAt lastOrdersImportCoveredFrom lastOrdersImportCoveredTo }
  }
`);

export const SetOrdersWatermarkMutation = graphql(`
  mutation SetOrdersWatermark($input: SetOrdersWatermarkInput!) {
    setOrdersWatermark(input: $input) { ordersCompleteUntil source note setBy setAt lastOrdersImportAt lastOrdersImportCoveredFrom lastOrdersImportCoveredTo }
  }
`);
