package dev.memoryguard.forked;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * Tells which collections the JVM has delivered GC notifications for, so a scenario can
 * wait until the guard has been told of every collection that ran, and prints a
 * {@code GC} line for each.
 * <p>
 * The JVM queues GC notifications in the order collections end and delivers them on one
 * thread, to each collector bean's listeners in the order they were added. Listening after
 * the guard has started therefore means that when a collection shows here, the guard's
 * probe has already recorded it and the guard has re-read; notifications can arrive
 * hundreds of milliseconds after the collection on a busy machine.
 */
final class CollectionNotifications {

	private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

	private final List<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.map(MemoryPoolMXBean::getName)
		.toList();

	private final Map<String, Long> delivered = new ConcurrentHashMap<>();

	private final LongSupplier millis;

	private CollectionNotifications(LongSupplier millis) {
		this.millis = millis;
		for (GarbageCollectorMXBean collector : this.collectors) {
			// notifications of earlier collections were queued before the first one after this
			this.delivered.put(collector.getName(), collector.getCollectionCount());
		}
	}

	/**
	 * Starts listening; call after the guard has started.
	 * @param millis the scenario's clock for the {@code GC} lines
	 * @return the listener
	 */
	static CollectionNotifications listen(LongSupplier millis) {
		CollectionNotifications notifications = new CollectionNotifications(millis);
		for (GarbageCollectorMXBean collector : notifications.collectors) {
			((NotificationEmitter) collector).addNotificationListener(notifications::onNotification, null, null);
		}
		return notifications;
	}

	/**
	 * Returns how many collections each collector has run so far.
	 * @return collection counts by collector name
	 */
	Map<String, Long> counts() {
		Map<String, Long> counts = new ConcurrentHashMap<>();
		for (GarbageCollectorMXBean collector : this.collectors) {
			counts.put(collector.getName(), collector.getCollectionCount());
		}
		return counts;
	}

	/**
	 * Returns whether every collection up to the given counts has been delivered. A
	 * collection that ended before listening started counts as delivered: its
	 * notification, if still queued then, is delivered before that of any later
	 * collection, so ask once a collection has run since.
	 * @param counts collection counts by collector name, from {@link #counts()}
	 * @return whether all of them were delivered
	 */
	boolean delivered(Map<String, Long> counts) {
		return counts.entrySet()
			.stream()
			.allMatch((count) -> this.delivered.getOrDefault(count.getKey(), 0L) >= count.getValue());
	}

	/**
	 * Returns how many collections ran since the given counts.
	 * @param counts collection counts by collector name, from {@link #counts()}
	 * @return the number of collections since
	 */
	long since(Map<String, Long> counts) {
		return counts().entrySet().stream().mapToLong((count) -> count.getValue() - counts.get(count.getKey())).sum();
	}

	private void onNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		GcInfo gc = info.getGcInfo();
		System.out.printf(Locale.ROOT, "GC %d %s #%d (%s, %s) ended at uptime %d ms, heap after %d MB%n",
				this.millis.getAsLong(), info.getGcName(), gc.getId(), info.getGcAction(), info.getGcCause(),
				gc.getEndTime(), heapAfter(gc) >> 20);
		this.delivered.merge(info.getGcName(), gc.getId(), Math::max);
	}

	private long heapAfter(GcInfo gc) {
		long used = 0;
		for (String pool : this.heapPools) {
			MemoryUsage after = gc.getMemoryUsageAfterGc().get(pool);
			used += (after != null) ? after.getUsed() : 0;
		}
		return used;
	}

}
