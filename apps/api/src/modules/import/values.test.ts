import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { decodeSource, parseEncoding } from "./text-source.ts";
import { parseBoolean, parseCurrency, parseMoney, parseRatio, parseTimestamp } from "./values.ts";

describe("parseTimestamp", () => {
  it.each([
    ["2024-01-05", { local: "2024-01-05 00:00:00", offset: null }],
    ["2024/1/5", { local: "2024-01-05 00:00:00", offset: null }],
    ["2024-02-29 7:05", { local: "2024-02-29 07:05:00", offset: null }],
    ["2024-01-05T23:59:59Z", { local: "2024-01-05 23:59:59", offset: "+00:00" }],
    ["2024-01-05 10:00:00.250+0900", { local: "2024-01-05 10:00:00.250", offset: "+09:00" }],
    ["2024-01-05T10:00-05:30", { local: "2024-01-05 10:00:00", offset: "-05:30" }],
  ])("reads %s", (raw, expected) => {
    expect(parseTimestamp(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["2023-02-29", '"2023-02-29" is not a calendar date: 2023-02 has 28 days.'],
    ["2024-04-31", '"2024-04-31" is not a calendar date: 2024-04 has 30 days.'],
    ["2024-13-01", '"2024-13-01" has no month 13: write YYYY-MM-DD or YYYY/MM/DD, optionally with a time HH:mm[:ss] and a zone (Z or +09:00).'],
    ["2024-01-01 24:00", '"2024-01-01 24:00" has an invalid time of day: hours 0–23, minutes and seconds 0–59.'],
    ["2024-01/01", expect.stringMatching(/is not a date/)],
    ["2024-01-01Z", expect.stringMatching(/is not a date/)],
    ["2024-01-01 10:00+15:00", '"2024-01-01 10:00+15:00" has an invalid zone offset +15:00: use -12:00 … +14:00.'],
  ])("rejects %s", (raw, message) => {
    expect(parseTimestamp(raw)).toEqual({ ok: false, message });
  });
});

describe("parseMoney", () => {
  it.each([
    ["0", "0"],
    ["1234.5", "1234.5"],
    ["1,234,567.89", "1234567.89"],
    ["999999999999.99", "999999999999.99"],
  ])("reads %s", (raw, value) => expect(parseMoney(raw, "amount")).toEqual({ ok: true, value }));

  it.each(["1,23", "12,34.5", "1.2.3", "1e5", "", "¥100", "100円", "$5", "1000 JPY", "1000000000000", "0.001", "-0"])("rejects %s", (raw) => {
    expect(parseMoney(raw, "amount").ok).toBe(false);
  });
});

describe("small parsers", () => {
  it("ratios are 0–1 and hint at percentages", () => {
    expect(parseRatio("0.35")).toEqual({ ok: true, value: "0.35" });
    expect(parseRatio(".5")).toEqual({ ok: true, value: "0.5" });
    expect(parseRatio("1")).toEqual({ ok: true, value: "1" });
    expect(parseRatio("35")).toEqual({ ok: false, message: '"35" is not a ratio from 0 to 1: write 0.35 for 35%.' });
    expect(parseRatio("1.5").ok).toBe(false);
  });
  it("booleans and currencies", () => {
    expect(["TRUE", "1", "Yes", "t", "false", "0", "no", "f"].map((raw) => parseBoolean(raw))).toEqual(
      [true, true, true, true, false, false, false, false].map((value) => ({ ok: true, value })),
    );
    expect(parseBoolean("2").ok).toBe(false);
    expect(parseCurrency("USD")).toEqual({ ok: true, value: "USD" });
    expect(parseCurrency("jpy")).toEqual({ ok: false, message: '"jpy": write the currency code in capitals (JPY).' });
  });
  it("encodings accept common spellings", () => {
    expect(["utf8", "UTF-8", "shift_jis", "Shift-JIS", "sjis", "cp932", "latin1"].map(parseEncoding)).toEqual([
      "utf8", "utf8", "shift_jis", "shift_jis", "shift_jis", "shift_jis", undefined,
    ]);
  });
});

async function decodeChunks(chunks: Uint8Array[], encoding: "utf8" | "shift_jis") {
  let text = "";
  for await (const block of decodeSource((async function* () { yield* chunks; })(), encoding)) text += block;
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
    expect((error as DomainError).problems).toEqual([{ path: "line 4", message: "bytes that are not UTF-8 text" }]);
  });
});
