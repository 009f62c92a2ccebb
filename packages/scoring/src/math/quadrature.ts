/**
 * ∫₀^∞ f(t) dt for a smooth, non-negative integrand, by the trapezoidal rule after the
 * substitution t = e^v (so the integrand becomes f(e^v)·e^v on the whole real line, where the
 * trapezoidal rule converges exponentially fast for analytic integrands).
 * `logF` returns log f(t). The v-range is [center − left, center + right].
 *
 * @see Trefethen & Weideman (2014), "The exponentially convergent trapezoidal rule", SIAM Review 56(3).
 */
export function integrateLogScale(
  logF: (t: number) => number,
  center: number,
  left: number,
  right: number,
  step = 0.02,
): number {
  const n = Math.ceil((left + right) / step);
  const terms: number[] = [];
  let max = -Infinity;
  for (let i = 0; i <= n; i += 1) {
    const v = center - left + i * step;
    const value = logF(Math.exp(v)) + v;
    terms.push(value);
    if (value > max) max = value;
  }
  if (max === -Infinity) return 0;
  let sum = 0;
  for (const value of terms) sum += Math.exp(value - max);
  return Math.exp(max) * sum * step;
}
