package dev.memoryguard;

import java.time.Duration;

/**
 * Raw numbers a {@link MemoryProbe} reports. Sizes are in bytes; {@code -1} means the
 * value is unknown or, for {@code containerLimit}, that no limit exists.
 *
 * @param heapUsed heap in use now, garbage included
 * @param heapCommitted heap committed by the JVM
 * @param heapMax maximum heap, or {@code -1} when undefined
 * @param liveHeap estimate of what a full collection would leave on the heap
 * @param nonHeapUsed non-heap memory in use (metaspace, code cache, ...)
 * @param nonHeapCommitted non-heap memory committed
 * @param directUsed memory used by direct byte buffers
 * @param directCount number of direct byte buffers
 * @param rss resident set size of the process
 * @param containerLimit memory limit of the process's cgroup
 * @param gcCount collections since the JVM started
 * @param gcPauseTotal time spent in collections since the JVM started
 * @param gcOverhead fraction of recent wall-clock time spent in collections
 */
public record MemoryReading(long heapUsed, long heapCommitted, long heapMax, long liveHeap, long nonHeapUsed,
		long nonHeapCommitted, long directUsed, long directCount, long rss, long containerLimit, long gcCount,
		Duration gcPauseTotal, double gcOverhead) {

	/**
	 * Returns the heap size that ratios are computed against: the maximum heap, or the
	 * committed heap when the maximum is undefined.
	 * @return the heap capacity in bytes
	 */
	public long heapCapacity() {
		return (this.heapMax > 0) ? this.heapMax : this.heapCommitted;
	}

	/**
	 * Returns the live heap as a fraction of {@link #heapCapacity()}.
	 * @return the live heap ratio, {@code 0} when the capacity is unknown
	 */
	public double liveRatio() {
		return ratio(this.liveHeap, heapCapacity());
	}

	/**
	 * Returns the heap in use as a fraction of {@link #heapCapacity()}.
	 * @return the used heap ratio, {@code 0} when the capacity is unknown
	 */
	public double usedRatio() {
		return ratio(this.heapUsed, heapCapacity());
	}

	/**
	 * Returns the resident set size as a fraction of the container limit.
	 * @return the RSS ratio, or {@code NaN} when there is no limit or RSS is unknown
	 */
	public double rssRatio() {
		return (this.containerLimit > 0 && this.rss >= 0) ? (double) this.rss / this.containerLimit : Double.NaN;
	}

	private static double ratio(long part, long whole) {
		return (whole > 0 && part >= 0) ? (double) part / whole : 0.0;
	}

}
