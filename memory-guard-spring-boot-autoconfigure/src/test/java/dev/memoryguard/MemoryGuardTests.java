package dev.memoryguard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MemoryGuard}, driven through a {@link ManualMemoryProbe}.
 */
class MemoryGuardTests {

	private final ManualMemoryProbe probe = new ManualMemoryProbe();

	private final List<MemoryPressureChangedEvent> events = new ArrayList<>();

	private MemoryGuard guard;

	@BeforeEach
	void startGuard() {
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofHours(1));
		this.guard.addListener(this.events::add);
		this.guard.start();
	}

	@AfterEach
	void stopGuard() {
		this.guard.stop();
	}

	@Test
	void startsAtTheLevelOfTheFirstReading() {
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.NORMAL);
		assertThat(this.guard.snapshot().liveRatio()).isEqualTo(0.10, org.assertj.core.data.Offset.offset(0.001));
	}

	@Test
	void eachTransitionIsPublishedOnceWithPreviousAndNewLevel() {
		this.probe.setLiveRatio(0.75);
		this.probe.setLiveRatio(0.76);
		this.probe.setLiveRatio(0.90);
		this.probe.setLiveRatio(0.91);
		this.probe.setLiveRatio(0.20);
		assertThat(this.events).extracting(MemoryPressureChangedEvent::previous, MemoryPressureChangedEvent::current)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(MemoryPressure.NORMAL, MemoryPressure.WARNING),
					org.assertj.core.groups.Tuple.tuple(MemoryPressure.WARNING, MemoryPressure.CRITICAL),
					org.assertj.core.groups.Tuple.tuple(MemoryPressure.CRITICAL, MemoryPressure.NORMAL));
		assertThat(this.events.get(1).snapshot().pressure()).isEqualTo(MemoryPressure.CRITICAL);
		assertThat(this.events.get(1).snapshot().liveRatio()).isGreaterThanOrEqualTo(0.85);
	}

	@Test
	void aReadingSittingOnTheThresholdDoesNotFlap() {
		for (int i = 0; i < 20; i++) {
			this.probe.setLiveRatio((i % 2 == 0) ? 0.851 : 0.849);
		}
		assertThat(this.events).hasSize(1);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.CRITICAL);
	}

	@Test
	void containerPressureRaisesTheLevelWhileTheHeapIsFine() {
		this.probe.setRss(970, 1000);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.CRITICAL);
		this.probe.setRss(100, 1000);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void aThrowingListenerDoesNotStopTheOthers() {
		List<MemoryPressure> seenAfterFailure = new ArrayList<>();
		this.guard.addListener((event) -> {
			throw new IllegalStateException("listener failure");
		});
		this.guard.addListener((event) -> seenAfterFailure.add(event.current()));
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertThat(seenAfterFailure).containsExactly(MemoryPressure.CRITICAL);
		assertThat(this.events).hasSize(1);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.CRITICAL);
	}

	@Test
	void isSafeForComparesHeadroomUnderTheCriticalThreshold() {
		this.probe.setHeapMax(1000L * 1024 * 1024).setLiveRatio(0.60);
		// headroom = 0.85 * 1000MB - 600MB = 250MB
		assertThat(this.guard.isSafeFor(DataSize.ofMegabytes(200))).isTrue();
		assertThat(this.guard.isSafeFor(DataSize.ofMegabytes(300))).isFalse();
		this.probe.setLiveRatio(0.90);
		assertThat(this.guard.isSafeFor(DataSize.ofBytes(0))).isFalse();
	}

	@Test
	void checkThrowsWithTheSnapshotWhenCritical() {
		this.guard.check();
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertThatExceptionOfType(MemoryPressureException.class).isThrownBy(this.guard::check)
			.satisfies((ex) -> assertThat(ex.getSnapshot().pressure()).isEqualTo(MemoryPressure.CRITICAL))
			.withMessageContaining("CRITICAL");
	}

	@Test
	void checkWithRequiredHeadroomThrowsAtWarningWhenHeadroomIsShort() {
		this.probe.setHeapMax(1000L * 1024 * 1024).setLiveRatio(0.80);
		assertThatExceptionOfType(MemoryPressureException.class)
			.isThrownBy(() -> this.guard.check(DataSize.ofMegabytes(100)));
	}

	@Test
	void executeRunsTheWorkAndAccountsWhatItAllocated() {
		byte[][] kept = new byte[1][];
		int result = this.guard.execute("report", () -> {
			kept[0] = new byte[4 * 1024 * 1024];
			return 42;
		});
		assertThat(result).isEqualTo(42);
		assertThat(this.guard.jobs().stats("report").runs()).isEqualTo(1);
		assertThat(this.guard.jobs().stats("report").lastAllocated()).isGreaterThanOrEqualTo(4L * 1024 * 1024);
		assertThat(kept[0]).hasSize(4 * 1024 * 1024);
	}

	@Test
	void executeRefusesWhenCriticalAndCountsItFailed() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		boolean[] ran = { false };
		assertThatExceptionOfType(MemoryPressureException.class)
			.isThrownBy(() -> this.guard.execute("report", () -> ran[0] = true))
			.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo("report"));
		assertThat(ran[0]).isFalse();
		assertThat(this.guard.jobs().stats("report").failed()).isEqualTo(1);
		assertThat(this.guard.jobs().stats("report").runs()).isZero();
	}

	@Test
	void stopReleasesTheSamplerAndTheProbe() {
		assertThat(this.guard.isRunning()).isTrue();
		long running = samplerThreads();
		this.guard.stop();
		assertThat(this.guard.isRunning()).isFalse();
		assertThat(samplerThreads()).isEqualTo(running - 1);
		// a stopped probe no longer drives the guard
		this.probe.setPressure(MemoryPressure.CRITICAL);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.NORMAL);
	}

	@Test
	void samplerRefreshesInTheBackground() {
		MemoryGuard fast = new MemoryGuard(new ManualMemoryProbe() {
			@Override
			public void start(Runnable readingAvailable) {
				// never calls back: only the sampler can see changes
			}
		}.setLiveRatio(0.10), MemoryThresholds.DEFAULTS, Duration.ofMillis(10));
		fast.start();
		try {
			java.time.Instant started = fast.snapshot().timestamp();
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> fast.snapshot().timestamp().isAfter(started.plusMillis(50)));
		}
		finally {
			fast.stop();
		}
	}

	@Test
	void sampleListenersGetEveryPeriodicReadingAndAFailingOneDoesNotStopTheOthers() {
		MemoryGuard fast = new MemoryGuard(new ManualMemoryProbe(), MemoryThresholds.DEFAULTS, Duration.ofMillis(10));
		List<MemorySnapshot> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
		fast.addSampleListener((snapshot) -> {
			throw new IllegalStateException("sample listener failure");
		});
		fast.addSampleListener(samples::add);
		fast.start();
		try {
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> samples.size() >= 5);
		}
		finally {
			fast.stop();
		}
		assertThat(samples).extracting(MemorySnapshot::timestamp).isSorted();
	}

	private static long samplerThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("memory-guard") && thread.isAlive())
			.count();
	}

}
