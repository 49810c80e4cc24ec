package dev.memoryguard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Reads the memory limit of the process's cgroup (v2 {@code memory.max}, v1
 * {@code memory.limit_in_bytes}) and the process's resident set size.
 */
final class ContainerMemory {

	/**
	 * cgroup v1 reports "no limit" as a huge number (the largest page-aligned long);
	 * anything at or above 2^60 bytes is no limit a machine has.
	 */
	private static final long UNLIMITED_FLOOR = 1L << 60;

	private final Path cgroupRoot;

	private final Path procSelf;

	ContainerMemory(Path cgroupRoot, Path procSelf) {
		this.cgroupRoot = cgroupRoot;
		this.procSelf = procSelf;
	}

	static ContainerMemory system() {
		return new ContainerMemory(Path.of("/sys/fs/cgroup"), Path.of("/proc/self"));
	}

	/**
	 * Returns the memory limit in bytes, or {@code -1} when there is none (or no cgroup
	 * file can be read).
	 */
	long limit() {
		String v2 = readFirstLine(this.cgroupRoot.resolve("memory.max"));
		if (v2 != null) {
			return parseLimit(v2);
		}
		String v1 = readFirstLine(this.cgroupRoot.resolve("memory").resolve("memory.limit_in_bytes"));
		return (v1 != null) ? parseLimit(v1) : -1;
	}

	/**
	 * Returns the resident set size in bytes from {@code /proc/self/status}, or
	 * {@code -1} when it cannot be read.
	 */
	long rss() {
		try {
			for (String line : Files.readAllLines(this.procSelf.resolve("status"))) {
				if (line.startsWith("VmRSS:")) {
					String[] parts = line.substring(6).trim().split("\\s+");
					return Long.parseLong(parts[0]) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: RSS is unknown
		}
		return -1;
	}

	static long parseLimit(String value) {
		String trimmed = value.trim();
		if (trimmed.isEmpty() || "max".equals(trimmed)) {
			return -1;
		}
		try {
			long limit = Long.parseLong(trimmed);
			return (limit <= 0 || limit >= UNLIMITED_FLOOR) ? -1 : limit;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static @Nullable String readFirstLine(Path file) {
		try {
			if (!Files.isReadable(file)) {
				return null;
			}
			String content = Files.readString(file);
			int newline = content.indexOf('\n');
			return (newline >= 0) ? content.substring(0, newline) : content;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
