package dev.memoryguard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Readings are taken by a {@link MemoryProbe} on the guard's own thread: at the sampling
 * interval, at once when the probe announces new data (the default probe does after every
 * garbage collection), and every 100 ms while the container signal is near its warning
 * threshold. The level is the worse of two signals, each with its own hysteresis: the
 * live heap after GC against the heap thresholds, and what lies outside the heap against
 * the room the container limit leaves (see {@link MemoryReading#containerRatio()}). Each
 * change is logged once and handed to the {@link MemoryPressureListener listeners}, each
 * on a lane of its own, so that a slow or failing listener delays neither the readings nor
 * the other listeners. Callers only ever read a volatile field: {@link #pressure()} and
 * {@link #snapshot()} never measure anything themselves.
 */
public class MemoryGuard implements SmartLifecycle {

	/**
	 * Lifecycle phase: the guard starts before and stops after ordinary lifecycle beans
	 * (web servers, schedulers), so it watches over their whole life.
	 */
	public static final int PHASE = Integer.MIN_VALUE + 1000;

	/**
	 * Time between readings while the container signal is near its warning threshold:
	 * memory outside the heap grows without any collection to announce it.
	 */
	static final Duration CONTAINER_WATCH_INTERVAL = Duration.ofMillis(100);

	/**
	 * Age of the newest reading, at least, beyond which the guard counts as stalled.
	 */
	static final Duration STALLED_AFTER = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuard.class);

	private final MemoryProbe probe;

	private final MemoryThresholds thresholds;

	private final Duration samplingInterval;

	private final JobAccounting jobs;

	private final Clock clock;

	private final ListenerLanes lanes = new ListenerLanes(ListenerLanes.DEFAULT_TIMEOUT);

	private final List<MemorySampleListener> sampleListeners = new CopyOnWriteArrayList<>();

	private final Object evaluationLock = new Object();

	private final FailureLog readingFailures = new FailureLog(logger, "Memory reading");

	private final FailureLog sampleListenerFailures = new FailureLog(logger, "Memory sample listener");

	private final AtomicLong refusedAtThisLevel = new AtomicLong();

	private volatile MemoryPressure pressure;

	private volatile MemorySnapshot snapshot;

	private MemoryPressure heapLevel;

	private MemoryPressure containerLevel;

	private volatile @Nullable Thread evaluator;

	private volatile boolean wakeRequested;

	private volatile boolean started;

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
		this.heapLevel = thresholds.heapLevel(reading.liveRatio(), MemoryPressure.NORMAL);
		this.containerLevel = thresholds.containerLevel(reading, MemoryPressure.NORMAL);
		this.pressure = MemoryPressure.worst(this.heapLevel, this.containerLevel);
		this.snapshot = snapshotOf(reading);
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
	 * Throws unless {@link #isSafeFor(DataSize)} holds for {@code required}. The first
	 * refusal at a level is logged; later ones are counted and the count is logged with
	 * the next level change.
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
			String message = what + ": memory pressure " + current.pressure() + ", headroom "
					+ Sizes.format(current.headroom()) + ", required " + Sizes.format(required.toBytes()) + " ("
					+ current + ")";
			if (this.refusedAtThisLevel.getAndIncrement() == 0) {
				logger.warn("{}; further refusals are counted until the level changes", message);
			}
			throw new MemoryPressureException(message, current, operation);
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
	 * Adds a listener for level changes. It is called on a thread of the guard's own,
	 * one change at a time and in order; it may take its time without holding up the
	 * readings or the other listeners.
	 * @param listener the listener
	 */
	public void addListener(MemoryPressureListener listener) {
		this.lanes.add(listener);
	}

	/**
	 * Removes a listener added earlier.
	 * @param listener the listener
	 */
	public void removeListener(MemoryPressureListener listener) {
		this.lanes.remove(listener);
	}

	/**
	 * Adds a listener for the periodic readings of the guard's thread. It runs on that
	 * thread: keep it cheap.
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
	 * Takes a fresh reading now, on the calling thread, and applies it: the level changes
	 * and is logged before this method returns; the change is handed to the listeners on
	 * their own threads. The guard's thread does this by itself; applications rarely need
	 * to.
	 * @return the new snapshot
	 */
	public MemorySnapshot refresh() {
		return evaluate(false);
	}

	private MemorySnapshot evaluate(boolean awaitListeners) {
		CountDownLatch delivered = null;
		MemorySnapshot latest;
		synchronized (this.evaluationLock) {
			MemoryReading reading = this.probe.read();
			MemoryPressure previous = this.pressure;
			this.heapLevel = this.thresholds.heapLevel(reading.liveRatio(), this.heapLevel);
			this.containerLevel = this.thresholds.containerLevel(reading, this.containerLevel);
			MemoryPressure next = MemoryPressure.worst(this.heapLevel, this.containerLevel);
			latest = snapshotOf(reading);
			this.snapshot = latest;
			this.pressure = next;
			if (next != previous) {
				MemoryPressureChangedEvent change = new MemoryPressureChangedEvent(this, previous, next, latest);
				logChange(change, this.refusedAtThisLevel.getAndSet(0));
				// queued under the lock, so that every lane sees changes in the order they happened
				delivered = this.lanes.deliver(change);
			}
		}
		if (delivered != null && awaitListeners && !GuardThread.isCurrent()) {
			awaitDelivery(delivered);
		}
		return latest;
	}

	private void awaitDelivery(CountDownLatch delivered) {
		try {
			if (!delivered.await(this.lanes.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
				this.lanes.reportBlocked();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private MemorySnapshot snapshotOf(MemoryReading reading) {
		return new MemorySnapshot(this.clock.instant(), MemoryPressure.worst(this.heapLevel, this.containerLevel),
				this.heapLevel, this.containerLevel, reading, this.thresholds.warning(), this.thresholds.critical());
	}

	private void logChange(MemoryPressureChangedEvent change, long refused) {
		MemorySnapshot s = change.snapshot();
		MemoryReading r = s.reading();
		String container = "";
		double containerRatio = r.containerRatio();
		if (!Double.isNaN(containerRatio)) {
			container = String.format("; container %s: working set %s of limit %s, outside the heap %s (%.0f%% of "
					+ "the room beyond max heap; warning %.0f%%, critical %.0f%%)", s.containerPressure(),
					Sizes.format(r.container().workingSet()), Sizes.format(r.containerLimit()),
					Sizes.format(r.outsideHeap()), containerRatio * 100, this.thresholds.containerWarning() * 100,
					this.thresholds.containerCritical() * 100);
		}
		String message = String.format(
				"Memory pressure %s -> %s: heap %s, live heap %s of %s (%.0f%%; warning %.0f%%, critical %.0f%%), used %.0f%%%s%s",
				change.previous(), change.current(), s.heapPressure(), Sizes.format(r.liveHeap()),
				Sizes.format(r.heapCapacity()), r.liveRatio() * 100, this.thresholds.warning() * 100,
				this.thresholds.critical() * 100, r.usedRatio() * 100, container,
				(refused > 0) ? "; " + refused + " calls refused at " + change.previous() : "");
		if (change.isWorsening()) {
			logger.warn(message);
		}
		else {
			logger.info(message);
		}
	}

	/**
	 * Called by the probe when it has new data: the guard's thread reads at once.
	 * Allocation-free and never throws, so the JDK's GC notification thread may call it.
	 */
	private void readingAvailable() {
		if (this.probe.isSynchronous() && !GuardThread.isCurrent()) {
			evaluate(true);
			return;
		}
		this.wakeRequested = true;
		Thread thread = this.evaluator;
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

	@Override
	public void start() {
		synchronized (this) {
			if (this.evaluator != null) {
				return;
			}
			Thread thread = new GuardThread(this::run, "memory-guard");
			this.evaluator = thread;
			this.started = true;
			this.probe.start(this::readingAvailable);
			thread.start();
		}
		try {
			refresh();
		}
		catch (Throwable ex) {
			// the guard's thread reads again at once; startup goes on
			this.readingFailures.failed(ex);
		}
	}

	@Override
	public void stop() {
		Thread thread;
		synchronized (this) {
			thread = this.evaluator;
			if (thread == null) {
				return;
			}
			this.evaluator = null;
			this.started = false;
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
		Thread thread = this.evaluator;
		return thread != null && thread.isAlive();
	}

	/**
	 * Returns whether the guard was started and its readings have stopped: its thread is
	 * gone, or the newest reading is older than a minute (ten sampling intervals, if
	 * longer). Readings are then stale and nothing the guard does is up to date.
	 * @return whether the guard has stalled
	 */
	public boolean isStalled() {
		if (!this.started) {
			return false;
		}
		Duration staleAfter = STALLED_AFTER.compareTo(this.samplingInterval.multipliedBy(10)) >= 0 ? STALLED_AFTER
				: this.samplingInterval.multipliedBy(10);
		Instant newest = this.snapshot.timestamp();
		return !isRunning() || newest.plus(staleAfter).isBefore(this.clock.instant());
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void run() {
		Thread self = Thread.currentThread();
		long interval = this.samplingInterval.toNanos();
		long nextSample = System.nanoTime() + interval;
		while (this.evaluator == self) {
			long now = System.nanoTime();
			long wakeAt = nearContainerWarning() ? Math.min(nextSample, now + CONTAINER_WATCH_INTERVAL.toNanos())
					: nextSample;
			if (!this.wakeRequested && wakeAt - now > 0) {
				LockSupport.parkNanos(this, wakeAt - now);
			}
			if (this.evaluator != self) {
				return;
			}
			this.wakeRequested = false;
			boolean periodic = System.nanoTime() - nextSample >= 0;
			if (periodic) {
				nextSample = Math.max(nextSample + interval, System.nanoTime());
			}
			try {
				MemorySnapshot latest = evaluate(false);
				this.lanes.reportBlocked();
				if (periodic) {
					notifySampleListeners(latest);
				}
			}
			catch (Throwable ex) {
				// even an OutOfMemoryError: the next reading may well succeed, and a guard
				// that stopped reading would report a stale level for good
				failed(this.readingFailures, ex);
			}
		}
	}

	/**
	 * Logs a failure on the guard's thread; out of memory, logging may fail too, and that
	 * must not end the thread either.
	 */
	private static void failed(FailureLog log, Throwable ex) {
		try {
			log.failed(ex);
		}
		catch (Throwable logging) {
			// nothing left to report it with
		}
	}

	private boolean nearContainerWarning() {
		MemorySnapshot latest = this.snapshot;
		if (latest.containerPressure() != MemoryPressure.NORMAL) {
			return true;
		}
		double ratio = latest.reading().containerRatio();
		return !Double.isNaN(ratio)
				&& ratio >= this.thresholds.containerWarning() - 2 * this.thresholds.recoveryMargin();
	}

	private void notifySampleListeners(MemorySnapshot sample) {
		for (MemorySampleListener listener : this.sampleListeners) {
			try {
				listener.onSample(sample);
			}
			catch (Throwable ex) {
				failed(this.sampleListenerFailures, ex);
			}
		}
	}

}
