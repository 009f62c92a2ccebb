import { describe, expect, it } from "vitest";
import { countsOf, progressRatio, readAs, readOutcome, uploadUrl } from "./upload.ts";

describe("import upload helpers", () => {
  it("builds the upload URL with mode, file name, encoding and upload id", () => {
    expect(uploadUrl("orders", "preview", { name: "注文 3月.csv", encoding: "shift_jis", uploadId: "abcdef012345" })).toBe(
      "/import/orders?mode=preview&name=%E6%B3%A8%E6%96%87+3%E6%9C%88.csv&encoding=shift_jis&uploadId=abcdef012345",
    );
    // UTF-16 without a byte order mark is declared by the names the API reads (parseEncoding).
    expect(uploadUrl("customers", "commit", { name: "c.txt", encoding: "utf16le", uploadId: "00" })).toBe("/import/customers?mode=commit&name=c.txt&encoding=utf16le&uploadId=00");
  });

  it("reads a rejection's line-numbered problems and a success's counts", async () => {
    const rejected = await readOutcome(
      new Response(JSON.stringify({ error: { code: "BAD_USER_INPUT", reason: "IMPORT_REJECTED", message: "x", problems: [{ line: 3, column: "email", message: "bad" }] } }), { status: 422 }),
    );
    expect(rejected).toMatchObject({ ok: false, status: 422, reason: "IMPORT_REJECTED", problems: [{ line: 3, column: "email", code: null, params: {} }] });
    const coded = await readOutcome(
      new Response(JSON.stringify({ error: { reason: "IMPORT_REJECTED", problems: [{ line: 3, column: "email", code: "BAD_EMAIL", params: { value: "x", nested: { no: 1 } }, message: "English" }] } }), { status: 422 }),
    );
    // Only what the page words itself is kept: the English message is not.
    expect(!coded.ok && coded.problems).toEqual([{ line: 3, column: "email", code: "BAD_EMAIL", params: { value: "x" } }]);
    const done = await readOutcome(new Response(JSON.stringify({ mode: "commit", summary: { kind: "orders", rowsRead: 2, orders: { inserted: 2, updated: 0, unchanged: 0 } } })));
    expect(done.ok && countsOf(done.summary)).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const broken = await readOutcome(new Response("<html>", { status: 502 }));
    expect(broken).toMatchObject({ ok: false, status: 502, reason: null });
  });

  it("says when the file was read as tab-separated, or as UTF-16 although another encoding was chosen", () => {
    const summary = { kind: "orders" as const, label: "a.txt", isDryRun: true, rowsRead: 1 };
    expect(readAs({ ...summary, delimiter: "comma", encoding: "utf8" }, "utf8")).toEqual({ tab: false, utf16: false });
    expect(readAs({ ...summary, delimiter: "tab", encoding: "shift_jis" }, "shift_jis")).toEqual({ tab: true, utf16: false });
    // Excel's Unicode Text chosen as UTF-8: its byte order mark decided.
    expect(readAs({ ...summary, delimiter: "tab", encoding: "utf16le" }, "utf8")).toEqual({ tab: true, utf16: true });
    expect(readAs({ ...summary, delimiter: "tab", encoding: "utf16be" }, "shift_jis")).toEqual({ tab: true, utf16: true });
    // UTF-16 chosen (a file without the mark): read as chosen, nothing to say about it.
    expect(readAs({ ...summary, delimiter: "tab", encoding: "utf16le" }, "utf16le")).toEqual({ tab: true, utf16: false });
    expect(readAs({ ...summary, delimiter: "comma", encoding: "utf16be" }, "utf16be")).toEqual({ tab: false, utf16: false });
  });

  it("gives the share read only when the size is known", () => {
    expect(progressRatio(null)).toBeNull();
    expect(progressRatio({ phase: "reading", bytesRead: 50, rowsRead: 1, totalBytes: 200, done: false })).toBe(0.25);
    expect(progressRatio({ phase: "writing", bytesRead: 300, rowsRead: 1, totalBytes: 200, done: false })).toBe(1);
  });
});
