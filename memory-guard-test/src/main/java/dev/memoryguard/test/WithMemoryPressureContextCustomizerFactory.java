package dev.memoryguard.test;

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Gives the application context of a test class that uses {@link WithMemoryPressure}, on
 * the class or on any of its methods, a {@link TestMemoryProbe}. Every such class gets
 * the same customizer, so they share one cached context; classes without it keep theirs.
 */
final class WithMemoryPressureContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return usesAnnotation(testClass) ? new TestMemoryProbeContextCustomizer() : null;
	}

	static boolean usesAnnotation(Class<?> testClass) {
		if (TestContextAnnotationUtils.hasAnnotation(testClass, WithMemoryPressure.class)) {
			return true;
		}
		Method[] methods = ReflectionUtils.getUniqueDeclaredMethods(testClass, ReflectionUtils.USER_DECLARED_METHODS);
		for (Method method : methods) {
			if (MergedAnnotations.from(method).isPresent(WithMemoryPressure.class)) {
				return true;
			}
		}
		return false;
	}

}
