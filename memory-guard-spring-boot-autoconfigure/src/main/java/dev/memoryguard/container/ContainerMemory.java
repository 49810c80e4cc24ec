package dev.memoryguard.container;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads the memory of the process's cgroup as the kernel counts it, and the process's
 * resident set size.
 * <p>
 * The cgroup is found once, the way the JDK finds it ({@link CgroupDiscovery}); the limit
 * is looked up at every reading on the whole path from the process's cgroup up to the top
 * of the mount, and the lowest one wins (a limit set on a parent binds its children, as
 * with a systemd slice). Usage, working set and OOM kills are read from the cgroup that
 * limit belongs to, since that is where the kernel compares them. On cgroup v1 the
 * {@code hierarchical_memory_limit} of {@code memory.stat} also counts, for limits set on
 * a parent that the container cannot see.
 * <p>
 * A reading opens a handful of small files (one per level of the hierarchy for the limit,
 * then usage, {@code memory.stat}, the OOM counter and the pressure stall file); outside a
 * limited cgroup it stops after the limits.
 */
public final class ContainerMemory {

	private final Path procSelf;

	private final @Nullable Cgroup cgroup;

	private final @Nullable Cgroup unified;

	/**
	 * Creates a reader of this process's memory.
	 * @return the reader
	 */
	public static ContainerMemory system() {
		return new ContainerMemory(Path.of("/proc/self"), Path.of("/"));
	}

	/**
	 * Creates a reader.
	 * @param procSelf where {@code cgroup}, {@code mountinfo} and {@code status} are read
	 * @param fileSystemRoot what the mount points in {@code mountinfo} are relative to
	 */
	public ContainerMemory(Path procSelf, Path fileSystemRoot) {
		this.procSelf = procSelf;
		CgroupDiscovery discovery = new CgroupDiscovery(procSelf, fileSystemRoot);
		this.cgroup = discovery.memory();
		Cgroup unifiedCgroup = discovery.unified();
		this.unified = (this.cgroup != null && this.cgroup.version() == 1) ? unifiedCgroup : null;
	}

	/**
	 * Returns the memory cgroup of the process.
	 * @return the cgroup, or {@code null} when none was found
	 */
	public @Nullable Cgroup cgroup() {
		return this.cgroup;
	}

	/**
	 * Reads the cgroup's figures now.
	 * @return the reading, {@link ContainerUsage#NONE} when no cgroup was found
	 */
	public ContainerUsage read() {
		Cgroup found = this.cgroup;
		if (found == null) {
			return ContainerUsage.NONE;
		}
		return (found.version() == 2) ? readV2(found) : readV1(found);
	}

	private ContainerUsage readV2(Cgroup found) {
		List<Cgroup.Level> levels = found.levels();
		Lowest max = Lowest.of(levels, "memory.max");
		Cgroup.Level limiting = (max.level != null) ? max.level : levels.get(0);
		long limit = max.value;
		long high = Lowest.of(levels, "memory.high").value;
		if (limit < 0) {
			return new ContainerUsage(2, levels.get(0).path(), -1, high, -1, -1, -1, Double.NaN);
		}
		Path directory = limiting.directory();
		long usage = CgroupFiles.value(directory.resolve("memory.current"));
		long inactiveFile = CgroupFiles.keyed(directory.resolve("memory.stat"), "inactive_file");
		long oomKills = CgroupFiles.keyed(directory.resolve("memory.events"), "oom_kill");
		double stall = CgroupFiles.someAvg10(directory.resolve("memory.pressure"));
		return new ContainerUsage(2, limiting.path(), limit, (high > 0 && high < limit) ? high : -1, usage,
				workingSet(usage, inactiveFile), oomKills, stall);
	}

	private ContainerUsage readV1(Cgroup found) {
		List<Cgroup.Level> levels = found.levels();
		Lowest lowest = Lowest.of(levels, "memory.limit_in_bytes");
		Cgroup.Level limiting = (lowest.level != null) ? lowest.level : levels.get(0);
		long limit = lowest.value;
		String leafStat = CgroupFiles.read(levels.get(0).directory().resolve("memory.stat"));
		if (leafStat != null) {
			long hierarchical = CgroupFiles.limit(CgroupFiles.keyed(leafStat, "hierarchical_memory_limit"));
			if (hierarchical > 0 && (limit < 0 || hierarchical < limit)) {
				// set on a parent the container cannot see: its own figures are the nearest
				limit = hierarchical;
				limiting = levels.get(0);
			}
		}
		if (limit < 0) {
			return new ContainerUsage(1, levels.get(0).path(), -1, -1, -1, -1, -1, Double.NaN);
		}
		Path directory = limiting.directory();
		long usage = CgroupFiles.value(directory.resolve("memory.usage_in_bytes"));
		String stat = (limiting == levels.get(0)) ? leafStat : CgroupFiles.read(directory.resolve("memory.stat"));
		long inactiveFile = (stat != null) ? CgroupFiles.keyed(stat, "total_inactive_file") : -1;
		long oomKills = CgroupFiles.keyed(directory.resolve("memory.oom_control"), "oom_kill");
		return new ContainerUsage(1, limiting.path(), limit, -1, usage, workingSet(usage, inactiveFile), oomKills,
				unifiedPressureStall());
	}

	/**
	 * Returns the pressure stall of the process's cgroup in the unified hierarchy of a
	 * hybrid system: PSI is accounted there even where the memory controller is on v1.
	 */
	private double unifiedPressureStall() {
		Cgroup hybrid = this.unified;
		if (hybrid == null) {
			return Double.NaN;
		}
		return CgroupFiles.someAvg10(hybrid.levels().get(0).directory().resolve("memory.pressure"));
	}

	private static long workingSet(long usage, long inactiveFile) {
		if (usage < 0) {
			return -1;
		}
		return (inactiveFile > 0) ? Math.max(0, usage - inactiveFile) : usage;
	}

	/**
	 * Returns the resident set size of the process ({@code VmRSS} of
	 * {@code /proc/self/status}).
	 * @return the RSS in bytes, {@code -1} when it cannot be read (not Linux)
	 */
	public long rss() {
		String status = CgroupFiles.read(this.procSelf.resolve("status"));
		if (status == null) {
			return -1;
		}
		int start = status.indexOf("VmRSS:");
		if (start < 0) {
			return -1;
		}
		int end = status.indexOf('\n', start);
		String value = status.substring(start + "VmRSS:".length(), (end < 0) ? status.length() : end).trim();
		int space = value.indexOf(' ');
		try {
			return Long.parseLong((space < 0) ? value : value.substring(0, space)) * 1024;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * The lowest limit a file sets on the levels of the hierarchy, and where it is set.
	 */
	private record Lowest(long value, Cgroup.@Nullable Level level) {

		static Lowest of(List<Cgroup.Level> levels, String file) {
			Lowest lowest = new Lowest(-1, null);
			for (Cgroup.Level level : levels) {
				long value = CgroupFiles.limit(level.directory().resolve(file));
				if (value > 0 && (lowest.value < 0 || value < lowest.value)) {
					lowest = new Lowest(value, level);
				}
			}
			return lowest;
		}

	}

}
