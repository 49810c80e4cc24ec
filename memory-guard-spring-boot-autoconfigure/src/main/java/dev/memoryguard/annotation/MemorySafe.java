package dev.memoryguard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

import dev.memoryguard.MemoryPressure;

/**
 * Guards a bean method (typically a {@code @Scheduled} job) against memory pressure:
 * before each call the guard checks the level and the headroom, and skips, defers or
 * refuses the call when memory is short. Every call that runs is accounted with the bytes
 * its thread allocated.
 * <p>
 * On a type, every public method of the bean is guarded. Attribute values are validated
 * when the application starts: an unparsable size or duration, a negative count, or
 * {@code SKIP}/{@code DEFER} on a method that returns a value stop startup with a
 * message naming the bean and method.
 * <pre class="code">
 * &#064;Scheduled(fixedDelay = 60_000)
 * &#064;MemorySafe(name = "nightly-report", requires = "200MB", onPressure = OnPressure.DEFER)
 * void nightlyReport() { ... }
 * </pre>
 * The annotation is {@link Reflective @Reflective}: Spring AOT registers the guarded
 * methods of every bean for reflection, so that they are found and validated in a native
 * image too.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(MemorySafeReflectiveProcessor.class)
public @interface MemorySafe {

	/**
	 * Name the job is accounted, logged and tagged under. Defaults to
	 * {@code SimpleClassName.methodName}.
	 * @return the job name
	 */
	String name() default "";

	/**
	 * Headroom the run needs under the critical threshold, as a size such as
	 * {@code "200MB"}; placeholders such as {@code "${report.headroom}"} are resolved.
	 * Empty means no headroom beyond being below the threshold.
	 * @return the required headroom
	 */
	String requires() default "";

	/**
	 * Level at which the method yields: {@link MemoryPressure#WARNING} or
	 * {@link MemoryPressure#CRITICAL}. Left at {@link MemoryPressure#NORMAL} (a level at
	 * which yielding would make no sense) it takes the application default,
	 * {@code memory-guard.jobs.threshold}, which is CRITICAL unless configured.
	 * @return the threshold level
	 */
	MemoryPressure threshold() default MemoryPressure.NORMAL;

	/**
	 * What happens under pressure. {@link OnPressure#DEFAULT} takes
	 * {@code memory-guard.jobs.on-pressure} (SKIP unless configured).
	 * @return the policy
	 */
	OnPressure onPressure() default OnPressure.DEFAULT;

	/**
	 * For {@link OnPressure#DEFER}: how long to wait before re-checking when memory has
	 * not recovered, such as {@code "30s"} or {@code "PT30S"}. Empty takes
	 * {@code memory-guard.jobs.defer-delay}.
	 * @return the defer delay
	 */
	String deferDelay() default "";

	/**
	 * For {@link OnPressure#DEFER}: how often one call may be deferred before it is
	 * counted as skipped. {@code -1} takes {@code memory-guard.jobs.max-deferrals}.
	 * @return the maximum number of deferrals
	 */
	int maxDeferrals() default -1;

}
