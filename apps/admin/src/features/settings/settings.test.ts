import { DEFAULT_RFM_THRESHOLDS, scoreRfmByThresholds, type RfmThresholds } from "@ltvloop/scoring/rfm";
import { describe, expect, it } from "vitest";
import {
  hasProblems,
  isEmptyBand,
  percentFromRatio,
  ratioFromPercent,
  scoreBands,
  settingsDrift,
  validateBusiness,
  validateThresholds,
  type Dimension,
  type ScoreBand,
  type ThresholdsDraft,
} from "./settings-form.ts";
import { generatePassword, userActions, validateNewUser } from "./users-form.ts";

const defaults = (): ThresholdsDraft => ({
  recencyDays: [...DEFAULT_RFM_THRESHOLDS.recencyDays],
  frequency: [...DEFAULT_RFM_THRESHOLDS.frequency],
  monetary: [...DEFAULT_RFM_THRESHOLDS.monetary],
});

describe("threshold validation (mirrors updateSettings)", () => {
  it("accepts the scoring package's defaults", () => {
    expect(hasProblems(validateThresholds(defaults()))).toBe(false);
  });

  it("puts each problem on the cut point to fix", () => {
    const draft = defaults();
    draft.recencyDays = [30, 30, 90, 180];
    draft.frequency = [2, null, 5, 10];
    draft.monetary = [-1, 30_000, 50_000, 40_000];
    const p = validateThresholds(draft);
    expect(p.recencyDays).toEqual([null, { key: "ascending", params: { previous: 30 } }, null, null]);
    expect(p.frequency).toEqual([null, { key: "required" }, null, null]);
    expect(p.monetary).toEqual([{ key: "negative" }, null, null, { key: "ascending", params: { previous: 50_000 } }]);
  });

  it("wants whole days and purchase days (GraphQL Int) but allows fractional amounts", () => {
    const draft = defaults();
    draft.recencyDays = [30.5, 60, 90, 180];
    draft.monetary = [9_999.5, 30_000, 50_000, 100_000];
    const p = validateThresholds(draft);
    expect(p.recencyDays[0]).toEqual({ key: "integer" });
    expect(p.monetary[0]).toBeNull();
  });
});

/** The bands a value falls in, read the way a person reads the chips: exactly one, or the chips overlap or leave a gap. */
function bandOf(bands: ScoreBand[], v: number): number[] {
  return bands.filter((b) => (b.min === null || (b.minExclusive ? v > b.min : v >= b.min)) && (b.max === null || (b.maxExclusive ? v < b.max : v <= b.max))).map((b) => b.score);
}

describe("score bands", () => {
  it("reads the defaults as DESIGN §4.1 states them: R ≤30/≤60/≤90/≤180/>180, F 1/2/3–4/5–9/10+", () => {
    const r = scoreBands("recencyDays", DEFAULT_RFM_THRESHOLDS.recencyDays) ?? [];
    expect(r.map((b) => [b.score, b.min, b.max])).toEqual([
      [5, null, 30],
      [4, 31, 60],
      [3, 61, 90],
      [2, 91, 180],
      [1, 180, null],
    ]);
    const f = scoreBands("frequency", DEFAULT_RFM_THRESHOLDS.frequency) ?? [];
    expect(f.map((b) => [b.score, b.min, b.max])).toEqual([
      [5, 10, null],
      [4, 5, 9],
      [3, 3, 4],
      [2, 2, 2],
      [1, null, 1],
    ]);
  });

  it("agrees with @ltvloop/scoring's threshold scoring for every value", () => {
    const thresholds: RfmThresholds = { recencyDays: [7, 14, 45, 365], frequency: [1, 3, 4, 12], monetary: [5_000, 12_500.5, 80_000, 250_000] };
    const bands = {
      recencyDays: scoreBands("recencyDays", thresholds.recencyDays) ?? [],
      frequency: scoreBands("frequency", thresholds.frequency) ?? [],
      monetary: scoreBands("monetary", thresholds.monetary) ?? [],
    };
    const values = [0, 1, 2, 3, 4, 6, 7, 8, 11, 12, 13, 14, 15, 44, 45, 46, 364, 365, 366, 4_999.99, 5_000, 12_500, 12_500.5, 79_999, 80_000, 250_000, 1e6];
    for (const v of values) {
      const days = Math.round(v);
      const [score] = scoreRfmByThresholds([{ customerId: "c", recencyDays: days, frequency: days, monetary: v }], thresholds);
      expect(bandOf(bands.recencyDays, days), `R at ${days}`).toEqual([score?.r]);
      expect(bandOf(bands.frequency, days), `F at ${days}`).toEqual([score?.f]);
      expect(bandOf(bands.monetary, v), `M at ${v}`).toEqual([score?.m]);
    }
  });

  it("is null until every cut point is filled", () => {
    expect(scoreBands("monetary", [1, null, 3, 4])).toBeNull();
  });

  it("flags scores nobody can get", () => {
    const f = scoreBands("frequency", [1, 2, 3, 4]) ?? [];
    expect(f.filter((b) => isEmptyBand("frequency", b)).map((b) => b.score)).toEqual([1]);
    const r = scoreBands("recencyDays", [0, 1, 2, 3]) ?? [];
    expect(r.some((b) => isEmptyBand("recencyDays" as Dimension, b))).toBe(false);
    const m = scoreBands("monetary", [0, 1, 2, 3]) ?? [];
    expect(m.filter((b) => isEmptyBand("monetary", b)).map((b) => b.score)).toEqual([1]);
  });
});

describe("business settings", () => {
  it("converts the margin between the API's ratio and the percent people type", () => {
    expect(percentFromRatio(0.3)).toBe(30);
    expect(percentFromRatio(0.3333)).toBe(33.33);
    expect(ratioFromPercent(35)).toBe(0.35);
    expect(ratioFromPercent(12.5)).toBe(0.125);
  });

  it("checks currency, time zone and margin as the API does", () => {
    expect(validateBusiness({ currency: "jpy", timeZone: "Asia/Tokyo", marginPercent: 30 })).toEqual({});
    expect(validateBusiness({ currency: "YEN!", timeZone: "Asia/Tokio", marginPercent: 101 })).toEqual({
      currency: { key: "currency" },
      timeZone: { key: "timeZone" },
      marginPercent: { key: "margin" },
    });
    expect(validateBusiness({ currency: "USD", timeZone: "", marginPercent: null })).toMatchObject({ timeZone: { key: "timeZone" }, marginPercent: { key: "margin" } });
  });
});

describe("settings drift against the latest snapshot", () => {
  const saved = { timeZone: "Asia/Tokyo", defaultMargin: 0.3, rfmBinMode: "THRESHOLD" as const, rfmThresholds: { recencyDays: [30, 60, 90, 180], frequency: [2, 3, 5, 10], monetary: [1, 2, 3, 4] } };

  it("is empty when the snapshot used the saved settings", () => {
    expect(settingsDrift(saved, { rfmBinMode: "threshold", rfmThresholds: saved.rfmThresholds, timeZone: "Asia/Tokyo", margin: 0.3 })).toEqual([]);
    expect(settingsDrift(saved, null)).toEqual([]);
  });

  it("names what differs; thresholds only matter when scoring by thresholds", () => {
    const params = { rfmBinMode: "quantile", rfmThresholds: { ...saved.rfmThresholds, frequency: [2, 3, 4, 10] }, timeZone: "UTC", margin: 0.25 };
    expect(settingsDrift(saved, params)).toEqual(["rfmBinMode", "rfmThresholds", "timeZone", "margin"]);
    expect(settingsDrift({ ...saved, rfmBinMode: "QUANTILE" }, { ...params, timeZone: "Asia/Tokyo", margin: 0.3 })).toEqual([]);
  });
});

describe("users", () => {
  it("validates a new user with the API's rules", () => {
    expect(validateNewUser({ name: "佐藤", email: " Sato@Example.com ", role: "OPERATOR", password: "a-long-password" })).toEqual({});
    expect(validateNewUser({ name: "x".repeat(101), email: "sato@", role: null, password: "short" })).toEqual({
      name: { key: "nameLength", params: { max: 100 } },
      email: { key: "email" },
      role: { key: "role" },
      password: { key: "password", params: { min: 10 } },
    });
  });

  it("generates passwords from an unambiguous alphabet without modulo bias", () => {
    const password = generatePassword();
    expect(password).toHaveLength(18);
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9_-]+$/);
    // Bytes ≥ 232 (= 4 × 58) would make the first 24 characters likelier: they are skipped.
    const bytes = [255, 240, 0, 1, 2, 3, 57, 58];
    const fake = (n: number) => Uint8Array.from({ length: n }, (_, i) => bytes[i] ?? 0);
    expect(generatePassword(4, fake)).toBe("abcd");
  });

  it("never offers admins to deactivate or demote themselves", () => {
    expect(userActions({ id: "1", isActive: true }, "1")).toEqual({ isSelf: true, canDeactivate: false, canReactivate: false, canChangeRole: false });
    expect(userActions({ id: "2", isActive: true }, "1")).toMatchObject({ canDeactivate: true, canChangeRole: true });
    expect(userActions({ id: "2", isActive: false }, "1")).toMatchObject({ canDeactivate: false, canReactivate: true });
  });
});
