package dev.memoryguard.job;

import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;
import dev.memoryguard.testsupport.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code @MemorySafe} jobs that are also {@code @Transactional} and locked
 * across a cluster with ShedLock's JDBC lock provider, on a real PostgreSQL: two
 * application contexts stand for two instances of a service sharing one database.
 */
class MemorySafeClusterTests {

	private static final String LOCK_HELD = "select count(*) from memory_safe_shedlock where name = 'cluster-report' and lock_until > now()";

	private final JdbcTemplate jdbc = new JdbcTemplate(EmbeddedPostgres.dataSource());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class))
		.withUserConfiguration(ClusterNode.class);

	@BeforeEach
	void createTables() {
		this.jdbc.execute("create table if not exists memory_safe_shedlock (name varchar(64) not null primary key, "
				+ "lock_until timestamp not null, locked_at timestamp not null, locked_by varchar(255) not null)");
		this.jdbc.execute("drop table if exists memory_safe_report");
		this.jdbc.execute("create table memory_safe_report (id serial primary key, node varchar(16), in_transaction boolean)");
		this.jdbc.execute("truncate memory_safe_shedlock, memory_safe_report");
	}

	@Test
	void skippedJobOpensNoTransactionAndLeavesTheLockToAnotherInstance() {
		this.contextRunner.withPropertyValues("node=a").run((nodeA) -> {
			this.contextRunner.withPropertyValues("node=b").run((nodeB) -> {
				nodeA.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
				nodeA.getBean(ReportJob.class).report();
				assertThat(nodeA.getBean(CountingTransactionManager.class).begun.get()).isZero();
				assertThat(this.jdbc.queryForObject(LOCK_HELD, Integer.class)).isZero();
				assertThat(nodeA.getBean(JobAccounting.class).stats("cluster-report").skipped()).isOne();

				nodeB.getBean(ReportJob.class).report();
				assertThat(nodeB.getBean(CountingTransactionManager.class).begun.get()).isOne();
				assertThat(this.jdbc.queryForList("select node from memory_safe_report", String.class))
					.containsExactly("b");
				// node b holds the lock for at least a minute: had node a taken it, b could not have run
				assertThat(this.jdbc.queryForObject(LOCK_HELD, Integer.class)).isOne();

				nodeA.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.NORMAL);
				nodeA.getBean(ReportJob.class).report();
				assertThat(this.jdbc.queryForList("select node from memory_safe_report", String.class))
					.as("the lock taken by b keeps a from running")
					.containsExactly("b");
			});
		});
	}

	@Test
	void transactionOfAJobThatRunsIsRealAndCommitted() {
		this.contextRunner.withPropertyValues("node=a").run((node) -> {
			node.getBean(ReportJob.class).report();
			assertThat(node.getBean(CountingTransactionManager.class).begun.get()).isOne();
			assertThat(this.jdbc.queryForList("select in_transaction from memory_safe_report", Boolean.class))
				.containsExactly(true);
			assertThat(this.jdbc.queryForList("select node from memory_safe_report", String.class))
				.containsExactly("a");
			assertThat(node.getBean(JobAccounting.class).stats("cluster-report").runs()).isOne();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	@EnableSchedulerLock(defaultLockAtMostFor = "PT5M")
	static class ClusterNode {

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

		@Bean
		DataSource dataSource() {
			return EmbeddedPostgres.dataSource();
		}

		@Bean
		CountingTransactionManager transactionManager(DataSource dataSource) {
			return new CountingTransactionManager(dataSource);
		}

		@Bean
		LockProvider lockProvider(DataSource dataSource) {
			return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
				.withJdbcTemplate(new JdbcTemplate(dataSource))
				.withTableName("memory_safe_shedlock")
				.usingDbTime()
				.build());
		}

		@Bean
		ReportJob reportJob(DataSource dataSource, @Value("${node}") String node) {
			return new ReportJob(new JdbcTemplate(dataSource), node);
		}

	}

	static class ReportJob {

		private final JdbcTemplate jdbc;

		private final String node;

		ReportJob(JdbcTemplate jdbc, String node) {
			this.jdbc = jdbc;
			this.node = node;
		}

		@MemorySafe(name = "cluster-report")
		@SchedulerLock(name = "cluster-report", lockAtLeastFor = "PT1M")
		@Transactional
		public void report() {
			// one transaction spans both statements, else each gets its own id
			Long first = this.jdbc.queryForObject("select txid_current()", Long.class);
			Long second = this.jdbc.queryForObject("select txid_current()", Long.class);
			this.jdbc.update("insert into memory_safe_report (node, in_transaction) values (?, ?)", this.node,
					first.equals(second));
		}

	}

	@SuppressWarnings("serial")
	static class CountingTransactionManager extends DataSourceTransactionManager {

		final transient AtomicInteger begun = new AtomicInteger();

		CountingTransactionManager(DataSource dataSource) {
			super(dataSource);
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
			this.begun.incrementAndGet();
			super.doBegin(transaction, definition);
		}

	}

}
