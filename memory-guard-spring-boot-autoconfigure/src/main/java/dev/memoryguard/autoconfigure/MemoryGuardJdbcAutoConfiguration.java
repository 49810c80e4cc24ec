package dev.memoryguard.autoconfigure;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.jdbc.MemoryAwareBatches;
import dev.memoryguard.jdbc.MemoryAwareJdbc;

/**
 * Auto-configuration for memory-aware batches: {@link MemoryAwareBatches} always,
 * {@link MemoryAwareJdbc} when Spring JDBC is on the classpath and a single
 * {@link DataSource} exists.
 */
@AutoConfiguration(after = MemoryGuardAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "memory-guard.enabled", matchIfMissing = true)
@ConditionalOnBean(MemoryGuard.class)
public final class MemoryGuardJdbcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MemoryAwareBatches memoryAwareBatches(MemoryGuard guard, MemoryGuardProperties properties) {
		MemoryGuardProperties.Jdbc jdbc = properties.getJdbc();
		return new MemoryAwareBatches(guard, jdbc.getBatchSize(), jdbc.getMinBatchSize());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcTemplate.class)
	@ConditionalOnSingleCandidate(DataSource.class)
	static class MemoryAwareJdbcConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MemoryAwareJdbc memoryAwareJdbc(DataSource dataSource, ObjectProvider<JdbcTemplate> jdbcTemplate,
				MemoryGuard guard, MemoryGuardProperties properties) {
			JdbcTemplate template = jdbcTemplate.getIfUnique();
			if (template == null || template.getDataSource() != dataSource) {
				template = new JdbcTemplate(dataSource);
			}
			MemoryGuardProperties.Jdbc jdbc = properties.getJdbc();
			return new MemoryAwareJdbc(template, guard, jdbc.getBatchSize(), jdbc.getMinBatchSize(),
					jdbc.getCloseTimeout());
		}

	}

}
