package dev.memoryguard.annotation;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemorySafeReflectiveProcessor}: what Spring AOT registers for a bean
 * that uses {@link MemorySafe @MemorySafe}.
 */
class MemorySafeReflectiveProcessorTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void annotatedMethodIsRegisteredForInvocation() {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, GuardedMethod.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(GuardedMethod.class, "report"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(GuardedMethod.class, "unguarded"))
			.rejects(this.hints);
	}

	@Test
	void annotatedTypeHasItsPublicMethodsRegistered() {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, GuardedType.class);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(GuardedType.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(GuardedType.class, "export"))
			.accepts(this.hints);
	}

	@Test
	void beanWithoutTheAnnotationIsNotACandidate() {
		assertThat(new ReflectiveRuntimeHintsRegistrar().isCandidate(Unguarded.class)).isFalse();
		assertThat(new ReflectiveRuntimeHintsRegistrar().isCandidate(GuardedMethod.class)).isTrue();
	}

	static class GuardedMethod {

		@MemorySafe(requires = "10MB")
		public void report() {
		}

		public void unguarded() {
		}

	}

	@MemorySafe(onPressure = OnPressure.FAIL)
	static class GuardedType {

		public String export() {
			return "";
		}

	}

	static class Unguarded {

		public void report() {
		}

	}

}
