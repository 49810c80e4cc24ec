package dev.memoryguard.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory cgroup a process belongs to, as {@code /proc/self/cgroup} and
 * {@code /proc/self/mountinfo} describe it.
 *
 * @param version the cgroup version of the memory controller, {@code 1} or {@code 2}
 * @param path the process's cgroup path in the hierarchy, such as
 * {@code /kubepods/burstable/pod1/abc}
 * @param mountRoot the hierarchy path mounted at {@code mountPoint}: {@code /} when the
 * whole hierarchy is visible (a systemd unit, a CI runner), the container's own path
 * in a Docker or Kubernetes container on cgroup v1
 * @param mountPoint where the hierarchy is mounted, such as {@code /sys/fs/cgroup/memory}
 */
public record Cgroup(int version, String path, String mountRoot, Path mountPoint) {

	/**
	 * Returns the cgroup's directories from the process's own up to the top of the mount,
	 * each with its hierarchy path: the JDK takes the lowest limit on this path
	 * (JDK-8322420), since a limit set on a parent (a systemd slice, a Kubernetes pod)
	 * binds its children too.
	 * @return the directories, the process's own first
	 */
	public List<Level> levels() {
		List<Level> levels = new ArrayList<>();
		String relative = relativePath();
		if (relative == null) {
			levels.add(new Level(this.mountRoot, this.mountPoint));
			return levels;
		}
		String current = relative;
		while (true) {
			Path directory = current.isEmpty() ? this.mountPoint : this.mountPoint.resolve(current);
			levels.add(new Level(hierarchyPath(current), directory));
			if (current.isEmpty()) {
				return levels;
			}
			int slash = current.lastIndexOf('/');
			current = (slash < 0) ? "" : current.substring(0, slash);
		}
	}

	/**
	 * Returns the process's path below the mount root without a leading slash (empty when
	 * the process sits at the mount root), or {@code null} when the path does not lie
	 * below the mount root (a cgroup namespace the process left): the mount point alone is
	 * then used, as the JDK does.
	 */
	private String relativePath() {
		if (this.path.contains("/..")) {
			return null;
		}
		String root = "/".equals(this.mountRoot) ? "" : this.mountRoot;
		if (this.path.equals(root) || this.path.equals("/")) {
			return "";
		}
		if (this.path.startsWith(root + "/")) {
			return this.path.substring(root.length() + 1);
		}
		return null;
	}

	private String hierarchyPath(String relative) {
		String root = "/".equals(this.mountRoot) ? "" : this.mountRoot;
		String joined = relative.isEmpty() ? root : root + "/" + relative;
		return joined.isEmpty() ? "/" : joined;
	}

	/**
	 * One level of the hierarchy.
	 *
	 * @param path its hierarchy path
	 * @param directory its directory
	 */
	public record Level(String path, Path directory) {

	}

}
