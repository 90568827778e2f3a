# Two-sided 95% quantiles of Student's t, t(0.975, df) for df = 1..9 (Repeats is at most 10), as the studio's.
T_975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622]


def mean_sd(xs):
    """Mean and sample standard deviation (n - 1; 0 for one value)."""
    m = sum(xs) / len(xs)
    return m, (math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0)


def report_repeats(results):
    """Each seed's test accuracies, mean +/- sd, and the paired difference distilled - scratch with its 95% Student-t
    interval and the studio's verdict. results: (seed, teacher, distilled, scratch) per seed."""
    print("\nseed  teacher  distilled  scratch  distilled - scratch")
    for seed, t, d, s in results:
        print(f"{seed:>4}  {t:7.2%}  {d:9.2%}  {s:7.2%}  {(d - s) * 100:+.2f} points")
    cols = list(zip(*results))
    summary = [mean_sd(list(c)) for c in cols[1:]]
    print("mean +/- sd: " + ", ".join(f"{name} {m:.2%} +/- {sd * 100:.2f}" for name, (m, sd) in zip(("teacher", "distilled", "scratch"), summary)))
    diffs = [d - s for _, _, d, s in results]
    n = len(diffs)
    if n < 2:
        print("one seed: no interval, so no verdict (set repeats to 2 or more)")
        return
    m, sd = mean_sd(diffs)
    half = T_975[n - 2] * sd / math.sqrt(n)
    low, high = m - half, m + half
    verdict = "distillation helped" if low > 0 else "distillation hurt" if high < 0 else f"no detectable difference at {n} seeds"
    print(
        f"distilled - scratch: {m * 100:+.2f} points on average over {n} seeds, "
        f"95% interval {low * 100:+.2f} to {high * 100:+.2f} (Student's t): {verdict}"
    )
