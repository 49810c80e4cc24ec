package dev.memoryguard;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.memoryguard.container.ContainerMemory;
import dev.memoryguard.container.ContainerUsage;

/**
 * The default {@link MemoryProbe}: reads the running JVM through its management beans,
 * estimates the live heap from GC notifications ({@link LiveHeapEstimator}) and reads the
 * process RSS and its memory cgroup ({@link ContainerMemory}) on Linux.
 * <p>
 * The GC notification listener only folds the notification's after-GC pool usage into a
 * fixed-size array and wakes the guard, which reads on its own thread; it never throws, so
 * the JDK's other notification listeners (Micrometer's GC meters, for one) always run. The
 * process and its cgroup are read at most ten times a second however many notifications
 * arrive (Shenandoah sends up to 180 a second near a full heap). Where the notifications
 * cannot tell live data from old-generation garbage, the probe confirms with one full
 * collection, within the budget of its {@link RequestedCollections} (see
 * {@link #JvmMemoryProbe(MemoryThresholds, boolean, RequestedCollections)}).
 * {@link #collector()}, {@link #thresholds()} and {@link #confirmations()} tell what it
 * runs on and did.
 */
public class JvmMemoryProbe implements MemoryProbe {

	private static final long PROCESS_READ_INTERVAL_NANOS = 100_000_000L;

	private static final long OVERHEAD_WINDOW_NANOS = 60_000_000_000L;

	/**
	 * Seconds a CRITICAL level must have lasted with no collection freeing the old
	 * generation before a full collection confirms it.
	 */
	public static final int CONFIRM_AFTER_SECONDS = 5;

	/**
	 * Smallest time, in seconds, between two confirming full collections; the
	 * {@link RequestedCollections budget} and its back-off can make it longer.
	 */
	public static final int CONFIRM_INTERVAL_SECONDS = RequestedCollections.MIN_INTERVAL_SECONDS;

	private static final long CONFIRM_AFTER_NANOS = TimeUnit.SECONDS.toNanos(CONFIRM_AFTER_SECONDS);

	private static final long CONFIRM_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(CONFIRM_INTERVAL_SECONDS);

	/**
	 * A collection that freed old-generation memory this recently backs the estimate: no
	 * confirmation is needed to raise the level on it.
	 */
	private static final long FRESH_OLD_COLLECTION_NANOS = 1_000_000_000L;

	private static final long HOLD = Long.MIN_VALUE;

	/**
	 * Share of wall time confirming collections may take unless told otherwise: the
	 * default of {@code memory-guard.sampling.gc-budget}.
	 */
	public static final double DEFAULT_GC_BUDGET = 0.01;

	private static final Logger logger = LoggerFactory.getLogger(JvmMemoryProbe.class);

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

	private final @Nullable BufferPoolMXBean directPool = directBufferPool();

	private final LiveHeapEstimator estimator;

	private final ContainerMemory container;

	private final double trustUsedAbove;

	private final MemoryThresholds thresholds;

	private final boolean confirmWithGc;

	private final GarbageCollector collector;

	private final List<MemoryPoolMXBean> longLivedPools;

	private final List<MemoryPoolMXBean> youngPools;

	private final RequestedCollections collections;

	private long confirmations;

	private boolean notCollectedLogged;

	private boolean noRoomLogged;

	private final FailureLog notificationFailures = new FailureLog(logger, "Reading a GC notification");

	private volatile boolean usedRefuted;

	private volatile long usedRefutedNanos;

	private volatile long confirmedAtUptimeMillis = -1;

	private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();

	private MemoryPressure heapLevel = MemoryPressure.NORMAL;

	private final NotificationListener gcListener = this::onNotification;

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	private volatile @Nullable Runnable readingAvailable;

	private long processReadNanos = Long.MIN_VALUE;

	private long rss = -1;

	private ContainerUsage containerUsage = ContainerUsage.NONE;

	private long overheadBaseNanos = System.nanoTime();

	private long overheadBaseGcMillis;

	private double gcOverhead;

	/**
	 * Creates a probe of this JVM.
	 * @param trustUsedAbove fraction of max heap at or above which the heap in use is
	 * trusted as the live heap when no collection has reported for a second (and then
	 * confirmed with a full collection); normally the critical threshold
	 */
	public JvmMemoryProbe(double trustUsedAbove) {
		this(withCritical(trustUsedAbove), true, new RequestedCollections(DEFAULT_GC_BUDGET), ContainerMemory.system());
	}

	private static MemoryThresholds withCritical(double critical) {
		MemoryThresholds defaults = MemoryThresholds.DEFAULTS;
		double warning = Math.min(defaults.warning(), critical - (defaults.critical() - defaults.warning()));
		return new MemoryThresholds(warning, critical, defaults.recoveryMargin(), defaults.containerWarning(),
				defaults.containerCritical());
	}

	/**
	 * Creates a probe of this JVM that confirms with a full collection (see
	 * {@link #JvmMemoryProbe(MemoryThresholds, boolean, RequestedCollections)}) within the
	 * default budget of 1% of wall time.
	 * @param thresholds the thresholds the guard applies; the probe uses them to decide
	 * when the heap in use is trusted and when a level needs confirming
	 */
	public JvmMemoryProbe(MemoryThresholds thresholds) {
		this(thresholds, true);
	}

	/**
	 * Creates a probe of this JVM with the default budget of 1% of wall time for
	 * confirming collections.
	 * @param thresholds the thresholds the guard applies
	 * @param confirmWithGc whether levels may be confirmed with a full collection
	 */
	public JvmMemoryProbe(MemoryThresholds thresholds, boolean confirmWithGc) {
		this(thresholds, confirmWithGc, new RequestedCollections(DEFAULT_GC_BUDGET));
	}

	/**
	 * Creates a probe of this JVM.
	 * <p>
	 * With {@code confirmWithGc}, a reading that would raise the level on collections
	 * that did not free the old generation, or that would keep the level CRITICAL when no
	 * such collection has run for {@value #CONFIRM_AFTER_SECONDS} seconds, is confirmed by
	 * requesting one full collection ({@link System#gc()}) and reading the heap right
	 * after it, when {@code collections} allows one; the confirmation is believed only
	 * when a collection ran, and can only lower the estimate. Between two, an unconfirmed
	 * rise to WARNING is held just below the warning threshold when the next confirmation
	 * is due within {@value #CONFIRM_INTERVAL_SECONDS} seconds (or a collection of the old
	 * generation backs it first), and taken unconfirmed otherwise; an unconfirmed rise to
	 * CRITICAL is never held. Serial and Parallel reclaim old-generation garbage only in a
	 * full collection and G1 only in mixed cycles, so without it a heap holding dead
	 * promoted objects can raise the level, and released memory can go unseen for as long
	 * as the application allocates little.
	 * @param thresholds the thresholds the guard applies
	 * @param confirmWithGc whether levels may be confirmed with a full collection
	 * @param collections the budget confirming collections are requested within
	 */
	public JvmMemoryProbe(MemoryThresholds thresholds, boolean confirmWithGc, RequestedCollections collections) {
		this(thresholds, confirmWithGc, collections, ContainerMemory.system());
	}

	JvmMemoryProbe(MemoryThresholds thresholds, boolean confirmWithGc, RequestedCollections collections,
			ContainerMemory container) {
		this.thresholds = thresholds;
		this.confirmWithGc = confirmWithGc;
		this.collections = collections;
		this.container = container;
		Set<String> heapPools = new LinkedHashSet<>();
		Set<String> longLived = new LinkedHashSet<>();
		List<MemoryPoolMXBean> longLivedBeans = new ArrayList<>();
		List<MemoryPoolMXBean> youngBeans = new ArrayList<>();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				heapPools.add(pool.getName());
				if (LiveHeapEstimator.isLongLivedPool(pool.getName())) {
					longLived.add(pool.getName());
					longLivedBeans.add(pool);
				}
				else {
					youngBeans.add(pool);
				}
			}
		}
		this.estimator = new LiveHeapEstimator(Set.copyOf(heapPools), Set.copyOf(longLived), System::nanoTime);
		this.longLivedPools = List.copyOf(longLivedBeans);
		this.youngPools = List.copyOf(youngBeans);
		// the heap in use counts eden's garbage: where no collection can confirm it, it is
		// taken for the live heap only on heaps of a single pool, where nothing else would
		// show memory retained while no collection runs (old-generation allocations are
		// added at every reading where there are young pools)
		boolean confirmable = confirmWithGc && !collections.isExplicitGcDisabled();
		this.trustUsedAbove = (confirmable || this.youngPools.isEmpty()) ? thresholds.critical()
				: Double.POSITIVE_INFINITY;
		this.collector = GarbageCollector.fromHeapPools(heapPools);
		this.overheadBaseGcMillis = gcMillis();
	}

	@Override
	public MemoryReading read() {
		MemoryUsage heap = this.memory.getHeapMemoryUsage();
		MemoryUsage nonHeap = this.memory.getNonHeapMemoryUsage();
		long capacity = (heap.getMax() > 0) ? heap.getMax() : heap.getCommitted();
		boolean refuted = this.usedRefuted && System.nanoTime() - this.usedRefutedNanos < CONFIRM_INTERVAL_NANOS;
		double trustUsedAbove = refuted ? Double.POSITIVE_INFINITY : this.trustUsedAbove;
		boolean trustsUsed = this.estimator.trustsUsed(heap.getUsed(), capacity, trustUsedAbove);
		long live = this.estimator.estimate(heap.getUsed(), capacity, trustUsedAbove);
		if (!this.youngPools.isEmpty()) {
			live = Math.min(heap.getUsed(), live + this.estimator.allocatedInOldSinceCollection(longLivedUsed()));
		}
		if (this.confirmWithGc && capacity > 0) {
			long confirmed = confirmIfNeeded(live, capacity, trustsUsed);
			if (confirmed == HOLD) {
				// an unconfirmed rise to WARNING waits for the next confirmation
				live = Math.min(live, (long) (capacity * this.thresholds.warning()) - 1);
			}
			else if (confirmed >= 0) {
				live = confirmed;
				heap = this.memory.getHeapMemoryUsage();
			}
		}
		BufferPoolMXBean direct = this.directPool;
		long gcCount = gcCount();
		long gcMillis = gcMillis();
		synchronized (this) {
			long now = System.nanoTime();
			// MIN_VALUE marks "never read": now - MIN_VALUE would overflow
			if (this.processReadNanos == Long.MIN_VALUE || now - this.processReadNanos >= PROCESS_READ_INTERVAL_NANOS) {
				this.rss = this.container.rss();
				this.containerUsage = this.container.read();
				this.processReadNanos = now;
			}
			long elapsed = now - this.overheadBaseNanos;
			if (elapsed > 0) {
				this.gcOverhead = Math.min(1.0, (gcMillis - this.overheadBaseGcMillis) * 1_000_000.0 / elapsed);
			}
			if (elapsed >= OVERHEAD_WINDOW_NANOS) {
				this.overheadBaseNanos = now;
				this.overheadBaseGcMillis = gcMillis;
			}
			MemoryReading reading = new MemoryReading(heap.getUsed(), heap.getCommitted(), heap.getMax(), live,
					nonHeap.getUsed(), nonHeap.getCommitted(), (direct != null) ? direct.getMemoryUsed() : -1,
					(direct != null) ? direct.getCount() : -1, this.rss, this.containerUsage, gcCount,
					Duration.ofMillis(gcMillis), this.gcOverhead);
			this.heapLevel = this.thresholds.heapLevel(reading.liveRatio(), this.heapLevel);
			warnOnceWithoutRoom(reading);
			return reading;
		}
	}

	private long longLivedUsed() {
		long used = 0;
		for (MemoryPoolMXBean pool : this.longLivedPools) {
			used += pool.getUsage().getUsed();
		}
		return used;
	}

	/**
	 * Requests a confirming full collection when the estimate would raise the level
	 * without a recent collection of the old generation behind it, or would hold CRITICAL
	 * while nothing has collected the old generation for a while, and the budget allows
	 * one. Returns the estimate it leaves (never above the one it confirmed), {@link #HOLD}
	 * to hold a rise to WARNING until a confirmation due soon, or {@code -1} when none was
	 * needed, allowed or run.
	 */
	private synchronized long confirmIfNeeded(long live, long capacity, boolean trustsUsed) {
		double ratio = (double) live / capacity;
		MemoryPressure current = this.heapLevel;
		MemoryPressure next = this.thresholds.heapLevel(ratio, current);
		long sinceOld = this.estimator.nanosSinceOldCollection();
		boolean raising = next.compareTo(current) > 0 && sinceOld > FRESH_OLD_COLLECTION_NANOS;
		boolean holding = current == MemoryPressure.CRITICAL && next == MemoryPressure.CRITICAL
				&& sinceOld >= CONFIRM_AFTER_NANOS;
		if (!raising && !holding) {
			return -1;
		}
		if (!this.collections.isAllowed()) {
			// a rise to WARNING waits for a confirmation that is due soon; anything else is
			// taken unconfirmed (with -XX:+DisableExplicitGC, always)
			boolean dueSoon = this.collections.nanosUntilAllowed() <= CONFIRM_INTERVAL_NANOS;
			return (raising && next == MemoryPressure.WARNING && dueSoon) ? HOLD : -1;
		}
		this.usedRefuted = false;
		long start = System.nanoTime();
		boolean collected = this.collections.collect(raising ? "confirm rising pressure" : "confirm CRITICAL");
		long end = System.nanoTime();
		if (!collected) {
			if (!this.notCollectedLogged) {
				this.notCollectedLogged = true;
				logger.warn("A requested collection did not run (the JVM's collection count did not change): "
						+ "memory levels stay unconfirmed");
			}
			return -1;
		}
		long after = this.memory.getHeapMemoryUsage().getUsed();
		this.confirmedAtUptimeMillis = this.runtime.getUptime();
		// the heap in use after a collection that was not a full one (-XX:+ExplicitGCInvokesConcurrent)
		// still counts garbage: it may lower the estimate, never raise it
		long confirmed = Math.min(after, live);
		this.estimator.confirmed(confirmed, longLivedUsed());
		if (trustsUsed && after < capacity * (this.thresholds.critical() - this.thresholds.recoveryMargin())) {
			// the heap in use was mostly garbage (a concurrent collector letting it fill
			// between cycles): do not trust it again until the next confirmation is allowed
			this.usedRefutedNanos = end;
			this.usedRefuted = true;
		}
		boolean settledNothing = holding
				&& this.thresholds.heapLevel((double) confirmed / capacity, current) == MemoryPressure.CRITICAL;
		if (settledNothing) {
			this.collections.backOff();
		}
		else {
			this.collections.resetBackOff();
		}
		this.confirmations++;
		logger.info("Confirmed {} memory pressure with a full collection (#{}, {} ms): live heap estimate {}% -> {}%",
				raising ? "rising" : "critical", this.confirmations, TimeUnit.NANOSECONDS.toMillis(end - start),
				Math.round(ratio * 100), Math.round((double) confirmed / capacity * 100));
		return confirmed;
	}

	/**
	 * Warns once when the container limit leaves no room beyond the heap: the container
	 * signal then falls back to working set over limit, and the heap alone can fill the
	 * container.
	 */
	private void warnOnceWithoutRoom(MemoryReading reading) {
		if (this.noRoomLogged || !reading.container().isLimited() || !Double.isNaN(reading.outsideHeapRatio())) {
			return;
		}
		this.noRoomLogged = true;
		logger.warn("The container memory limit of {} leaves no room beyond the max heap of {} and the {} the JVM "
				+ "already uses outside it: the kernel can kill the process before the heap fills. Lower -Xmx or "
				+ "-XX:MaxRAMPercentage (75 leaves a quarter of the limit for metaspace, threads and buffers); "
				+ "until then the container signal is the working set over the limit",
				Sizes.format(reading.containerLimit()), Sizes.format(reading.heapCapacity()),
				Sizes.format(Math.max(0, reading.nonHeapUsed()) + Math.max(0, reading.directUsed())));
	}

	/**
	 * Returns the collector of this JVM.
	 * @return the collector
	 */
	public GarbageCollector collector() {
		return this.collector;
	}

	/**
	 * Returns the thresholds this probe was created for.
	 * @return the thresholds
	 */
	public MemoryThresholds thresholds() {
		return this.thresholds;
	}

	/**
	 * Returns whether levels are confirmed with a full collection.
	 * @return whether confirming collections are enabled
	 */
	public boolean isConfirmWithGc() {
		return this.confirmWithGc;
	}

	/**
	 * Returns how many confirming full collections this probe requested.
	 * @return the number of confirming collections
	 */
	public synchronized long confirmations() {
		return this.confirmations;
	}

	/**
	 * Returns the collections this probe requests to confirm levels.
	 * @return the requested collections
	 */
	public RequestedCollections collections() {
		return this.collections;
	}

	/**
	 * Returns the memory cgroup the process was found in, for log lines.
	 * @return a description such as {@code cgroup v1 /system.slice/app.service}
	 */
	public String describeContainer() {
		var cgroup = this.container.cgroup();
		return (cgroup != null) ? "cgroup v" + cgroup.version() + " " + cgroup.path() : "no memory cgroup found";
	}

	@Override
	public synchronized void start(Runnable readingAvailable) {
		this.readingAvailable = readingAvailable;
		for (GarbageCollectorMXBean collector : this.collectors) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(this.gcListener, null, null);
				this.emitters.add(emitter);
			}
		}
		seedFromEarlierCollections();
	}

	/**
	 * Starts the estimate from what the collections that ran before the probe listened
	 * (an application's startup runs several) left in the young pools, rather than from
	 * the heap in use until the next collection reports. Where none has run yet, the
	 * young pools hold nothing a collection has seen live: the estimate starts from the
	 * long-lived pools alone, as it would after a collection that emptied them, and
	 * eden's garbage is not read as live while the first collection's notification is
	 * still on its way.
	 */
	private void seedFromEarlierCollections() {
		long longLivedUsed = longLivedUsed();
		long candidate = longLivedUsed;
		for (MemoryPoolMXBean pool : this.youngPools) {
			MemoryUsage afterCollection = pool.getCollectionUsage();
			candidate += (afterCollection != null) ? afterCollection.getUsed() : pool.getUsage().getUsed();
		}
		this.estimator.seed(candidate, longLivedUsed);
	}

	@Override
	public synchronized void stop() {
		for (NotificationEmitter emitter : this.emitters) {
			try {
				emitter.removeNotificationListener(this.gcListener);
			}
			catch (ListenerNotFoundException ex) {
				// already gone
			}
		}
		this.emitters.clear();
		this.readingAvailable = null;
	}

	@Override
	public String describe() {
		return "JVM, " + this.collector.displayName() + " (" + collectorNames() + ")";
	}

	/**
	 * Returns the names of the JVM's garbage collectors, comma separated.
	 * @return the collector names
	 */
	public String collectorNames() {
		return this.collectors.stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
	}

	/**
	 * Runs on the JDK's notification thread, shared with every other GC listener of the
	 * JVM: it records what the notification carries and wakes the guard, nothing more, and
	 * never throws (the JDK would skip the remaining listeners).
	 */
	private void onNotification(Notification notification, @Nullable Object handback) {
		try {
			if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
				return;
			}
			GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
				.getGcInfo();
			if (info.getEndTime() <= this.confirmedAtUptimeMillis) {
				// queued before a confirming collection that superseded it
				return;
			}
			if (this.estimator.record(info.getMemoryUsageBeforeGc(), info.getMemoryUsageAfterGc())) {
				Runnable callback = this.readingAvailable;
				if (callback != null) {
					callback.run();
				}
			}
		}
		catch (Throwable ex) {
			this.notificationFailures.failed(ex);
		}
	}

	private long gcCount() {
		long total = 0;
		for (GarbageCollectorMXBean collector : this.collectors) {
			total += Math.max(0, collector.getCollectionCount());
		}
		return total;
	}

	private long gcMillis() {
		long total = 0;
		for (GarbageCollectorMXBean collector : this.collectors) {
			total += Math.max(0, collector.getCollectionTime());
		}
		return total;
	}

	private static @Nullable BufferPoolMXBean directBufferPool() {
		for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
			if ("direct".equals(pool.getName())) {
				return pool;
			}
		}
		return null;
	}

}
