package dev.memoryguard.test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

import dev.memoryguard.RequestedCollections;
import dev.memoryguard.Sizes;

/**
 * The live heap as a full collection leaves it, the reading the guard itself trusts when
 * it confirms a level: {@link System#gc()}, then the heap pools' usage right after that
 * collection, repeated until two readings agree (objects freed by reference processing,
 * finalizers and cleaners go in the second or third collection).
 * <p>
 * The pools' after-collection usage is read rather than the heap in use now, which counts
 * whole allocation buffers (TLABs, G1 regions) as soon as any thread allocates again.
 */
final class LiveHeap {

	/**
	 * Readings that differ by no more than this agree.
	 */
	static final long STABLE_BYTES = 64 * 1024;

	/**
	 * Most collections for one reading.
	 */
	static final int MAX_COLLECTIONS = 8;

	private static final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP && pool.isValid())
		.toList();

	private LiveHeap() {
	}

	/**
	 * Returns whether {@link #measure()} can work: {@code System.gc()} is not disabled.
	 */
	static boolean isMeasurable() {
		return !RequestedCollections.isExplicitGcDisabledByJvm();
	}

	/**
	 * Collects until the live heap is stable and returns it, in bytes.
	 */
	static long measure() {
		return measure(-1);
	}

	/**
	 * Collects until the live heap is stable, or at or below {@code enough}, and returns
	 * it, in bytes. More collections could only lower a reading, so one at or below what
	 * a check allows needs no confirming.
	 */
	static long measure(long enough) {
		long previous = -1;
		for (int i = 0; i < MAX_COLLECTIONS; i++) {
			System.gc();
			long live = afterCollection();
			if (live <= enough || (previous >= 0 && Math.abs(previous - live) <= STABLE_BYTES)) {
				return live;
			}
			previous = live;
		}
		return previous;
	}

	/**
	 * Describes two readings for a failure message or report entry.
	 */
	static String describe(long before, long after) {
		return "live heap after full collections " + Sizes.format(before) + " -> " + Sizes.format(after);
	}

	private static long afterCollection() {
		long live = 0;
		for (MemoryPoolMXBean pool : heapPools) {
			MemoryUsage usage = pool.getCollectionUsage();
			live += (usage != null) ? usage.getUsed() : pool.getUsage().getUsed();
		}
		return live;
	}

}
