// The probability distributions the report's tests and intervals need:
// standard normal, Student's t and the fair-coin binomial. Pure functions, no
// errors: an argument outside its domain gives NaN (documented per function).
#pragma once

namespace ctxbench {

// P(Z <= x) for a standard normal Z.
double NormalCdf(double x);
// The p-quantile of the standard normal (0 < p < 1); NaN outside (0, 1).
// Acklam's rational approximation refined by one Halley step (|error| < 1e-13).
double NormalQuantile(double p);

// Regularized incomplete beta function I_x(a, b) for a, b > 0 and
// 0 <= x <= 1 (continued fraction, Numerical Recipes' betacf); NaN outside.
double IncompleteBeta(double a, double b, double x);

// P(T <= t) for Student's t with `df` > 0 degrees of freedom; NaN if df <= 0.
double StudentTCdf(double t, double df);
// The p-quantile of Student's t (0 < p < 1, df > 0), by bisection on the CDF
// to 1e-12; NaN outside the domain.
double StudentTQuantile(double p, double df);

// P(X <= k) for X ~ Binomial(n, 1/2); 0 for k < 0, 1 for k >= n.
double FairCoinCdf(int k, int n);

}  // namespace ctxbench
