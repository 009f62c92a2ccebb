import { describe, expect, it } from "vitest";
import { minimizeBfgs, minimizeNelderMead, numericalGradient } from "./optimize.ts";

/** Rosenbrock's banana function, minimum 0 at (1, 1). */
const rosenbrock = (x: number[]) => (1 - (x[0] ?? 0)) ** 2 + 100 * ((x[1] ?? 0) - (x[0] ?? 0) ** 2) ** 2;
const rosenbrockGrad = (x: number[]) => {
  const [a = 0, b = 0] = x;
  return { value: rosenbrock(x), gradient: [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)] };
};

describe("optimizers", () => {
  it("BFGS finds the Rosenbrock minimum with an analytic gradient", () => {
    const r = minimizeBfgs(rosenbrockGrad, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it("BFGS works with a central-difference gradient", () => {
    const r = minimizeBfgs((x) => numericalGradient(rosenbrock, x, 1e-6), [-1.2, 1], { gradientTolerance: 1e-6 });
    expect(r.x[0]).toBeCloseTo(1, 4);
  });

  it("Nelder–Mead finds the Rosenbrock minimum", () => {
    const r = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5000, valueTolerance: 1e-14 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });

  it("backs off from regions where the objective is not finite", () => {
    // log barrier: defined only for x > 0, minimum at x = 1.
    const f = (x: number[]) => {
      const v = x[0] ?? 0;
      return v > 0 ? { value: v - Math.log(v), gradient: [1 - 1 / v] } : { value: Number.NaN, gradient: [Number.NaN] };
    };
    const r = minimizeBfgs(f, [8]);
    expect(r.x[0]).toBeCloseTo(1, 6);
  });
});
