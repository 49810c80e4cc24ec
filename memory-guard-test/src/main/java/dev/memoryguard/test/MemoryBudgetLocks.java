package dev.memoryguard.test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs tests whose {@link MemoryBudget} reads the whole heap (a {@code retained} budget)
 * or every thread ({@link Threads#ALL}) alone, the way {@code @Isolated} does: they take
 * JUnit's global lock in read-write mode, every other test holds it in read mode.
 */
final class MemoryBudgetLocks implements ResourceLocksProvider {

	private static final Set<Lock> ALONE = Set.of(new Lock(Resources.GLOBAL, ResourceAccessMode.READ_WRITE));

	@Override
	public Set<Lock> provideForClass(Class<?> testClass) {
		return locks(AnnotationSupport.findAnnotation(testClass, MemoryBudget.class).orElse(null));
	}

	@Override
	public Set<Lock> provideForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
		return locks(AnnotationSupport.findAnnotation(testClass, MemoryBudget.class, enclosingInstanceTypes)
			.orElse(null));
	}

	@Override
	public Set<Lock> provideForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
		return locks(Budget.find(testMethod, testClass, enclosingInstanceTypes).orElse(null));
	}

	private static Set<Lock> locks(@Nullable MemoryBudget budget) {
		return Budget.isolates(budget) ? ALONE : Set.of();
	}

}
