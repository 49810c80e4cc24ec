package dev.memoryguard.test;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Conventions;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.AbstractTestExecutionListener;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryProbe;

/**
 * Sets the level a {@link WithMemoryPressure} asks for before each test method (the
 * method's annotation wins over its class's) and puts it back to NORMAL after it. The
 * level is set on the {@link ManualMemoryProbe} the context's guard reads: the
 * {@link TestMemoryProbe} {@link TestMemoryProbeContextCustomizer} put there, or the
 * test's own.
 */
final class WithMemoryPressureTestExecutionListener extends AbstractTestExecutionListener {

	/**
	 * Runs after Spring's own listeners (dependency injection, transactions, SQL scripts),
	 * beside Spring Security's {@code WithSecurityContextTestExecutionListener}.
	 */
	static final int ORDER = 10_000;

	private static final String PROBE = Conventions.getQualifiedAttributeName(
			WithMemoryPressureTestExecutionListener.class, "probe");

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		WithMemoryPressure annotation = find(testContext);
		if (annotation == null) {
			return;
		}
		ManualMemoryProbe probe = probe(testContext);
		testContext.setAttribute(PROBE, probe);
		if (annotation.liveRatio() >= 0) {
			probe.setLiveRatio(annotation.liveRatio());
		}
		else {
			probe.setPressure(annotation.value());
		}
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (testContext.removeAttribute(PROBE) instanceof ManualMemoryProbe probe) {
			probe.setPressure(MemoryPressure.NORMAL);
		}
	}

	private static @Nullable WithMemoryPressure find(TestContext testContext) {
		WithMemoryPressure onMethod = AnnotatedElementUtils.findMergedAnnotation(testContext.getTestMethod(),
				WithMemoryPressure.class);
		return (onMethod != null) ? onMethod
				: TestContextAnnotationUtils.findMergedAnnotation(testContext.getTestClass(), WithMemoryPressure.class);
	}

	private static ManualMemoryProbe probe(TestContext testContext) {
		String test = testContext.getTestClass().getSimpleName() + "." + testContext.getTestMethod().getName();
		ApplicationContext context = testContext.getApplicationContext();
		MemoryGuard guard = context.getBeanProvider(MemoryGuard.class).getIfUnique();
		if (guard == null) {
			throw new IllegalStateException("@WithMemoryPressure on " + test + " needs a MemoryGuard in the "
					+ "application context, and there is none: memory-guard.enabled=false, or a slice test "
					+ "without memory-guard's auto-configuration (add "
					+ "@ImportAutoConfiguration(MemoryGuardAutoConfiguration.class))");
		}
		MemoryProbe probe = guard.probe();
		if (!(probe instanceof ManualMemoryProbe manual)) {
			throw new IllegalStateException("@WithMemoryPressure on " + test + " cannot set the level: the guard "
					+ "reads the application's own MemoryProbe (" + probe.describe() + "), which is not a "
					+ "ManualMemoryProbe; remove that bean from the test's context, or make it a TestMemoryProbe");
		}
		return manual;
	}

}
