package dev.memoryguard;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Collection;
import java.util.List;

/**
 * The garbage collector a JVM runs, as far as the guard cares: how its heap pools are
 * laid out and how much headroom it needs to stay alive.
 * <p>
 * Recognised by the names of the heap pools (not of the collector beans, which differ
 * between JDK versions). The live-heap estimate does not depend on it; only the
 * {@link #effectiveThresholds(MemoryThresholds, boolean, boolean) default thresholds} do,
 * as measured at {@code -Xmx256m} on JDK 17 and 25 (see {@code docs/collectors.md}).
 */
public enum GarbageCollector {

	/**
	 * Serial collector ({@code -XX:+UseSerialGC}).
	 */
	SERIAL("Serial", 0.70, 0.85),

	/**
	 * Parallel collector ({@code -XX:+UseParallelGC}). Critical at 80%: its GC overhead
	 * limit threw {@code OutOfMemoryError} at 82-84% live at {@code -Xmx256m}.
	 */
	PARALLEL("Parallel", 0.70, 0.80),

	/**
	 * G1 ({@code -XX:+UseG1GC}, the default).
	 */
	G1("G1", 0.70, 0.85),

	/**
	 * Non-generational ZGC (JDK 17 to 22 by default, {@code -XX:+UseZGC}). Critical at
	 * 80%: it ran out of memory at 84-86% live in growth runs on JDK 17.
	 */
	ZGC("ZGC", 0.70, 0.80),

	/**
	 * Generational ZGC (JDK 21+ with {@code -XX:+ZGenerational}, the only ZGC from JDK 24).
	 */
	GENERATIONAL_ZGC("Generational ZGC", 0.70, 0.85),

	/**
	 * Shenandoah ({@code -XX:+UseShenandoahGC}). Warning 75%, critical 85% of a reading
	 * that counts the garbage left in regions a cycle did not evacuate (about 1.3x the live
	 * set under heavy allocation): CRITICAL came at 65-68% live, ahead of its
	 * {@code OutOfMemoryError} at 72-74% live at {@code -Xmx256m}.
	 */
	SHENANDOAH("Shenandoah", 0.75, 0.85),

	/**
	 * Generational Shenandoah ({@code -XX:ShenandoahGCMode=generational}); not measured,
	 * given Shenandoah's defaults.
	 */
	GENERATIONAL_SHENANDOAH("Generational Shenandoah", 0.75, 0.85),

	/**
	 * A collector the guard does not know: the contract's defaults apply.
	 */
	OTHER("Other", 0.70, 0.85);

	private final String displayName;

	private final double safeWarning;

	private final double safeCritical;

	GarbageCollector(String displayName, double safeWarning, double safeCritical) {
		this.displayName = displayName;
		this.safeWarning = safeWarning;
		this.safeCritical = safeCritical;
	}

	/**
	 * Returns the collector's usual name, such as {@code "G1"} or {@code "Generational ZGC"}.
	 * @return the display name
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * Returns the warning threshold used on this collector when none is set.
	 * @return the default warning fraction of max heap
	 */
	public double defaultWarning() {
		return this.safeWarning;
	}

	/**
	 * Returns the critical threshold used on this collector when none is set.
	 * @return the default critical fraction of max heap
	 */
	public double defaultCritical() {
		return this.safeCritical;
	}

	/**
	 * Returns the thresholds to apply on this collector: the heap thresholds the user did
	 * not set explicitly are this collector's defaults; explicit settings are kept as they
	 * are. A collector default that would put the critical threshold at or below an
	 * explicit warning threshold is not applied.
	 * @param configured the configured thresholds (defaults included)
	 * @param warningExplicit whether the warning threshold was set explicitly
	 * @param criticalExplicit whether the critical threshold was set explicitly
	 * @return the thresholds in effect
	 */
	public MemoryThresholds effectiveThresholds(MemoryThresholds configured, boolean warningExplicit,
			boolean criticalExplicit) {
		double warning = warningExplicit ? configured.warning() : this.safeWarning;
		double critical = criticalExplicit ? configured.critical() : this.safeCritical;
		if (critical <= warning) {
			warning = configured.warning();
			critical = configured.critical();
		}
		return new MemoryThresholds(warning, critical, configured.recoveryMargin(), configured.containerWarning(),
				configured.containerCritical());
	}

	/**
	 * Returns the collector of the running JVM.
	 * @return the collector
	 */
	public static GarbageCollector current() {
		return fromHeapPools(ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.map(MemoryPoolMXBean::getName)
			.toList());
	}

	/**
	 * Returns the collector that lays out the heap in the given pools.
	 * @param heapPools the names of the heap memory pools
	 * @return the collector, {@link #OTHER} when none matches
	 */
	static GarbageCollector fromHeapPools(Collection<String> heapPools) {
		List<String> pools = List.copyOf(heapPools);
		if (pools.contains("Tenured Gen")) {
			return SERIAL;
		}
		if (pools.contains("PS Old Gen")) {
			return PARALLEL;
		}
		if (pools.contains("G1 Old Gen")) {
			return G1;
		}
		if (pools.contains("ZHeap")) {
			return ZGC;
		}
		if (pools.contains("ZGC Old Generation")) {
			return GENERATIONAL_ZGC;
		}
		if (pools.contains("Shenandoah Old Gen")) {
			return GENERATIONAL_SHENANDOAH;
		}
		if (pools.contains("Shenandoah")) {
			return SHENANDOAH;
		}
		return OTHER;
	}

}
