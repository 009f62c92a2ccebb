import { describe, expect, it } from "vitest";
import { defaultName, toggleCell } from "./rf-cells.ts";

describe("RF cell selection", () => {
  it("toggles cells and keeps R descending, F ascending", () => {
    let cells = toggleCell([], { r: 4, f: 5 });
    cells = toggleCell(cells, { r: 5, f: 4 });
    cells = toggleCell(cells, { r: 5, f: 2 });
    expect(defaultName(cells)).toBe("R5F2, R5F4, R4F5");
    cells = toggleCell(cells, { r: 5, f: 4 });
    expect(cells).toEqual([{ r: 5, f: 2 }, { r: 4, f: 5 }]);
  });
});
