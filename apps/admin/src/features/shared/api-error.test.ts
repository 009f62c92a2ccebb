import { describe, expect, it } from "vitest";
import { canRetry, isNotFound, problemFor, problemText, reasonText, toApiError } from "./api-error.ts";

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

describe("classifying network errors", () => {
  // What Apollo Client 3 hands over for an HTTP error response: a ServerError with the parsed body.
  const serverError = (statusCode: number, result?: unknown) => ({
    message: `Response not successful: Received status code ${statusCode}`,
    graphQLErrors: [],
    networkError: Object.assign(new Error(`Response not successful: Received status code ${statusCode}`), { name: "ServerError", statusCode, result }),
  });

  it("reads the GraphQL body of an HTTP 400 (an ID that is not an id) instead of calling it a connection failure", () => {
    const info = toApiError(
      serverError(400, {
        errors: [{ message: 'Variable "$id" got invalid value "abc"; not an id', extensions: { code: "BAD_USER_INPUT", reason: "NOT_AN_ID", problems: [{ path: "id", message: "not an id", reason: "NOT_AN_ID" }] } }],
      }),
    );
    expect(info?.code).toBe("BAD_USER_INPUT");
    expect(info?.reason).toBe("NOT_AN_ID");
    expect(info?.problems.map((p) => p.reason)).toEqual(["NOT_AN_ID"]);
    expect(isNotFound(info)).toBe(true);
    expect(canRetry(info)).toBe(false);
  });

  it("keeps NETWORK for no answer at all and for a gateway that cannot reach the server", () => {
    expect(toApiError({ message: "Failed to fetch", graphQLErrors: [], networkError: new TypeError("Failed to fetch") })?.code).toBe("NETWORK");
    expect(toApiError(serverError(502, "<html>Bad gateway</html>"))?.code).toBe("NETWORK");
    expect(toApiError(serverError(503))?.code).toBe("NETWORK");
  });

  it("calls another HTTP error without a GraphQL body UNKNOWN, with its message", () => {
    const info = toApiError(serverError(413, { message: "too large" }));
    expect(info?.code).toBe("UNKNOWN");
    expect(info?.message).toContain("413");
    expect(canRetry(info)).toBe(true);
  });

  it("offers a retry only where trying again can help", () => {
    expect(canRetry({ code: "NETWORK" })).toBe(true);
    expect(canRetry({ code: "STATEMENT_TIMEOUT" })).toBe(true);
    expect(canRetry({ code: "NOT_FOUND" })).toBe(false);
    expect(canRetry({ code: "BAD_USER_INPUT", reason: "NOT_AN_ID" })).toBe(false);
    expect(canRetry(null)).toBe(false);
    expect(isNotFound({ code: "NOT_FOUND" })).toBe(true);
    expect(isNotFound({ code: "BAD_USER_INPUT", reason: "BAD_VALUE" })).toBe(false);
  });
});
