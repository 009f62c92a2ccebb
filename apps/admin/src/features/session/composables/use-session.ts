import { computed, ref } from "vue";
import { apolloClient } from "../../../apollo.ts";
import type { Role } from "../../../gql/graphql.ts";
import { LogoutMutation, MeQuery, SettingsQuery } from "../session.graphql.ts";

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

const me = ref<SessionUser | null>(null);
const currency = ref("JPY");
const timeZone = ref("Asia/Tokyo");
let loaded: Promise<SessionUser | null> | null = null;

/** What each role may do (DESIGN §6); the server enforces the same rules. */
export type Capability = "snapshot" | "segment" | "campaign" | "review" | "settings" | "import";
const CAPABILITIES: Record<Role, Capability[]> = {
  ADMIN: ["snapshot", "segment", "campaign", "review", "settings", "import"],
  OPERATOR: ["snapshot", "segment", "campaign", "import"],
  REVIEWER: ["review"],
  ANALYST: [],
};

export function roleCan(role: Role | undefined, capability: Capability): boolean {
  return role ? CAPABILITIES[role].includes(capability) : false;
}

const CAPABILITY_NAMES = new Set<string>(Object.values(CAPABILITIES).flat());

/** The roles that have a capability, in the order of the role list; null for a name that is none. */
export function rolesWith(capability: string): Role[] | null {
  if (!CAPABILITY_NAMES.has(capability)) return null;
  return (Object.keys(CAPABILITIES) as Role[]).filter((role) => CAPABILITIES[role].includes(capability as Capability));
}

async function loadSettings(): Promise<void> {
  const { data } = await apolloClient.query({ query: SettingsQuery, fetchPolicy: "network-only" });
  currency.value = data.settings.currency;
  timeZone.value = data.settings.timeZone;
}

/** Asks the server who is signed in (once, unless forced); null when nobody is. */
export function loadSession(force = false): Promise<SessionUser | null> {
  if (loaded && !force) return loaded;
  loaded = apolloClient
    .query({ query: MeQuery, fetchPolicy: "network-only" })
    .then(async ({ data }) => {
      me.value = data.me;
      await loadSettings().catch(() => undefined);
      return me.value;
    })
    .catch(() => {
      me.value = null;
      return null;
    });
  return loaded;
}

export function setSignedIn(user: SessionUser): Promise<SessionUser | null> {
  me.value = user;
  return loadSession(true);
}

export async function signOut(): Promise<void> {
  await apolloClient.mutate({ mutation: LogoutMutation }).catch(() => undefined);
  me.value = null;
  loaded = null;
  await apolloClient.clearStore();
}

export function forgetSession(): void {
  me.value = null;
  loaded = null;
}

export function useSession() {
  const role = computed(() => me.value?.role);
  return {
    me,
    role,
    currency,
    timeZone,
    can: (capability: Capability) => roleCan(role.value, capability),
  };
}
