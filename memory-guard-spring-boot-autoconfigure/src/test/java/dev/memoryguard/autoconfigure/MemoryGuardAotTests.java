package dev.memoryguard.autoconfigure;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.TestMemoryProbe;
import dev.memoryguard.actuate.endpoint.MemoryDescriptor;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.job.JobAccounting;
import dev.memoryguard.job.JobStats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the starter in an application processed ahead of time, the way
 * {@code spring-boot:process-aot} processes it: the {@code @MemorySafe} proxy class is
 * generated at build time, the hints of the auto-configurations and of
 * {@code aot.factories} are collected, and the generated initializer starts a context
 * whose guarded method is still guarded.
 */
class MemoryGuardAotTests {

	// CGLIB caches the classes it generated: one generation, as one build, for all tests
	private static TestGenerationContext generation;

	private static ClassName initializer;

	@BeforeAll
	static void processAheadOfTime() {
		generation = new TestGenerationContext();
		initializer = new ApplicationContextAotGenerator().processAheadOfTime(application(), generation);
		generation.writeGeneratedContent();
	}

	@Test
	void memorySafeProxyClassIsGeneratedAtBuildTime() {
		List<String> classes = generation.getGeneratedFiles().getGeneratedFiles(Kind.CLASS).keySet().stream().toList();
		String proxy = Reports.class.getName().replace('.', '/') + "$$SpringCGLIB$$0.class";
		assertThat(classes).contains(proxy);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(Reports.class.getName() + "$$SpringCGLIB$$0"))
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(generation.getRuntimeHints());
	}

	@Test
	void hintsOfTheAutoConfigurationsAndOfAotFactoriesAreCollected() {
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Reports.class, "build")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(MemorySafe.class, "requires")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(MemoryDescriptor.HeapDescriptor.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(InvalidMemorySafeFailureAnalyzer.class)).accepts(hints);
	}

	@Test
	@CompileWithForkedClassLoader
	void generatedContextGuardsTheMethod() {
		TestCompiler.forSystem().with(generation).compile((compiled) -> {
			GenericApplicationContext context = new GenericApplicationContext();
			@SuppressWarnings("unchecked")
			ApplicationContextInitializer<GenericApplicationContext> aotInitializer = compiled
				.getInstance(ApplicationContextInitializer.class, initializer.toString());
			aotInitializer.initialize(context);
			context.refresh();
			try {
				Reports reports = context.getBean(Reports.class);
				assertThat(AopUtils.isCglibProxy(reports)).isTrue();
				reports.build();
				context.getBean(TestMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
				reports.build();
				JobStats stats = context.getBean(JobAccounting.class).stats("report");
				assertThat(stats.runs()).isOne();
				assertThat(stats.skipped()).isOne();
				assertThat(Reports.builds).hasValue(1);
			}
			finally {
				context.close();
			}
		});
	}

	private static GenericApplicationContext application() {
		Reports.builds.set(0);
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(Application.class);
		TestPropertyValues.of("management.endpoints.web.exposure.include=memory").applyTo(context);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class,
			MemoryGuardEndpointAutoConfiguration.class })
	public static class Application {

		@Bean
		public TestMemoryProbe memoryProbe() {
			return new TestMemoryProbe();
		}

		@Bean
		public Reports reports() {
			return new Reports();
		}

	}

	public static class Reports {

		static final AtomicInteger builds = new AtomicInteger();

		@MemorySafe(name = "report")
		public void build() {
			builds.incrementAndGet();
		}

	}

}
