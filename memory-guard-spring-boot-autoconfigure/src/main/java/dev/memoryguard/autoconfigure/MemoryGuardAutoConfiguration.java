package dev.memoryguard.autoconfigure;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.job.JobAccounting;

/**
 * Auto-configuration for the {@link MemoryGuard}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MemoryGuardProperties.class)
public final class MemoryGuardAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(MemoryGuardAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	MemoryProbe memoryProbe(MemoryGuardProperties properties) {
		return new JvmMemoryProbe(properties.getThresholds().getCritical());
	}

	@Bean
	@ConditionalOnMissingBean
	JobAccounting memoryGuardJobAccounting() {
		return new JobAccounting();
	}

	@Bean
	@ConditionalOnMissingBean
	MemoryGuard memoryGuard(MemoryProbe probe, MemoryGuardProperties properties, JobAccounting jobs,
			ApplicationEventPublisher publisher) {
		MemoryThresholds thresholds = thresholds(properties);
		MemoryGuard guard = new MemoryGuard(probe, thresholds, properties.getSampling().getInterval(), jobs,
				Clock.systemUTC());
		guard.addListener(publisher::publishEvent);
		logger.info(
				"memory-guard active: warning at {}%, critical at {}% of max heap (live heap after GC), container {}%/{}%, sampling every {}, readings from {}",
				percent(thresholds.warning()), percent(thresholds.critical()), percent(thresholds.containerWarning()),
				percent(thresholds.containerCritical()), DurationStyle.SIMPLE.print(properties.getSampling().getInterval()),
				probe.describe());
		return guard;
	}

	static MemoryThresholds thresholds(MemoryGuardProperties properties) {
		MemoryGuardProperties.Thresholds heap = properties.getThresholds();
		MemoryGuardProperties.Container container = properties.getContainer();
		return new MemoryThresholds(heap.getWarning(), heap.getCritical(), heap.getRecoveryMargin(),
				container.getWarning(), container.getCritical());
	}

	private static long percent(double fraction) {
		return Math.round(fraction * 100);
	}

}
