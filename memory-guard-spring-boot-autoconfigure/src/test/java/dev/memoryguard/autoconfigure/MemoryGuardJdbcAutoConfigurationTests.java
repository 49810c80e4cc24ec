package dev.memoryguard.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.jdbc.BatchResult;
import dev.memoryguard.jdbc.MemoryAwareBatches;
import dev.memoryguard.jdbc.MemoryAwareJdbc;
import dev.memoryguard.testsupport.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardJdbcAutoConfiguration}.
 */
class MemoryGuardJdbcAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemoryGuardJdbcAutoConfiguration.class));

	private final ApplicationContextRunner withPostgres = this.contextRunner
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + EmbeddedPostgres.jdbcUrl());

	@Test
	void runWithDataSourceShouldCreateMemoryAwareJdbcAndBatches() {
		this.withPostgres.run((context) -> {
			assertThat(context).hasSingleBean(MemoryAwareJdbc.class).hasSingleBean(MemoryAwareBatches.class);
			List<Integer> sizes = new ArrayList<>();
			BatchResult result = context.getBean(MemoryAwareJdbc.class)
				.forEachBatch("select g from generate_series(1, 250) g", (rs, rowNum) -> rs.getInt(1),
						(batch) -> sizes.add(batch.size()));
			assertThat(sizes).containsExactly(100, 100, 50);
			assertThat(result.rows()).isEqualTo(250);
		});
	}

	@Test
	void batchSizePropertiesAreApplied() {
		this.withPostgres.withPropertyValues("memory-guard.jdbc.batch-size=40", "memory-guard.jdbc.min-batch-size=10")
			.run((context) -> {
				List<Integer> sizes = new ArrayList<>();
				context.getBean(MemoryAwareJdbc.class)
					.forEachBatch("select g from generate_series(1, 100) g", (rs, rowNum) -> rs.getInt(1),
							(batch) -> sizes.add(batch.size()));
				assertThat(sizes).containsExactly(40, 40, 20);
				List<Integer> inMemory = new ArrayList<>();
				context.getBean(MemoryAwareBatches.class)
					.forEachBatch(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
							24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41), (batch) -> inMemory
								.add(batch.size()));
				assertThat(inMemory).containsExactly(40, 1);
			});
	}

	@Test
	void closeTimeoutPropertyIsApplied() {
		this.withPostgres.withPropertyValues("memory-guard.jdbc.close-timeout=1ms").run((context) -> {
			MemoryAwareJdbc jdbc = context.getBean(MemoryAwareJdbc.class);
			assertThat(jdbc).extracting("closeTimeout").isEqualTo(Duration.ofMillis(1));
		});
		this.withPostgres.run((context) -> assertThat(context.getBean(MemoryAwareJdbc.class))
			.extracting("closeTimeout")
			.isEqualTo(Duration.ofSeconds(10)));
	}

	@Test
	void zeroCloseTimeoutFailsStartup() {
		this.withPostgres.withPropertyValues("memory-guard.jdbc.close-timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidMemoryGuardPropertyFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("memory-guard.jdbc.close-timeout").contains("'PT0S'");
			assertThat(analysis.getAction()).contains("duration such as 10s");
		});
	}

	@Test
	void runWithoutDataSourceShouldCreateOnlyBatches() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(MemoryAwareJdbc.class)
			.hasSingleBean(MemoryAwareBatches.class));
	}

	@Test
	void runWithoutSpringJdbcShouldCreateOnlyBatches() {
		this.contextRunner.withUserConfiguration(DataSourceConfiguration.class)
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryAwareJdbc.class)
				.hasSingleBean(MemoryAwareBatches.class));
	}

	@Test
	void runWithAUserDataSourceShouldUseIt() {
		this.contextRunner.withUserConfiguration(DataSourceConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MemoryAwareJdbc.class);
			BatchResult result = context.getBean(MemoryAwareJdbc.class)
				.forEachBatch("select 1", (rs, rowNum) -> rs.getInt(1), (batch) -> {
				});
			assertThat(result.rows()).isOne();
		});
	}

	@Test
	void runWhenDisabledShouldCreateNothing() {
		this.withPostgres.withPropertyValues("memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MemoryGuard.class)
				.doesNotHaveBean(MemoryAwareJdbc.class)
				.doesNotHaveBean(MemoryAwareBatches.class));
	}

	@Test
	void userDefinedMemoryAwareJdbcBacksOff() {
		this.withPostgres.withUserConfiguration(UserMemoryAwareJdbcConfiguration.class)
			.run((context) -> assertThat(context).getBean(MemoryAwareJdbc.class)
				.isSameAs(context.getBean("customJdbc")));
	}

	@Configuration(proxyBeanMethods = false)
	static class DataSourceConfiguration {

		@Bean
		DataSource dataSource() {
			return EmbeddedPostgres.dataSource();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMemoryAwareJdbcConfiguration {

		@Bean
		MemoryAwareJdbc customJdbc(DataSource dataSource, MemoryGuard guard) {
			return new MemoryAwareJdbc(new JdbcTemplate(dataSource), guard, 10, 5);
		}

	}

}
