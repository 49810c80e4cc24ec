package dev.memoryguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A child of this process's cgroup v1 memory cgroup with a memory limit, for the
 * container benchmarks (root only).
 */
final class BenchmarkCgroup {

	private static final Path V1_MEMORY = Path.of("/sys/fs/cgroup/memory");

	final Path directory;

	final Path parent;

	private BenchmarkCgroup(Path directory, Path parent) {
		this.directory = directory;
		this.parent = parent;
	}

	static BenchmarkCgroup create(String name, long limit) throws IOException {
		String own = null;
		for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
			String[] parts = line.split(":", 3);
			if (parts.length == 3 && List.of(parts[1].split(",")).contains("memory")) {
				own = parts[2];
			}
		}
		if (own == null || !Files.isWritable(V1_MEMORY.resolve(own.substring(1)))) {
			throw new IllegalStateException("needs root and a writable cgroup v1 memory controller");
		}
		Path parent = V1_MEMORY.resolve(own.substring(1));
		Path directory = Files.createDirectory(parent.resolve(name + "-" + ProcessHandle.current().pid()));
		Files.writeString(directory.resolve("memory.limit_in_bytes"), Long.toString(limit));
		return new BenchmarkCgroup(directory, parent);
	}

	void join(long pid) throws IOException {
		Files.writeString(this.directory.resolve("cgroup.procs"), Long.toString(pid));
	}

	void leave(long pid) throws IOException {
		Files.writeString(this.parent.resolve("cgroup.procs"), Long.toString(pid));
	}

	void remove() throws IOException {
		Files.deleteIfExists(this.directory);
	}

}
