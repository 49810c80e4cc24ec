package dev.memoryguard;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.memoryguard.container.ContainerUsage;

/**
 * A {@link MemoryProbe} whose readings are set by hand: by tests, and by applications
 * that feed the guard a signal of their own (a sidecar's view of the container, a
 * cluster-wide quota). Every setter makes the guard apply the new reading before it
 * returns: the level has changed, it is logged, and every pressure listener (and
 * {@link MemoryPressureChangedEvent} listener) has been called, or given up on after its
 * timeout.
 * <pre class="code">
 * &#064;Bean
 * ManualMemoryProbe memoryProbe() {
 *     return new ManualMemoryProbe();
 * }
 * ...
 * probe.setLiveRatio(0.90); // the guard is CRITICAL from here on
 * </pre>
 * Tests use {@code dev.memoryguard.test.TestMemoryProbe} of the {@code memory-guard-test}
 * artifact, which extends this class, or its {@code @WithMemoryPressure} annotation.
 */
public class ManualMemoryProbe implements MemoryProbe {

	/**
	 * Heap capacity used unless {@link #setHeapMax(long)} says otherwise: 1 GiB.
	 */
	public static final long DEFAULT_HEAP_MAX = 1024L * 1024 * 1024;

	private volatile long heapMax = DEFAULT_HEAP_MAX;

	private volatile double liveRatio = 0.10;

	private volatile double usedRatio = -1;

	private volatile long rss = -1;

	private volatile ContainerUsage container = ContainerUsage.NONE;

	private volatile @Nullable Runnable readingAvailable;

	@Override
	public MemoryReading read() {
		long max = this.heapMax;
		long live = (long) (max * this.liveRatio);
		long used = (this.usedRatio >= 0) ? (long) (max * this.usedRatio) : live;
		return new MemoryReading(used, max, max, live, 0, 0, 0, 0, this.rss, this.container, 0, Duration.ZERO, 0.0);
	}

	@Override
	public void start(Runnable readingAvailable) {
		this.readingAvailable = readingAvailable;
	}

	@Override
	public void stop() {
		this.readingAvailable = null;
	}

	/**
	 * Sets the live heap after GC as a fraction of max heap and re-evaluates.
	 * @param liveRatio the live heap ratio, for example {@code 0.9} for CRITICAL with
	 * the default thresholds
	 * @return this probe
	 */
	public ManualMemoryProbe setLiveRatio(double liveRatio) {
		this.liveRatio = liveRatio;
		return changed();
	}

	/**
	 * Sets the heap in use (garbage included) as a fraction of max heap and
	 * re-evaluates. Unless set, used equals live.
	 * @param usedRatio the used heap ratio
	 * @return this probe
	 */
	public ManualMemoryProbe setUsedRatio(double usedRatio) {
		this.usedRatio = usedRatio;
		return changed();
	}

	/**
	 * Sets the max heap in bytes and re-evaluates.
	 * @param heapMax the max heap
	 * @return this probe
	 */
	public ManualMemoryProbe setHeapMax(long heapMax) {
		this.heapMax = heapMax;
		return changed();
	}

	/**
	 * Sets the process resident set size and the container limit, in bytes, and
	 * re-evaluates. The cgroup's working set is the RSS.
	 * @param rss the resident set size
	 * @param containerLimit the container limit, {@code -1} for none
	 * @return this probe
	 */
	public ManualMemoryProbe setRss(long rss, long containerLimit) {
		this.rss = rss;
		this.container = ContainerUsage.of(containerLimit, rss);
		return changed();
	}

	/**
	 * Sets what the process's memory cgroup reports and re-evaluates. The heap counts as
	 * committed up to its max, so the container signal is the working set beyond max heap
	 * over the room the limit leaves beyond it.
	 * @param container the cgroup's figures
	 * @return this probe
	 */
	public ManualMemoryProbe setContainer(ContainerUsage container) {
		this.container = container;
		return changed();
	}

	/**
	 * Sets the level by moving the live heap to a ratio that is well inside the level
	 * under the default thresholds (0.10, 0.78 or 0.95) and re-evaluates.
	 * @param pressure the level to reach
	 * @return this probe
	 */
	public ManualMemoryProbe setPressure(MemoryPressure pressure) {
		return setLiveRatio(switch (pressure) {
			case NORMAL -> 0.10;
			case WARNING -> 0.78;
			case CRITICAL -> 0.95;
		});
	}

	private ManualMemoryProbe changed() {
		Runnable callback = this.readingAvailable;
		if (callback != null) {
			callback.run();
		}
		return this;
	}

	/**
	 * Returns {@code true}: the guard applies each reading, and waits for its pressure
	 * listeners, before a setter returns.
	 * @return {@code true}
	 */
	@Override
	public boolean isSynchronous() {
		return true;
	}

	@Override
	public String describe() {
		return "manual probe";
	}

}
