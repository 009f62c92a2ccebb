import type { AuthChecker } from "type-graphql";
import type { Context } from "../context.ts";
import { DomainError } from "../errors.ts";

/** Operation-level role check: every query and mutation but `login` names its roles. */
export const authChecker: AuthChecker<Context, string> = ({ context }, roles) => {
  const viewer = context.viewer;
  if (!viewer && context.credentialProblem === "INVALID_API_KEY") {
    throw new DomainError(
      "UNAUTHENTICATED",
      "This API key is invalid or has been revoked. Check the key you sent as `Authorization: Bearer …`, or create a new one under Settings → API keys.",
      [],
      { reason: "INVALID_API_KEY" },
    );
  }
  if (!viewer) throw new DomainError("UNAUTHENTICATED", "Sign in first: call the `login` mutation, or send an API key as `Authorization: Bearer …`.", [], { reason: "SIGN_IN_REQUIRED" });
  if (roles.length > 0 && !roles.includes(viewer.role)) {
    throw new DomainError("FORBIDDEN", `Your role (${viewer.role}) may not do this; it needs one of: ${roles.join(", ")}. Ask an admin if you need access.`, [], {
      reason: "ROLE_NOT_ALLOWED",
      params: { role: viewer.role, allowed: roles.join(",") },
    });
  }
  return true;
};
