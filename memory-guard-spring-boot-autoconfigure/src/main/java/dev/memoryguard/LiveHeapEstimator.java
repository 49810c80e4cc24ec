package dev.memoryguard;

import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Estimates the live heap (what a full collection would leave) from the after-GC usage
 * that GC notifications report, on every HotSpot collector and without a list of
 * collector names.
 * <p>
 * <b>One candidate per collection.</b> Only heap pools count. The candidate is the
 * after-GC usage of the long-lived pools (old generation, or the single pool of ZGC and
 * Shenandoah) plus that of every other heap pool the collection touched (its usage
 * changed). Untouched young pools are left out because a pause that did not collect them
 * (JDK 25's "G1 Concurrent GC") reports their current occupancy, mostly garbage; collected
 * young pools are kept because generational ZGC and Shenandoah hold live data in the young
 * generation until it is promoted (old-only reads fell to a quarter of the live heap there).
 * When the long-lived pools are full (Serial and Parallel cap the old generation at about
 * two thirds of the heap) every heap pool counts: live data then stays in eden, unchanged
 * by a collection that could not promote it. Notifications whose heap pools report
 * nothing committed (ZGC and Shenandoah "Pauses") carry no reading and are ignored.
 * <p>
 * <b>The lowest recent candidate.</b> A candidate is an upper bound: concurrent cycles
 * count what was allocated while they ran and floating garbage, young collections count
 * dead objects that were promoted. The estimate is the lowest candidate of the last half
 * second (the newest one when collections are further apart), so one inflated cycle among
 * many does not raise the level while growth shows within half a second, capped by the
 * heap in use now (which can never be below the live heap).
 * <p>
 * <b>Direct old-generation allocation.</b> Where the heap also has young pools, what the
 * long-lived pools gained since the newest collection is added: only collections promote,
 * so that gain is memory allocated there directly (humongous arrays on G1, arrays too large
 * for eden on Serial and Parallel), which no notification reports until the next
 * collection.
 * <p>
 * <b>Heap in use when collections stop.</b> When no collection has reported for a second
 * and the heap in use is at or above {@code trustUsedAbove} of the heap, the heap in use
 * is taken: arrays retained in humongous allocations can fill a G1, Serial or Parallel heap
 * without any collection.
 * <p>
 * <b>Confirmed readings.</b> What remains uncertain (old-generation garbage that only a full
 * collection reclaims) is settled by the probe with a {@link #confirmed(long) confirming
 * full collection}, which supersedes every earlier candidate; the estimator tracks when a
 * collection last freed memory in the long-lived pools so the probe knows when one is due.
 *
 * @see JvmMemoryProbe#JvmMemoryProbe(MemoryThresholds, boolean)
 */
final class LiveHeapEstimator {

	static final long WINDOW_NANOS = 500_000_000L;

	static final long STALE_NANOS = 1_000_000_000L;

	static final int RECENT = 8;

	/**
	 * Fraction of their maximum at which the long-lived pools count as full: live data
	 * then stays in the young pools, even where a collection left them unchanged.
	 */
	static final double FULL = 0.95;

	private static final int CAPACITY = RECENT;

	private final Set<String> heapPools;

	private final Set<String> longLivedPools;

	private final LongSupplier nanoTime;

	private final long[] times = new long[CAPACITY];

	private final long[] values = new long[CAPACITY];

	private int next;

	private int count;

	private volatile long lastGcNanos;

	private volatile long lastOldCollectionNanos;

	private volatile long longLivedAfterGc = -1;

	private volatile boolean oldCollectionSeen;

	LiveHeapEstimator(Set<String> heapPools, Set<String> longLivedPools, LongSupplier nanoTime) {
		this.heapPools = heapPools;
		this.longLivedPools = longLivedPools;
		this.nanoTime = nanoTime;
	}

	/**
	 * Records one collection. Returns whether it carried a reading.
	 */
	boolean record(Map<String, MemoryUsage> before, Map<String, MemoryUsage> after) {
		long committed = 0;
		long all = 0;
		long candidate = 0;
		boolean longLivedSeen = false;
		boolean longLivedFreed = false;
		long longLivedUsed = 0;
		long longLivedMax = 0;
		for (Map.Entry<String, MemoryUsage> entry : after.entrySet()) {
			String pool = entry.getKey();
			if (!this.heapPools.contains(pool)) {
				continue;
			}
			MemoryUsage usage = entry.getValue();
			committed += usage.getCommitted();
			all += usage.getUsed();
			if (this.longLivedPools.contains(pool)) {
				longLivedSeen = true;
				candidate += usage.getUsed();
				longLivedUsed += usage.getUsed();
				longLivedMax += (usage.getMax() > 0) ? usage.getMax() : usage.getCommitted();
				MemoryUsage previous = before.get(pool);
				if (previous != null && usage.getUsed() < previous.getUsed()) {
					longLivedFreed = true;
				}
			}
			else {
				MemoryUsage previous = before.get(pool);
				if (previous == null || previous.getUsed() != usage.getUsed()) {
					candidate += usage.getUsed();
				}
			}
		}
		if (committed == 0) {
			return false;
		}
		boolean longLivedFull = longLivedMax > 0 && longLivedUsed >= longLivedMax * FULL;
		if (longLivedSeen) {
			this.longLivedAfterGc = longLivedUsed;
		}
		add((longLivedSeen && !longLivedFull) ? candidate : all, longLivedFreed);
		return true;
	}

	/**
	 * Records what a full collection requested to confirm the level left: the heap in use
	 * right after it. Earlier candidates are dropped, as this reading supersedes them.
	 * @param used heap in use right after the full collection
	 * @param longLivedUsed usage of the long-lived pools right after it
	 */
	synchronized void confirmed(long used, long longLivedUsed) {
		this.longLivedAfterGc = longLivedUsed;
		this.count = 0;
		this.next = 0;
		add(used, true);
	}

	/**
	 * Records what the collections that ran before the probe listened left behind, so
	 * that the estimate does not start from the heap in use (garbage included). Ignored
	 * once a collection has been recorded.
	 * @param candidate the long-lived pools in use now plus the young pools as the last
	 * collection left them
	 * @param longLivedUsed usage of the long-lived pools now
	 */
	synchronized void seed(long candidate, long longLivedUsed) {
		if (this.count > 0) {
			return;
		}
		this.longLivedAfterGc = longLivedUsed;
		add(candidate, false);
	}

	private synchronized void add(long candidate, boolean oldCollection) {
		long now = this.nanoTime.getAsLong();
		if (oldCollection) {
			this.lastOldCollectionNanos = now;
			this.oldCollectionSeen = true;
		}
		this.times[this.next] = now;
		this.values[this.next] = candidate;
		this.next = (this.next + 1) % CAPACITY;
		this.count = Math.min(this.count + 1, CAPACITY);
		this.lastGcNanos = now;
	}

	/**
	 * Returns the live heap estimate in bytes.
	 * @param used heap in use now
	 * @param capacity max heap
	 * @param trustUsedAbove fraction of {@code capacity} at or above which the heap in use
	 * is trusted when no collection has reported for a while
	 */
	synchronized long estimate(long used, long capacity, double trustUsedAbove) {
		if (this.count == 0) {
			return used;
		}
		long now = this.nanoTime.getAsLong();
		int newest = Math.floorMod(this.next - 1, CAPACITY);
		long lowest = this.values[newest];
		for (int i = 0; i < this.count; i++) {
			if (now - this.times[i] <= WINDOW_NANOS) {
				lowest = Math.min(lowest, this.values[i]);
			}
		}
		long estimate = Math.min(lowest, used);
		boolean stale = now - this.lastGcNanos >= STALE_NANOS;
		if (stale && capacity > 0 && used >= capacity * trustUsedAbove) {
			estimate = used;
		}
		return estimate;
	}

	/**
	 * Returns what was allocated directly in the long-lived pools since the newest
	 * collection: their usage now less their usage after that collection. Only
	 * collections promote, so between two collections the old generation grows only by
	 * objects allocated there directly (humongous arrays on G1, arrays too large for eden
	 * on Serial and Parallel). Meaningless where the long-lived pool is the whole heap
	 * (ZGC, Shenandoah): callers ask only when the heap also has young pools.
	 * @param longLivedUsedNow usage of the long-lived pools now
	 */
	long allocatedInOldSinceCollection(long longLivedUsedNow) {
		long after = this.longLivedAfterGc;
		return (after < 0) ? 0 : Math.max(0, longLivedUsedNow - after);
	}

	/**
	 * Returns whether the heap in use would be trusted now: no collection has reported
	 * for {@link #STALE_NANOS} and {@code used} is at or above {@code trustUsedAbove} of
	 * {@code capacity}.
	 */
	boolean trustsUsed(long used, long capacity, double trustUsedAbove) {
		return this.count > 0 && this.nanoTime.getAsLong() - this.lastGcNanos >= STALE_NANOS && capacity > 0
				&& used >= capacity * trustUsedAbove;
	}

	/**
	 * Returns how long ago a collection last freed memory in the long-lived pools (a full
	 * collection, a mixed or concurrent cycle, or a confirmation), or
	 * {@link Long#MAX_VALUE} when none has yet.
	 */
	long nanosSinceOldCollection() {
		return this.oldCollectionSeen ? this.nanoTime.getAsLong() - this.lastOldCollectionNanos : Long.MAX_VALUE;
	}

	/**
	 * Returns whether a pool holds long-lived objects, by the naming HotSpot's collectors
	 * use (the rule Micrometer's {@code JvmMemory.isLongLivedPool} applies).
	 */
	static boolean isLongLivedPool(String name) {
		return name.endsWith("Old Gen") || name.endsWith("Tenured Gen") || "Shenandoah".equals(name)
				|| "ZHeap".equals(name) || name.endsWith("balanced-old") || name.contains("tenured")
				|| "JavaHeap".equals(name) || "ZGC Old Generation".equals(name);
	}

}
