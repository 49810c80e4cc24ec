package dev.memoryguard.autoconfigure;

import java.lang.reflect.Method;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardRuntimeHints}.
 */
class MemoryGuardRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	MemoryGuardRuntimeHintsTests() {
		new MemoryGuardRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void hotSpotFlagsCanBeRead() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(HotSpotDiagnosticMXBean.class, "getVMOption"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(VMOption.class, "getValue"))
			.accepts(this.hints);
	}

	@Test
	void isVirtualIsRegisteredByNameForTheMethodHandle() {
		// by name: the method exists from Java 21 only, and this test also runs on 17
		TypeHint thread = this.hints.reflection().getTypeHint(TypeReference.of(Thread.class));
		assertThat(thread).isNotNull();
		assertThat(thread.methods()).anySatisfy((method) -> {
			assertThat(method.getName()).isEqualTo("isVirtual");
			assertThat(method.getParameterTypes()).isEmpty();
			assertThat(method.getMode()).isEqualTo(ExecutableMode.INVOKE);
		});
	}

	@Test
	void everyAttributeOfMemorySafeCanBeRead() {
		for (Method attribute : MemorySafe.class.getDeclaredMethods()) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(attribute)).as(attribute.getName())
				.accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OnPressure.class, "values"))
			.accepts(this.hints);
	}

}
