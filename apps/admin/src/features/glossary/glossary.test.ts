import { describe, expect, it } from "vitest";
import { messages } from "../../i18n/messages.ts";

type Tree = { [key: string]: string | Tree };
const at = (tree: unknown, path: string): string => String(path.split(".").reduce<unknown>((t, k) => (t as Tree)[k], tree));

describe("glossary formulas", () => {
  it("purchase frequency's identity multiplies active customers, not all customers (orders ÷ active customers × AOV = revenue)", () => {
    // The identity itself, on numbers: 1,200 orders by 800 active customers of 5,000 at an AOV of ¥4,000.
    const orders = 1200, active = 800, revenue = 4_800_000;
    const frequency = orders / active, aov = revenue / orders;
    expect(active * frequency * aov).toBe(revenue);
    expect(5000 * frequency * aov).not.toBe(revenue);
    expect(at(messages.ja, "glossary.terms.purchaseFrequency.long")).toContain("アクティブ顧客数 × 購入頻度 × 平均注文単価 = 売上");
    expect(at(messages.en, "glossary.terms.purchaseFrequency.long")).toContain("Active customers × purchase frequency × AOV = revenue");
  });
});
