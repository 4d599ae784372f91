/** Least-squares line through points: `slope` per unit of x, `intercept` at x = 0, and r². */
export interface LinearFit {
  slope: number;
  intercept: number;
  r2: number;
}

/**
 * Ordinary least squares of y on x. Memory per idle session is the slope of heap size against
 * the number of sessions open: the baseline drops out, and one noisy reading moves it less than
 * a difference of two would. Needs two distinct x values.
 */
export function linearFit(points: ReadonlyArray<{ x: number; y: number }>): LinearFit {
  const n = points.length;
  const xs = new Set(points.map((p) => p.x));
  if (xs.size < 2) throw new Error("a line needs points at two different x at least");
  const mean = (f: (p: { x: number; y: number }) => number) =>
    points.reduce((sum, p) => sum + f(p), 0) / n;
  const mx = mean((p) => p.x);
  const my = mean((p) => p.y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const { x, y } of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
