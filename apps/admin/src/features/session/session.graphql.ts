import { graphql } from "../../gql/index.ts";

export const MeQuery = graphql(`
  query Me {
    me { id email role }
  }
`);

export const SettingsQuery = graphql(`
  query SessionSettings {
    settings { currency timeZone }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { expiresAt me { id email role } }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);
