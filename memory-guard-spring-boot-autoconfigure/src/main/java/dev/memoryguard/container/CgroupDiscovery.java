package dev.memoryguard.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the process's memory cgroup the way the JDK does: its path from
 * {@code /proc/self/cgroup}, the mount of its hierarchy from {@code /proc/self/mountinfo}.
 * <p>
 * Where the memory controller is on a cgroup v1 hierarchy (v1, or hybrid: v1 controllers
 * beside an empty unified hierarchy) that hierarchy is used, otherwise the unified (v2)
 * one. Among several mounts of a hierarchy the one whose root is the longest prefix of the
 * process's path wins, the later one on a tie: a bind mount of the container's own
 * directory over the original (Docker on v1) then resolves to the container's cgroup.
 */
final class CgroupDiscovery {

	private final Path procSelf;

	private final Path fileSystemRoot;

	/**
	 * Creates a discovery.
	 * @param procSelf where {@code cgroup} and {@code mountinfo} are read
	 * @param fileSystemRoot what the mount points in {@code mountinfo} are relative to:
	 * {@code /} on a real system, a fixture directory in tests
	 */
	CgroupDiscovery(Path procSelf, Path fileSystemRoot) {
		this.procSelf = procSelf;
		this.fileSystemRoot = fileSystemRoot;
	}

	/**
	 * Returns the cgroup of the memory controller, or {@code null} when there is none (not
	 * Linux, no cgroup file system mounted).
	 */
	@Nullable Cgroup memory() {
		List<String> cgroups = readLines(this.procSelf.resolve("cgroup"));
		List<String> mounts = readLines(this.procSelf.resolve("mountinfo"));
		String v1Path = null;
		String v2Path = null;
		for (String line : cgroups) {
			int first = line.indexOf(':');
			int second = line.indexOf(':', first + 1);
			if (first < 0 || second < 0) {
				continue;
			}
			String id = line.substring(0, first);
			String controllers = line.substring(first + 1, second);
			String path = line.substring(second + 1);
			if ("0".equals(id) && controllers.isEmpty()) {
				v2Path = path;
			}
			else if (contains(controllers, "memory")) {
				v1Path = path;
			}
		}
		if (v1Path != null) {
			Cgroup v1 = mount(mounts, 1, v1Path);
			if (v1 != null) {
				return v1;
			}
		}
		return (v2Path != null) ? mount(mounts, 2, v2Path) : null;
	}

	/**
	 * Returns the process's cgroup in the unified (v2) hierarchy, where one is mounted:
	 * on a hybrid system its pressure stall figures are the cgroup's own.
	 */
	@Nullable Cgroup unified() {
		for (String line : readLines(this.procSelf.resolve("cgroup"))) {
			if (line.startsWith("0::")) {
				return mount(readLines(this.procSelf.resolve("mountinfo")), 2, line.substring(3));
			}
		}
		return null;
	}

	private @Nullable Cgroup mount(List<String> mountInfo, int version, String cgroupPath) {
		Cgroup best = null;
		int bestRoot = -1;
		for (String line : mountInfo) {
			int separator = line.indexOf(" - ");
			if (separator < 0) {
				continue;
			}
			String[] fields = line.substring(0, separator).split(" ");
			String[] source = line.substring(separator + 3).split(" ");
			if (fields.length < 5 || source.length < 1) {
				continue;
			}
			boolean matches = (version == 2) ? "cgroup2".equals(source[0])
					: "cgroup".equals(source[0]) && source.length >= 3 && contains(source[2], "memory");
			if (!matches) {
				continue;
			}
			String root = unescape(fields[3]);
			boolean covers = "/".equals(root) || cgroupPath.equals(root) || cgroupPath.startsWith(root + "/");
			int rank = covers ? root.length() : 0;
			if (rank >= bestRoot) {
				bestRoot = rank;
				Path mountPoint = this.fileSystemRoot.resolve(unescape(fields[4]).substring(1));
				best = new Cgroup(version, cgroupPath, root, mountPoint);
			}
		}
		return best;
	}

	private static boolean contains(String commaSeparated, String item) {
		for (String part : commaSeparated.split(",")) {
			if (part.equals(item)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Decodes the octal escapes {@code mountinfo} uses for spaces, tabs, newlines and
	 * backslashes in paths.
	 */
	static String unescape(String field) {
		if (field.indexOf('\\') < 0) {
			return field;
		}
		StringBuilder decoded = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			if (c == '\\' && isOctal(field, i + 1)) {
				decoded.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
				i += 3;
			}
			else {
				decoded.append(c);
			}
		}
		return decoded.toString();
	}

	private static boolean isOctal(String field, int from) {
		if (from + 3 > field.length()) {
			return false;
		}
		for (int i = from; i < from + 3; i++) {
			char c = field.charAt(i);
			if (c < '0' || c > '7') {
				return false;
			}
		}
		return true;
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException | RuntimeException ex) {
			return List.of();
		}
	}

}
