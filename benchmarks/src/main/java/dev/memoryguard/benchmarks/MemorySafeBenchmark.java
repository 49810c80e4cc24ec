package dev.memoryguard.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.aop.aspectj.AspectJAroundAdvice;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;
import dev.memoryguard.job.JobAccounting;
import dev.memoryguard.job.ThreadAllocation;

/**
 * Cost of calling a {@code @MemorySafe} method at NORMAL pressure (the check, the
 * per-run allocation and duration accounting, the proxy), side by side with the same
 * method called plainly, through a bare Spring AOP {@code @Around} aspect that only
 * proceeds, through Resilience4j's {@code @CircuitBreaker} annotation (its Spring Boot 3
 * auto-configuration and aspect, which start on Boot 4), and through a
 * {@code CircuitBreaker.decorateSupplier} without AOP. One Spring Boot context holds all
 * of them, so every variant sees the same JIT and proxy settings.
 * <p>
 * Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar MemorySafeBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemorySafeBenchmark {

	private ConfigurableApplicationContext context;

	private Work plain;

	private AroundWork around;

	private GuardedWork guarded;

	private BreakerWork breaker;

	private Supplier<Long> decorated;

	@Setup(Level.Trial)
	public void start() {
		this.context = new SpringApplicationBuilder(BenchmarkConfiguration.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=warn")
			.run();
		if (this.context.getBean(MemoryGuard.class).pressure() != MemoryPressure.NORMAL) {
			throw new IllegalStateException("the benchmark measures the NORMAL path");
		}
		this.plain = new Work();
		this.around = this.context.getBean(AroundWork.class);
		this.guarded = this.context.getBean(GuardedWork.class);
		this.breaker = this.context.getBean(BreakerWork.class);
		CircuitBreakerRegistry registry = this.context.getBean(CircuitBreakerRegistry.class);
		// every variant must really be advised, or the figures compare nothing
		this.around.work();
		this.guarded.work();
		this.breaker.work();
		check(AopUtils.isAopProxy(this.around) && Arrays.stream(((Advised) this.around).getAdvisors())
			.anyMatch((advisor) -> advisor.getAdvice() instanceof AspectJAroundAdvice), "@Around");
		check(this.context.getBean(JobAccounting.class).stats("benchmark").runs() == 1, "@MemorySafe");
		check(registry.circuitBreaker("annotated").getMetrics().getNumberOfSuccessfulCalls() == 1, "@CircuitBreaker");
		CircuitBreaker circuitBreaker = registry.circuitBreaker("decorated");
		Work target = new Work();
		this.decorated = CircuitBreaker.decorateSupplier(circuitBreaker, target::work);
	}

	private static void check(boolean advised, String what) {
		if (!advised) {
			throw new IllegalStateException(what + " is not applied");
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	@Benchmark
	public long plainCall() {
		return this.plain.work();
	}

	@Benchmark
	public long bareAroundAspect() {
		return this.around.work();
	}

	@Benchmark
	public long memorySafe() {
		return this.guarded.work();
	}

	@Benchmark
	public long resilience4jCircuitBreakerAnnotation() {
		return this.breaker.work();
	}

	@Benchmark
	public long resilience4jDecorateSupplier() {
		return this.decorated.get();
	}

	/**
	 * The allocation reading a guarded run takes twice, alone.
	 * @return the current thread's allocated bytes
	 */
	@Benchmark
	public long threadAllocatedBytes() {
		return ThreadAllocation.currentThreadAllocatedBytes();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, MemoryGuardAutoConfiguration.class,
			MemorySafeAutoConfiguration.class, CircuitBreakerAutoConfiguration.class })
	static class BenchmarkConfiguration {

		@Bean
		AroundWork aroundWork() {
			return new AroundWork();
		}

		@Bean
		GuardedWork guardedWork() {
			return new GuardedWork();
		}

		@Bean
		BreakerWork breakerWork() {
			return new BreakerWork();
		}

		@Bean
		BareAspect bareAspect() {
			return new BareAspect();
		}

	}

	/**
	 * The work every variant does: a little arithmetic on a field.
	 */
	public static class Work {

		private long counter;

		public long work() {
			return ++this.counter;
		}

	}

	public static class AroundWork extends Work {

		@Override
		@Bare
		public long work() {
			return super.work();
		}

	}

	public static class GuardedWork extends Work {

		@Override
		@MemorySafe(name = "benchmark", onPressure = dev.memoryguard.annotation.OnPressure.FAIL)
		public long work() {
			return super.work();
		}

	}

	public static class BreakerWork extends Work {

		@Override
		@io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "annotated")
		public long work() {
			return super.work();
		}

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface Bare {

	}

	/**
	 * An aspect that only proceeds: the cost of Spring AOP itself.
	 */
	@Aspect
	public static class BareAspect {

		@Around("@annotation(dev.memoryguard.benchmarks.MemorySafeBenchmark.Bare)")
		public Object around(ProceedingJoinPoint joinPoint) throws Throwable {
			return joinPoint.proceed();
		}

	}

}
