package dev.memoryguard.leak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HeapDumper}, writing real heap dumps of the test JVM.
 */
class HeapDumperTests {

	@TempDir
	Path temp;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:15:30Z"));

	private HeapDumper dumper;

	@AfterEach
	void destroy() throws Exception {
		if (this.dumper != null) {
			this.dumper.destroy();
		}
	}

	@Test
	void dumpIsWrittenAtMostOncePerMinIntervalUnderTheContractName() throws Exception {
		Path directory = this.temp.resolve("dumps/nested");
		this.dumper = new HeapDumper(directory, Duration.ofMinutes(10), 3, this.clock);
		Path first = this.dumper.requestDump("leak suspected").get(60, TimeUnit.SECONDS);
		assertThat(first).isNotNull().hasParent(directory).isNotEmptyFile();
		assertThat(first.getFileName()).hasToString(
				"heap-" + HostName.current() + "-20261123-101530-" + ProcessHandle.current().pid() + ".hprof");
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(this.dumper.requestDump("critical").get(60, TimeUnit.SECONDS)).isNull();
		assertThat(dumps(directory)).containsExactly(first);
		this.clock.advance(Duration.ofMinutes(1));
		Path second = this.dumper.requestDump("critical").get(60, TimeUnit.SECONDS);
		assertThat(second).isNotNull().isNotEqualTo(first);
		assertThat(dumps(directory)).containsExactlyInAnyOrder(first, second);
	}

	@Test
	void onlyTheNewestDumpsOfThisHostAreKeptAndOtherHostsDumpsAreLeftAlone() throws Exception {
		String host = HostName.current();
		Path oldest = oldDump("heap-" + host + "-20250101-000000-11.hprof", 3);
		Path older = oldDump("heap-" + host + "-20250102-000000-12.hprof", 2);
		Path otherPods = oldDump("heap-orders-7f9c-20240101-000000-13.hprof", 400);
		Path unrelated = Files.writeString(this.temp.resolve("heap-notes.txt"), "keep me");
		this.dumper = new HeapDumper(this.temp, Duration.ZERO, 2, this.clock);
		Path written = this.dumper.requestDump("leak suspected").get(60, TimeUnit.SECONDS);
		assertThat(written).isNotNull();
		assertThat(dumps(this.temp)).containsExactlyInAnyOrder(written, older, otherPods);
		assertThat(oldest).doesNotExist();
		assertThat(unrelated).exists();
	}

	@Test
	void dumpIsRefusedOnAMemoryFileSystem() throws Exception {
		Path shm = Path.of("/dev/shm");
		assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()),
				"needs /dev/shm on tmpfs (Linux)");
		Path directory = shm.resolve("memory-guard-dump-test-" + ProcessHandle.current().pid());
		try {
			this.dumper = new HeapDumper(directory, Duration.ZERO, 1, 0, this.clock);
			assertThat(this.dumper.requestDump("critical").get(60, TimeUnit.SECONDS)).isNull();
			assertThat(dumps(directory)).isEmpty();
		}
		finally {
			Files.deleteIfExists(directory);
		}
	}

	@Test
	void dumpIsRefusedWhenTheDiskLacksRoomForMaxFilesDumpsOfTheMaxHeap() throws Exception {
		long disk = Files.getFileStore(this.temp).getUsableSpace();
		int maxFiles = (int) Math.min(Integer.MAX_VALUE, disk / Runtime.getRuntime().maxMemory() + 1);
		this.dumper = new HeapDumper(this.temp, Duration.ZERO, maxFiles, this.clock);
		assertThat(this.dumper.requestDump("critical").get(60, TimeUnit.SECONDS)).isNull();
		assertThat(dumps(this.temp)).isEmpty();
	}

	@Test
	void dumpIsRefusedWhenTheDiskLacksRoomForTheMaxHeap() throws Exception {
		this.dumper = new HeapDumper(this.temp, Duration.ZERO, 3, Long.MAX_VALUE, this.clock);
		assertThat(this.dumper.requestDump("critical").get(60, TimeUnit.SECONDS)).isNull();
		assertThat(dumps(this.temp)).isEmpty();
	}

	@Test
	void leakSuspicionAndEnteringCriticalTriggerADumpButOtherChangesDoNot() throws Exception {
		this.dumper = new HeapDumper(this.temp, Duration.ZERO, 5, this.clock);
		this.dumper.onApplicationEvent(new MemoryPressureChangedEvent(this, MemoryPressure.NORMAL,
				MemoryPressure.WARNING, null));
		this.dumper.onApplicationEvent(new MemoryPressureChangedEvent(this, MemoryPressure.CRITICAL,
				MemoryPressure.WARNING, null));
		this.dumper.requestDump("barrier").get(60, TimeUnit.SECONDS);
		assertThat(dumps(this.temp)).hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));
		this.dumper.onApplicationEvent(new MemoryPressureChangedEvent(this, MemoryPressure.WARNING,
				MemoryPressure.CRITICAL, null));
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(dumps(this.temp)).hasSize(2));
		this.clock.advance(Duration.ofSeconds(1));
		this.dumper.onApplicationEvent(
				new LeakSuspectedEvent(this, new LeakReport(true, 0.8, Duration.ofHours(1), null), 1, 2));
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(dumps(this.temp)).hasSize(3));
	}

	private Path oldDump(String name, int daysAgo) throws IOException {
		Path file = Files.writeString(this.temp.resolve(name), "old");
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(daysAgo))));
		return file;
	}

	private static List<Path> dumps(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.toString().endsWith(".hprof")).toList();
		}
	}

}
