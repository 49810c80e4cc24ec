package dev.memoryguard.test;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import dev.memoryguard.MemoryProbe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;

/**
 * Replaces the auto-configured {@link MemoryProbe} (the JVM's) with a
 * {@link TestMemoryProbe}, once the configuration classes are read: a probe the
 * application or the test defines itself is kept, and where no guard is configured
 * nothing is added.
 */
final class TestMemoryProbeContextCustomizer implements ContextCustomizer {

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		// added to the context, a plain post-processor runs after the configuration classes were read
		context.addBeanFactoryPostProcessor(TestMemoryProbeContextCustomizer::replaceAutoConfiguredProbe);
	}

	private static void replaceAutoConfiguredProbe(ConfigurableListableBeanFactory beanFactory) {
		if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
			return;
		}
		List<String> autoConfigured = new ArrayList<>();
		for (String name : beanFactory.getBeanNamesForType(MemoryProbe.class, true, false)) {
			if (!registry.containsBeanDefinition(name)
					|| !isAutoConfigured(registry, registry.getBeanDefinition(name))) {
				// the application's or the test's own probe
				return;
			}
			autoConfigured.add(name);
		}
		for (String name : autoConfigured) {
			registry.removeBeanDefinition(name);
			RootBeanDefinition probe = new RootBeanDefinition(TestMemoryProbe.class);
			probe.setDescription("Memory probe of @WithMemoryPressure tests");
			registry.registerBeanDefinition(name, probe);
		}
	}

	private static boolean isAutoConfigured(BeanDefinitionRegistry registry, BeanDefinition definition) {
		String factory = definition.getFactoryBeanName();
		if (factory == null || !registry.containsBeanDefinition(factory)) {
			return false;
		}
		String factoryClass = registry.getBeanDefinition(factory).getBeanClassName();
		return MemoryGuardAutoConfiguration.class.getName().equals(factoryClass);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		// part of the context cache key: every test class using the annotation shares one context
		return other != null && other.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

	@Override
	public String toString() {
		return "TestMemoryProbeContextCustomizer";
	}

}
