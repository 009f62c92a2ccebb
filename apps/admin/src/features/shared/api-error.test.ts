import { describe, expect, it } from "vitest";
import { problemFor, toApiError } from "./api-error.ts";

describe("toApiError", () => {
  it("reads the code and field problems from extensions", () => {
    const info = toApiError({
      graphQLErrors: [
        { message: "Invalid input", extensions: { code: "BAD_USER_INPUT", problems: [{ path: "input.name", message: "required" }] } },
      ],
    });
    expect(info?.code).toBe("BAD_USER_INPUT");
    expect(problemFor(info, "name")).toBe("required");
    expect(problemFor(info, "color")).toBeUndefined();
  });

  it("treats unknown codes and network failures distinctly", () => {
    expect(toApiError({ graphQLErrors: [{ message: "x", extensions: { code: "WHATEVER" } }] })?.code).toBe("UNKNOWN");
    expect(toApiError({ message: "fetch failed", graphQLErrors: [], networkError: new Error("x") })?.code).toBe("NETWORK");
    expect(toApiError(null)).toBeNull();
  });
});
