import { ApolloClient, HttpLink, InMemoryCache, from } from "@apollo/client/core";
import { onError } from "@apollo/client/link/error";

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => {};

/** The router registers where to go when the session has expired. */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

const errorLink = onError(({ graphQLErrors }) => {
  if (graphQLErrors?.some((e) => e.extensions?.["code"] === "UNAUTHENTICATED")) onUnauthenticated();
});

// Same origin: the API serves this UI, so the session cookie rides along.
const httpLink = new HttpLink({
  uri: "/graphql",
  credentials: "include",
  headers: { "content-type": "application/json" },
});

export const apolloClient = new ApolloClient({
  link: from([errorLink, httpLink]),
  cache: new InMemoryCache({
    typePolicies: {
      // Singletons without ids: keep them per query rather than normalising.
      KpiOverview: { keyFields: false },
      RfMatrix: { keyFields: false },
      // Id-less objects that several queries select different fields of: merge, don't replace.
      SettingsType: { merge: true },
      SegmentStats: { merge: true },
    },
  }),
  defaultOptions: {
    watchQuery: { fetchPolicy: "cache-and-network", errorPolicy: "none" },
  },
});
