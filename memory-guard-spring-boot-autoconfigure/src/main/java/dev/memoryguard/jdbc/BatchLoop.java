package dev.memoryguard.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryReading;

/**
 * One memory-aware run: takes batches from a {@link BatchSource} and hands them to the
 * handler, consulting {@link MemoryGuard#pressure()} before each batch. At WARNING the
 * batch size halves down to the minimum, at NORMAL it doubles back up to the configured
 * size, at CRITICAL the run stops (or waits for recovery, when asked) with a partial
 * result. An interrupted thread stops the run between batches too (the interrupt stays
 * set).
 *
 * @param <T> the item type
 */
final class BatchLoop<T> {

	private static final Logger logger = LoggerFactory.getLogger(BatchLoop.class);

	private static final long WAIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private final MemoryGuard guard;

	private final BatchOptions options;

	private final int maxSize;

	private final int minSize;

	private final String operation;

	private int size;

	private int smallest;

	private long rows;

	private long batches;

	BatchLoop(MemoryGuard guard, BatchOptions options, int batchSize, int minBatchSize, String operation) {
		this.guard = guard;
		this.options = options;
		Integer override = options.batchSize();
		this.maxSize = (override != null) ? override : batchSize;
		this.minSize = Math.max(1, Math.min(minBatchSize, this.maxSize));
		this.operation = operation;
		this.size = this.maxSize;
		this.smallest = this.maxSize;
	}

	/**
	 * Runs until the source is exhausted, a limit is reached or memory is exhausted.
	 * Exceptions of the source and the handler propagate as they are.
	 * @param source the batches
	 * @param handler the handler
	 * @return the result
	 * @throws SQLException when the source fails
	 */
	BatchResult run(BatchSource<T> source, Consumer<List<T>> handler) throws SQLException {
		while (true) {
			String stop = limitReached();
			if (stop == null) {
				stop = adaptToPressure();
			}
			if (stop != null) {
				return source.hasMore() ? stopped(stop) : complete();
			}
			int wanted = (int) Math.min(this.size, this.options.maxRows() - this.rows);
			List<T> batch = source.next(wanted);
			if (batch.isEmpty()) {
				return complete();
			}
			this.rows += batch.size();
			this.batches++;
			handler.accept(batch);
			if (batch.size() < wanted) {
				return complete();
			}
		}
	}

	/**
	 * Returns the rows handed over so far.
	 * @return the row count
	 */
	long rows() {
		return this.rows;
	}

	private @Nullable String limitReached() {
		if (Thread.currentThread().isInterrupted()) {
			// a cancelled job (Future.cancel(true), executor shutdownNow) stops between batches
			return "interrupted after " + this.rows + " rows";
		}
		if (this.rows >= this.options.maxRows()) {
			return "row limit of " + this.options.maxRows() + " reached";
		}
		if (this.batches >= this.options.maxBatches()) {
			return "batch limit of " + this.options.maxBatches() + " reached";
		}
		return null;
	}

	private @Nullable String adaptToPressure() {
		MemoryPressure pressure = this.guard.pressure();
		if (pressure == MemoryPressure.CRITICAL) {
			Duration timeout = this.options.waitOnCritical();
			pressure = awaitBelowCritical(timeout);
			if (pressure == MemoryPressure.CRITICAL) {
				return "memory pressure CRITICAL after " + this.rows + " rows in " + this.batches + " batches"
						+ (timeout.isZero() ? "" : " (still CRITICAL after waiting " + timeout + ")") + ": "
						+ describeHeap();
			}
			if (pressure == null) {
				return "interrupted while waiting for memory pressure to leave CRITICAL after " + this.rows + " rows";
			}
		}
		int previous = this.size;
		if (pressure == MemoryPressure.WARNING) {
			this.size = Math.max(this.minSize, this.size / 2);
			this.smallest = Math.min(this.smallest, this.size);
		}
		else {
			this.size = (int) Math.min(this.maxSize, this.size * 2L);
		}
		if (this.size != previous && logger.isDebugEnabled()) {
			logger.debug("{}: memory pressure {}, batch size {} -> {} after {} rows", this.operation, pressure,
					previous, this.size, this.rows);
		}
		return null;
	}

	private @Nullable MemoryPressure awaitBelowCritical(Duration timeout) {
		MemoryPressure pressure = this.guard.pressure();
		if (timeout.isZero() || pressure != MemoryPressure.CRITICAL) {
			return pressure;
		}
		logger.info("{}: memory pressure CRITICAL after {} rows, waiting up to {} for it to recover", this.operation,
				this.rows, timeout);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (pressure == MemoryPressure.CRITICAL) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return pressure;
			}
			try {
				TimeUnit.NANOSECONDS.sleep(Math.min(left, WAIT_POLL_NANOS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			pressure = this.guard.pressure();
		}
		return pressure;
	}

	private String describeHeap() {
		MemoryReading reading = this.guard.snapshot().reading();
		return String.format("live heap %.0f%% of max, critical at %.0f%%", reading.liveRatio() * 100,
				this.guard.thresholds().critical() * 100);
	}

	private BatchResult complete() {
		return new BatchResult(this.rows, this.batches, false, null, this.smallest);
	}

	private BatchResult stopped(String reason) {
		if (reason.startsWith("memory") || reason.startsWith("interrupted")) {
			logger.warn("{} stopped early: {}", this.operation, reason);
		}
		else {
			logger.debug("{} stopped early: {}", this.operation, reason);
		}
		return new BatchResult(this.rows, this.batches, true, reason, this.smallest);
	}

}
