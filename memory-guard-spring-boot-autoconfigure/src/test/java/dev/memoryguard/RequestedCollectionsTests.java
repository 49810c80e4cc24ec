package dev.memoryguard;

import java.lang.management.GarbageCollectorMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestedCollections}, on collector beans and a clock driven by hand.
 */
class RequestedCollectionsTests {

	private long now = TimeUnit.HOURS.toNanos(1);

	private final FakeCollector young = new FakeCollector("G1 Young Generation");

	private final FakeCollector old = new FakeCollector("G1 Old Generation");

	@Test
	void theFirstCollectionIsAllowedAndTheNextWaitsItsPauseOverTheBudget() {
		RequestedCollections collections = collections(0.01, false, () -> this.old.collect(2000));
		assertThat(collections.isAllowed()).isTrue();
		assertThat(collections.collect("test")).isTrue();
		// a 2 s pause at a 1% budget: 200 s before the next
		this.now += TimeUnit.SECONDS.toNanos(199);
		assertThat(collections.isAllowed()).isFalse();
		this.now += TimeUnit.SECONDS.toNanos(1);
		assertThat(collections.isAllowed()).isTrue();
		assertThat(collections.count()).isEqualTo(1);
		assertThat(collections.pauseTotal()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void shortPausesStillWaitTheMinimumInterval() {
		RequestedCollections collections = collections(0.01, false, () -> this.old.collect(5));
		collections.collect("test");
		this.now += TimeUnit.SECONDS.toNanos(RequestedCollections.MIN_INTERVAL_SECONDS - 1);
		assertThat(collections.isAllowed()).isFalse();
		this.now += TimeUnit.SECONDS.toNanos(1);
		assertThat(collections.isAllowed()).isTrue();
	}

	@Test
	void collectionsThatSettleNothingBackOffUpToTheCapUntilOneSettlesSomething() {
		RequestedCollections collections = collections(0.01, false, () -> this.old.collect(5));
		long interval = TimeUnit.SECONDS.toNanos(RequestedCollections.MIN_INTERVAL_SECONDS);
		for (int backOff = 2; backOff <= RequestedCollections.MAX_BACK_OFF * 2; backOff *= 2) {
			collections.collect("test");
			collections.backOff();
			int expected = Math.min(backOff, RequestedCollections.MAX_BACK_OFF);
			assertThat(collections.nanosUntilAllowed()).isEqualTo(interval * expected);
			this.now += interval * expected;
		}
		collections.resetBackOff();
		collections.collect("test");
		assertThat(collections.nanosUntilAllowed()).isEqualTo(interval);
	}

	@Test
	void noneIsEverAllowedWhenTheJvmIgnoresExplicitCollections() {
		RequestedCollections collections = collections(0.01, true, () -> this.old.collect(5));
		assertThat(collections.isAllowed()).isFalse();
		assertThat(collections.nanosUntilAllowed()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void aRequestThatRanNoCollectionIsNotBelieved() {
		RequestedCollections collections = collections(0.01, false, () -> {
		});
		assertThat(collections.collect("test")).isFalse();
		assertThat(collections.count()).isEqualTo(1);
		assertThat(collections.pauseTotal()).isZero();
	}

	@Test
	void pausesAreTakenFromThePauseBeansWhereCyclesAreReportedApart() {
		FakeCollector cycles = new FakeCollector("ZGC Cycles");
		FakeCollector pauses = new FakeCollector("ZGC Pauses");
		RequestedCollections collections = new RequestedCollections(0.01, false, List.of(cycles, pauses),
				() -> this.now, () -> {
					cycles.collect(800);
					pauses.collect(3);
				});
		collections.collect("test");
		assertThat(collections.pauseTotal()).isEqualTo(Duration.ofMillis(3));
	}

	private RequestedCollections collections(double budget, boolean disabled, Runnable collect) {
		return new RequestedCollections(budget, disabled, List.of(this.young, this.old), () -> this.now, collect);
	}

	static final class FakeCollector implements GarbageCollectorMXBean {

		private final String name;

		private long count;

		private long millis;

		FakeCollector(String name) {
			this.name = name;
		}

		void collect(long pauseMillis) {
			this.count++;
			this.millis += pauseMillis;
		}

		@Override
		public long getCollectionCount() {
			return this.count;
		}

		@Override
		public long getCollectionTime() {
			return this.millis;
		}

		@Override
		public String getName() {
			return this.name;
		}

		@Override
		public boolean isValid() {
			return true;
		}

		@Override
		public String[] getMemoryPoolNames() {
			return new String[0];
		}

		@Override
		public ObjectName getObjectName() {
			return null;
		}

	}

}
