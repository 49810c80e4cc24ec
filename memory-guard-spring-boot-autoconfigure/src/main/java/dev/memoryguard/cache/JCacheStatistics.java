package dev.memoryguard.cache;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.jspecify.annotations.Nullable;

/**
 * The statistics of one JCache cache, read from the {@code CacheStatisticsMXBean} that
 * JSR-107 providers register in the platform MBean server while statistics are enabled
 * for the cache. Every figure is {@code null} while they are not.
 */
final class JCacheStatistics {

	private static final String[] ATTRIBUTES = { "CacheHits", "CacheMisses", "CacheEvictions" };

	private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

	private final @Nullable ObjectName objectName;

	private final Cache<?, ?> cache;

	JCacheStatistics(Cache<?, ?> cache) {
		this.cache = cache;
		this.objectName = objectName(cache);
	}

	/**
	 * Returns hits over gets since start, {@code null} when statistics are off or
	 * nothing was read yet.
	 */
	@Nullable Double hitRatio() {
		long[] figures = read();
		if (figures == null || figures[0] + figures[1] == 0) {
			return null;
		}
		return (double) figures[0] / (figures[0] + figures[1]);
	}

	/**
	 * Returns the entries evicted since start, {@code null} when statistics are off.
	 */
	@Nullable Long evictions() {
		long[] figures = read();
		return (figures != null) ? figures[2] : null;
	}

	/**
	 * Returns hits, misses and evictions, or {@code null} while statistics are off.
	 */
	private long @Nullable [] read() {
		if (!statisticsEnabled() || this.objectName == null || !this.server.isRegistered(this.objectName)) {
			return null;
		}
		try {
			long[] figures = new long[ATTRIBUTES.length];
			int read = 0;
			for (Attribute attribute : this.server.getAttributes(this.objectName, ATTRIBUTES).asList()) {
				figures[Arrays.asList(ATTRIBUTES).indexOf(attribute.getName())] = ((Number) attribute.getValue())
					.longValue();
				read++;
			}
			return (read == ATTRIBUTES.length) ? figures : null;
		}
		catch (JMException | RuntimeException ex) {
			// unregistered meanwhile: statistics were just turned off
			return null;
		}
	}

	private boolean statisticsEnabled() {
		// some providers register the bean whether or not statistics are enabled
		try {
			return this.cache.getConfiguration(CompleteConfiguration.class).isStatisticsEnabled();
		}
		catch (RuntimeException ex) {
			// no complete configuration: the bean tells
			return true;
		}
	}

	private static @Nullable ObjectName objectName(Cache<?, ?> cache) {
		// the name every provider registers the bean under, as the JSR-107 reference implementation does
		try {
			return new ObjectName("javax.cache:type=CacheStatistics,CacheManager="
					+ sanitize(cache.getCacheManager().getURI().toString()) + ",Cache=" + sanitize(cache.getName()));
		}
		catch (JMException | RuntimeException ex) {
			return null;
		}
	}

	private static String sanitize(@Nullable String name) {
		return (name != null) ? name.replaceAll("[,:=\n]", ".") : "";
	}

}
