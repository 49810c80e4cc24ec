package dev.memoryguard.jdbc;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Optional settings of one memory-aware batch run: limits, a batch size other than the
 * configured one, and whether to wait for memory to recover at CRITICAL instead of
 * stopping. Immutable; every {@code with...} method returns a copy.
 * <pre class="code">
 * BatchOptions options = BatchOptions.defaults()
 *     .withMaxRows(10_000)
 *     .withWaitOnCritical(Duration.ofSeconds(30));
 * </pre>
 */
public final class BatchOptions {

	private static final BatchOptions DEFAULTS = new BatchOptions(Long.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO, null);

	private final long maxRows;

	private final long maxBatches;

	private final Duration waitOnCritical;

	private final @Nullable Integer batchSize;

	private BatchOptions(long maxRows, long maxBatches, Duration waitOnCritical, @Nullable Integer batchSize) {
		this.maxRows = maxRows;
		this.maxBatches = maxBatches;
		this.waitOnCritical = waitOnCritical;
		this.batchSize = batchSize;
	}

	/**
	 * Returns the options of the plain calls: no limits, the configured batch size, stop
	 * at CRITICAL.
	 * @return the default options
	 */
	public static BatchOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns a copy that hands at most {@code maxRows} rows to the handler.
	 * @param maxRows the row limit, at least 1
	 * @return the new options
	 */
	public BatchOptions withMaxRows(long maxRows) {
		Assert.isTrue(maxRows > 0, "maxRows must be positive");
		return new BatchOptions(maxRows, this.maxBatches, this.waitOnCritical, this.batchSize);
	}

	/**
	 * Returns a copy that calls the handler at most {@code maxBatches} times.
	 * @param maxBatches the batch limit, at least 1
	 * @return the new options
	 */
	public BatchOptions withMaxBatches(long maxBatches) {
		Assert.isTrue(maxBatches > 0, "maxBatches must be positive");
		return new BatchOptions(this.maxRows, maxBatches, this.waitOnCritical, this.batchSize);
	}

	/**
	 * Returns a copy that, at CRITICAL, waits up to {@code timeout} for memory to leave
	 * CRITICAL before giving up with a partial result. A JDBC cursor stays open (and its
	 * transaction with it) while the run waits.
	 * @param timeout how long to wait at most; zero stops at once
	 * @return the new options
	 */
	public BatchOptions withWaitOnCritical(Duration timeout) {
		Assert.isTrue(!timeout.isNegative(), "timeout must not be negative");
		return new BatchOptions(this.maxRows, this.maxBatches, timeout, this.batchSize);
	}

	/**
	 * Returns a copy whose batches hold up to {@code batchSize} rows while memory is
	 * NORMAL, instead of {@code memory-guard.jdbc.batch-size}.
	 * @param batchSize the batch size, at least 1
	 * @return the new options
	 */
	public BatchOptions withBatchSize(int batchSize) {
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		return new BatchOptions(this.maxRows, this.maxBatches, this.waitOnCritical, batchSize);
	}

	/**
	 * Returns the row limit, {@link Long#MAX_VALUE} for none.
	 * @return the row limit
	 */
	public long maxRows() {
		return this.maxRows;
	}

	/**
	 * Returns the batch limit, {@link Long#MAX_VALUE} for none.
	 * @return the batch limit
	 */
	public long maxBatches() {
		return this.maxBatches;
	}

	/**
	 * Returns how long a run waits at CRITICAL before it stops; zero for not at all.
	 * @return the wait timeout
	 */
	public Duration waitOnCritical() {
		return this.waitOnCritical;
	}

	/**
	 * Returns the batch size that overrides the configured one, if any.
	 * @return the batch size or {@code null}
	 */
	public @Nullable Integer batchSize() {
		return this.batchSize;
	}

	@Override
	public String toString() {
		return "BatchOptions[maxRows=" + this.maxRows + ", maxBatches=" + this.maxBatches + ", waitOnCritical="
				+ this.waitOnCritical + ", batchSize=" + this.batchSize + "]";
	}

}
