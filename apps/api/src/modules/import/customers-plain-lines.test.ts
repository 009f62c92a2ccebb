// The customers import's fast lane (plain lines written as COPY text by hand) must stage every
// file exactly as the record path does: the same COPY bytes (attributes JSON included), the same
// rows counted, the same problems with their lines and columns, the same refusal. Checked on
// randomised files full of the cases where the two could part: column orders, padded, quoted,
// non-ASCII and escaped cells, e-mail addresses near the rule's edges, birth years at the range's
// ends, every opt-in spelling, costs and timestamps, attr_ columns, blank rows, CRLF.
import { describe, expect, it } from "vitest";
import { stageCsvCustomers } from "./customers-import.service.ts";
import { customerPlainLane } from "./customers-plain-lines.ts";
import { compareLanes, randomCsv, stageBothWays } from "../../testing/plain-lanes.ts";

const THIS_YEAR = new Date().getFullYear();
const IDS = ["C-1", " C-2", "C-3 ", "山田-4", "a\\b", "x\ty", "\u3000id", "id\u00a0", "😀5", "", '"q,6"', "x".repeat(255), "y".repeat(256), "e\u0001f", "\ufeffg"];
const NAMES = ["", "橋本 樹", " 山田", "佐藤 ", "a\\b", "x\u0001y", "名前\u3000", "😀", "\ud800x", '"Doe, J"', "O'Brien", "Ｊｏｅ"];
const EMAILS = [
  "", "a@b.co", "a@b", "@b.co", "a@.co", "a@b.", "a@@b.co", "a b@c.de", "a@b.c.d", `${"x".repeat(249)}@b.co`, `${"x".repeat(248)}@b.co`,
  "ａ@ｂ.co", "a@b.co\u3000", "a\\b@c.de", "a@b\u0001.co", "a\u00a0@b.co", "a@b..", "a.b@c", "a@.b.c", "a@b.c.", "名前@例え.jp", "a@b.c@d.e", " a@b.co",
];
const PREFECTURES = ["", "福岡県", "北海道", " 東京都", "大阪府 ", "x\\y", "a{b}", "\ud83d", "x\u2028y"];
const GENDERS = ["", "male", "female", "x\u0001", "other"];
const BIRTHS = ["", "1982", "1899", "1900", String(THIS_YEAR), String(THIS_YEAR + 1), "+1980", "01982", "19820", "abc", " 1980", "198", "1980.0", "-1980"];
const CHANNELS = ["", "web", "店舗", "a\\b", " web", "web ", "x\u0001y", '"a,b"'];
const COSTS = ["0", "12", "12.5", "12.50", "007", "000000000000123.45", "1234567890123", "999999999999.99", "3.", ".5", "12.345", "-5", '"1,234"', "¥100", "1e3", " 8", "", "0.00"];
const TIMES = ["", "2025-07-01", "2025-07-01 10:11", "2025-07-01T10:11:12Z", "2025-07-01T10:11:12+09:00", "2025-07-01 10:11:12-0530", "2025/07/01", "2025-02-29", "2024-02-29", "2025-13-01", "1899-12-31", "2025-07-01 24:00", " 2025-07-01", "2025-07-01T10"];
const BOOLS = ["", "true", "TRUE", "True", "1", "yes", "Y", "t", "false", "0", "No", "n", "F", "maybe", " true", "tru", "K", "ｔｒｕｅ", "2", "はい", "いいえ", "○", "×", "あり", "無", " はい", "はい ", "はいはい", "希望する", "１"];
const COLUMNS = [
  "external_id", "name", "email", "prefecture", "gender", "birth_year", "acquisition_channel", "acquisition_cost", "acquired_at",
  "email_opt_in", "line_opt_in", "sms_opt_in", "dm_opt_in",
];

function randomFile(seed: number, rows: number, oddness: number): string {
  return randomCsv(seed, rows, oddness, {
    columns: COLUMNS,
    required: 1,
    keep: 0.75,
    extraColumns: seed % 10 === 0 ? ["attr_tier"] : [],
    cells: ({ rand, pick, odd }, i) => {
      const bool = () => (odd() ? pick(BOOLS) : rand() < 0.5 ? "true" : "false");
      return {
        external_id: odd() ? pick(IDS) : `c${seed}-${i}`,
        name: odd() ? pick(NAMES) : `顧客 ${i}`,
        email: odd() ? pick(EMAILS) : `customer${i}@example.com`,
        prefecture: odd() ? pick(PREFECTURES) : rand() < 0.2 ? "" : "福岡県",
        gender: odd() ? pick(GENDERS) : rand() < 0.5 ? "male" : "female",
        birth_year: odd() ? pick(BIRTHS) : String(1940 + Math.floor(rand() * 60)),
        acquisition_channel: odd() ? pick(CHANNELS) : "affiliate",
        acquisition_cost: odd() ? pick(COSTS) : `${Math.floor(rand() * 5000)}.00`,
        acquired_at: odd() ? pick(TIMES) : `2025-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)} 10:11:00`,
        email_opt_in: bool(),
        line_opt_in: bool(),
        sms_opt_in: bool(),
        dm_opt_in: bool(),
        attr_tier: rand() < 0.5 ? "gold" : "",
      };
    },
  });
}

describe("the customers import's fast lane", () => {
  it("stages randomised files exactly as the record path does", async () => {
    const files = Array.from({ length: 60 }, (_, i) => randomFile(i + 1, 400, (i + 1) % 3 === 0 ? 0.02 : 0.3));
    const { taken, rows, problems } = await compareLanes(files, "customers.csv", stageCsvCustomers, customerPlainLane);
    // The comparison means something only if both lanes were used and problems were found.
    expect(taken).toBeGreaterThan(rows / 4);
    expect(taken).toBeLessThan(rows);
    expect(problems).toBeGreaterThan(100);
  });

  it("takes every line of a clean export and writes the stage's COPY text, attributes and defaults included", async () => {
    const text =
      "external_id,name,email,prefecture,gender,birth_year,acquisition_channel,acquisition_cost,acquired_at,email_opt_in,line_opt_in,sms_opt_in,dm_opt_in\n" +
      "C000001,橋本 樹,customer000001@example.com,福岡県,male,1982,affiliate,4500.00,2025-07-01 10:11:00,true,false,TRUE,0\n" +
      "C000002,,,,,,,,,,,,\n" +
      "C000003,山口 愛,,,female,,store,0,2025-07-02T09:00:00+09:00,yes,n,,\n";
    const { fast, taken } = await stageBothWays(text, "customers.csv", stageCsvCustomers, customerPlainLane);
    expect(taken).toBe(3);
    expect(fast).toMatchObject({
      copy:
        '2\tC000001\t橋本 樹\tcustomer000001@example.com\t{"prefecture":"福岡県","gender":"male","birthYear":1982}\taffiliate\t4500.00\t2025-07-01 10:11:00\tt\tf\tt\tf\n' +
        "3\tC000002\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n" +
        '4\tC000003\t山口 愛\t\\N\t{"gender":"female"}\tstore\t0\t2025-07-02 09:00:00+09:00\tt\tf\t\\N\t\\N\n',
      rowsRead: 3,
      problems: 0,
    });
  });
});
