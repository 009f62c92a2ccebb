import { graphql } from "../../gql/index.ts";

export const SettingsPageQuery = graphql(`
  query SettingsPage {
    settings { currency timeZone defaultMargin rfmBinMode rfmThresholds { recencyDays frequency monetary } updatedAt }
    users { id email name role isActive lastLoginAt }
  }
`);

export const UpdateSettingsMutation = graphql(`
  mutation UpdateSettings($input: UpdateSettingsInput!) {
    updateSettings(input: $input) { currency timeZone defaultMargin updatedAt }
  }
`);
