package dev.memoryguard.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Hints for the failure analyzers that explain a bad property or a bad
 * {@code @MemorySafe} attribute. They are created from {@code META-INF/spring.factories}
 * when startup fails, whichever auto-configurations matched, so this registrar is listed
 * in {@code META-INF/spring/aot.factories} rather than imported by one of them.
 */
class MemoryGuardFailureAnalyzersRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(InvalidMemoryGuardPropertyFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)
			.registerType(InvalidMemorySafeFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
	}

}
