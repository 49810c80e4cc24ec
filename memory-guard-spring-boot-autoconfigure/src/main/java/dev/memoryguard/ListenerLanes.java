package dev.memoryguard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands level changes to the {@link MemoryPressureListener listeners}, each on a lane of
 * its own: one daemon thread per listener (started when there is work, gone after a
 * minute idle) that delivers the changes in the order they happened. A listener that
 * throws, even an {@link Error}, is logged and keeps its lane; a listener that blocks
 * holds up only its own later changes, and is logged once when it has run past the
 * timeout. The thread that saw the change, the guard's evaluator, only queues it.
 */
final class ListenerLanes {

	/**
	 * Time a listener may take with one change before it is reported as blocked.
	 */
	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Changes a lane holds for a listener that has fallen behind; the oldest are dropped
	 * beyond it, so that a listener blocked for good cannot make the guard run out of
	 * memory.
	 */
	static final int BACKLOG = 64;

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuard.class);

	private static final ThreadFactory threads = GuardThread.factory("memory-guard-listener-");

	private final List<Lane> lanes = new CopyOnWriteArrayList<>();

	private final Duration timeout;

	ListenerLanes(Duration timeout) {
		this.timeout = timeout;
	}

	Duration timeout() {
		return this.timeout;
	}

	void add(MemoryPressureListener listener) {
		this.lanes.add(new Lane(listener));
	}

	void remove(MemoryPressureListener listener) {
		for (Lane lane : this.lanes) {
			if (lane.listener == listener) {
				this.lanes.remove(lane);
				lane.executor.shutdown();
				return;
			}
		}
	}

	/**
	 * Queues a change on every lane.
	 * @return a latch that reaches zero once every listener has had the change
	 */
	CountDownLatch deliver(MemoryPressureChangedEvent change) {
		List<Lane> current = List.copyOf(this.lanes);
		CountDownLatch delivered = new CountDownLatch(current.size());
		for (Lane lane : current) {
			lane.submit(new Delivery(lane, change, delivered));
		}
		return delivered;
	}

	/**
	 * Logs, once per change, each listener that has been running longer than the timeout.
	 */
	void reportBlocked() {
		long now = System.nanoTime();
		for (Lane lane : this.lanes) {
			lane.reportIfBlocked(now, this.timeout);
		}
	}

	void shutdown() {
		for (Lane lane : this.lanes) {
			lane.executor.shutdownNow();
		}
	}

	private static final class Lane {

		final MemoryPressureListener listener;

		final ThreadPoolExecutor executor;

		volatile @Nullable Delivery running;

		volatile long runningSince;

		private @Nullable Delivery reported;

		private boolean failedBefore;

		private boolean droppedBefore;

		Lane(MemoryPressureListener listener) {
			this.listener = listener;
			this.executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG),
					threads);
			this.executor.allowCoreThreadTimeOut(true);
		}

		void submit(Delivery delivery) {
			while (true) {
				try {
					this.executor.execute(delivery);
					return;
				}
				catch (RejectedExecutionException ex) {
					if (this.executor.isShutdown()) {
						delivery.delivered.countDown();
						return;
					}
					Runnable oldest = this.executor.getQueue().poll();
					if (oldest instanceof Delivery dropped) {
						dropped.delivered.countDown();
						if (!this.droppedBefore) {
							this.droppedBefore = true;
							logger.warn("Memory pressure listener {} is {} changes behind: the oldest are dropped",
									this.listener, BACKLOG);
						}
					}
				}
			}
		}

		void run(Delivery delivery) {
			this.runningSince = System.nanoTime();
			this.running = delivery;
			try {
				this.listener.onPressureChanged(delivery.change);
			}
			catch (Throwable ex) {
				report(delivery, ex);
			}
			finally {
				this.running = null;
				delivery.delivered.countDown();
			}
		}

		private void report(Delivery delivery, Throwable ex) {
			try {
				MemoryPressureChangedEvent change = delivery.change;
				if (!this.failedBefore) {
					this.failedBefore = true;
					logger.error("Memory pressure listener {} failed on {} -> {}", this.listener, change.previous(),
							change.current(), ex);
				}
				else {
					logger.warn("Memory pressure listener {} failed again on {} -> {}: {}", this.listener,
							change.previous(), change.current(), ex.toString());
				}
			}
			catch (Throwable logging) {
				// out of memory, logging may fail too: the lane goes on
			}
		}

		synchronized void reportIfBlocked(long now, Duration timeout) {
			Delivery current = this.running;
			if (current == null || current == this.reported || now - this.runningSince < timeout.toNanos()) {
				return;
			}
			this.reported = current;
			logger.warn("Memory pressure listener {} has been handling {} -> {} for more than {}: its later changes "
					+ "wait for it; the guard's readings and other listeners go on", this.listener,
					current.change.previous(), current.change.current(), timeout);
		}

	}

	private record Delivery(Lane lane, MemoryPressureChangedEvent change, CountDownLatch delivered)
			implements Runnable {

		@Override
		public void run() {
			this.lane.run(this);
		}

	}

}
