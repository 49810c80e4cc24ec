package dev.memoryguard.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.aopalliance.aop.Advice;
import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the place of the {@code @MemorySafe} advice among {@code @Async},
 * {@code @Transactional} and ShedLock's {@code @SchedulerLock}, in the manner of
 * ShedLock's {@code AopOrderingTest}.
 */
class MemorySafeOrderingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class))
		.withUserConfiguration(OrderingConfiguration.class);

	@Test
	void adviceRunsInsideAsyncAndBeforeTransactionAndSchedulerLock() {
		this.contextRunner.run((context) -> {
			Object job = context.getBean(OrderedJob.class);
			List<String> advice = new ArrayList<>();
			for (Advisor advisor : ((Advised) job).getAdvisors()) {
				advice.add(kind(advisor.getAdvice()));
			}
			assertThat(advice).containsSubsequence("async", "memory-safe", "transaction");
			assertThat(advice).containsSubsequence("async", "memory-safe", "scheduler-lock");
		});
	}

	@Test
	void shouldCallAspectsInTheRightOrder() {
		this.contextRunner.run((context) -> {
			Events events = context.getBean(Events.class);
			OrderedJob job = context.getBean(OrderedJob.class);
			job.run().get(10, TimeUnit.SECONDS);
			// the run is accounted once the lock is released and the transaction committed: the
			// memory check wraps both (their own order is ShedLock's and Spring's business)
			assertThat(events.list).hasSize(6).endsWith("ran on async thread");
			assertThat(events.list.subList(0, 2)).containsExactlyInAnyOrder("lock", "begin");
			assertThat(events.list.get(2)).isEqualTo("job");
			assertThat(events.list.subList(3, 5)).containsExactlyInAnyOrder("commit", "unlock");
		});
	}

	@Test
	void callRefusedForMemoryTakesNoLockAndOpensNoTransaction() {
		this.contextRunner.run((context) -> {
			Events events = context.getBean(Events.class);
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			context.getBean(OrderedJob.class).run().get(10, TimeUnit.SECONDS);
			assertThat(events.list).containsExactly("skipped on async thread");
		});
	}

	@Test
	void orderPropertyDecidesWhetherAsyncWrapsTheCheck() {
		ApplicationContextRunner asyncAt100 = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class))
			.withUserConfiguration(AsyncAt100Configuration.class);
		asyncAt100.run((context) -> assertThat(skipOf(context)).isEqualTo("skipped on caller thread"));
		asyncAt100.withPropertyValues("memory-guard.jobs.order=0").run((context) -> {
			assertThat(context.getBean(MemorySafeBeanPostProcessor.class).getOrder()).isZero();
			assertThat(skipOf(context)).isEqualTo("skipped on async thread");
		});
	}

	private static String skipOf(ApplicationContext context) throws Exception {
		context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
		context.getBean(OrderedJob.class).run().get(10, TimeUnit.SECONDS);
		List<String> events = context.getBean(Events.class).list;
		assertThat(events).hasSize(1);
		return events.get(0);
	}

	private static String kind(Advice advice) {
		String name = advice.getClass().getName();
		if (name.contains("Async")) {
			return "async";
		}
		if (name.contains("MemorySafe")) {
			return "memory-safe";
		}
		if (name.contains("Transaction")) {
			return "transaction";
		}
		if (name.contains("shedlock")) {
			return "scheduler-lock";
		}
		return name;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	@EnableTransactionManagement
	@EnableSchedulerLock(defaultLockAtMostFor = "PT30S")
	@Import(OrderingBeans.class)
	static class OrderingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderingBeans {

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

		@Bean
		Events events(JobAccounting accounting) {
			Events events = new Events();
			String main = Thread.currentThread().getName();
			accounting.addListener((job, outcome, allocated, duration) -> events.list.add(outcome.tagValue() + " on "
					+ (Thread.currentThread().getName().equals(main) ? "caller thread" : "async thread")));
			return events;
		}

		@Bean
		RecordingTransactionManager transactionManager(Events events) {
			return new RecordingTransactionManager(events);
		}

		@Bean
		LockProvider lockProvider(Events events) {
			return new RecordingLockProvider(events);
		}

		@Bean
		OrderedJob orderedJob(Events events) {
			return new OrderedJob(events);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync(order = 100)
	@EnableTransactionManagement
	@EnableSchedulerLock(defaultLockAtMostFor = "PT30S")
	@Import(OrderingBeans.class)
	static class AsyncAt100Configuration {

	}

	static class Events {

		final List<String> list = new CopyOnWriteArrayList<>();

	}

	static class OrderedJob {

		private final Events events;

		OrderedJob(Events events) {
			this.events = events;
		}

		@Async
		@MemorySafe
		@SchedulerLock(name = "ordered")
		@Transactional
		public CompletableFuture<Void> run() {
			this.events.list.add("job");
			return CompletableFuture.completedFuture(null);
		}

	}

	static class RecordingLockProvider implements LockProvider {

		private final Events events;

		RecordingLockProvider(Events events) {
			this.events = events;
		}

		@Override
		public Optional<SimpleLock> lock(LockConfiguration lockConfiguration) {
			this.events.list.add("lock");
			return Optional.of(() -> this.events.list.add("unlock"));
		}

	}

	@SuppressWarnings("serial")
	static class RecordingTransactionManager extends AbstractPlatformTransactionManager {

		private final transient Events events;

		RecordingTransactionManager(Events events) {
			this.events = events;
		}

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
			this.events.list.add("begin");
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
			this.events.list.add("commit");
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
			this.events.list.add("rollback");
		}

	}

}
