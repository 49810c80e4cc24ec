package dev.memoryguard;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

import dev.memoryguard.job.JobAccounting;
import dev.memoryguard.job.ThreadAllocation;

/**
 * Knows, at every moment and at almost no cost, how close the JVM is to running out of
 * memory.
 * <p>
 * Readings are taken by a {@link MemoryProbe} on a daemon sampler thread at the sampling
 * interval and, with the default probe, right after every garbage collection. The level
 * is derived from the live heap after GC (and the process RSS against the container
 * limit, where one exists) with hysteresis, and each change is logged once and handed to
 * the {@link MemoryPressureListener listeners}. Callers only ever read a volatile field:
 * {@link #pressure()} and {@link #snapshot()} never measure anything themselves.
 */
public class MemoryGuard implements SmartLifecycle {

	/**
	 * Lifecycle phase: the guard starts before and stops after ordinary lifecycle beans
	 * (web servers, schedulers), so it watches over their whole life.
	 */
	public static final int PHASE = Integer.MIN_VALUE + 1000;

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuard.class);

	private final MemoryProbe probe;

	private final MemoryThresholds thresholds;

	private final Duration samplingInterval;

	private final JobAccounting jobs;

	private final Clock clock;

	private final List<MemoryPressureListener> listeners = new CopyOnWriteArrayList<>();

	private final List<MemorySampleListener> sampleListeners = new CopyOnWriteArrayList<>();

	private final Object evaluationLock = new Object();

	private volatile MemoryPressure pressure;

	private volatile MemorySnapshot snapshot;

	private volatile @Nullable Thread sampler;

	/**
	 * Creates a guard with its own job accounting and the system clock.
	 * @param probe the source of readings
	 * @param thresholds the thresholds
	 * @param samplingInterval the time between background readings
	 */
	public MemoryGuard(MemoryProbe probe, MemoryThresholds thresholds, Duration samplingInterval) {
		this(probe, thresholds, samplingInterval, new JobAccounting(), Clock.systemUTC());
	}

	/**
	 * Creates a guard.
	 * @param probe the source of readings
	 * @param thresholds the thresholds
	 * @param samplingInterval the time between background readings
	 * @param jobs where {@link #execute(String, Supplier)} records its runs
	 * @param clock the clock for snapshot timestamps
	 */
	public MemoryGuard(MemoryProbe probe, MemoryThresholds thresholds, Duration samplingInterval, JobAccounting jobs,
			Clock clock) {
		Assert.isTrue(!samplingInterval.isNegative() && !samplingInterval.isZero(), "samplingInterval must be positive");
		this.probe = probe;
		this.thresholds = thresholds;
		this.samplingInterval = samplingInterval;
		this.jobs = jobs;
		this.clock = clock;
		MemoryReading reading = probe.read();
		this.pressure = thresholds.levelFor(reading, MemoryPressure.NORMAL);
		this.snapshot = snapshotOf(reading, this.pressure);
	}

	/**
	 * Returns the current level. A volatile read: no measurement, no allocation, safe on
	 * hot paths.
	 * @return the current level
	 */
	public MemoryPressure pressure() {
		return this.pressure;
	}

	/**
	 * Returns the latest reading.
	 * @return the latest snapshot
	 */
	public MemorySnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Returns the thresholds in effect.
	 * @return the thresholds
	 */
	public MemoryThresholds thresholds() {
		return this.thresholds;
	}

	/**
	 * Returns the probe readings come from.
	 * @return the probe
	 */
	public MemoryProbe probe() {
		return this.probe;
	}

	/**
	 * Returns where runs of guarded operations and jobs are accounted.
	 * @return the job accounting
	 */
	public JobAccounting jobs() {
		return this.jobs;
	}

	/**
	 * Returns whether work needing {@code required} bytes may start: the level is below
	 * CRITICAL and the live heap may still grow by at least {@code required} before it
	 * reaches the critical threshold.
	 * @param required the headroom the work needs
	 * @return {@code true} when the work is safe to start
	 */
	public boolean isSafeFor(DataSize required) {
		MemorySnapshot current = this.snapshot;
		return current.pressure() != MemoryPressure.CRITICAL && current.headroom() >= required.toBytes();
	}

	/**
	 * Throws when the level is CRITICAL. A cooperative checkpoint for long loops.
	 * @throws MemoryPressureException when memory is nearly exhausted
	 */
	public void check() {
		check(DataSize.ofBytes(0));
	}

	/**
	 * Throws unless {@link #isSafeFor(DataSize)} holds for {@code required}.
	 * @param required the headroom the work needs
	 * @throws MemoryPressureException when the work is not safe to start
	 */
	public void check(DataSize required) {
		check(required, null);
	}

	private void check(DataSize required, @Nullable String operation) {
		if (!isSafeFor(required)) {
			MemorySnapshot current = this.snapshot;
			String what = (operation != null) ? "'" + operation + "' refused" : "Refused";
			throw new MemoryPressureException(what + ": memory pressure " + current.pressure() + ", headroom "
					+ Sizes.format(current.headroom()) + ", required " + Sizes.format(required.toBytes()) + " ("
					+ current + ")", current, operation);
		}
	}

	/**
	 * Checks memory, runs {@code work} and records what it allocated under
	 * {@code operation} in the {@link #jobs() job accounting}.
	 * @param <T> the result type
	 * @param operation the name the run is accounted under
	 * @param work the work to run
	 * @return the result of {@code work}
	 * @throws MemoryPressureException when memory is nearly exhausted; the work does not
	 * run and the refusal is counted as {@code failed}
	 */
	public <T> T execute(String operation, Supplier<T> work) {
		try {
			check(DataSize.ofBytes(0), operation);
		}
		catch (MemoryPressureException ex) {
			this.jobs.recordFailed(operation);
			throw ex;
		}
		long allocatedBefore = ThreadAllocation.currentThreadAllocatedBytes();
		long start = System.nanoTime();
		try {
			return work.get();
		}
		finally {
			this.jobs.recordRun(operation, ThreadAllocation.allocatedSince(allocatedBefore),
					Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/**
	 * Adds a listener for level changes.
	 * @param listener the listener
	 */
	public void addListener(MemoryPressureListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Removes a listener added earlier.
	 * @param listener the listener
	 */
	public void removeListener(MemoryPressureListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * Adds a listener for the periodic readings of the sampler.
	 * @param listener the listener
	 */
	public void addSampleListener(MemorySampleListener listener) {
		this.sampleListeners.add(listener);
	}

	/**
	 * Removes a sample listener added earlier.
	 * @param listener the listener
	 */
	public void removeSampleListener(MemorySampleListener listener) {
		this.sampleListeners.remove(listener);
	}

	/**
	 * Returns the time between periodic readings.
	 * @return the sampling interval
	 */
	public Duration samplingInterval() {
		return this.samplingInterval;
	}

	/**
	 * Takes a fresh reading now and applies it: the level changes, is logged and is
	 * handed to the listeners on the calling thread. The sampler and the probe call this;
	 * applications rarely need to.
	 * @return the new snapshot
	 */
	public MemorySnapshot refresh() {
		MemoryPressureChangedEvent change;
		MemorySnapshot latest;
		synchronized (this.evaluationLock) {
			MemoryReading reading = this.probe.read();
			MemoryPressure previous = this.pressure;
			MemoryPressure next = this.thresholds.levelFor(reading, previous);
			latest = snapshotOf(reading, next);
			this.snapshot = latest;
			this.pressure = next;
			change = (next != previous) ? new MemoryPressureChangedEvent(this, previous, next, latest) : null;
			if (change != null) {
				logChange(change);
				// dispatched under the lock so that listeners see changes in the order they happened
				dispatch(change);
			}
		}
		return latest;
	}

	private MemorySnapshot snapshotOf(MemoryReading reading, MemoryPressure level) {
		return new MemorySnapshot(this.clock.instant(), level, reading, this.thresholds.warning(),
				this.thresholds.critical());
	}

	private void logChange(MemoryPressureChangedEvent change) {
		MemorySnapshot s = change.snapshot();
		MemoryReading r = s.reading();
		String rss = Double.isNaN(r.rssRatio()) ? ""
				: String.format(", RSS %s of %s (%.0f%%)", Sizes.format(r.rss()), Sizes.format(r.containerLimit()),
						r.rssRatio() * 100);
		String message = String.format(
				"Memory pressure %s -> %s: live heap %s of %s (%.0f%%; warning %.0f%%, critical %.0f%%), used %.0f%%%s",
				change.previous(), change.current(), Sizes.format(r.liveHeap()), Sizes.format(r.heapCapacity()),
				r.liveRatio() * 100, this.thresholds.warning() * 100, this.thresholds.critical() * 100,
				r.usedRatio() * 100, rss);
		if (change.isWorsening()) {
			logger.warn(message);
		}
		else {
			logger.info(message);
		}
	}

	private void dispatch(MemoryPressureChangedEvent change) {
		for (MemoryPressureListener listener : this.listeners) {
			try {
				listener.onPressureChanged(change);
			}
			catch (RuntimeException ex) {
				logger.error("Memory pressure listener {} failed on {} -> {}", listener, change.previous(),
						change.current(), ex);
			}
		}
	}

	@Override
	public void start() {
		synchronized (this) {
			if (this.sampler != null) {
				return;
			}
			this.probe.start(this::refresh);
			Thread thread = new Thread(this::sample, "memory-guard-sampler");
			thread.setDaemon(true);
			this.sampler = thread;
			thread.start();
		}
		refresh();
	}

	@Override
	public void stop() {
		Thread thread;
		synchronized (this) {
			thread = this.sampler;
			if (thread == null) {
				return;
			}
			this.sampler = null;
			this.probe.stop();
		}
		LockSupport.unpark(thread);
		try {
			thread.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.sampler != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void sample() {
		Thread self = Thread.currentThread();
		long intervalNanos = this.samplingInterval.toNanos();
		while (this.sampler == self) {
			LockSupport.parkNanos(this, intervalNanos);
			if (this.sampler != self) {
				return;
			}
			MemorySnapshot sample;
			try {
				sample = refresh();
			}
			catch (RuntimeException ex) {
				logger.warn("Memory reading failed; trying again in {}", this.samplingInterval, ex);
				continue;
			}
			for (MemorySampleListener listener : this.sampleListeners) {
				try {
					listener.onSample(sample);
				}
				catch (RuntimeException ex) {
					logger.warn("Memory sample listener {} failed", listener, ex);
				}
			}
		}
	}

}
