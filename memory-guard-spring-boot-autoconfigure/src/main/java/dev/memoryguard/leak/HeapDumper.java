package dev.memoryguard.leak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.util.Assert;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.Sizes;

/**
 * Writes heap dumps ({@code HotSpotDiagnosticMXBean.dumpHeap}, live objects only) when a
 * leak is suspected ({@link LeakSuspectedEvent}) or memory pressure enters
 * {@link MemoryPressure#CRITICAL}.
 * <p>
 * Dumps are written on the dumper's own thread, never on the thread that triggered them,
 * to files named {@code heap-<host>-<yyyyMMdd-HHmmss>-<pid>.hprof} in the directory, which
 * is created if missing. At most one dump is written per minimum interval, whatever the
 * trigger. A dump is refused, with a WARN saying why, when the directory is on a memory
 * file system ({@code tmpfs}: the dump would be charged to the very memory that is short,
 * and can get the container OOM-killed) or has less usable space than {@code maxFiles}
 * times the max heap. Only the newest {@code maxFiles} dumps of this host are kept, and
 * only this host's dumps are ever deleted: pods that share a volume keep each other's.
 * Each decision is logged.
 */
public class HeapDumper implements SmartApplicationListener, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(HeapDumper.class);

	private static final Set<String> MEMORY_FILE_SYSTEMS = Set.of("tmpfs", "ramfs");

	private static final String DIAGNOSTIC_BEAN = "com.sun.management:type=HotSpotDiagnostic";

	private final Path directory;

	private final Duration minInterval;

	private final int maxFiles;

	private final long requiredSpace;

	private final Clock clock;

	private final DateTimeFormatter timestamps;

	private final String host;

	private final Pattern ownFiles;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "memory-guard-heap-dump");
		thread.setDaemon(true);
		return thread;
	});

	private @Nullable Instant lastDump;

	/**
	 * Creates a dumper that needs {@code maxFiles} times the max heap of usable disk
	 * space.
	 * @param directory where dumps are written
	 * @param minInterval minimum time between two dumps
	 * @param maxFiles how many dumps to keep
	 * @param clock the source of dump times and file-name timestamps
	 */
	public HeapDumper(Path directory, Duration minInterval, int maxFiles, Clock clock) {
		this(directory, minInterval, maxFiles, maxFiles * Runtime.getRuntime().maxMemory(), clock);
	}

	/**
	 * Creates a dumper.
	 * @param directory where dumps are written
	 * @param minInterval minimum time between two dumps
	 * @param maxFiles how many dumps to keep
	 * @param requiredSpace usable disk space, in bytes, below which a dump is refused
	 * @param clock the source of dump times and file-name timestamps
	 */
	public HeapDumper(Path directory, Duration minInterval, int maxFiles, long requiredSpace, Clock clock) {
		Assert.isTrue(!minInterval.isNegative(), "minInterval must not be negative");
		Assert.isTrue(maxFiles > 0, "maxFiles must be positive");
		this.directory = directory.toAbsolutePath().normalize();
		this.minInterval = minInterval;
		this.maxFiles = maxFiles;
		this.requiredSpace = requiredSpace;
		this.clock = clock;
		this.timestamps = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(clock.getZone());
		this.host = HostName.current();
		this.ownFiles = Pattern.compile("heap-" + Pattern.quote(this.host) + "-\\d{8}-\\d{6}-\\d+\\.hprof");
	}

	/**
	 * Returns the directory dumps are written to.
	 * @return the absolute directory
	 */
	public Path getDirectory() {
		return this.directory;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return LeakSuspectedEvent.class.isAssignableFrom(eventType)
				|| MemoryPressureChangedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof LeakSuspectedEvent) {
			requestDump("leak suspected");
		}
		else if (event instanceof MemoryPressureChangedEvent change && change.isWorsening()
				&& change.current() == MemoryPressure.CRITICAL) {
			requestDump("memory pressure " + change.previous() + " -> CRITICAL");
		}
	}

	/**
	 * Asks for a heap dump on the dumper's thread. The dump is skipped when one was
	 * written less than the minimum interval ago or the disk lacks room.
	 * @param reason why, for the log
	 * @return the file written, completing with {@code null} when the dump was skipped or
	 * failed
	 */
	public CompletableFuture<@Nullable Path> requestDump(String reason) {
		try {
			return CompletableFuture.supplyAsync(() -> dump(reason), this.executor);
		}
		catch (RejectedExecutionException ex) {
			logger.info("Heap dump on {} skipped: shutting down", reason);
			return CompletableFuture.completedFuture(null);
		}
	}

	private @Nullable Path dump(String reason) {
		Instant now = this.clock.instant();
		Instant last = this.lastDump;
		if (last != null && now.isBefore(last.plus(this.minInterval))) {
			logger.info("Heap dump on {} skipped: the last one was written at {} and "
					+ "memory-guard.heap-dump.min-interval is {}", reason, last, this.minInterval);
			return null;
		}
		try {
			Files.createDirectories(this.directory);
			FileStore store = Files.getFileStore(this.directory);
			if (MEMORY_FILE_SYSTEMS.contains(store.type())) {
				logger.warn("Heap dump on {} refused: {} is on {}, in memory: the dump would be charged to the memory "
						+ "that is short and could get the process killed. Set memory-guard.heap-dump.directory to "
						+ "a disk-backed volume", reason, this.directory, store.type());
				return null;
			}
			long usable = store.getUsableSpace();
			if (usable < this.requiredSpace) {
				logger.warn("Heap dump on {} refused: {} has {} usable, less than the {} that "
						+ "memory-guard.heap-dump.max-files dumps of the max heap may need", reason, this.directory,
						Sizes.format(usable), Sizes.format(this.requiredSpace));
				return null;
			}
			Path file = this.directory.resolve("heap-" + this.host + "-" + this.timestamps.format(now) + "-"
					+ ProcessHandle.current().pid() + ".hprof");
			if (Files.exists(file)) {
				logger.info("Heap dump on {} skipped: {} already exists", reason, file);
				return null;
			}
			this.lastDump = now;
			logger.warn("Writing heap dump on {} to {}", reason, file);
			long start = System.nanoTime();
			diagnostics().dumpHeap(file.toString(), true);
			logger.warn("Heap dump written to {} ({} in {} ms)", file, Sizes.format(Files.size(file)),
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			deleteOldDumps();
			return file;
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Heap dump on {} to {} failed", reason, this.directory, ex);
			return null;
		}
	}

	private static HotSpotDiagnosticMXBean diagnostics() throws IOException {
		return ManagementFactory.newPlatformMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), DIAGNOSTIC_BEAN,
				HotSpotDiagnosticMXBean.class);
	}

	private void deleteOldDumps() throws IOException {
		List<Path> dumps = new ArrayList<>();
		try (Stream<Path> files = Files.list(this.directory)) {
			files.filter((file) -> this.ownFiles.matcher(file.getFileName().toString()).matches()).forEach(dumps::add);
		}
		dumps.sort(Comparator.comparing(HeapDumper::modified).thenComparing(Path::getFileName).reversed());
		for (Path old : dumps.subList(Math.min(this.maxFiles, dumps.size()), dumps.size())) {
			Files.deleteIfExists(old);
			logger.info("Deleted old heap dump {} (memory-guard.heap-dump.max-files is {})", old, this.maxFiles);
		}
	}

	private static Instant modified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toInstant();
		}
		catch (IOException ex) {
			return Instant.EPOCH;
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		this.executor.shutdown();
		if (!this.executor.awaitTermination(30, TimeUnit.SECONDS)) {
			logger.warn("Heap dump still being written at shutdown");
		}
	}

}
