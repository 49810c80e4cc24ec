package dev.memoryguard.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link MemoryAwareBatches}.
 */
class MemoryAwareBatchesTests {

	private static final List<Integer> ITEMS = IntStream.range(0, 1000).boxed().toList();

	private ManualMemoryProbe probe;

	private MemoryGuard guard;

	private MemoryAwareBatches batches;

	@BeforeEach
	void startGuard() {
		this.probe = new ManualMemoryProbe();
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS,
				Duration.ofMinutes(1));
		this.guard.start();
		this.batches = new MemoryAwareBatches(this.guard, 100, 25);
	}

	@AfterEach
	void stopGuard() {
		this.guard.stop();
	}

	@Test
	void everyItemIsHandedOverOnceInOrder() {
		List<Integer> seen = new ArrayList<>();
		BatchResult result = this.batches.forEachBatch(ITEMS, seen::addAll);
		assertThat(seen).containsExactlyElementsOf(ITEMS);
		assertThat(result).isEqualTo(new BatchResult(1000, 10, false, null, 100));
	}

	@Test
	void batchesAreFreshListsTheHandlerMayKeepAndChange() {
		List<List<Integer>> kept = new ArrayList<>();
		this.batches.forEachBatch(ITEMS, kept::add);
		kept.forEach((batch) -> batch.add(-1));
		assertThat(kept).hasSize(10).allSatisfy((batch) -> assertThat(batch).hasSize(101));
		assertThat(ITEMS).hasSize(1000).doesNotContain(-1);
	}

	@Test
	void emptySourceGivesAnEmptyCompleteResult() {
		AtomicInteger calls = new AtomicInteger();
		BatchResult result = this.batches.forEachBatch(List.of(), (batch) -> calls.incrementAndGet());
		assertThat(calls).hasValue(0);
		assertThat(result).isEqualTo(new BatchResult(0, 0, false, null, 100));
	}

	@Test
	void iteratorIsReadOneBatchAhead() {
		AtomicInteger read = new AtomicInteger();
		Iterator<Integer> counting = ITEMS.stream().peek((item) -> read.incrementAndGet()).iterator();
		List<Integer> readWhenHandled = new ArrayList<>();
		this.batches.forEachBatch(counting, (batch) -> readWhenHandled.add(read.get()));
		assertThat(readWhenHandled).containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);
	}

	@Test
	void batchSizeFollowsPressure() {
		List<Integer> sizes = new ArrayList<>();
		BatchResult result = this.batches.forEachBatch(ITEMS, (batch) -> {
			sizes.add(batch.size());
			if (sizes.size() == 1) {
				this.probe.setPressure(MemoryPressure.WARNING);
			}
			if (sizes.size() == 4) {
				this.probe.setPressure(MemoryPressure.NORMAL);
			}
		});
		assertThat(sizes).startsWith(100, 50, 25, 25, 50, 100);
		assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
		assertThat(result.smallestBatch()).isEqualTo(25);
		assertThat(result.stoppedEarly()).isFalse();
	}

	@Test
	void criticalStopsWithAPartialResultAndLeavesTheRestOfTheIterator() {
		Iterator<Integer> items = ITEMS.iterator();
		BatchResult result = this.batches.forEachBatch(items, (batch) -> {
			if (batch.get(0) == 400) {
				this.probe.setPressure(MemoryPressure.CRITICAL);
			}
		});
		assertThat(result.rows()).isEqualTo(500);
		assertThat(result.stoppedEarly()).isTrue();
		assertThat(result.stopReason()).startsWith("memory pressure CRITICAL after 500 rows in 5 batches");
		assertThat(items.next()).isEqualTo(500);
	}

	@Test
	void criticalAtTheEndOfTheSourceIsNotAnEarlyStop() {
		BatchResult result = this.batches.forEachBatch(ITEMS,
				(batch) -> this.probe.setPressure(MemoryPressure.CRITICAL));
		assertThat(result.rows()).isEqualTo(100);
		assertThat(result.stoppedEarly()).isTrue();
		this.probe.setPressure(MemoryPressure.NORMAL);
		BatchResult exact = this.batches.forEachBatch(ITEMS.subList(0, 100),
				(batch) -> this.probe.setPressure(MemoryPressure.CRITICAL));
		assertThat(exact).isEqualTo(new BatchResult(100, 1, false, null, 100));
	}

	@Test
	void limitsAndBatchSizeFromOptions() {
		List<Integer> sizes = new ArrayList<>();
		BatchResult rows = this.batches.forEachBatch(BatchOptions.defaults().withMaxRows(130).withBatchSize(60), ITEMS,
				(batch) -> sizes.add(batch.size()));
		assertThat(sizes).containsExactly(60, 60, 10);
		assertThat(rows).isEqualTo(new BatchResult(130, 3, true, "row limit of 130 reached", 60));
		BatchResult batchLimit = this.batches.forEachBatch(BatchOptions.defaults().withMaxBatches(2), ITEMS,
				(batch) -> {
				});
		assertThat(batchLimit).isEqualTo(new BatchResult(200, 2, true, "batch limit of 2 reached", 100));
	}

	@Test
	void batchSizeFromOptionsBelowTheMinimumIsAlsoTheFloor() {
		this.probe.setPressure(MemoryPressure.WARNING);
		List<Integer> sizes = new ArrayList<>();
		BatchResult result = this.batches.forEachBatch(BatchOptions.defaults().withBatchSize(10), ITEMS.subList(0, 30),
				(batch) -> sizes.add(batch.size()));
		assertThat(sizes).containsExactly(10, 10, 10);
		assertThat(result.smallestBatch()).isEqualTo(10);
	}

	@Test
	void handlerExceptionStopsTheRunAndReachesTheCaller() {
		AtomicInteger calls = new AtomicInteger();
		assertThatIllegalStateException().isThrownBy(() -> this.batches.forEachBatch(ITEMS, (batch) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("boom");
		})).withMessage("boom");
		assertThat(calls).hasValue(1);
	}

	@Test
	void invalidSizesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryAwareBatches(this.guard, 10, 20));
		assertThatIllegalArgumentException().isThrownBy(() -> BatchOptions.defaults().withMaxRows(0));
		assertThatIllegalArgumentException().isThrownBy(() -> BatchOptions.defaults().withWaitOnCritical(Duration.ofSeconds(-1)));
	}

}
