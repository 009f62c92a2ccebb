// Rules of the Users card, mirroring apps/api/src/modules/auth (auth.service.ts, password.ts).
import type { Role } from "../../gql/graphql.ts";
import type { Problem } from "./settings-form.ts";

/** apps/api/src/modules/auth/password.ts MIN_PASSWORD_LENGTH. */
export const MIN_PASSWORD_LENGTH = 10;
/** apps/api/src/modules/auth/auth.service.ts MAX_USER_NAME_LENGTH. */
export const MAX_USER_NAME_LENGTH = 100;
export const ROLES: readonly Role[] = ["ADMIN", "OPERATOR", "ANALYST", "REVIEWER"];

export interface NewUserDraft {
  name: string;
  email: string;
  role: Role | null;
  password: string;
}

/** The same e-mail shape the API accepts (it lower-cases and trims first). */
export const isEmail = (email: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim().toLowerCase());

export function validateNewUser(draft: NewUserDraft): Partial<Record<keyof NewUserDraft, Problem>> {
  const out: Partial<Record<keyof NewUserDraft, Problem>> = {};
  if (draft.name.trim().length > MAX_USER_NAME_LENGTH) out.name = { key: "nameLength", params: { max: MAX_USER_NAME_LENGTH } };
  if (!isEmail(draft.email)) out.email = { key: "email" };
  if (!draft.role) out.role = { key: "role" };
  if (draft.password.length < MIN_PASSWORD_LENGTH) out.password = { key: "password", params: { min: MIN_PASSWORD_LENGTH } };
  return out;
}

// No 0/O, 1/l/I: the admin may read the password out to the new user.
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_";

/** A random initial password (Web Crypto), 18 characters ≈ 105 bits. */
export function generatePassword(length = 18, random: (count: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 58).
  const limit = 256 - (256 % ALPHABET.length);
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < limit && out.length < length) out.push(ALPHABET[byte % ALPHABET.length] as string);
    }
  }
  return out.join("");
}

export interface UserLike {
  id: string;
  isActive: boolean;
}

/** What an admin may do to a row: never deactivate or demote themselves (the API refuses too). */
export function userActions(user: UserLike, myId: string | undefined) {
  const isSelf = user.id === myId;
  return {
    isSelf,
    canDeactivate: user.isActive && !isSelf,
    canReactivate: !user.isActive,
    canChangeRole: !isSelf,
  };
}
