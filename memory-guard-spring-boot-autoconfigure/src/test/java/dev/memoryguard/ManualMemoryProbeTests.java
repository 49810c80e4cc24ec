package dev.memoryguard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ManualMemoryProbe}.
 */
class ManualMemoryProbeTests {

	private final ManualMemoryProbe probe = new ManualMemoryProbe();

	private final List<MemoryPressure> heard = new CopyOnWriteArrayList<>();

	private MemoryGuard guard;

	@BeforeEach
	void startGuard() {
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS, Duration.ofHours(1));
		this.guard.addListener((event) -> {
			sleep(100);
			this.heard.add(event.current());
		});
		this.guard.start();
	}

	@AfterEach
	void stopGuard() {
		this.guard.stop();
	}

	@Test
	void setterReturnsOnceTheGuardAppliedTheReadingAndASlowListenerRan() {
		this.probe.setLiveRatio(0.90);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.CRITICAL);
		assertThat(this.heard).containsExactly(MemoryPressure.CRITICAL);
	}

	@Test
	void setPressureReachesEachLevel() {
		for (MemoryPressure level : List.of(MemoryPressure.WARNING, MemoryPressure.CRITICAL, MemoryPressure.NORMAL)) {
			this.probe.setPressure(level);
			assertThat(this.guard.pressure()).isEqualTo(level);
		}
		assertThat(this.heard).containsExactly(MemoryPressure.WARNING, MemoryPressure.CRITICAL, MemoryPressure.NORMAL);
	}

	@Test
	void settersShapeTheReading() {
		this.probe.setHeapMax(512L * 1024 * 1024).setUsedRatio(0.5).setLiveRatio(0.25).setRss(300_000_000, 1_000_000_000);
		MemoryReading reading = this.guard.snapshot().reading();
		assertThat(reading.heapCapacity()).isEqualTo(512L * 1024 * 1024);
		assertThat(reading.liveHeap()).isEqualTo(128L * 1024 * 1024);
		assertThat(reading.usedRatio()).isEqualTo(0.5);
		assertThat(reading.containerLimit()).isEqualTo(1_000_000_000);
		assertThat(this.probe.isSynchronous()).isTrue();
		assertThat(this.probe.describe()).isEqualTo("manual probe");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
