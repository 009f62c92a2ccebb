import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { decodeSource, parseEncoding } from "./text-source.ts";
import type { ImportEncoding } from "./import.types.ts";
import { parseBoolean, parseCurrency, parseEmail, parseId, parseInteger, parseMoney, parseRatio, parseTimestamp } from "./values.ts";

describe("parseTimestamp", () => {
  it.each([
    ["2024-01-05", { local: "2024-01-05 00:00:00", offset: null }],
    ["2024/1/5", { local: "2024-01-05 00:00:00", offset: null }],
    ["2024-02-29 7:05", { local: "2024-02-29 07:05:00", offset: null }],
    ["2024-01-05T23:59:59Z", { local: "2024-01-05 23:59:59", offset: "+00:00" }],
    ["2024-01-05 10:00:00.250+0900", { local: "2024-01-05 10:00:00.250", offset: "+09:00" }],
    ["2024-01-05T10:00-05:30", { local: "2024-01-05 10:00:00", offset: "-05:30" }],
    // PostgreSQL writes timestamptz with an hour-only zone (psql, COPY … CSV).
    ["2024-01-05 10:00:00+09", { local: "2024-01-05 10:00:00", offset: "+09:00" }],
    ["2024-01-05 10:00:00.123456-05", { local: "2024-01-05 10:00:00.123456", offset: "-05:00" }],
    // .NET's round-trip format has 7 decimals, Java's up to 9: cut to microseconds, never rounded into the next day.
    ["2024-01-05T10:00:00.1234567+09:00", { local: "2024-01-05 10:00:00.123456", offset: "+09:00" }],
    ["2024-01-05T23:59:59.999999999Z", { local: "2024-01-05 23:59:59.999999", offset: "+00:00" }],
  ])("reads %s", (raw, expected) => {
    expect(parseTimestamp(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["2023-02-29", "NO_SUCH_DAY", { value: "2023-02-29", month: "2023-02", days: 28 }, '"2023-02-29" is not a calendar date: 2023-02 has 28 days.'],
    ["2024-04-31", "NO_SUCH_DAY", { value: "2024-04-31", month: "2024-04", days: 30 }, '"2024-04-31" is not a calendar date: 2024-04 has 30 days.'],
    ["2024-13-01", "BAD_MONTH", { value: "2024-13-01", month: 13 }, '"2024-13-01" has no month 13: months are 01–12.'],
    ["2024-01-01 24:00", "BAD_TIME", { value: "2024-01-01 24:00" }, '"2024-01-01 24:00" has an invalid time of day: hours 0–23, minutes and seconds 0–59.'],
    ["2024-01/01", "BAD_DATE", { value: "2024-01/01" }, expect.stringMatching(/is not a date: write YYYY-MM-DD/)],
    ["2024-01-01Z", "BAD_DATE", { value: "2024-01-01Z" }, expect.stringMatching(/is not a date/)],
    ["1899-12-31", "YEAR_OUT_OF_RANGE", { value: "1899-12-31", min: 1900, max: 2100 }, expect.stringMatching(/between 1900 and 2100/)],
    ["2024-01-01 10:00+15:00", "BAD_ZONE", { value: "2024-01-01 10:00+15:00", zone: "+15:00" }, '"2024-01-01 10:00+15:00" has an invalid zone offset +15:00: use -12:00 … +14:00.'],
  ])("rejects %s with its code and parameters", (raw, code, params, message) => {
    expect(parseTimestamp(raw)).toEqual({ ok: false, code, params, message });
  });
});

describe("cells as Japanese spreadsheets write them", () => {
  const refusal = (parsed: { ok: boolean; code?: string; params?: unknown }) => (parsed.ok ? "accepted" : [parsed.code, parsed.params]);

  it.each([
    ["令和6年1月5日", "2024-01-05"],
    ["令和元年5月1日", "2019-05-01"],
    ["平成31年4月30日", "2019-04-30"],
    ["昭和64年1月7日", "1989-01-07"],
    ["2024年1月5日", "2024-01-05"],
    ["2024年12月31日 23:59", "2024-12-31 23:59"],
  ])("a Japanese-style date %s is refused with the date to write, %s", (raw, expected) => {
    expect(refusal(parseTimestamp(raw))).toEqual(["JAPANESE_DATE", { value: raw, expected }]);
    expect(parseTimestamp(expected).ok).toBe(true);
  });

  it("a Japanese-style date that is no calendar date says so in the Western calendar", () => {
    expect(refusal(parseTimestamp("平成31年2月30日"))).toEqual(["NO_SUCH_DAY", { value: "2019-02-30", month: "2019-02", days: 28 }]);
  });

  it.each([
    ["45296", "2024-01-05"],
    ["45296.5", "2024-01-05 12:00"],
    ["36526", "2000-01-01"],
  ])("an Excel date serial number %s is refused with its date, %s", (raw, expected) => {
    const parsed = parseTimestamp(raw);
    expect(refusal(parsed)).toEqual(["EXCEL_DATE_NUMBER", { value: raw, expected }]);
    expect(parsed.ok ? "" : parsed.message).toContain("Format the column as a date (yyyy-mm-dd) in Excel");
  });

  it("other numbers are plain bad dates", () => {
    for (const raw of ["12345", "20240105", "99999"]) expect(refusal(parseTimestamp(raw))).toEqual(["BAD_DATE", { value: raw }]);
  });

  it("full-width digits and signs are refused with their half-width spelling when that would be read", () => {
    expect(refusal(parseTimestamp("２０２４／１／５"))).toEqual(["FULL_WIDTH", { value: "２０２４／１／５", expected: "2024/1/5" }]);
    expect(refusal(parseTimestamp("２０２４－０１－０５　１０：００"))).toEqual(["FULL_WIDTH", { value: "２０２４－０１－０５　１０：００", expected: "2024-01-05 10:00" }]);
    expect(refusal(parseMoney("１２３", "amount"))).toEqual(["FULL_WIDTH", { value: "１２３", expected: "123" }]);
    expect(refusal(parseMoney("１，２３４．５", "amount"))).toEqual(["FULL_WIDTH", { value: "１，２３４．５", expected: "1,234.5" }]);
    expect(refusal(parseInteger("３", 0, 10))).toEqual(["FULL_WIDTH", { value: "３", expected: "3" }]);
    expect(refusal(parseRatio("０.３"))).toEqual(["FULL_WIDTH", { value: "０.３", expected: "0.3" }]);
    const message = parseMoney("１２３", "amount");
    expect(message.ok ? "" : message.message).toBe('"１２３" is written in full-width characters: write it in half-width characters, 123 (in Excel, =ASC() converts them).');
    // What is wrong beyond the width is said of the half-width spelling: a minus sign (full-width or U+2212) is a negative amount.
    expect(refusal(parseMoney("－５００", "amount"))).toEqual(["NEGATIVE_ORDER_AMOUNT", { value: "-500" }]);
    expect(refusal(parseMoney("−500", "amount"))).toEqual(["NEGATIVE_ORDER_AMOUNT", { value: "-500" }]);
    expect(refusal(parseMoney("￥1,200", "amount"))).toEqual(["CURRENCY_SIGN", { value: "￥1,200" }]);
  });
});

describe("parseMoney", () => {
  it.each([
    ["0", "0"],
    ["1234.5", "1234.5"],
    ["1,234,567.89", "1234567.89"],
    ["999999999999.99", "999999999999.99"],
  ])("reads %s", (raw, value) => expect(parseMoney(raw, "amount")).toEqual({ ok: true, value }));

  it.each([
    ["1,23", "BAD_NUMBER"],
    ["12,34.5", "BAD_NUMBER"],
    ["1.2.3", "BAD_NUMBER"],
    ["1e5", "BAD_NUMBER"],
    ["", "BAD_NUMBER"],
    ["¥100", "CURRENCY_SIGN"],
    ["100円", "CURRENCY_SIGN"],
    ["$5", "CURRENCY_SIGN"],
    ["1000 JPY", "CURRENCY_SIGN"],
    ["1 000", "SPACE_IN_NUMBER"],
    ["1000000000000", "NUMBER_TOO_LARGE"],
    ["0.001", "TOO_MANY_DECIMALS"],
    ["-0", "NEGATIVE_ORDER_AMOUNT"],
  ])("rejects %s as %s", (raw, code) => {
    expect(parseMoney(raw, "amount")).toMatchObject({ ok: false, code, params: expect.objectContaining(code === "TOO_MANY_DECIMALS" ? { value: raw, limit: 2 } : { value: raw }) });
  });

  it("a negative amount outside orders has no refund hint, and names its column", () => {
    expect(parseMoney("-5", "acquisition_cost")).toEqual({
      ok: false,
      code: "NEGATIVE_AMOUNT",
      params: { value: "-5", column: "acquisition_cost" },
      message: "acquisition_cost must be 0 or more, got -5.",
    });
    expect(parseMoney("-5", "amount")).toMatchObject({ code: "NEGATIVE_ORDER_AMOUNT", message: expect.stringMatching(/status refunded/) });
  });
});

describe("small parsers", () => {
  it("ratios are 0–1 and hint at percentages", () => {
    expect(parseRatio("0.35")).toEqual({ ok: true, value: "0.35" });
    expect(parseRatio(".5")).toEqual({ ok: true, value: "0.5" });
    expect(parseRatio("1")).toEqual({ ok: true, value: "1" });
    expect(parseRatio("35")).toEqual({ ok: false, code: "PERCENT_AS_RATIO", params: { value: "35", ratio: 0.35, percent: 35 }, message: '"35" is not a ratio from 0 to 1: write 0.35 for 35%.' });
    expect(parseRatio("1.5")).toMatchObject({ ok: false, code: "RATIO_ABOVE_ONE", params: { value: "1.5" } });
    expect(parseRatio("0.12345")).toMatchObject({ ok: false, code: "TOO_MANY_DECIMALS", params: { value: "0.12345", limit: 4 } });
    expect(parseRatio("abc")).toMatchObject({ ok: false, code: "BAD_RATIO", params: { value: "abc" } });
  });
  it("booleans and currencies", () => {
    expect(["TRUE", "1", "Yes", "t", "false", "0", "no", "f"].map((raw) => parseBoolean(raw))).toEqual(
      [true, true, true, true, false, false, false, false].map((value) => ({ ok: true, value })),
    );
    expect(parseBoolean("2")).toMatchObject({ ok: false, code: "BAD_BOOLEAN", params: { value: "2" } });
    // As Japanese sheets write yes/no: はい/いいえ, circles and crosses, あり/なし, 有/無, full-width letters and digits.
    const japanese = { はい: true, いいえ: false, "○": true, "〇": true, "◯": true, "×": false, "✕": false, あり: true, なし: false, 有: true, 無: false, ＴＲＵＥ: true, ｆａｌｓｅ: false, Ｙｅｓ: true, "１": true, "０": false };
    for (const [raw, value] of Object.entries(japanese)) expect(parseBoolean(raw), raw).toEqual({ ok: true, value });
    expect(parseBoolean("希望する")).toEqual({
      ok: false,
      code: "BAD_BOOLEAN",
      params: { value: "希望する" },
      message: '"希望する" is not a yes/no value: write true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無 (leave empty for the default).',
    });
    expect(parseBoolean("ｍａｙｂｅ")).toMatchObject({ ok: false, code: "BAD_BOOLEAN", params: { value: "ｍａｙｂｅ" } });
    expect(parseCurrency("USD")).toEqual({ ok: true, value: "USD" });
    expect(parseCurrency("jpy")).toEqual({ ok: false, code: "CURRENCY_LOWERCASE", params: { value: "jpy", expected: "JPY" }, message: '"jpy": write the currency code in capitals (JPY).' });
    expect(parseCurrency("yen!")).toMatchObject({ ok: false, code: "BAD_CURRENCY", params: { value: "yen!" } });
  });
  it("ids, integers and emails", () => {
    expect(parseId("x".repeat(300))).toMatchObject({ ok: false, code: "ID_TOO_LONG", params: { length: 300, limit: 255, start: "x".repeat(20) } });
    expect(parseId("a\tb")).toMatchObject({ ok: false, code: "CONTROL_CHARACTER", params: {} });
    expect(parseInteger("1.5", 0, 10)).toMatchObject({ ok: false, code: "NOT_WHOLE_NUMBER", params: { value: "1.5", min: 0 } });
    expect(parseInteger("-50", -100, 100)).toEqual({ ok: true, value: -50 });
    expect(parseInteger("-5", 0, 10)).toMatchObject({ ok: false, code: "NOT_WHOLE_NUMBER" });
    expect(parseInteger("11", 0, 10)).toMatchObject({ ok: false, code: "OUT_OF_RANGE", params: { value: "11", min: 0, max: 10 }, message: "11 is out of range: expected 0 to 10." });
    expect(parseEmail("not-an-email")).toMatchObject({ ok: false, code: "BAD_EMAIL", params: { value: "not-an-email" } });
    // A runaway cell is cut in the parameters, so a report never carries a whole megabyte.
    expect(parseEmail(`${"a".repeat(300)}@`)).toMatchObject({ params: { value: `${"a".repeat(80)}…` } });
  });
  it("encodings accept common spellings", () => {
    expect(["utf8", "UTF-8", "shift_jis", "Shift-JIS", "sjis", "cp932", "latin1"].map(parseEncoding)).toEqual([
      "utf8", "utf8", "shift_jis", "shift_jis", "shift_jis", "shift_jis", undefined,
    ]);
  });
});

async function decodeChunks(chunks: Uint8Array[], encoding: ImportEncoding, onEncoding?: (read: ImportEncoding) => void) {
  let text = "";
  for await (const block of decodeSource((async function* () { yield* chunks; })(), encoding, undefined, onEncoding)) text += block;
  return text;
}

/** Splits bytes into pieces of `size`, so multi-byte characters and the BOM straddle chunks. */
const split = (bytes: Uint8Array, size: number) => {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
};

describe("decodeSource", () => {
  const text = "external_id,name\r\nC1,山田 花子\r\nC2,髙橋 ①\r\n";
  it.each([1, 2, 3, 5, 1000])("decodes UTF-8 with a BOM in chunks of %i bytes", async (size) => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(await decodeChunks(split(bytes, size), "utf8")).toBe(text);
  });
  it.each([1, 2, 7])("decodes CP932 in chunks of %i bytes", async (size) => {
    expect(await decodeChunks(split(iconv.encode(text, "cp932"), size), "shift_jis")).toBe(text);
  });
  it("names the line of the first invalid UTF-8 byte, even past many chunks", async () => {
    const bytes = Buffer.concat([Buffer.from("a\nb\nc\n"), iconv.encode("店\n", "cp932")]);
    const error = await decodeChunks(split(bytes, 2), "utf8").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).problems).toEqual([
      { path: "line 4", line: 4, reason: "BAD_ENCODING", params: { encoding: "utf8" }, message: expect.stringMatching(/^bytes that are not UTF-8 text: .*shift_jis/) },
    ]);
  });
  it.each([1, 3, 1000])("reads a UTF-16 file with a byte order mark whatever encoding was chosen (Excel's Unicode Text), in chunks of %i bytes", async (size) => {
    const unicodeText = "external_id\tname\r\nC1\t山田 花子\r\nC2\t髙橋 ①\r\n";
    for (const [encoding, bytes] of [
      ["utf16le", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(unicodeText, "utf16le")])],
      ["utf16be", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(unicodeText, "utf16le").swap16()])],
    ] as const) {
      for (const chosen of ["utf8", "shift_jis", "utf16le", "utf16be"] as const) {
        let read: ImportEncoding | undefined;
        expect(await decodeChunks(split(bytes, size), chosen, (r) => (read = r))).toBe(unicodeText);
        expect(read).toBe(encoding);
      }
    }
  });
  it("without a byte order mark, UTF-16 has to be declared: refused with the encoding to choose", async () => {
    const refusal = async (bytes: Uint8Array) => (await decodeChunks([bytes], "utf8").catch((e: unknown) => e)) as DomainError;
    const tabs = await refusal(Buffer.from("external_id\tname\r\nC1\t山田\r\n", "utf16le"));
    expect(tabs.message).toBe("The file is UTF-16LE text, not UTF-8 or Shift_JIS. Import it with encoding utf16le (--encoding utf16le), or save it as UTF-8 CSV.");
    expect(tabs.problems[0]).toMatchObject({ reason: "WIDE_ENCODING", params: { found: "UTF-16LE", declare: "utf16le" } });
  });
  it("a UTF-16 byte order mark alone is an empty UTF-16 file, not bad UTF-8", async () => {
    for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) expect(await decodeChunks([new Uint8Array(bom)], "utf8")).toBe("");
    expect(await decodeChunks([new Uint8Array([0xff, 0xfe])], "utf16le")).toBe("");
  });
  it("refuses UTF-8 text declared Shift_JIS, which would decode into other characters (東京都 → 譚ｱ莠ｬ驛ｽ)", async () => {
    const bytes = Buffer.from("external_id,name\nC1,Hanako\nC2,東京都\n");
    // Read as CP932 these bytes raise no error: without the check they would be stored as other characters.
    expect(iconv.decode(bytes, "cp932")).toContain("譚ｱ莠ｬ驛ｽ");
    for (const size of [3, 1000]) {
      const error = await decodeChunks(split(bytes, size), "shift_jis").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).message).toMatch(/^The file is UTF-8 text, not Shift_JIS \(line 3 has the first non-ASCII characters.*--encoding utf8/);
      expect((error as DomainError).problems).toEqual([
        { path: "line 3", line: 3, reason: "BAD_ENCODING", params: { encoding: "shift_jis", found: "UTF-8" }, message: expect.stringMatching(/^the bytes are UTF-8 text, .*encoding utf8\.$/) },
      ]);
    }
    // Half-width kana in Shift_JIS can happen to be valid UTF-8 (ﾃｽ is 0xC3 0xBD, "ý"): still read as Shift_JIS.
    expect(await decodeChunks([iconv.encode("external_id,name\nC1,ﾃｽ\n", "cp932")], "shift_jis")).toBe("external_id,name\nC1,ﾃｽ\n");
  });
});
