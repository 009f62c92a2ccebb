import { graphql } from "../../gql/index.ts";

export const SavedViewsQuery = graphql(`
  query SavedViews($list: SavedViewList!) {
    savedViews(list: $list) { id list name query updatedAt }
  }
`);

export const SaveViewMutation = graphql(`
  mutation SaveView($input: SaveViewInput!) {
    saveView(input: $input) { id list name query updatedAt }
  }
`);

export const DeleteSavedViewMutation = graphql(`
  mutation DeleteSavedView($id: ID!) {
    deleteSavedView(id: $id)
  }
`);
