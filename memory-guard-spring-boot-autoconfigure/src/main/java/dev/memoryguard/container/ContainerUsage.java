package dev.memoryguard.container;

import org.jspecify.annotations.Nullable;

/**
 * The memory of the process's cgroup as the kernel counts it, for the whole cgroup (other
 * processes, tmpfs files and kernel memory charged to it count too), read from the cgroup
 * whose limit applies.
 *
 * @param version the cgroup version, {@code 1} or {@code 2}, {@code 0} when no cgroup was
 * found
 * @param path the hierarchy path of the cgroup the figures come from: the one whose limit
 * is the lowest on the way up from the process's own
 * @param limit the memory limit in bytes ({@code memory.max}, {@code memory.limit_in_bytes}),
 * {@code -1} when there is none
 * @param high where the kernel starts throttling the cgroup (v2 {@code memory.high}), in
 * bytes, {@code -1} when not set
 * @param usage bytes charged to the cgroup ({@code memory.current},
 * {@code memory.usage_in_bytes}), {@code -1} when unknown
 * @param workingSet usage less inactive file pages, the kubelet's figure, {@code -1} when
 * unknown
 * @param oomKills processes the kernel's OOM killer ended in the cgroup, {@code -1} when
 * unknown
 * @param pressureStall share of the last 10 seconds in which some task of the cgroup
 * stalled waiting for memory (PSI {@code some avg10}, as a fraction), {@code NaN} where
 * the kernel reports none
 */
public record ContainerUsage(int version, String path, long limit, long high, long usage, long workingSet,
		long oomKills, double pressureStall) {

	/**
	 * No cgroup was found: nothing is known.
	 */
	public static final ContainerUsage NONE = new ContainerUsage(0, "", -1, -1, -1, -1, -1, Double.NaN);

	/**
	 * Returns a reading with only a limit and a usage, as a test or a probe of another
	 * platform may report them.
	 * @param limit the limit in bytes, {@code -1} for none
	 * @param workingSet the usage in bytes
	 * @return the reading
	 */
	public static ContainerUsage of(long limit, long workingSet) {
		return new ContainerUsage(0, "", limit, -1, workingSet, workingSet, -1, Double.NaN);
	}

	/**
	 * Returns whether the cgroup has a memory limit.
	 * @return {@code true} when {@link #limit()} is known
	 */
	public boolean isLimited() {
		return this.limit > 0;
	}

	/**
	 * Returns the pressure stall share, {@code null} where the kernel reports none.
	 * @return the share or {@code null}
	 */
	public @Nullable Double pressureStallOrNull() {
		return Double.isNaN(this.pressureStall) ? null : this.pressureStall;
	}

}
