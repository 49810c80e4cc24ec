package dev.memoryguard.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A real cgroup v1 memory cgroup for tests: a child of this process's own memory cgroup
 * with a memory limit, into which a forked process is moved before it starts, removed
 * again on {@link #close()}. Needs root and a writable v1 memory controller, as the build
 * machines have; {@link #unavailable()} says why not elsewhere, for a clean skip.
 * <p>
 * A process can be started in two views of the cgroup, the two that users meet:
 * {@link #nested(List) nested}, as in a systemd unit with {@code MemoryMax=} or a CI
 * runner (the whole hierarchy visible, the limit below the root), and
 * {@link #containerView(List, Path) as Docker mounts it} on cgroup v1 (a private mount namespace
 * whose memory mount has the cgroup's directory as its root).
 */
public final class TestCgroup implements AutoCloseable {

	private static final Path V1_MEMORY = Path.of("/sys/fs/cgroup/memory");

	private final Path directory;

	private final String path;

	private TestCgroup(Path directory, String path) {
		this.directory = directory;
		this.path = path;
	}

	/**
	 * Returns why a test cgroup cannot be made here, or nothing when it can.
	 * @return the reason, empty when cgroups are usable
	 */
	public static Optional<String> unavailable() {
		String own = ownMemoryCgroup();
		if (own == null) {
			return Optional.of("no cgroup v1 memory controller for this process (not Linux, or cgroup v2 only)");
		}
		Path parent = V1_MEMORY.resolve(own.substring(1));
		if (!Files.isWritable(parent)) {
			return Optional.of("the memory cgroup " + parent + " is not writable (needs root)");
		}
		return Optional.empty();
	}

	/**
	 * Returns why the Docker view cannot be set up here, or nothing when it can.
	 * @return the reason, empty when {@code unshare} and mounts are usable
	 */
	public static Optional<String> containerViewUnavailable() {
		Optional<String> cgroups = unavailable();
		if (cgroups.isPresent()) {
			return cgroups;
		}
		try {
			Process probe = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true")
				.redirectErrorStream(true)
				.start();
			probe.getInputStream().readAllBytes();
			return (probe.waitFor() == 0) ? Optional.empty()
					: Optional.of("unshare -m fails here: no private mount namespace for the container view");
		}
		catch (IOException ex) {
			return Optional.of("unshare is not installed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.of("interrupted");
		}
	}

	/**
	 * Creates a child of this process's memory cgroup with a memory limit.
	 * @param name the child's name, made unique with this process's id
	 * @param limit the memory limit in bytes
	 * @return the cgroup
	 */
	public static TestCgroup create(String name, long limit) throws IOException {
		String own = ownMemoryCgroup();
		if (own == null) {
			throw new IllegalStateException(unavailable().orElse("no memory cgroup"));
		}
		String child = name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
		String path = ("/".equals(own) ? "" : own) + "/" + child;
		Path directory = Files.createDirectory(V1_MEMORY.resolve(path.substring(1)));
		Files.writeString(directory.resolve("memory.limit_in_bytes"), Long.toString(limit));
		return new TestCgroup(directory, path);
	}

	/**
	 * Returns the cgroup's directory.
	 * @return the directory under {@code /sys/fs/cgroup/memory}
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Returns the cgroup's path in the hierarchy, as {@code /proc/self/cgroup} shows it.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Returns how many processes the kernel's OOM killer ended in this cgroup.
	 * @return the OOM kill count
	 */
	public long oomKills() throws IOException {
		for (String line : Files.readAllLines(this.directory.resolve("memory.oom_control"))) {
			if (line.startsWith("oom_kill ")) {
				return Long.parseLong(line.substring("oom_kill ".length()).trim());
			}
		}
		return 0;
	}

	/**
	 * Returns the highest usage the cgroup has seen.
	 * @return the peak in bytes
	 */
	public long maxUsage() throws IOException {
		return Long.parseLong(Files.readString(this.directory.resolve("memory.max_usage_in_bytes")).trim());
	}

	/**
	 * Returns a command that runs {@code command} in this cgroup, nested: the process
	 * joins the cgroup and sees the whole hierarchy.
	 * @param command the command
	 * @return the wrapped command
	 */
	public List<String> nested(List<String> command) {
		List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
				"echo $$ > '" + this.directory.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
		wrapped.addAll(command);
		return wrapped;
	}

	/**
	 * Returns a command that runs {@code command} in this cgroup as Docker does on cgroup
	 * v1: in a private mount namespace, the cgroup's directory is bound to a temporary
	 * path, {@code /sys/fs/cgroup/memory} unmounted and the bind moved there, so that
	 * {@code /proc/self/mountinfo} holds one memory mount whose root is the cgroup's path.
	 * @param command the command
	 * @param mountPoint an empty temporary directory for the bind
	 * @return the wrapped command
	 */
	public List<String> containerView(List<String> command, Path mountPoint) {
		String script = "echo $$ > '" + this.directory.resolve("cgroup.procs") + "' && mount --bind '"
				+ this.directory + "' '" + mountPoint + "' && umount " + V1_MEMORY + " && mount --move '" + mountPoint
				+ "' " + V1_MEMORY + " && exec \"$@\"";
		List<String> wrapped = new ArrayList<>(
				List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh"));
		wrapped.addAll(command);
		return wrapped;
	}

	/**
	 * Kills what still runs in the cgroup and removes it.
	 */
	@Override
	public void close() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			List<String> pids = Files.readAllLines(this.directory.resolve("cgroup.procs"));
			for (String pid : pids) {
				ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
			}
			try {
				Files.delete(this.directory);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(100);
			}
		}
	}

	private static @Nullable String ownMemoryCgroup() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
				String[] parts = line.split(":", 3);
				if (parts.length == 3 && List.of(parts[1].split(",")).contains("memory")) {
					return Files.isDirectory(V1_MEMORY) ? parts[2] : null;
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return null;
	}

}
