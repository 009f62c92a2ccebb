// Changing one's own password. Kept apart from sign-in (auth.service.ts) and its throttling.
import { sessions, users } from "@ltvloop/db/schema";
import { and, eq, ne } from "drizzle-orm";
import type { Viewer } from "../../context.ts";
import { DomainError, badInput, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";
import type { Conn } from "@ltvloop/db/client";
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from "./password.ts";

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** Problems with the new password alone (length, sameness), before the current one is checked. */
export function newPasswordProblems(input: PasswordChange): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.newPassword.length < MIN_PASSWORD_LENGTH) {
    problems.push(fieldProblem("newPassword", "TOO_SHORT", { min: MIN_PASSWORD_LENGTH }));
  } else if (input.newPassword.length > 200) {
    problems.push(fieldProblem("newPassword", "TOO_LONG", { max: 200 }));
  } else if (input.newPassword === input.currentPassword) {
    problems.push(fieldProblem("newPassword", "SAME_AS_CURRENT"));
  }
  return problems;
}

/**
 * Changes the signed-in person's password after checking the current one. Their other sessions
 * end (a stolen session does not survive the change); the session making the change stays.
 */
export async function changePassword({ db, query }: Conn, viewer: Viewer, input: PasswordChange): Promise<void> {
  if (viewer.via !== "session") {
    throw new DomainError("FORBIDDEN", "Passwords are changed by the person, signed in with a session, not through an API key.", [], {
      reason: "SESSION_REQUIRED",
    });
  }
  const problems = newPasswordProblems(input);
  if (problems.length > 0) throw badInput("The new password cannot be used; see the problems listed.", problems);
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(and(eq(users.id, viewer.userId), eq(users.isActive, true)));
  const ok = user ? await verifyPassword(user.passwordHash, input.currentPassword) : false;
  if (!ok) {
    throw badInput("The current password is wrong. Type the password you signed in with.", [fieldProblem("currentPassword", "WRONG_PASSWORD")], "WRONG_PASSWORD");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.update(users).set({ passwordHash }).where(eq(users.id, viewer.userId));
  // Every other session of the person ends; the one making the change stays.
  const others = viewer.sessionTokenHash ? and(eq(sessions.userId, viewer.userId), ne(sessions.tokenHash, viewer.sessionTokenHash)) : eq(sessions.userId, viewer.userId);
  await db.delete(sessions).where(others);
  await writeAudit(query, viewer, "user.changePassword", "user", viewer.userId, {});
}
