import { describe, expect, it } from "vitest";
import { problemFor, problemText, reasonText, toApiError } from "./api-error.ts";

describe("toApiError", () => {
  it("reads the code and field problems from extensions", () => {
    const info = toApiError({
      graphQLErrors: [
        { message: "Invalid input", extensions: { code: "BAD_USER_INPUT", problems: [{ path: "input.name", message: "required" }] } },
      ],
    });
    expect(info?.code).toBe("BAD_USER_INPUT");
    const none = { t: (k: string) => k, te: () => false };
    expect(problemFor(info, "name", none)).toBe("required");
    expect(problemFor(info, "color", none)).toBeUndefined();
  });

  it("treats unknown codes and network failures distinctly", () => {
    expect(toApiError({ graphQLErrors: [{ message: "x", extensions: { code: "WHATEVER" } }] })?.code).toBe("UNKNOWN");
    expect(toApiError({ message: "fetch failed", graphQLErrors: [], networkError: new Error("x") })?.code).toBe("NETWORK");
    expect(toApiError(null)).toBeNull();
  });
});

describe("reason codes", () => {
  const words: Record<string, string> = { "errors.reasons.WRONG_CREDENTIALS": "wrong", "errors.problems.TOO_SHORT": "at least {min}" };
  const i18n = { te: (k: string) => k in words, t: (k: string, p?: Record<string, unknown>) => (words[k] ?? k).replace("{min}", String(p?.["min"] ?? "")) };

  it("reads the reason, its parameters and per-problem reasons, and words only the ones the UI knows", () => {
    const info = toApiError({
      graphQLErrors: [
        {
          message: "English sentence",
          extensions: { code: "BAD_USER_INPUT", reason: "WRONG_CREDENTIALS", params: { minutes: 3, bad: {} }, problems: [{ path: "newPassword", message: "x", reason: "TOO_SHORT", params: { min: 10 } }] },
        },
      ],
    });
    expect(info?.reason).toBe("WRONG_CREDENTIALS");
    expect(info?.params).toEqual({ minutes: 3 });
    expect(reasonText(i18n, info)).toBe("wrong");
    expect(problemText(i18n, info!.problems[0]!)).toBe("at least 10");
    expect(reasonText(i18n, { reason: "SOMETHING_NEW" })).toBeNull();
    expect(problemText(i18n, {})).toBeNull();
  });
});
