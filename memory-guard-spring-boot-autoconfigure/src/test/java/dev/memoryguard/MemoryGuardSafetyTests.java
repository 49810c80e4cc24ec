package dev.memoryguard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import dev.memoryguard.actuate.health.MemoryHealthIndicator;
import dev.memoryguard.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests that the {@link MemoryGuard} never makes things worse: listeners that block or
 * throw hold up neither the level nor the readings nor each other, the reading loop
 * survives any failure, refusals are cheap and logged once per level.
 */
@ExtendWith(OutputCaptureExtension.class)
class MemoryGuardSafetyTests {

	private final HandDrivenProbe probe = new HandDrivenProbe();

	private MemoryGuard guard;

	@AfterEach
	void stop() {
		if (this.guard != null) {
			this.guard.stop();
		}
	}

	@Test
	void aListenerThatBlocksDoesNotDelayTheNextLevelChangeNorTheOtherListeners() throws Exception {
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofHours(1));
		CountDownLatch release = new CountDownLatch(1);
		this.guard.addListener((change) -> awaitAtMost30s(release));
		List<MemoryPressure> seen = new CopyOnWriteArrayList<>();
		this.guard.addListener((change) -> seen.add(change.current()));
		long start = System.nanoTime();
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertThat(this.guard.refresh().pressure()).isEqualTo(MemoryPressure.CRITICAL);
		this.probe.setPressure(MemoryPressure.NORMAL);
		assertThat(this.guard.refresh().pressure()).isEqualTo(MemoryPressure.NORMAL);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.NORMAL);
		assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> seen.equals(List.of(MemoryPressure.CRITICAL, MemoryPressure.NORMAL)));
		release.countDown();
	}

	@Test
	void aListenerThatThrowsAnErrorKeepsItsLaneAndTheOthersGetEveryChangeInOrder(CapturedOutput output) {
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofHours(1));
		AtomicInteger calls = new AtomicInteger();
		this.guard.addListener((change) -> {
			calls.incrementAndGet();
			throw new OutOfMemoryError("thrown by a listener");
		});
		List<MemoryPressure> seen = new CopyOnWriteArrayList<>();
		this.guard.addListener((change) -> seen.add(change.current()));
		for (MemoryPressure level : List.of(MemoryPressure.WARNING, MemoryPressure.CRITICAL, MemoryPressure.NORMAL)) {
			this.probe.setPressure(level);
			this.guard.refresh();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3 && calls.get() == 3);
		assertThat(seen).containsExactly(MemoryPressure.WARNING, MemoryPressure.CRITICAL, MemoryPressure.NORMAL);
		assertThat(output).containsOnlyOnce("failed on NORMAL -> WARNING").contains("failed again on");
	}

	@Test
	void readingsGoOnAfterTheProbeThrowsAnError() {
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofMillis(10));
		this.probe.failNextReads(3);
		this.guard.start();
		Instant first = this.guard.snapshot().timestamp();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.failures.get() == 0
				&& this.guard.snapshot().timestamp().isAfter(first));
		this.probe.setPressure(MemoryPressure.WARNING);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.guard.pressure() == MemoryPressure.WARNING);
		assertThat(this.guard.isRunning()).isTrue();
		assertThat(this.guard.isStalled()).isFalse();
	}

	@Test
	void aGuardWhoseReadingsStopIsReportedStalledAndItsHealthDown() throws Exception {
		MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofMillis(10),
				new dev.memoryguard.job.JobAccounting(), clock);
		this.guard.start();
		CountDownLatch stuck = this.probe.blockNextRead();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.probe.blocked);
		clock.advance(Duration.ofSeconds(59));
		assertThat(this.guard.isStalled()).isFalse();
		clock.advance(Duration.ofSeconds(2));
		assertThat(this.guard.isStalled()).isTrue();
		assertThat(new MemoryHealthIndicator(this.guard).health(true).getStatus().getCode()).isEqualTo("DOWN");
		stuck.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.guard.isStalled());
	}

	@Test
	void refusalsCarryNoStackTraceAndAreLoggedOncePerLevel(CapturedOutput output) {
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofHours(1));
		this.probe.setPressure(MemoryPressure.CRITICAL);
		this.guard.refresh();
		for (int i = 0; i < 100; i++) {
			assertThatExceptionOfType(MemoryPressureException.class).isThrownBy(() -> this.guard.check())
				.satisfies((ex) -> assertThat(ex.getStackTrace()).isEmpty());
		}
		assertThat(output).containsOnlyOnce("further refusals are counted until the level changes");
		this.probe.setPressure(MemoryPressure.NORMAL);
		this.guard.refresh();
		assertThat(output).contains("100 calls refused at CRITICAL");
		this.probe.setPressure(MemoryPressure.CRITICAL);
		this.guard.refresh();
		assertThatExceptionOfType(MemoryPressureException.class)
			.isThrownBy(() -> this.guard.check(DataSize.ofMegabytes(1)));
		assertThat(output.toString().split("further refusals are counted", -1)).hasSize(3);
	}

	private static void awaitAtMost30s(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A probe whose readings are set by hand but applied only when the guard reads, as
	 * with the JVM's probe; it can fail or block on a read.
	 */
	static class HandDrivenProbe extends ManualMemoryProbe {

		final AtomicInteger failures = new AtomicInteger();

		volatile CountDownLatch block;

		volatile boolean blocked;

		@Override
		public MemoryReading read() {
			if (this.failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				throw new OutOfMemoryError("thrown while reading");
			}
			CountDownLatch latch = this.block;
			if (latch != null) {
				this.block = null;
				this.blocked = true;
				awaitAtMost30s(latch);
				this.blocked = false;
			}
			return super.read();
		}

		void failNextReads(int count) {
			this.failures.set(count);
		}

		CountDownLatch blockNextRead() {
			CountDownLatch latch = new CountDownLatch(1);
			this.block = latch;
			return latch;
		}

		@Override
		public boolean isSynchronous() {
			return false;
		}

	}

}
