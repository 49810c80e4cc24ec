package dev.memoryguard.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.ContextCustomizer;

import dev.memoryguard.MemoryPressure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WithMemoryPressureContextCustomizerFactory}.
 */
class WithMemoryPressureContextCustomizerFactoryTests {

	private final WithMemoryPressureContextCustomizerFactory factory = new WithMemoryPressureContextCustomizerFactory();

	@Test
	void classWithoutTheAnnotationKeepsItsContext() {
		assertThat(this.factory.createContextCustomizer(Plain.class, List.of())).isNull();
	}

	@Test
	void annotationOnTheClassOrOnAnyMethodAddsTheProbe() {
		assertThat(this.factory.createContextCustomizer(OnClass.class, List.of())).isNotNull();
		assertThat(this.factory.createContextCustomizer(OnMethod.class, List.of())).isNotNull();
		assertThat(this.factory.createContextCustomizer(InheritsMethod.class, List.of())).isNotNull();
	}

	@Test
	void classesUsingTheAnnotationShareOneCachedContext() {
		ContextCustomizer onClass = this.factory.createContextCustomizer(OnClass.class, List.of());
		ContextCustomizer onMethod = this.factory.createContextCustomizer(OnMethod.class, List.of());
		assertThat(onClass).isEqualTo(onMethod).hasSameHashCodeAs(onMethod);
	}

	static class Plain {

		void test() {
		}

	}

	@WithMemoryPressure
	static class OnClass {

	}

	static class OnMethod {

		@WithMemoryPressure(MemoryPressure.WARNING)
		void test() {
		}

	}

	static class InheritsMethod extends OnMethod {

	}

}
