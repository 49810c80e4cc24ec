package dev.memoryguard.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.util.Assert;

import dev.memoryguard.MemoryGuard;

/**
 * Hands the items of an in-memory list or iterator to a handler in batches whose size
 * follows memory pressure, the way {@link MemoryAwareJdbc} does for query results.
 * <p>
 * Before each batch the {@link MemoryGuard#pressure() pressure} is consulted: at WARNING
 * the batch size halves, down to the minimum; at NORMAL it doubles back up to the
 * configured size; at CRITICAL the run stops with a partial {@link BatchResult} (or waits
 * for recovery, see {@link BatchOptions#withWaitOnCritical}). The handler gets a fresh
 * list per batch and may keep it. An exception thrown by the handler stops the run and
 * reaches the caller as it was thrown.
 * <pre class="code">
 * BatchResult result = batches.forEachBatch(customerIds, (ids) -&gt; mailer.sendReminders(ids));
 * </pre>
 */
public class MemoryAwareBatches {

	private final MemoryGuard guard;

	private final int batchSize;

	private final int minBatchSize;

	/**
	 * Creates batches of 100 items at most, 25 at least.
	 * @param guard the memory guard to consult between batches
	 */
	public MemoryAwareBatches(MemoryGuard guard) {
		this(guard, 100, 25);
	}

	/**
	 * Creates batches of {@code batchSize} items while memory is NORMAL, shrinking to
	 * {@code minBatchSize} under pressure.
	 * @param guard the memory guard to consult between batches
	 * @param batchSize the items per batch while memory is NORMAL
	 * @param minBatchSize the smallest batch under pressure
	 */
	public MemoryAwareBatches(MemoryGuard guard, int batchSize, int minBatchSize) {
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.isTrue(minBatchSize > 0 && minBatchSize <= batchSize, "minBatchSize must be between 1 and batchSize");
		this.guard = guard;
		this.batchSize = batchSize;
		this.minBatchSize = minBatchSize;
	}

	/**
	 * Hands the items to {@code handler} in memory-aware batches.
	 * @param <T> the item type
	 * @param items the items
	 * @param handler called once per batch with a fresh list
	 * @return what the run did
	 */
	public <T> BatchResult forEachBatch(Iterable<? extends T> items, Consumer<List<T>> handler) {
		return forEachBatch(BatchOptions.defaults(), items.iterator(), handler);
	}

	/**
	 * Hands the remaining items of an iterator to {@code handler} in memory-aware
	 * batches. The iterator is read lazily, one batch at a time.
	 * @param <T> the item type
	 * @param items the items
	 * @param handler called once per batch with a fresh list
	 * @return what the run did
	 */
	public <T> BatchResult forEachBatch(Iterator<? extends T> items, Consumer<List<T>> handler) {
		return forEachBatch(BatchOptions.defaults(), items, handler);
	}

	/**
	 * Hands the items to {@code handler} in memory-aware batches, with limits or waiting.
	 * @param <T> the item type
	 * @param options limits, batch size and waiting at CRITICAL
	 * @param items the items
	 * @param handler called once per batch with a fresh list
	 * @return what the run did
	 */
	public <T> BatchResult forEachBatch(BatchOptions options, Iterable<? extends T> items,
			Consumer<List<T>> handler) {
		return forEachBatch(options, items.iterator(), handler);
	}

	/**
	 * Hands the remaining items of an iterator to {@code handler} in memory-aware
	 * batches, with limits or waiting.
	 * @param <T> the item type
	 * @param options limits, batch size and waiting at CRITICAL
	 * @param items the items
	 * @param handler called once per batch with a fresh list
	 * @return what the run did
	 */
	public <T> BatchResult forEachBatch(BatchOptions options, Iterator<? extends T> items,
			Consumer<List<T>> handler) {
		BatchLoop<T> loop = new BatchLoop<>(this.guard, options, this.batchSize, this.minBatchSize,
				"MemoryAwareBatches.forEachBatch");
		try {
			return loop.run(new IteratorSource<>(items), handler);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("An in-memory source cannot fail with an SQLException", ex);
		}
	}

	private static final class IteratorSource<T> implements BatchSource<T> {

		private final Iterator<? extends T> items;

		IteratorSource(Iterator<? extends T> items) {
			this.items = items;
		}

		@Override
		public List<T> next(int max) {
			List<T> batch = new ArrayList<>(max);
			while (batch.size() < max && this.items.hasNext()) {
				batch.add(this.items.next());
			}
			return batch;
		}

		@Override
		public boolean hasMore() {
			return this.items.hasNext();
		}

	}

}
