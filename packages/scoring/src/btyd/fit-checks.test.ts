import { describe, expect, it } from "vitest";
import { cdnowCalibration, cdnowTriples } from "../testing/cdnow-fixture.ts";
import { fitBgNbd } from "./bg-nbd.ts";
import { fitRefusal } from "./fit-checks.ts";
import { fitGammaGamma } from "./gamma-gamma.ts";
import { fitParetoNbd } from "./pareto-nbd.ts";

const notIdentifiable = (reason: string) => expect.objectContaining({ name: "ScoringError", code: "NOT_IDENTIFIABLE", message: expect.stringContaining(reason) });

describe("fits without information are refused, not reported as converged", () => {
  const fits = [
    ["BG/NBD", fitBgNbd],
    ["Pareto/NBD", fitParetoNbd],
  ] as const;

  it.each(fits)("%s: one customer with one purchase (T = 0)", (_label, fit) => {
    expect(() => fit([{ x: 0, tx: 0, T: 0 }])).toThrow(notIdentifiable("one customer"));
  });

  it.each(fits)("%s: every purchase on the calibration-end day (every T = 0)", (_label, fit) => {
    expect(() => fit([{ x: 0, tx: 0, T: 0, weight: 500 }])).toThrow(notIdentifiable("every customer's T is 0"));
  });

  it.each(fits)("%s: a single customer with 3 purchases", (_label, fit) => {
    expect(() => fit([{ x: 2, tx: 10, T: 30 }])).toThrow(notIdentifiable("one customer"));
  });

  it.each(fits)("%s: nobody repeats", (_label, fit) => {
    expect(() => fit([{ x: 0, tx: 0, T: 12, weight: 40 }, { x: 0, tx: 0, T: 30, weight: 60 }])).toThrow(notIdentifiable("no customer made a repeat purchase"));
  });
});

describe("degenerate fits are flagged and do not pass", () => {
  it("BG/NBD on identical steady buyers: parameters beyond the plausible range", () => {
    const steady = Array.from({ length: 50 }, (_, i) => ({ x: 10 + (i % 5), tx: 30 - (i % 3) * 0.5, T: 30 }));
    const fit = fitBgNbd(steady);
    expect(fit.warnings.some((w) => w.includes("outside the plausible range"))).toBe(true);
    expect(fitRefusal("BG/NBD", fit)).toMatch(/not trustworthy/);
  });

  it("Pareto/NBD on two identical customers: stopped at the search box edge", () => {
    const fit = fitParetoNbd([{ x: 3, tx: 20, T: 30, weight: 2 }]);
    expect(fit.warnings.some((w) => w.includes("edge of its search box"))).toBe(true);
    expect(fitRefusal("Pareto/NBD", fit)).not.toBeNull();
  });

  it("a fit that did not converge does not pass", () => {
    expect(fitRefusal("BG/NBD", { converged: false, warnings: [] })).toMatch(/did not converge/);
  });
});

describe("Gamma-Gamma", () => {
  it("refuses constant spend with a reason", () => {
    const rows = [
      { frequency: 1, monetaryValue: 1 },
      { frequency: 4, monetaryValue: 1 },
      { frequency: 2, monetaryValue: 1, weight: 30 },
    ];
    expect(() => fitGammaGamma(rows)).toThrow(notIdentifiable("every repeat buyer's mean spend is the same"));
  });

  it("refuses a single repeat buyer", () => {
    expect(() => fitGammaGamma([{ frequency: 3, monetaryValue: 12 }, { frequency: 0, monetaryValue: 0, weight: 10 }])).toThrow(notIdentifiable("one repeat buyer"));
  });

  it("flags nearly constant spend (p beyond the plausible range)", () => {
    const fit = fitGammaGamma([{ frequency: 2, monetaryValue: 10 }, { frequency: 3, monetaryValue: 10.01 }, { frequency: 1, monetaryValue: 10 }]);
    expect(fit.warnings.length).toBeGreaterThan(0);
    expect(fitRefusal("Gamma-Gamma", fit)).not.toBeNull();
  });

  it("reports zero-spend repeat buyers separately from one-time buyers", () => {
    const rows = [
      { frequency: 0, monetaryValue: 0, weight: 7 },
      { frequency: 2, monetaryValue: 0, weight: 3 },
      { frequency: 1, monetaryValue: 10 },
      { frequency: 2, monetaryValue: 25 },
      { frequency: 4, monetaryValue: 14 },
      { frequency: 1, monetaryValue: 40 },
    ];
    const fit = fitGammaGamma(rows);
    expect(fit.excludedOneTime).toBe(7);
    expect(fit.excludedZeroSpend).toBe(3);
    expect(fit.excluded).toBe(10);
    expect(fit.customers).toBe(4);
  });
});

describe("the CDNOW fits pass", () => {
  it("BG/NBD and Pareto/NBD on the CDNOW sample carry no warnings", () => {
    const data = cdnowTriples();
    const bg = fitBgNbd(data);
    const pareto = fitParetoNbd(data);
    expect(bg.warnings).toEqual([]);
    expect(pareto.warnings).toEqual([]);
    expect(fitRefusal("BG/NBD", bg)).toBeNull();
    expect(fitRefusal("Pareto/NBD", pareto)).toBeNull();
  });

  it("Gamma-Gamma on the CDNOW sample carries no warnings", () => {
    const fit = fitGammaGamma(cdnowCalibration());
    expect(fit.warnings).toEqual([]);
    expect(fitRefusal("Gamma-Gamma", fit)).toBeNull();
  });
});
