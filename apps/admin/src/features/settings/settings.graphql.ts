import { graphql } from "../../gql/index.ts";

export const SettingsPageQuery = graphql(`
  query SettingsPage {
    settings { currency timeZone defaultMargin rfmBinMode rfmThresholds { recencyDays frequency monetary } rfmSegmentMap effectiveRfmSegmentMap updatedAt }
    latestSnapshot { id asOf parameters }
  }
`);

export const UpdateSettingsMutation = graphql(`
  mutation UpdateSettings($input: UpdateSettingsInput!) {
    updateSettings(input: $input) {
      currency timeZone defaultMargin rfmBinMode rfmThresholds { recencyDays frequency monetary } rfmSegmentMap effectiveRfmSegmentMap updatedAt
      timeZoneChange { id from to status stage cancelRequested createdAt startedAt finishedAt errorCode error }
    }
  }
`);

/**
 * What the settings page polls while a time-zone change runs. Kept out of SettingsPage, so a poll
 * that moves the change on does not hand the page's forms new settings (and reset their drafts).
 */
export const TimeZoneChangeQuery = graphql(`
  query SettingsTimeZoneChange {
    settings {
      timeZone
      timeZoneChange { id from to status stage cancelRequested createdAt startedAt finishedAt errorCode error }
    }
  }
`);

export const CancelTimeZoneChangeMutation = graphql(`
  mutation SettingsCancelTimeZoneChange {
    cancelTimeZoneChange { id from to status stage cancelRequested createdAt startedAt finishedAt errorCode error }
  }
`);

export const UsersQuery = graphql(`
  query SettingsUsers {
    users { id email name role isActive createdAt lastLoginAt }
  }
`);

export const CreateUserMutation = graphql(`
  mutation SettingsCreateUser($input: CreateUserInput!) {
    createUser(input: $input) { id email name role isActive createdAt lastLoginAt }
  }
`);

export const UpdateUserMutation = graphql(`
  mutation SettingsUpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { id email name role isActive createdAt lastLoginAt }
  }
`);

export const ApiKeysQuery = graphql(`
  query SettingsApiKeys {
    apiKeys { id name prefix createdAt lastUsedAt revokedAt }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation SettingsCreateApiKey($name: String!) {
    createApiKey(name: $name) { key apiKey { id name prefix createdAt lastUsedAt revokedAt } }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation SettingsRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { id name prefix createdAt lastUsedAt revokedAt }
  }
`);

export const JobsPanelQuery = graphql(`
  query SettingsJobs($first: Int!) {
    nightlySnapshotSchedule { enabled localTime timeZone nextRunAt schedulerInThisServer updatedAt updatedBy }
    jobs(first: $first) {
      totalCount
      nodes { id kind status subjectId attempts maxAttempts scheduledFor runAfter createdAt startedAt finishedAt errorCode error }
    }
  }
`);

export const SetNightlyScheduleMutation = graphql(`
  mutation SettingsSetNightlySchedule($input: SetNightlySnapshotScheduleInput!) {
    setNightlySnapshotSchedule(input: $input) { enabled localTime timeZone nextRunAt schedulerInThisServer updatedAt updatedBy }
  }
`);
