package dev.memoryguard.autoconfigure;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import dev.memoryguard.actuate.endpoint.MemoryDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryEndpoint;
import dev.memoryguard.actuate.history.HistoryPoint;
import dev.memoryguard.MemoryPressure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryEndpointRuntimeHints}.
 */
class MemoryEndpointRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void everyRecordOfTheEndpointIsBoundForJackson() {
		new MemoryEndpointRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		List<Class<?>> records = new ArrayList<>(List.of(MemoryDescriptor.class, HistoryPoint.class));
		records.addAll(nestedRecords(MemoryDescriptor.class));
		records.addAll(nestedRecords(MemoryEndpoint.class));
		assertThat(records).hasSizeGreaterThanOrEqualTo(16);
		for (Class<?> record : records) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(record)
				.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).as(record.getName()).accepts(this.hints);
			for (RecordComponent component : record.getRecordComponents()) {
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
					.as(record.getSimpleName() + "." + component.getName())
					.accepts(this.hints);
			}
		}
	}

	@Test
	void everyNestedRecordIsListedByName() {
		// a section reached only through the Object-typed section operation is found by nothing else
		assertThat(MemoryEndpointRuntimeHints.RESPONSE_TYPES).containsAll(nestedRecords(MemoryDescriptor.class))
			.containsAll(nestedRecords(MemoryEndpoint.class))
			.contains(MemoryDescriptor.class, HistoryPoint.class);
	}

	@Test
	void enumsInTheDocumentAreBound() {
		new MemoryEndpointRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(MemoryPressure.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(this.hints);
	}

	private static List<Class<?>> nestedRecords(Class<?> type) {
		return List.of(type.getDeclaredClasses()).stream().filter(Class::isRecord).toList();
	}

}
