// Checks the password-change form before it is sent; the server checks again.
export const MIN_PASSWORD_LENGTH = 10;

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

export type PasswordProblem = { field: "current" | "next" | "confirm"; key: string; params?: Record<string, number> };

export function passwordFormProblems(form: PasswordForm): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (!form.current) problems.push({ field: "current", key: "account.password.required" });
  if (form.next.length < MIN_PASSWORD_LENGTH) problems.push({ field: "next", key: "errors.problems.TOO_SHORT", params: { min: MIN_PASSWORD_LENGTH } });
  else if (form.next === form.current) problems.push({ field: "next", key: "errors.problems.SAME_AS_CURRENT" });
  if (form.confirm !== form.next) problems.push({ field: "confirm", key: "account.password.mismatch" });
  return problems;
}
