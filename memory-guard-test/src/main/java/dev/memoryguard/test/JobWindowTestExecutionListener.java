package dev.memoryguard.test;

import org.springframework.core.Conventions;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

import dev.memoryguard.MemoryGuard;

/**
 * Opens, around each test method whose application context has a {@link MemoryGuard},
 * the window in which {@link MemoryGuardAssertions#assertThatJob} counts job outcomes, so
 * that jobs run by earlier tests sharing the cached context do not count.
 */
final class JobWindowTestExecutionListener extends AbstractTestExecutionListener {

	private static final String WINDOW = Conventions.getQualifiedAttributeName(JobWindowTestExecutionListener.class,
			"window");

	@Override
	public int getOrder() {
		return WithMemoryPressureTestExecutionListener.ORDER + 1;
	}

	@Override
	public void beforeTestExecution(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		MemoryGuard guard = testContext.getApplicationContext().getBeanProvider(MemoryGuard.class).getIfUnique();
		if (guard != null) {
			testContext.setAttribute(WINDOW, JobWindows.open(guard));
		}
	}

	@Override
	public void afterTestExecution(TestContext testContext) {
		if (testContext.removeAttribute(WINDOW) instanceof JobWindows.Window window) {
			window.close();
		}
	}

}
