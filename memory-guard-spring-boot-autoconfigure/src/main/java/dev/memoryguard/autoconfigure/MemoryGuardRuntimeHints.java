package dev.memoryguard.autoconfigure;

import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;

/**
 * Hints for what the guard itself reaches reflectively: HotSpot's diagnostic bean and its
 * flags (the object layout of the cache weigher, {@code -XX:+DisableExplicitGC}),
 * {@code Thread.isVirtual()}, which job accounting finds by a method handle because the
 * starter is compiled for Java 17, and {@code @MemorySafe} with its attributes.
 * <p>
 * Where a native image has no HotSpot diagnostic bean the guard uses its documented
 * defaults; the cgroup files are plain file reads and need no hint.
 */
class MemoryGuardRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(HotSpotDiagnosticMXBean.class, MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerType(VMOption.class, MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerType(Thread.class, (type) -> type.withMethod("isVirtual", List.of(), ExecutableMode.INVOKE))
			.registerType(MemorySafe.class, MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerType(OnPressure.class, MemberCategory.INVOKE_PUBLIC_METHODS);
	}

}
