/**
 * Small unconstrained minimisers used by the model fits. Models optimise over log-parameters,
 * so every positive parameter maps to the whole real line and no bounds are needed.
 */

/** Objective value and gradient at a point. */
export interface ValueAndGradient {
  value: number;
  gradient: number[];
}

/** Options shared by the minimisers. */
export interface MinimizeOptions {
  /** Maximum number of iterations (default 500). */
  maxIterations?: number;
  /** Stop when the largest absolute gradient component is below this (default 1e-8). */
  gradientTolerance?: number;
  /** Stop when the relative change in the objective is below this (default 1e-12). */
  valueTolerance?: number;
}

/** Result of a minimisation. */
export interface MinimizeResult {
  /** The minimising point. */
  x: number[];
  /** Objective at `x`. */
  value: number;
  /** Gradient at `x` (empty for Nelder–Mead). */
  gradient: number[];
  /** Iterations performed. */
  iterations: number;
  /** Objective evaluations performed. */
  evaluations: number;
  /** Whether a convergence criterion was met before `maxIterations`. */
  converged: boolean;
}

function maxAbs(v: readonly number[]): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

/**
 * Central-difference gradient of `f` at `x` (step scaled to each coordinate). Used where an
 * analytic gradient would be error-prone (Pareto/NBD's hypergeometric terms).
 */
export function numericalGradient(f: (x: number[]) => number, x: readonly number[], step = 1e-5): ValueAndGradient {
  const value = f([...x]);
  const gradient = x.map((xi, i) => {
    const h = step * Math.max(1, Math.abs(xi));
    const up = [...x];
    const down = [...x];
    up[i] = xi + h;
    down[i] = xi - h;
    return (f(up) - f(down)) / (2 * h);
  });
  return { value, gradient };
}

/**
 * Broyden–Fletcher–Goldfarb–Shanno quasi-Newton minimisation with a backtracking (Armijo)
 * line search. Non-finite objective values are treated as "step too long", so the search
 * backs off from regions where a likelihood under- or overflows.
 *
 * @see Nocedal & Wright (2006), Numerical Optimization, 2nd ed., Algorithm 6.1.
 */
export function minimizeBfgs(
  fg: (x: number[]) => ValueAndGradient,
  x0: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-8;
  const ftol = options.valueTolerance ?? 1e-12;
  const n = x0.length;
  let x = [...x0];
  let current = fg(x);
  let evaluations = 1;
  if (!Number.isFinite(current.value)) {
    return { x, value: current.value, gradient: current.gradient, iterations: 0, evaluations, converged: false };
  }
  // Inverse Hessian approximation, row-major.
  let h: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let iterations = 0;
  let converged = false;
  let stalls = 0;
  for (; iterations < maxIterations; iterations += 1) {
    const g = current.gradient;
    if (maxAbs(g) < gtol) {
      converged = true;
      break;
    }
    let direction = h.map((row) => -dot(row, g));
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Not a descent direction: reset to steepest descent.
      h = h.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      direction = g.map((gi) => -gi);
      slope = -dot(g, g);
    }
    // Keep the first trial step moderate: log-parameters rarely need to move by more than ~5.
    const longest = maxAbs(direction);
    let step = longest > 5 ? 5 / longest : 1;
    let next: ValueAndGradient | undefined;
    let xNext: number[] = x;
    for (let k = 0; k < 60; k += 1) {
      xNext = x.map((xi, i) => xi + step * (direction[i] ?? 0));
      const trial = fg(xNext);
      evaluations += 1;
      if (Number.isFinite(trial.value) && trial.gradient.every(Number.isFinite) && trial.value <= current.value + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step *= 0.5;
    }
    if (next === undefined) {
      // No acceptable step: we are at the precision limit of the objective.
      converged = maxAbs(g) < Math.sqrt(gtol);
      break;
    }
    const s = xNext.map((xi, i) => xi - (x[i] ?? 0));
    const y = next.gradient.map((gi, i) => gi - (g[i] ?? 0));
    const sy = dot(s, y);
    const relativeChange = Math.abs(current.value - next.value) / Math.max(1, Math.abs(current.value));
    x = xNext;
    current = next;
    if (relativeChange < ftol) {
      stalls += 1;
      if (stalls >= 3) {
        converged = true;
        iterations += 1;
        break;
      }
    } else {
      stalls = 0;
    }
    if (sy > 1e-12) {
      if (iterations === 0) {
        // Scale the initial inverse Hessian (Nocedal & Wright eq. 6.20).
        const scale = sy / dot(y, y);
        h = h.map((row) => row.map((v) => v * scale));
      }
      const rho = 1 / sy;
      const hy = h.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      h = h.map((row, i) =>
        row.map((v, j) => {
          const si = s[i] ?? 0;
          const sj = s[j] ?? 0;
          return v - rho * ((hy[i] ?? 0) * sj + si * (hy[j] ?? 0)) + (rho * rho * yhy + rho) * si * sj;
        }),
      );
    }
  }
  return { x, value: current.value, gradient: current.gradient, iterations, evaluations, converged };
}

/**
 * Nelder–Mead simplex minimisation (derivative-free), with the standard coefficients
 * (reflection 1, expansion 2, contraction ½, shrink ½).
 *
 * @see Nelder & Mead (1965), "A simplex method for function minimization", Computer Journal 7(4).
 */
export function minimizeNelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  options: MinimizeOptions & { initialStep?: number } = {},
): MinimizeResult {
  const maxIterations = options.maxIterations ?? 2000;
  const ftol = options.valueTolerance ?? 1e-12;
  const stepSize = options.initialStep ?? 0.5;
  const n = x0.length;
  const safe = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex = [
    [...x0],
    ...x0.map((_, i) => {
      const p = [...x0];
      p[i] = (p[i] ?? 0) + stepSize;
      return p;
    }),
  ];
  let values = simplex.map(safe);
  let evaluations = n + 1;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations += 1) {
    const order = values.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
    simplex = order.map(([, i]) => simplex[i] ?? []);
    values = order.map(([v]) => v);
    const best = values[0] ?? Infinity;
    const worst = values[n] ?? Infinity;
    if (Math.abs(worst - best) <= ftol * Math.max(1, Math.abs(best))) {
      converged = true;
      break;
    }
    const centroid = Array.from({ length: n }, (_, j) => simplex.slice(0, n).reduce((s, p) => s + (p[j] ?? 0), 0) / n);
    const worstPoint = simplex[n] ?? [];
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (c - (worstPoint[j] ?? 0)));
    const reflected = along(1);
    const fr = safe(reflected);
    evaluations += 1;
    const secondWorst = values[n - 1] ?? Infinity;
    if (fr < best) {
      const expanded = along(2);
      const fe = safe(expanded);
      evaluations += 1;
      simplex[n] = fe < fr ? expanded : reflected;
      values[n] = Math.min(fe, fr);
    } else if (fr < secondWorst) {
      simplex[n] = reflected;
      values[n] = fr;
    } else {
      const contracted = fr < worst ? along(0.5) : along(-0.5);
      const fc = safe(contracted);
      evaluations += 1;
      if (fc < Math.min(fr, worst)) {
        simplex[n] = contracted;
        values[n] = fc;
      } else {
        const bestPoint = simplex[0] ?? [];
        simplex = simplex.map((p, i) => (i === 0 ? p : p.map((v, j) => (bestPoint[j] ?? 0) + 0.5 * (v - (bestPoint[j] ?? 0)))));
        values = simplex.map((p, i) => (i === 0 ? best : safe(p)));
        evaluations += n;
      }
    }
  }
  return { x: simplex[0] ?? [...x0], value: values[0] ?? Infinity, gradient: [], iterations, evaluations, converged };
}
