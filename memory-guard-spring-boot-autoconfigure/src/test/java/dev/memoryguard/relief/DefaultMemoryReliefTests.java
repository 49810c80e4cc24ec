package dev.memoryguard.relief;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DefaultMemoryRelief}.
 */
class DefaultMemoryReliefTests {

	private static final long MB = 1024 * 1024;

	private final ManualMemoryProbe probe = new ManualMemoryProbe().setLiveRatio(0.6);

	private final MemoryGuard guard = new MemoryGuard(this.probe,
			MemoryThresholds.DEFAULTS, Duration.ofSeconds(1));

	private final MutableClock clock = new MutableClock();

	private final List<Object> published = new CopyOnWriteArrayList<>();

	private final Queue<String> ranOn = new ConcurrentLinkedQueue<>();

	private DefaultMemoryRelief relief;

	@AfterEach
	void destroy() {
		if (this.relief != null) {
			this.relief.destroy();
		}
	}

	@Test
	void everyActionRunsAndIsReportedEvenWhenOthersFailOrHang() {
		MemoryReliefAction freeing = named("freeing", (pressure) -> {
			this.probe.setLiveRatio(0.3);
			this.guard.refresh();
			return 10 * MB;
		});
		MemoryReliefAction failing = named("failing", (pressure) -> {
			throw new IllegalStateException("pool closed");
		});
		MemoryReliefAction hanging = named("hanging", (pressure) -> {
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return 99 * MB;
		});
		MemoryReliefAction last = named("last", (pressure) -> 5 * MB);
		this.relief = relief(List.of(freeing, failing, hanging, last), false);
		this.relief.setActionTimeout(Duration.ofMillis(300));
		this.guard.refresh();
		long liveBefore = this.guard.snapshot().reading().liveHeap();
		ReliefReport report = this.relief.relieve("endpoint");
		assertThat(report.trigger()).isEqualTo("endpoint");
		assertThat(report.timestamp()).isEqualTo(this.clock.instant());
		assertThat(report.liveBefore()).isEqualTo(liveBefore);
		assertThat(report.liveAfter()).isEqualTo((long) (ManualMemoryProbe.DEFAULT_HEAP_MAX * 0.3));
		assertThat(report.freed()).isEqualTo(15 * MB);
		assertThat(report.actions()).extracting(ActionReport::name)
			.containsExactly("freeing", "failing", "hanging", "last");
		assertThat(report.actions()).extracting(ActionReport::succeeded).containsExactly(true, false, false, true);
		assertThat(report.actions().get(0).freed()).isEqualTo(10 * MB);
		assertThat(report.actions().get(1).error()).contains("IllegalStateException").contains("pool closed");
		assertThat(report.actions().get(2).error()).startsWith("timed out");
		assertThat(report.actions().get(2).freed()).isZero();
		assertThat(report.actions().get(3).error()).isNull();
		assertThat(this.published).containsExactly(report);
	}

	@Test
	void gcIsRequestedOnlyWhenAllowed() {
		this.relief = relief(List.of(), false);
		assertThat(this.relief.relieve("endpoint").actions()).isEmpty();
		this.relief.destroy();
		this.relief = relief(List.of(), true);
		assertThat(this.relief.relieve("endpoint").actions()).singleElement()
			.satisfies((action) -> assertThat(action.name()).isEqualTo("gc"))
			.satisfies((action) -> assertThat(action.succeeded()).isTrue());
	}

	@Test
	void enteringCriticalRunsReliefOncePerEpisodeOffTheNotifyingThread() {
		this.relief = relief(List.of(recording()), false);
		this.probe.setPressure(MemoryPressure.CRITICAL);
		this.guard.refresh();
		this.relief.onPressureChanged(change(MemoryPressure.WARNING, MemoryPressure.CRITICAL));
		this.relief.onPressureChanged(change(MemoryPressure.WARNING, MemoryPressure.CRITICAL));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.published.size() == 1);
		assertThat(this.ranOn).singleElement().isEqualTo("memory-guard-relief-action-1 at CRITICAL");
		assertThat(this.published).singleElement()
			.satisfies((report) -> assertThat(((ReliefReport) report).trigger()).isEqualTo("critical"));
		// a new episode within the minimum interval is rate-limited
		this.relief.onPressureChanged(change(MemoryPressure.CRITICAL, MemoryPressure.WARNING));
		this.relief.onPressureChanged(change(MemoryPressure.WARNING, MemoryPressure.CRITICAL));
		this.clock.advance(DefaultMemoryRelief.DEFAULT_MIN_INTERVAL);
		this.relief.onPressureChanged(change(MemoryPressure.CRITICAL, MemoryPressure.NORMAL));
		this.relief.onPressureChanged(change(MemoryPressure.NORMAL, MemoryPressure.CRITICAL));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.published.size() >= 2);
		assertThat(this.published).hasSize(2);
		assertThat(this.ranOn).hasSize(2);
	}

	@Test
	void whileCriticalLastsReliefRunsAgainOnceTheMinimumIntervalHasPassed() {
		this.relief = relief(List.of(recording()), false);
		this.probe.setPressure(MemoryPressure.CRITICAL);
		this.guard.refresh();
		this.relief.onPressureChanged(change(MemoryPressure.NORMAL, MemoryPressure.CRITICAL));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.published.size() == 1);
		// samples while CRITICAL lasts: nothing more until the interval has passed
		this.relief.onSample(this.guard.snapshot());
		this.clock.advance(DefaultMemoryRelief.DEFAULT_MIN_INTERVAL.minusSeconds(1));
		this.relief.onSample(this.guard.snapshot());
		this.clock.advance(Duration.ofSeconds(1));
		this.relief.onSample(this.guard.snapshot());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.published.size() == 2);
		// relief that freed nothing is not repeated faster than the interval
		this.relief.onSample(this.guard.snapshot());
		this.relief.onPressureChanged(change(MemoryPressure.WARNING, MemoryPressure.CRITICAL));
		this.probe.setPressure(MemoryPressure.NORMAL);
		this.guard.refresh();
		this.clock.advance(DefaultMemoryRelief.DEFAULT_MIN_INTERVAL);
		this.relief.onSample(this.guard.snapshot());
		assertThat(this.published).hasSize(2);
		assertThat(this.ranOn).hasSize(2);
	}

	private MemoryReliefAction recording() {
		return named("recording", (pressure) -> {
			this.ranOn.add(Thread.currentThread().getName() + " at " + pressure);
			return 0;
		});
	}

	private DefaultMemoryRelief relief(List<MemoryReliefAction> actions, boolean gc) {
		return new DefaultMemoryRelief(this.guard, () -> actions, gc, this.published::add, this.clock);
	}

	private MemoryPressureChangedEvent change(MemoryPressure from, MemoryPressure to) {
		return new MemoryPressureChangedEvent(this.guard, from, to, this.guard.snapshot());
	}

	private static MemoryReliefAction named(String name, MemoryReliefAction action) {
		return new MemoryReliefAction() {

			@Override
			public long relieve(MemoryPressure pressure) {
				return action.relieve(pressure);
			}

			@Override
			public String name() {
				return name;
			}

		};
	}

}
