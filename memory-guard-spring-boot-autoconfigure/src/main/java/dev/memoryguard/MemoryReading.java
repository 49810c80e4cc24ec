package dev.memoryguard;

import java.time.Duration;

import dev.memoryguard.container.ContainerSignal;
import dev.memoryguard.container.ContainerUsage;

/**
 * Raw numbers a {@link MemoryProbe} reports. Sizes are in bytes; {@code -1} means the
 * value is unknown.
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
 * @param container the process's memory cgroup as the kernel counts it,
 * {@link ContainerUsage#NONE} outside one
 * @param gcCount collections since the JVM started
 * @param gcPauseTotal time spent in collections since the JVM started
 * @param gcOverhead fraction of recent wall-clock time spent in collections
 */
public record MemoryReading(long heapUsed, long heapCommitted, long heapMax, long liveHeap, long nonHeapUsed,
		long nonHeapCommitted, long directUsed, long directCount, long rss, ContainerUsage container, long gcCount,
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
	 * Returns the memory limit of the process's cgroup.
	 * @return the limit in bytes, {@code -1} when there is none
	 */
	public long containerLimit() {
		return this.container.limit();
	}

	/**
	 * Returns the resident set size as a fraction of the container limit.
	 * @return the RSS ratio, or {@code NaN} when there is no limit or RSS is unknown
	 */
	public double rssRatio() {
		long limit = containerLimit();
		return (limit > 0 && this.rss >= 0) ? (double) this.rss / limit : Double.NaN;
	}

	/**
	 * Returns the bytes of the cgroup's working set that lie outside the heap (see
	 * {@link ContainerSignal}).
	 * @return the bytes, {@code -1} outside a limited cgroup
	 */
	public long outsideHeap() {
		return this.container.isLimited()
				? ContainerSignal.outsideHeap(this.container.workingSet(), this.heapCommitted, knownOffHeap()) : -1;
	}

	/**
	 * Returns what lies outside the heap as a fraction of the room the container limit
	 * leaves beyond max heap (see {@link ContainerSignal}).
	 * @return the ratio, {@code NaN} outside a limited cgroup or where the limit leaves no
	 * room beyond the heap
	 */
	public double outsideHeapRatio() {
		long limit = containerLimit();
		if (!ContainerSignal.leavesRoom(limit, heapCapacity(), knownOffHeap())) {
			return Double.NaN;
		}
		return ContainerSignal.ratio(this.container.workingSet(), limit, this.heapCommitted, heapCapacity(),
				knownOffHeap());
	}

	/**
	 * Returns the container signal that drives the level: {@link #outsideHeapRatio()}, or
	 * working set over limit where the limit leaves no room beyond the heap.
	 * @return the ratio, {@code NaN} outside a limited cgroup
	 */
	public double containerRatio() {
		return ContainerSignal.ratio(this.container.workingSet(), containerLimit(), this.heapCommitted,
				heapCapacity(), knownOffHeap());
	}

	/**
	 * Returns the container signal against {@code memory.high} (cgroup v2), where the
	 * kernel starts throttling the cgroup.
	 * @return the ratio, {@code NaN} where no {@code memory.high} below the limit is set
	 */
	public double containerHighRatio() {
		return ContainerSignal.ratio(this.container.workingSet(), this.container.high(), this.heapCommitted,
				heapCapacity(), knownOffHeap());
	}

	private long knownOffHeap() {
		return Math.max(0, this.nonHeapUsed) + Math.max(0, this.directUsed);
	}

	private static double ratio(long part, long whole) {
		return (whole > 0 && part >= 0) ? (double) part / whole : 0.0;
	}

}
