import { describe, expect, it } from "vitest";
import { labelPieces, textWidth, wrapLabel, wrapLabels } from "./label-wrap.ts";

describe("chart label wrapping", () => {
  it("keeps a bracketed part whole and words whole", () => {
    expect(labelPieces("購入率（CUPED補正）")).toEqual(["購", "入", "率", "（CUPED補正）"]);
    expect(labelPieces("Revenue per customer (capped at 99%)")).toEqual(["Revenue", " ", "per", " ", "customer", " ", "(capped at 99%)"]);
  });

  it("breaks 購入率（CUPED補正） before its bracket, never before the closing one (phone: 110 px at 11 px)", () => {
    expect(wrapLabel("購入率（CUPED補正）", 110, 11)).toBe("購入率\n（CUPED補正）");
    expect(wrapLabel("購入率", 110, 11)).toBe("購入率");
  });

  it("widens the column to fit the widest bracketed part, within the limit", () => {
    const { width, labels } = wrapLabels(["顧客あたり売上（上位99%で打ち切り）", "購入率（CUPED補正）"], 11, 110, 150);
    expect(width).toBeGreaterThan(110);
    expect(width).toBeLessThanOrEqual(150);
    expect(labels).toEqual(["顧客あたり売上\n（上位99%で打ち切り）", "購入率（CUPED補正）"]);
  });

  it("no line starts with a closing bracket or ends with an opening one", () => {
    for (const text of ["顧客あたり注文数（CUPED補正）", "Orders per customer (CUPED)", "とても長いラベル（とても長い括弧の中身がここに続きます）"]) {
      const lines = wrapLabel(text, 110, 11).split("\n");
      expect(lines.join("").replace(/ /g, "")).toBe(text.replace(/ /g, ""));
      for (const line of lines) {
        expect(textWidth(line, 11)).toBeLessThanOrEqual(110);
        expect(line).not.toMatch(/^[）)]/);
        expect(line).not.toMatch(/[（(]$/);
      }
    }
  });
});
