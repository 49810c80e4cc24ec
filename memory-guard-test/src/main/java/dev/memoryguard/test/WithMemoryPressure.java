package dev.memoryguard.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.parallel.ResourceLock;

import dev.memoryguard.MemoryPressure;

/**
 * Runs a Spring test under simulated memory pressure, the way Spring Security's
 * {@code @WithMockUser} runs it as a user: the test's application context gets a
 * {@link TestMemoryProbe} that the auto-configured guard reads instead of the JVM, the
 * level is set before each test method and put back to NORMAL after it. No bean to
 * declare.
 * <pre class="code">
 * &#064;SpringBootTest
 * class ReportJobTests {
 *
 *     &#064;Test
 *     &#064;WithMemoryPressure(MemoryPressure.CRITICAL)
 *     void reportIsSkippedWhenMemoryIsCritical() {
 *         this.reportJob.run();
 *         assertThatJob(this.guard, "nightly-report").wasSkipped();
 *     }
 *
 * }
 * </pre>
 * On a test class it applies to each test method; on a method it wins over the class's.
 * The level is set before {@code @BeforeEach} methods run, and in force, with every
 * pressure listener called, when they do. Test classes that use it anywhere share one
 * cached application context, which has the test probe; other classes keep theirs. In a
 * parallel JUnit run, tests with the annotation hold a resource lock of their own
 * ({@value #LOCK}), so that two of them never set the level of the shared guard at the
 * same time.
 * <p>
 * An application context that defines a {@link dev.memoryguard.MemoryProbe} of its own
 * keeps it: when it is a {@link dev.memoryguard.ManualMemoryProbe} (a
 * {@link TestMemoryProbe} for example) the level is set on it, otherwise the test fails
 * and says why. Slice tests ({@code @WebMvcTest} and the like) include no memory-guard
 * auto-configuration: add
 * {@code @ImportAutoConfiguration(MemoryGuardAutoConfiguration.class)}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ResourceLock(WithMemoryPressure.LOCK)
public @interface WithMemoryPressure {

	/**
	 * Key of the JUnit resource lock that tests with the annotation hold.
	 */
	String LOCK = "dev.memoryguard.test.WithMemoryPressure";

	/**
	 * The level to run at. It is reached by moving the live heap well inside the level
	 * under the default thresholds (see {@link TestMemoryProbe#setPressure(MemoryPressure)}).
	 * @return the level
	 */
	MemoryPressure value() default MemoryPressure.CRITICAL;

	/**
	 * The live heap after GC, as a fraction of max heap, to run at instead of
	 * {@link #value()}, for example {@code 0.9}: for tests of thresholds, headroom and
	 * {@code requires}. Negative (the default) to use {@link #value()}.
	 * @return the live heap ratio
	 */
	double liveRatio() default -1;

}
