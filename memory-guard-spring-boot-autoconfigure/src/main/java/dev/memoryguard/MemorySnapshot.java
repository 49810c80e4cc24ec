package dev.memoryguard;

import java.time.Instant;

/**
 * An immutable reading of the JVM's memory together with the pressure level the guard
 * derived from it.
 *
 * @param timestamp when the reading was taken
 * @param pressure the level in force after this reading: the worse of the heap's and the
 * container's
 * @param heapPressure the level of the heap signal (the live heap after GC)
 * @param containerPressure the level of the container signal (memory outside the heap
 * against the container limit), NORMAL outside a limited cgroup
 * @param reading the probe's numbers
 * @param warningThreshold effective warning threshold, a fraction of max heap
 * @param criticalThreshold effective critical threshold, a fraction of max heap
 */
public record MemorySnapshot(Instant timestamp, MemoryPressure pressure, MemoryPressure heapPressure,
		MemoryPressure containerPressure, MemoryReading reading, double warningThreshold, double criticalThreshold) {

	/**
	 * Returns the bytes the live heap may still grow before it reaches the critical
	 * threshold.
	 * @return the headroom in bytes, {@code 0} at or above the critical threshold
	 */
	public long headroom() {
		long capacity = this.reading.heapCapacity();
		if (capacity <= 0) {
			return 0;
		}
		return Math.max(0, (long) (capacity * this.criticalThreshold) - this.reading.liveHeap());
	}

	/**
	 * Returns the live heap as a fraction of max heap.
	 * @return the live heap ratio
	 * @see MemoryReading#liveRatio()
	 */
	public double liveRatio() {
		return this.reading.liveRatio();
	}

	/**
	 * Returns the heap in use as a fraction of max heap.
	 * @return the used heap ratio
	 * @see MemoryReading#usedRatio()
	 */
	public double usedRatio() {
		return this.reading.usedRatio();
	}

	@Override
	public String toString() {
		String heap = String.format("%s: live heap %s of %s (%.0f%%), used %.0f%%", this.pressure,
				Sizes.format(this.reading.liveHeap()), Sizes.format(this.reading.heapCapacity()), liveRatio() * 100,
				usedRatio() * 100);
		double container = this.reading.containerRatio();
		return Double.isNaN(container) ? heap
				: heap + String.format(", container signal %.0f%% (%s)", container * 100, this.containerPressure);
	}

}
