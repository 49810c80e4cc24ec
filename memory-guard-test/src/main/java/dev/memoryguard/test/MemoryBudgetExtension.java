package dev.memoryguard.test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

import dev.memoryguard.Sizes;
/**
 * Measures each test method under a {@link MemoryBudget} and fails the test when it went
 * over: what it allocated, read around the method's invocation alone, and by how much the
 * live heap grew, read with full collections before and after it.
 */
final class MemoryBudgetExtension implements InvocationInterceptor {

	/**
	 * Test methods whose reflective call is set up.
	 */
	private static final Map<Method, Boolean> prepared = Collections.synchronizedMap(new WeakHashMap<>());

	@Override
	public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
			ExtensionContext context) throws Throwable {
		measure(invocation, invocationContext, context);
	}

	@Override
	public void interceptTestTemplateMethod(Invocation<Void> invocation,
			ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
		measure(invocation, invocationContext, context);
	}

	private void measure(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
			ExtensionContext context) throws Throwable {
		Method method = context.getRequiredTestMethod();
		MemoryBudget annotation = Budget.find(method, context.getRequiredTestClass(), context.getEnclosingTestClasses())
			.orElse(null);
		if (annotation == null) {
			invocation.proceed();
			return;
		}
		String test = testName(context);
		Budget budget = Budget.of(annotation, test);
		if (budget.retained() >= 0 && !LiveHeap.isMeasurable()) {
			throw new ExtensionConfigurationException("@MemoryBudget(retained = ...) on " + test
					+ " needs full collections, but the JVM runs with -XX:+DisableExplicitGC; remove the flag from "
					+ "the test JVM's options (Surefire's argLine)");
		}
		prepareInvocation(invocationContext);
		long liveBefore = (budget.retained() >= 0) ? LiveHeap.measure() : -1;
		Allocation allocation = (budget.allocated() >= 0) ? Allocation.start(budget.threads()) : null;
		Map<String, String> entries = new LinkedHashMap<>();
		List<String> overBudget = new ArrayList<>();
		boolean returned = false;
		try {
			invocation.proceed();
			returned = true;
		}
		finally {
			if (allocation != null) {
				allocation.stop();
				entries.put("memory.allocated", allocation.describe());
				entries.put("memory.allocated.budget", Budget.format(budget.allocated()));
				if (allocation.bytes() < 0 || allocation.bytes() > budget.allocated()) {
					overBudget.add("allocated " + allocation.summary() + ", budget " + Budget.format(budget.allocated())
							+ allocation.detail());
				}
			}
			if ((liveBefore < 0 || !returned) && !entries.isEmpty()) {
				context.publishReportEntry(entries);
			}
		}
		if (liveBefore >= 0) {
			// only once the method returned: a failed test is not worth the collections
			long liveAfter = LiveHeap.measure(liveBefore + budget.retained());
			long retained = liveAfter - liveBefore;
			entries.put("memory.retained",
					signed(retained) + " (" + retained + " bytes, " + LiveHeap.describe(liveBefore, liveAfter) + ")");
			entries.put("memory.retained.budget", Budget.format(budget.retained()));
			context.publishReportEntry(entries);
			if (retained > budget.retained()) {
				overBudget.add("retained " + Sizes.format(retained) + " (" + LiveHeap.describe(liveBefore, liveAfter)
						+ "), budget " + Budget.format(budget.retained()));
			}
		}
		if (!overBudget.isEmpty()) {
			throw new AssertionFailedError(test + " " + String.join("; ", overBudget));
		}
	}

	/**
	 * Makes the JDK set up the reflective call of the test method now rather than in the
	 * measured one: from Java 18 the first call of a method of each new signature
	 * allocates up to 400 KB on the calling thread (method handles are spun). A call with
	 * one argument too many sets the call up and is refused before the method runs.
	 */
	private static void prepareInvocation(ReflectiveInvocationContext<Method> invocationContext) {
		Method method = invocationContext.getExecutable();
		if (prepared.containsKey(method) || !method.trySetAccessible()) {
			return;
		}
		prepared.put(method, Boolean.TRUE);
		try {
			method.invoke(invocationContext.getTarget().orElse(null), new Object[method.getParameterCount() + 1]);
		}
		catch (IllegalArgumentException | IllegalAccessException ex) {
			// refused, as intended: wrong number of arguments
		}
		catch (InvocationTargetException ex) {
			throw new IllegalStateException("A call with the wrong number of arguments ran " + method, ex);
		}
	}

	private static String signed(long bytes) {
		return (bytes < 0) ? "-" + Sizes.format(-bytes) : Sizes.format(bytes);
	}

	/**
	 * The method's name, with the invocation's display name for parameterized and
	 * repeated tests.
	 */
	private static String testName(ExtensionContext context) {
		String name = context.getRequiredTestMethod().getName();
		boolean invocation = context.getParent().flatMap(ExtensionContext::getTestMethod).isPresent();
		return invocation ? name + " " + context.getDisplayName() : name;
	}

}
