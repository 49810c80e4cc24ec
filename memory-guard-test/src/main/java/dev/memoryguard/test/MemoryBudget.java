package dev.memoryguard.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Fails a JUnit Jupiter test that allocates, or keeps, more memory than its budget.
 * <pre class="code">
 * &#064;Test
 * &#064;MemoryBudget(allocated = "50MB", retained = "2MB")
 * void nightlyReportStaysInBudget() {
 *     this.report.build();
 * }
 * </pre>
 * fails, when the report allocates too much, with
 * {@code nightlyReportStaysInBudget allocated 73.4 MB (test thread), budget 50 MB}.
 * <p>
 * On a test class the budget applies to each test method (also to each invocation of a
 * parameterized or repeated test); a budget on a method replaces the one on its class.
 * Only the test method itself is measured, not {@code @BeforeEach} and {@code @AfterEach}
 * methods or the creation of the test instance (a Spring application context, for
 * example). Each test publishes what it measured as JUnit report entries
 * ({@code memory.allocated}, {@code memory.retained}), which IDEs show with the test and
 * JUnit's Open Test Reporting XML records (Maven Surefire's reports leave them out).
 * <p>
 * A test with a {@link #retained()} budget, or one that counts {@link Threads#ALL all
 * threads}, holds JUnit's global resource lock in read-write mode: in a parallel run it
 * runs alone, so that other tests' memory does not count.
 * <p>
 * Sizes are written as Spring's {@code DataSize} reads them, in binary units:
 * {@code 512KB}, {@code 50MB} (52,428,800 bytes), {@code 1GB}.
 *
 * @see MemoryAssertions
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MemoryBudgetExtension.class)
@ResourceLock(providers = MemoryBudgetLocks.class)
public @interface MemoryBudget {

	/**
	 * Most bytes the test method may allocate on the counted {@link #threads() threads},
	 * garbage included, for example {@code "50MB"}. Empty for no allocation budget.
	 * @return the allocation budget
	 */
	String allocated() default "";

	/**
	 * Most bytes by which the live heap may have grown when the test method returns, for
	 * example {@code "2MB"}: what the test left reachable (in a static field, a cache, a
	 * listener list). The live heap is read after full collections ({@link System#gc()}),
	 * repeated until two readings agree, before and after the method. Empty for no
	 * retention budget.
	 * @return the retention budget
	 */
	String retained() default "";

	/**
	 * Whose allocation {@link #allocated()} counts.
	 * @return the threads counted
	 */
	Threads threads() default Threads.CURRENT;

}
