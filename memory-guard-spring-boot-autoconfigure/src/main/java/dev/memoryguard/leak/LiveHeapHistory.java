package dev.memoryguard.leak;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Fixed-size history of the live-heap estimate over one leak window, and the analysis of
 * its trend.
 * <p>
 * Readings closer together than 1/{@value #BUCKETS} of the window share a bucket that
 * keeps their lowest value, so the history never holds more than a fixed number of
 * points however long the window or short the sampling interval. Lowest values are what
 * matter: after a young collection the live estimate can count dead promoted objects
 * until the old generation is cleaned up, so the troughs of the series track the true
 * live set and its peaks do not.
 * <p>
 * Not thread-safe: one sampler feeds it.
 */
final class LiveHeapHistory {

	static final int BUCKETS = 1024;

	/**
	 * Fewest readings inside the window an analysis needs: two for each third.
	 */
	static final int MIN_POINTS = 6;

	/**
	 * Share of the window's slope the last third must still rise at for the trend to
	 * count as steady: a ramp that levelled off (warm-up) fails this, a leak that speeds
	 * up passes.
	 */
	private static final double STEADY_SHARE = 0.3;

	/**
	 * How many standard errors the least-squares slope must stand above zero to count as
	 * rising rather than noise.
	 */
	private static final double SIGNIFICANCE = 2.0;

	private final long windowMillis;

	private final long bucketMillis;

	private final long[] times;

	private final long[] values;

	private int head;

	private int size;

	LiveHeapHistory(Duration window) {
		this.windowMillis = window.toMillis();
		this.bucketMillis = Math.max(1, this.windowMillis / BUCKETS);
		// a full window spans BUCKETS + 1 buckets; keep some slack for irregular readings
		int capacity = BUCKETS + BUCKETS / 4;
		this.times = new long[capacity];
		this.values = new long[capacity];
	}

	/**
	 * Adds a reading.
	 * @param timeMillis when it was taken
	 * @param liveBytes the live-heap estimate
	 */
	void add(long timeMillis, long liveBytes) {
		if (this.size > 0) {
			int last = index(this.size - 1);
			if (timeMillis < this.times[last]) {
				return;
			}
			if (timeMillis - this.times[last] < this.bucketMillis) {
				this.values[last] = Math.min(this.values[last], liveBytes);
				return;
			}
		}
		if (this.size == this.times.length) {
			this.head = (this.head + 1) % this.times.length;
			this.size--;
		}
		int slot = index(this.size);
		this.times[slot] = timeMillis;
		this.values[slot] = liveBytes;
		this.size++;
	}

	/**
	 * Analyses the last window of readings.
	 * @param maxHeap the max heap in bytes, for the forecast
	 * @return the trend, or {@code null} while less than one full window of history
	 * exists or too few readings fall inside it
	 */
	@Nullable Trend analyze(long maxHeap) {
		if (this.size == 0) {
			return null;
		}
		long now = this.times[index(this.size - 1)];
		long windowStart = now - this.windowMillis;
		if (this.times[this.head] > windowStart) {
			return null;
		}
		long firstThirdEnd = windowStart + this.windowMillis / 3;
		long lastThirdStart = now - this.windowMillis / 3;
		long startMin = Long.MAX_VALUE;
		long endMin = Long.MAX_VALUE;
		Fit whole = new Fit();
		Fit lastThird = new Fit();
		// newest first, stopping at the window's start: older slots are only kept as slack
		for (int i = this.size - 1; i >= 0; i--) {
			int slot = index(i);
			long time = this.times[slot];
			if (time < windowStart) {
				break;
			}
			long value = this.values[slot];
			// seconds before now: small doubles keep the sums exact enough
			double x = (time - now) / 1000.0;
			whole.add(x, value);
			if (time < firstThirdEnd) {
				startMin = Math.min(startMin, value);
			}
			else if (time >= lastThirdStart) {
				endMin = Math.min(endMin, value);
				lastThird.add(x, value);
			}
		}
		if (whole.n < MIN_POINTS || startMin == Long.MAX_VALUE || lastThird.n < 2) {
			return null;
		}
		double slope = whole.slope();
		boolean rising = whole.risesSignificantly() && endMin > startMin;
		double growth = (startMin > 0) ? (double) (endMin - startMin) / startMin : 0.0;
		boolean steady = rising && lastThird.risesSignificantly() && lastThird.slope() >= STEADY_SHARE * slope;
		Duration forecast = rising ? forecast(maxHeap, whole.valueAtZero(), slope) : null;
		return new Trend(growth, slope, steady, startMin, endMin, forecast);
	}

	private static @Nullable Duration forecast(long maxHeap, double fittedNow, double bytesPerSecond) {
		if (maxHeap <= 0) {
			return null;
		}
		double seconds = Math.max(0, (maxHeap - fittedNow) / bytesPerSecond);
		if (seconds > Long.MAX_VALUE / 1_000_000_000L) {
			return null;
		}
		return Duration.ofMillis(Math.round(seconds * 1000));
	}

	private int index(int offset) {
		return (this.head + offset) % this.times.length;
	}

	/**
	 * Least-squares line through readings, with x in seconds before the latest reading.
	 * Sums are kept in MiB so that their squares stay well within a double's precision.
	 */
	private static final class Fit {

		private static final double MIB = 1024 * 1024;

		private int n;

		private double sumX;

		private double sumY;

		private double sumXX;

		private double sumXY;

		private double sumYY;

		void add(double x, long bytes) {
			double y = bytes / MIB;
			this.n++;
			this.sumX += x;
			this.sumY += y;
			this.sumXX += x * x;
			this.sumXY += x * y;
			this.sumYY += y * y;
		}

		/**
		 * Returns the slope in bytes per second.
		 */
		double slope() {
			return slopeMib() * MIB;
		}

		/**
		 * Returns the line's value at x = 0 (the latest reading), in bytes.
		 */
		double valueAtZero() {
			return (this.sumY / this.n - slopeMib() * (this.sumX / this.n)) * MIB;
		}

		private double slopeMib() {
			double sxx = sxx();
			return (sxx > 0) ? sxy() / sxx : 0.0;
		}

		/**
		 * Whether the slope stands significantly above zero: more than
		 * {@value #SIGNIFICANCE} standard errors.
		 */
		boolean risesSignificantly() {
			double sxx = sxx();
			double slope = slopeMib();
			if (this.n < 3 || sxx <= 0 || slope <= 0) {
				return false;
			}
			double syy = this.sumYY - this.sumY * this.sumY / this.n;
			double residual = Math.max(0, syy - slope * sxy());
			double standardError = Math.sqrt(residual / (this.n - 2) / sxx);
			return slope > SIGNIFICANCE * standardError;
		}

		private double sxx() {
			return this.sumXX - this.sumX * this.sumX / this.n;
		}

		private double sxy() {
			return this.sumXY - this.sumX * this.sumY / this.n;
		}

	}

	/**
	 * The trend of one full window.
	 *
	 * @param growth growth of the lowest reading in the last third over the lowest in the
	 * first third, relative to the latter
	 * @param bytesPerSecond least-squares slope over the window
	 * @param steady whether the series rises significantly over the window and still in
	 * its last third
	 * @param start lowest reading in the first third
	 * @param end lowest reading in the last third
	 * @param forecast time until max heap at the current trend, {@code null} when not
	 * rising
	 */
	record Trend(double growth, double bytesPerSecond, boolean steady, long start, long end,
			@Nullable Duration forecast) {

	}

}
