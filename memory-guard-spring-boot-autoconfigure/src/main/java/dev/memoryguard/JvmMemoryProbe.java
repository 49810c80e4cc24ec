package dev.memoryguard;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link MemoryProbe}: reads the running JVM through its management beans,
 * estimates the live heap from GC notifications ({@link LiveHeapEstimator}) and reads
 * the process RSS and cgroup memory limit on Linux.
 */
public class JvmMemoryProbe implements MemoryProbe {

	private static final long PROCESS_READ_INTERVAL_NANOS = 500_000_000L;

	private static final long OVERHEAD_WINDOW_NANOS = 60_000_000_000L;

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

	private final @Nullable BufferPoolMXBean directPool = directBufferPool();

	private final LiveHeapEstimator estimator;

	private final ContainerMemory container;

	private final double trustUsedAbove;

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

	JvmMemoryProbe(double trustUsedAbove, ContainerMemory container) {
		this.trustUsedAbove = trustUsedAbove;
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
		this.overheadBaseGcMillis = gcMillis();
	}

	@Override
	public MemoryReading read() {
		MemoryUsage heap = this.memory.getHeapMemoryUsage();
		MemoryUsage nonHeap = this.memory.getNonHeapMemoryUsage();
		long capacity = (heap.getMax() > 0) ? heap.getMax() : heap.getCommitted();
		long live = this.estimator.estimate(heap.getUsed(), capacity, this.trustUsedAbove);
		BufferPoolMXBean direct = this.directPool;
		long gcCount = 0;
		for (GarbageCollectorMXBean collector : this.collectors) {
			gcCount += Math.max(0, collector.getCollectionCount());
		}
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
			return new MemoryReading(heap.getUsed(), heap.getCommitted(), heap.getMax(), live, nonHeap.getUsed(),
					nonHeap.getCommitted(), (direct != null) ? direct.getMemoryUsed() : -1,
					(direct != null) ? direct.getCount() : -1, this.rss, this.containerLimit, gcCount,
					Duration.ofMillis(gcMillis), this.gcOverhead);
		}
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
		return "JVM (" + collectorNames() + ")";
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
		if (this.estimator.record(info.getMemoryUsageBeforeGc(), info.getMemoryUsageAfterGc())) {
			Runnable callback = this.readingAvailable;
			if (callback != null) {
				callback.run();
			}
		}
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
