package dev.memoryguard;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * The garbage collections the guard itself requests ({@link System#gc()}): to confirm a
 * level, and for relief where {@code memory-guard.relief.gc} allows it. Each is measured
 * from what the JVM reports (its collection counts and pause times), and they are kept
 * within a budget, a share of wall time, whatever the heap's size:
 * <ul>
 * <li>after a collection that paused the application for {@code p}, the next one waits at
 * least {@code p / budget}, and never less than {@value #MIN_INTERVAL_SECONDS} seconds;</li>
 * <li>a collection that settled nothing (a CRITICAL level confirmed again) doubles that
 * wait, up to {@value #MAX_BACK_OFF} times, until one settles something;</li>
 * <li>with {@code -XX:+DisableExplicitGC} none is ever requested: the JVM would ignore
 * it, and the heap in use read after it, garbage included, would be taken for the live
 * heap.</li>
 * </ul>
 * A request only counts as a collection when the JVM's collection count shows that one
 * ran.
 */
public class RequestedCollections {

	/**
	 * Least time, in seconds, between two requested collections.
	 */
	public static final int MIN_INTERVAL_SECONDS = 10;

	/**
	 * Most the wait between two requested collections is multiplied by while they settle
	 * nothing.
	 */
	public static final int MAX_BACK_OFF = 64;

	private static final Logger logger = LoggerFactory.getLogger(RequestedCollections.class);

	private static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(MIN_INTERVAL_SECONDS);

	private final double budget;

	private final boolean explicitGcDisabled;

	private final List<GarbageCollectorMXBean> collectors;

	private final List<GarbageCollectorMXBean> pauseCollectors;

	private final LongSupplier nanoTime;

	private final Runnable collect;

	private long nextAllowedNanos;

	private boolean requestedBefore;

	private int backOff = 1;

	private volatile long requested;

	private volatile long pauseNanos;

	/**
	 * Creates the requested collections of this JVM.
	 * @param budget most share of wall time the requested collections may pause the
	 * application, such as {@code 0.01}
	 */
	public RequestedCollections(double budget) {
		this(budget, isExplicitGcDisabledByJvm(), ManagementFactory.getGarbageCollectorMXBeans(), System::nanoTime,
				System::gc);
	}

	RequestedCollections(double budget, boolean explicitGcDisabled, List<GarbageCollectorMXBean> collectors,
			LongSupplier nanoTime, Runnable collect) {
		Assert.isTrue(budget > 0 && budget < 1, "budget must be a fraction between 0 and 1");
		this.budget = budget;
		this.explicitGcDisabled = explicitGcDisabled;
		this.collectors = List.copyOf(collectors);
		List<GarbageCollectorMXBean> pauses = collectors.stream()
			.filter((collector) -> collector.getName().endsWith("Pauses"))
			.toList();
		// ZGC and Shenandoah report cycles (mostly concurrent) and pauses on separate beans
		this.pauseCollectors = pauses.isEmpty() ? this.collectors : pauses;
		this.nanoTime = nanoTime;
		this.collect = collect;
	}

	/**
	 * Returns the budget: the most share of wall time requested collections may pause
	 * the application.
	 * @return the budget, a fraction
	 */
	public double budget() {
		return this.budget;
	}

	/**
	 * Returns whether the JVM ignores {@link System#gc()} ({@code -XX:+DisableExplicitGC}).
	 * @return whether explicit collections are disabled
	 */
	public boolean isExplicitGcDisabled() {
		return this.explicitGcDisabled;
	}

	/**
	 * Returns whether a collection may be requested now.
	 * @return {@code false} while the budget or the back-off says wait, and always with
	 * {@code -XX:+DisableExplicitGC}
	 */
	public synchronized boolean isAllowed() {
		return nanosUntilAllowed() == 0;
	}

	/**
	 * Returns how long until a collection may be requested.
	 * @return the wait in nanoseconds, {@code 0} when one may be requested now,
	 * {@link Long#MAX_VALUE} with {@code -XX:+DisableExplicitGC}
	 */
	public synchronized long nanosUntilAllowed() {
		if (this.explicitGcDisabled) {
			return Long.MAX_VALUE;
		}
		if (!this.requestedBefore) {
			return 0;
		}
		return Math.max(0, this.nextAllowedNanos - this.nanoTime.getAsLong());
	}

	/**
	 * Requests a collection now, whether or not the budget allows it; callers ask
	 * {@link #isAllowed()} first.
	 * @param reason why, for the log
	 * @return whether a collection ran (the JVM's collection count rose)
	 */
	public synchronized boolean collect(String reason) {
		long countBefore = count(this.collectors);
		long pauseBefore = pauseMillis();
		long start = this.nanoTime.getAsLong();
		this.collect.run();
		long end = this.nanoTime.getAsLong();
		boolean collected = count(this.collectors) > countBefore;
		long pause = TimeUnit.MILLISECONDS.toNanos(Math.max(0, pauseMillis() - pauseBefore));
		this.requestedBefore = true;
		this.requested++;
		this.pauseNanos += pause;
		long wait = Math.max(MIN_INTERVAL_NANOS * this.backOff, (long) (pause / this.budget));
		this.nextAllowedNanos = end + wait;
		logger.debug("Requested collection ({}): {}, pause {} ms in {} ms; next one in {} s at the earliest", reason,
				collected ? "ran" : "did not run", TimeUnit.NANOSECONDS.toMillis(pause),
				TimeUnit.NANOSECONDS.toMillis(end - start), TimeUnit.NANOSECONDS.toSeconds(wait));
		return collected;
	}

	/**
	 * Doubles the wait before the next collection: the last one settled nothing.
	 */
	public synchronized void backOff() {
		if (this.backOff < MAX_BACK_OFF) {
			this.backOff *= 2;
			long now = this.nanoTime.getAsLong();
			this.nextAllowedNanos = Math.max(this.nextAllowedNanos, now + MIN_INTERVAL_NANOS * this.backOff);
		}
	}

	/**
	 * Ends a back-off: the last collection settled something.
	 */
	public synchronized void resetBackOff() {
		this.backOff = 1;
	}

	/**
	 * Returns how many collections were requested.
	 * @return the count
	 */
	public long count() {
		return this.requested;
	}

	/**
	 * Returns how long the requested collections paused the application in all.
	 * @return the total pause
	 */
	public Duration pauseTotal() {
		return Duration.ofNanos(this.pauseNanos);
	}

	/**
	 * Returns the share of the JVM's uptime the requested collections paused it.
	 * @return the share, a fraction
	 */
	public double share() {
		long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
		return (uptimeMillis > 0) ? (double) TimeUnit.NANOSECONDS.toMillis(this.pauseNanos) / uptimeMillis : 0.0;
	}

	private long pauseMillis() {
		long total = 0;
		for (GarbageCollectorMXBean collector : this.pauseCollectors) {
			total += Math.max(0, collector.getCollectionTime());
		}
		return total;
	}

	private static long count(List<GarbageCollectorMXBean> collectors) {
		long total = 0;
		for (GarbageCollectorMXBean collector : collectors) {
			total += Math.max(0, collector.getCollectionCount());
		}
		return total;
	}

	/**
	 * Returns whether the running JVM ignores {@link System#gc()}.
	 * @return whether {@code -XX:+DisableExplicitGC} is set
	 */
	public static boolean isExplicitGcDisabledByJvm() {
		try {
			HotSpotDiagnosticMXBean diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			return diagnostics != null && "true".equals(diagnostics.getVMOption("DisableExplicitGC").getValue());
		}
		catch (RuntimeException ex) {
			// not HotSpot: assume System.gc() works
			return false;
		}
	}

}
