/**
 * Samples per second and time left, over active time only: the caller stops the meter while
 * paused so that a pause does not look like a slow run.
 */
export class RateMeter {
  private activeMs = 0;
  private resumedAt: number | null = null;
  private rate = 0;
  private lastSamples = 0;
  private lastActiveMs = 0;

  constructor(
    private readonly now: () => number,
    private readonly smoothing = 0.3,
  ) {}

  start(): void {
    if (this.resumedAt === null) this.resumedAt = this.now();
  }

  stop(): void {
    if (this.resumedAt !== null) {
      this.activeMs += this.now() - this.resumedAt;
      this.resumedAt = null;
    }
  }

  elapsedMs(): number {
    return this.activeMs + (this.resumedAt === null ? 0 : this.now() - this.resumedAt);
  }

  /** Records progress; returns the smoothed rate once at least 200 ms have passed since the last update. */
  update(samplesDone: number): number {
    const elapsed = this.elapsedMs();
    const dt = elapsed - this.lastActiveMs;
    if (dt >= 200 && samplesDone > this.lastSamples) {
      const instant = ((samplesDone - this.lastSamples) * 1000) / dt;
      this.rate = this.rate === 0 ? instant : this.smoothing * instant + (1 - this.smoothing) * this.rate;
      this.lastSamples = samplesDone;
      this.lastActiveMs = elapsed;
    }
    return this.rate;
  }

  /** Seconds left at the current rate, or null while the rate is not yet known. */
  etaSeconds(samplesDone: number, samplesTotal: number): number | null {
    if (this.rate <= 0) return null;
    return Math.max(0, (samplesTotal - samplesDone) / this.rate);
  }
}
