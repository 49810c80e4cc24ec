package dev.memoryguard.relief;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.MemoryPressureListener;
import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.MemorySampleListener;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.RequestedCollections;
import dev.memoryguard.Sizes;

/**
 * The default {@link MemoryRelief}: runs every {@link MemoryReliefAction}, in order, then
 * a garbage collection request when allowed.
 * <p>
 * Relief runs on demand ({@link #relieve(String)}, on the calling thread) and
 * automatically while memory is {@link MemoryPressure#CRITICAL}: on entering CRITICAL and,
 * for as long as CRITICAL lasts, again each time the minimum interval has passed since the
 * last automatic run (a level that no relief lowers would otherwise stay CRITICAL for
 * good). Automatic runs never start less than the minimum interval apart, whatever they
 * freed, and run on the relief thread, never on the thread that noticed the level. Each
 * action runs on a worker thread and is given up on after the action timeout; one failing
 * or slow action never stops the others. Every run is logged, and its
 * {@link ReliefReport} is published as an application event. Register it with the guard
 * as a listener and a sample listener.
 */
public class DefaultMemoryRelief implements MemoryRelief, MemoryPressureListener, MemorySampleListener,
		DisposableBean {

	/**
	 * Time an action may run before it is given up on, unless set otherwise.
	 */
	public static final Duration DEFAULT_ACTION_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Minimum time between two automatic runs, unless set otherwise.
	 */
	public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(DefaultMemoryRelief.class);

	private static final int MAX_ACTION_THREADS = 4;

	private final MemoryGuard guard;

	private final Supplier<List<MemoryReliefAction>> actions;

	private final boolean gc;

	private final RequestedCollections collections;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	private final ExecutorService reliefExecutor = Executors.newSingleThreadExecutor(daemon("memory-guard-relief"));

	private final ThreadPoolExecutor actionExecutor = new ThreadPoolExecutor(0, MAX_ACTION_THREADS, 30,
			TimeUnit.SECONDS, new SynchronousQueue<>(), daemon("memory-guard-relief-action-"));

	private final Object episodeMonitor = new Object();

	private volatile Duration actionTimeout = DEFAULT_ACTION_TIMEOUT;

	private volatile Duration minInterval = DEFAULT_MIN_INTERVAL;

	private @Nullable Instant lastAutomaticRun;

	private boolean skipLogged;

	/**
	 * Creates a relief.
	 * @param guard the guard whose live-heap estimate is reported before and after
	 * @param actions the actions, in the order they run, looked up at every run
	 * @param gc whether a garbage collection is requested after the actions
	 * @param publisher where each {@link ReliefReport} is published
	 * @param clock the source of report timestamps and of the minimum interval
	 */
	public DefaultMemoryRelief(MemoryGuard guard, Supplier<List<MemoryReliefAction>> actions, boolean gc,
			ApplicationEventPublisher publisher, Clock clock) {
		this(guard, actions, gc, new RequestedCollections(0.01), publisher, clock);
	}

	/**
	 * Creates a relief.
	 * @param guard the guard whose live-heap estimate is reported before and after
	 * @param actions the actions, in the order they run, looked up at every run
	 * @param gc whether a garbage collection is requested after the actions
	 * @param collections the budget that collection is requested within, shared with the
	 * guard's confirming collections
	 * @param publisher where each {@link ReliefReport} is published
	 * @param clock the source of report timestamps and of the minimum interval
	 */
	public DefaultMemoryRelief(MemoryGuard guard, Supplier<List<MemoryReliefAction>> actions, boolean gc,
			RequestedCollections collections, ApplicationEventPublisher publisher, Clock clock) {
		this.guard = guard;
		this.actions = actions;
		this.gc = gc;
		this.collections = collections;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * Sets the time an action may run before it is given up on and reported as failed.
	 * @param actionTimeout the timeout per action
	 */
	public void setActionTimeout(Duration actionTimeout) {
		Assert.isTrue(!actionTimeout.isNegative() && !actionTimeout.isZero(), "actionTimeout must be positive");
		this.actionTimeout = actionTimeout;
	}

	/**
	 * Sets the minimum time between two automatic runs. Runs on demand are not limited.
	 * @param minInterval the minimum interval
	 */
	public void setMinInterval(Duration minInterval) {
		Assert.isTrue(!minInterval.isNegative(), "minInterval must not be negative");
		this.minInterval = minInterval;
	}

	@Override
	public void onPressureChanged(MemoryPressureChangedEvent event) {
		if (event.current() == MemoryPressure.CRITICAL) {
			runAutomatically("critical");
		}
		else {
			synchronized (this.episodeMonitor) {
				this.skipLogged = false;
			}
		}
	}

	@Override
	public void onSample(MemorySnapshot snapshot) {
		if (snapshot.pressure() == MemoryPressure.CRITICAL) {
			runAutomatically("critical");
		}
	}

	private void runAutomatically(String trigger) {
		synchronized (this.episodeMonitor) {
			Instant now = this.clock.instant();
			Instant last = this.lastAutomaticRun;
			if (last != null && now.isBefore(last.plus(this.minInterval))) {
				if (!this.skipLogged) {
					this.skipLogged = true;
					logger.info("Memory relief waits: the last automatic run started at {}, less than {} ago; "
							+ "it runs again then if memory is still CRITICAL", last, this.minInterval);
				}
				return;
			}
			this.lastAutomaticRun = now;
			this.skipLogged = false;
		}
		try {
			this.reliefExecutor.execute(() -> relieve(trigger));
		}
		catch (RejectedExecutionException ex) {
			logger.info("Memory relief on CRITICAL skipped: shutting down");
		}
	}

	@Override
	public synchronized ReliefReport relieve(String trigger) {
		Instant timestamp = this.clock.instant();
		MemoryPressure pressure = this.guard.pressure();
		long liveBefore = this.guard.snapshot().reading().liveHeap();
		List<ActionReport> reports = new ArrayList<>();
		for (MemoryReliefAction action : this.actions.get()) {
			reports.add(run(action, pressure));
		}
		if (this.gc) {
			reports.add(requestGc());
		}
		long liveAfter = this.guard.refresh().reading().liveHeap();
		long freed = reports.stream().mapToLong((report) -> Math.max(0, report.freed())).sum();
		ReliefReport report = new ReliefReport(trigger, timestamp, liveBefore, liveAfter, freed, List.copyOf(reports));
		log(report, pressure);
		this.publisher.publishEvent(report);
		return report;
	}

	private ActionReport run(MemoryReliefAction action, MemoryPressure pressure) {
		String name = nameOf(action);
		long start = System.nanoTime();
		Future<Long> result;
		try {
			result = this.actionExecutor.submit(() -> action.relieve(pressure));
		}
		catch (RejectedExecutionException ex) {
			return failed(name, start, "not started: " + MAX_ACTION_THREADS + " earlier actions are still running");
		}
		Duration timeout = this.actionTimeout;
		try {
			long freed = result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return new ActionReport(name, true, freed, elapsed(start), null);
		}
		catch (TimeoutException ex) {
			result.cancel(true);
			return failed(name, start, "timed out after " + timeout);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Memory relief action '{}' failed", name, cause);
			return failed(name, start, cause.getClass().getName() + ": " + cause.getMessage());
		}
		catch (InterruptedException ex) {
			result.cancel(true);
			Thread.currentThread().interrupt();
			return failed(name, start, "interrupted");
		}
	}

	private ActionReport requestGc() {
		long start = System.nanoTime();
		if (!this.collections.isAllowed()) {
			String why = this.collections.isExplicitGcDisabled() ? "the JVM ignores it (-XX:+DisableExplicitGC)"
					: "the collections the guard requests are over memory-guard.sampling.gc-budget";
			return failed("gc", start, "not requested: " + why);
		}
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long usedBefore = memory.getHeapMemoryUsage().getUsed();
		if (!this.collections.collect("relief")) {
			return failed("gc", start, "requested, but no collection ran");
		}
		long freed = Math.max(0, usedBefore - memory.getHeapMemoryUsage().getUsed());
		return new ActionReport("gc", true, freed, elapsed(start), null);
	}

	private static String nameOf(MemoryReliefAction action) {
		try {
			return action.name();
		}
		catch (RuntimeException ex) {
			return action.getClass().getName();
		}
	}

	private static ActionReport failed(String name, long start, String error) {
		return new ActionReport(name, false, 0, elapsed(start), error);
	}

	private static Duration elapsed(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private static void log(ReliefReport report, MemoryPressure pressure) {
		long failed = report.actions().stream().filter((action) -> !action.succeeded()).count();
		logger.info("Memory relief ({}, pressure {}): {} actions, {} failed, freed {} by their own account; "
				+ "live heap {} -> {}", report.trigger(), pressure, report.actions().size(), failed, Sizes.format(report.freed()),
				Sizes.format(report.liveBefore()), Sizes.format(report.liveAfter()));
		for (ActionReport action : report.actions()) {
			if (!action.succeeded()) {
				logger.warn("Memory relief action '{}' did not complete: {}", action.name(), action.error());
			}
		}
	}

	private static ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, name.endsWith("-") ? name + count.incrementAndGet() : name);
			thread.setDaemon(true);
			return thread;
		};
	}

	@Override
	public void destroy() {
		this.reliefExecutor.shutdownNow();
		this.actionExecutor.shutdownNow();
	}

}
