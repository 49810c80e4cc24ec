package dev.memoryguard.autoconfigure;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

import dev.memoryguard.Durations;
import dev.memoryguard.GarbageCollector;
import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.RequestedCollections;
import dev.memoryguard.Sizes;
import dev.memoryguard.job.JobAccounting;

/**
 * Auto-configuration for the {@link MemoryGuard}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MemoryGuardProperties.class)
@ImportRuntimeHints(MemoryGuardRuntimeHints.class)
public final class MemoryGuardAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuardAutoConfiguration.class);

	private static final String WARNING_PROPERTY = "memory-guard.thresholds.warning";

	private static final String CRITICAL_PROPERTY = "memory-guard.thresholds.critical";

	@Bean
	@ConditionalOnMissingBean
	RequestedCollections memoryGuardRequestedCollections(MemoryGuardProperties properties) {
		return new RequestedCollections(MemoryGuardPropertiesValidator.gcBudget(properties.getSampling().getGcBudget()));
	}

	@Bean
	@ConditionalOnMissingBean
	MemoryProbe memoryProbe(MemoryGuardProperties properties, Environment environment,
			RequestedCollections collections) {
		return new JvmMemoryProbe(thresholds(properties, environment, GarbageCollector.current()),
				properties.getSampling().isConfirmWithGc(), collections);
	}

	@Bean
	@ConditionalOnMissingBean
	JobAccounting memoryGuardJobAccounting() {
		return new JobAccounting();
	}

	@Bean
	@ConditionalOnMissingBean
	MemoryGuard memoryGuard(MemoryProbe probe, MemoryGuardProperties properties, JobAccounting jobs,
			ApplicationEventPublisher publisher, Environment environment) {
		GarbageCollector collector = (probe instanceof JvmMemoryProbe jvm) ? jvm.collector()
				: GarbageCollector.current();
		MemoryThresholds configured = thresholds(properties);
		MemoryThresholds thresholds = (probe instanceof JvmMemoryProbe jvm) ? jvm.thresholds()
				: thresholds(properties, environment, collector);
		MemoryGuard guard = new MemoryGuard(probe, thresholds, properties.getSampling().getInterval(), jobs,
				Clock.systemUTC());
		guard.addListener(publisher::publishEvent);
		String adjusted = thresholds.equals(configured) ? ""
				: String.format(" (%s defaults instead of %d%%/%d%%; set memory-guard.thresholds.* to override)",
						collector.displayName(), percent(configured.warning()), percent(configured.critical()));
		logger.info(
				"memory-guard active: warning at {}%, critical at {}% of max heap (live heap after GC){}, container {}%/{}% ({}), sampling every {}, {}, readings from {}",
				percent(thresholds.warning()), percent(thresholds.critical()), adjusted,
				percent(thresholds.containerWarning()), percent(thresholds.containerCritical()),
				describeContainer(probe, guard), Durations.format(properties.getSampling().getInterval()),
				describeConfirmations(probe), probe.describe());
		return guard;
	}

	private static String describeContainer(MemoryProbe probe, MemoryGuard guard) {
		MemoryReading reading = guard.snapshot().reading();
		String where = (probe instanceof JvmMemoryProbe jvm) ? jvm.describeContainer() : "cgroup from the probe";
		return reading.container().isLimited() ? where + ", limit " + Sizes.format(reading.containerLimit())
				: where + ", no memory limit";
	}

	private static String describeConfirmations(MemoryProbe probe) {
		if (!(probe instanceof JvmMemoryProbe jvm) || !jvm.isConfirmWithGc()) {
			return "confirming full collections off";
		}
		RequestedCollections collections = jvm.collections();
		if (collections.isExplicitGcDisabled()) {
			return "confirming full collections off (-XX:+DisableExplicitGC)";
		}
		return "confirming full collections on (budget " + Math.round(collections.budget() * 1000) / 10.0
				+ "% of wall time)";
	}

	static MemoryThresholds thresholds(MemoryGuardProperties properties) {
		MemoryGuardProperties.Thresholds heap = properties.getThresholds();
		MemoryGuardProperties.Container container = properties.getContainer();
		return new MemoryThresholds(heap.getWarning(), heap.getCritical(), heap.getRecoveryMargin(),
				container.getWarning(), container.getCritical());
	}

	/**
	 * Returns the thresholds in effect on {@code collector}: the configured ones, with
	 * the heap thresholds the user did not set lowered where the collector needs more
	 * headroom.
	 */
	static MemoryThresholds thresholds(MemoryGuardProperties properties, Environment environment,
			GarbageCollector collector) {
		Binder binder = Binder.get(environment);
		return collector.effectiveThresholds(thresholds(properties), isSet(binder, WARNING_PROPERTY),
				isSet(binder, CRITICAL_PROPERTY));
	}

	private static boolean isSet(Binder binder, String property) {
		// the binder sees every form of the name (environment variables included)
		return binder.bind(property, Bindable.of(Double.class)).isBound();
	}

	private static long percent(double fraction) {
		return Math.round(fraction * 100);
	}

}
