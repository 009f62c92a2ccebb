import { describe, expect, it } from "vitest";
import { compareBtydFits } from "./model-compare.ts";

describe("compareBtydFits", () => {
  it("prefers the model with the higher log-likelihood once the AIC difference reaches 2", () => {
    expect(compareBtydFits({ logLikelihood: -9582.4 }, { logLikelihood: -9595.0 })).toEqual({ bg: -9582.4, pareto: -9595.0, aic: expect.closeTo(25.2, 9), better: "BG_NBD" });
    expect(compareBtydFits({ logLikelihood: -100 }, { logLikelihood: -98.5 })?.better).toBe("PARETO_NBD");
  });

  it("names neither when the two fit equally well (AIC difference under 2)", () => {
    const c = compareBtydFits({ logLikelihood: -100 }, { logLikelihood: -99.2 });
    expect(c?.better).toBeNull();
    expect(c?.aic).toBeCloseTo(1.6, 12);
  });

  it("compares nothing when a model was not fitted or failed", () => {
    expect(compareBtydFits({ logLikelihood: -100 }, { error: "Not fitted: BG/NBD drives this snapshot." })).toBeNull();
    expect(compareBtydFits({ logLikelihood: -100, error: "did not converge" }, { logLikelihood: -99 })).toBeNull();
    expect(compareBtydFits({ logLikelihood: null }, { logLikelihood: -99 })).toBeNull();
  });
});
