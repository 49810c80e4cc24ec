package dev.memoryguard.leak;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * The name of the host (the pod, in Kubernetes) for heap dump file names, safe in a file
 * name. Read from the kernel or the environment first: a name lookup can take seconds
 * where DNS is slow.
 */
final class HostName {

	private HostName() {
	}

	static String current() {
		String name = fromKernel();
		if (name == null || name.isBlank()) {
			name = System.getenv("HOSTNAME");
		}
		if (name == null || name.isBlank()) {
			try {
				name = InetAddress.getLocalHost().getHostName();
			}
			catch (IOException | RuntimeException ex) {
				name = "unknown";
			}
		}
		return safe(name.trim());
	}

	static String safe(String name) {
		String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
		return safe.isEmpty() ? "unknown" : safe;
	}

	private static @Nullable String fromKernel() {
		try {
			return Files.readString(Path.of("/proc/sys/kernel/hostname"));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
