import { describe, expect, it } from "vitest";
import { currencySign, formatAmountInput, parseAmountInput } from "./amount-input.ts";

describe("amount inputs", () => {
  it("groups digits once the field is left and reads them back, with or without the grouping and sign", () => {
    expect(formatAmountInput(1_234_567, "ja-JP")).toBe("1,234,567");
    expect(formatAmountInput(1_234_567, "en-US")).toBe("1,234,567");
    expect(parseAmountInput("1,234,567")).toBe(1_234_567);
    expect(parseAmountInput("1234567")).toBe(1_234_567);
    expect(parseAmountInput("￥1,234,567")).toBe(1_234_567);
    expect(parseAmountInput("¥ 1,234,567")).toBe(1_234_567);
    expect(parseAmountInput("")).toBeNull();
    expect(parseAmountInput("abc")).toBeNull();
  });

  it("shows the currency's sign as the language writes it", () => {
    expect(currencySign("ja-JP", "JPY")).toBe("￥");
    expect(currencySign("en-US", "JPY")).toBe("¥");
    expect(currencySign("en-US", "USD")).toBe("$");
    expect(currencySign("en-US", "not a code")).toBe("not a code");
  });
});
