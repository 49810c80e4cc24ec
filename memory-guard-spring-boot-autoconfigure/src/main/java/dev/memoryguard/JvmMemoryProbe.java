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
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * The default {@link MemoryProbe}: reads the running JVM through its management beans,
 * estimates the live heap from GC notifications ({@link LiveHeapEstimator}) and reads
 * the process RSS and cgroup memory limit on Linux.
 * <p>
 * Each GC notification that carries a reading makes the guard re-read at once; the
 * listener itself only folds the notification's after-GC pool usage into a fixed-size
 * array, and the process RSS is read from {@code /proc} at most twice a second however
 * many notifications arrive (Shenandoah sends up to 180 a second near a full heap). Where
 * the notifications cannot tell live data from old-generation garbage, the probe confirms
 * with one full collection (see {@link #JvmMemoryProbe(MemoryThresholds, boolean)}).
 * {@link #collector()}, {@link #thresholds()} and {@link #confirmations()} tell what it
 * runs on and did.
 */
public class JvmMemoryProbe implements MemoryProbe {

	private static final long PROCESS_READ_INTERVAL_NANOS = 500_000_000L;

	private static final long OVERHEAD_WINDOW_NANOS = 60_000_000_000L;

	/**
	 * Seconds a CRITICAL level must have lasted with no collection freeing the old
	 * generation before a full collection confirms it.
	 */
	public static final int CONFIRM_AFTER_SECONDS = 5;

	/**
	 * Smallest time, in seconds, between two confirming full collections.
	 */
	public static final int CONFIRM_INTERVAL_SECONDS = 10;

	private static final long CONFIRM_AFTER_NANOS = TimeUnit.SECONDS.toNanos(CONFIRM_AFTER_SECONDS);

	private static final long CONFIRM_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(CONFIRM_INTERVAL_SECONDS);

	/**
	 * A collection that freed old-generation memory this recently backs the estimate: no
	 * confirmation is needed to raise the level on it.
	 */
	private static final long FRESH_OLD_COLLECTION_NANOS = 1_000_000_000L;

	private static final long HOLD = Long.MIN_VALUE;

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

	private final AtomicLong confirmations = new AtomicLong();

	private long lastConfirmationNanos;

	private boolean confirmedBefore;

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

	private long containerLimit = -1;

	private long overheadBaseNanos = System.nanoTime();

	private long overheadBaseGcMillis;

	private double gcOverhead;

	/**
	 * Creates a probe of this JVM.
	 * @param trustUsedAbove fraction of max heap at or above which the heap in use is
	 * trusted as the live heap when no collection has reported for a second (memory
	 * retained in humongous arrays can fill the heap without any collection); normally
	 * the critical threshold
	 */
	public JvmMemoryProbe(double trustUsedAbove) {
		this(trustUsedAbove, ContainerMemory.system());
	}

	private static MemoryThresholds withCritical(double critical) {
		MemoryThresholds defaults = MemoryThresholds.DEFAULTS;
		double warning = Math.min(defaults.warning(), critical - (defaults.critical() - defaults.warning()));
		return new MemoryThresholds(warning, critical, defaults.recoveryMargin(), defaults.containerWarning(),
				defaults.containerCritical());
	}

	/**
	 * Creates a probe of this JVM that confirms with a full collection (see
	 * {@link #JvmMemoryProbe(MemoryThresholds, boolean)}).
	 * @param thresholds the thresholds the guard applies; the probe uses them to decide
	 * when the heap in use is trusted and when a level needs confirming
	 */
	public JvmMemoryProbe(MemoryThresholds thresholds) {
		this(thresholds, true);
	}

	/**
	 * Creates a probe of this JVM.
	 * <p>
	 * With {@code confirmWithGc}, a reading that would raise the level on collections
	 * that did not free the old generation, or that would keep the level CRITICAL when no
	 * such collection has run for {@value #CONFIRM_AFTER_SECONDS} seconds, is confirmed by
	 * requesting one full collection ({@link System#gc()}) and reading the heap right
	 * after it; at most one such collection every {@value #CONFIRM_INTERVAL_SECONDS}
	 * seconds. Between two, an unconfirmed rise to WARNING is held just below the warning
	 * threshold until the next confirmation is allowed (or a collection of the old
	 * generation backs it); an unconfirmed rise to CRITICAL is never held. Serial and Parallel reclaim old-generation garbage only in a full
	 * collection and G1 only in mixed cycles, so without it a heap holding dead promoted
	 * objects can raise the level, and released memory can go unseen for as long as the
	 * application allocates little.
	 * @param thresholds the thresholds the guard applies
	 * @param confirmWithGc whether levels may be confirmed with a full collection
	 */
	public JvmMemoryProbe(MemoryThresholds thresholds, boolean confirmWithGc) {
		this(thresholds, confirmWithGc, ContainerMemory.system());
	}

	JvmMemoryProbe(double trustUsedAbove, ContainerMemory container) {
		this(withCritical(trustUsedAbove), true, container);
	}

	JvmMemoryProbe(MemoryThresholds thresholds, boolean confirmWithGc, ContainerMemory container) {
		this.thresholds = thresholds;
		this.trustUsedAbove = thresholds.critical();
		this.confirmWithGc = confirmWithGc;
		this.container = container;
		Set<String> heapPools = new LinkedHashSet<>();
		Set<String> longLived = new LinkedHashSet<>();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				heapPools.add(pool.getName());
				if (LiveHeapEstimator.isLongLivedPool(pool.getName())) {
					longLived.add(pool.getName());
				}
			}
		}
		this.estimator = new LiveHeapEstimator(Set.copyOf(heapPools), Set.copyOf(longLived), System::nanoTime);
		List<MemoryPoolMXBean> longLivedBeans = new ArrayList<>();
		List<MemoryPoolMXBean> youngBeans = new ArrayList<>();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				(longLived.contains(pool.getName()) ? longLivedBeans : youngBeans).add(pool);
			}
		}
		this.longLivedPools = List.copyOf(longLivedBeans);
		this.youngPools = List.copyOf(youngBeans);
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
				this.containerLimit = this.container.limit();
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
					(direct != null) ? direct.getCount() : -1, this.rss, this.containerLimit, gcCount,
					Duration.ofMillis(gcMillis), this.gcOverhead);
			this.heapLevel = heapLevel(reading.liveRatio(), this.heapLevel);
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
	 * while nothing has collected the old generation for a while. Returns the heap in use
	 * right after it, or {@code -1} when none was needed or allowed.
	 */
	private synchronized long confirmIfNeeded(long live, long capacity, boolean trustsUsed) {
		double ratio = (double) live / capacity;
		MemoryPressure current = this.heapLevel;
		MemoryPressure next = heapLevel(ratio, current);
		long sinceOld = this.estimator.nanosSinceOldCollection();
		boolean raising = next.compareTo(current) > 0 && sinceOld > FRESH_OLD_COLLECTION_NANOS;
		boolean holding = current == MemoryPressure.CRITICAL && next == MemoryPressure.CRITICAL
				&& sinceOld >= CONFIRM_AFTER_NANOS;
		if (!raising && !holding) {
			return -1;
		}
		long now = System.nanoTime();
		if (this.confirmedBefore && now - this.lastConfirmationNanos < CONFIRM_INTERVAL_NANOS) {
			// too soon for another one: a rise to WARNING waits (at most the interval), a
			// rise to CRITICAL is taken unconfirmed
			return (raising && next == MemoryPressure.WARNING) ? HOLD : -1;
		}
		this.usedRefuted = false;
		System.gc();
		long after = this.memory.getHeapMemoryUsage().getUsed();
		this.confirmedAtUptimeMillis = this.runtime.getUptime();
		long end = System.nanoTime();
		this.lastConfirmationNanos = end;
		this.confirmedBefore = true;
		this.estimator.confirmed(after, longLivedUsed());
		if (trustsUsed && after < capacity * (this.thresholds.critical() - this.thresholds.recoveryMargin())) {
			// the heap in use was mostly garbage (a concurrent collector letting it fill
			// between cycles): do not trust it again until the next confirmation is allowed
			this.usedRefutedNanos = end;
			this.usedRefuted = true;
		}
		long count = this.confirmations.incrementAndGet();
		logger.info("Confirmed {} memory pressure with a full collection (#{}, {} ms): live heap estimate {}% -> {}%",
				raising ? "rising" : "critical", count, TimeUnit.NANOSECONDS.toMillis(end - now),
				Math.round(ratio * 100), Math.round((double) after / capacity * 100));
		return after;
	}

	private MemoryPressure heapLevel(double ratio, MemoryPressure current) {
		MemoryThresholds t = this.thresholds;
		if (ratio >= t.critical()
				|| (current == MemoryPressure.CRITICAL && ratio >= t.critical() - t.recoveryMargin())) {
			return MemoryPressure.CRITICAL;
		}
		if (ratio >= t.warning()
				|| (current.isAtLeast(MemoryPressure.WARNING) && ratio >= t.warning() - t.recoveryMargin())) {
			return MemoryPressure.WARNING;
		}
		return MemoryPressure.NORMAL;
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
	public long confirmations() {
		return this.confirmations.get();
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
	 * the heap in use until the next collection reports.
	 */
	private void seedFromEarlierCollections() {
		if (gcCount() == 0) {
			return;
		}
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

	private void onNotification(Notification notification, @Nullable Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
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
