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
	 * How much of the window's growth the last third must still show for the trend to
	 * count as steady: a ramp that levelled off early (warm-up) fails this.
	 */
	private static final double STEADY_SHARE = 0.2;

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
		long middleMin = Long.MAX_VALUE;
		long endMin = Long.MAX_VALUE;
		int n = 0;
		double sumX = 0;
		double sumY = 0;
		double sumXX = 0;
		double sumXY = 0;
		double sumYY = 0;
		for (int i = 0; i < this.size; i++) {
			int slot = index(i);
			long time = this.times[slot];
			if (time < windowStart) {
				continue;
			}
			long value = this.values[slot];
			if (time < firstThirdEnd) {
				startMin = Math.min(startMin, value);
			}
			else if (time >= lastThirdStart) {
				endMin = Math.min(endMin, value);
			}
			else {
				middleMin = Math.min(middleMin, value);
			}
			// seconds before now, and bytes: doubles keep the sums exact enough
			double x = (time - now) / 1000.0;
			double y = value;
			n++;
			sumX += x;
			sumY += y;
			sumXX += x * x;
			sumXY += x * y;
			sumYY += y * y;
		}
		if (n < MIN_POINTS || startMin == Long.MAX_VALUE || middleMin == Long.MAX_VALUE
				|| endMin == Long.MAX_VALUE) {
			return null;
		}
		double sxx = sumXX - sumX * sumX / n;
		double sxy = sumXY - sumX * sumY / n;
		double syy = sumYY - sumY * sumY / n;
		double slope = (sxx > 0) ? sxy / sxx : 0.0;
		double fittedNow = sumY / n - slope * (sumX / n);
		double residual = Math.max(0, syy - slope * sxy);
		double standardError = (sxx > 0) ? Math.sqrt(residual / (n - 2) / sxx) : Double.POSITIVE_INFINITY;
		boolean significant = slope > 0 && slope > SIGNIFICANCE * standardError;
		boolean rising = significant && endMin > startMin;
		double growth = (startMin > 0) ? (double) (endMin - startMin) / startMin : 0.0;
		boolean steady = rising && middleMin >= startMin
				&& (endMin - middleMin) >= STEADY_SHARE * (endMin - startMin);
		Duration forecast = rising ? forecast(maxHeap, fittedNow, slope) : null;
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
	 * The trend of one full window.
	 *
	 * @param growth growth of the lowest reading in the last third over the lowest in the
	 * first third, relative to the latter
	 * @param bytesPerSecond least-squares slope over the window
	 * @param steady whether the series rises significantly and steadily, into the last
	 * third
	 * @param start lowest reading in the first third
	 * @param end lowest reading in the last third
	 * @param forecast time until max heap at the current trend, {@code null} when not
	 * rising
	 */
	record Trend(double growth, double bytesPerSecond, boolean steady, long start, long end,
			@Nullable Duration forecast) {

	}

}
