package dev.memoryguard.test;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WithMemoryPressure} on a test class.
 */
@SpringBootTest(classes = GuardedApplication.class)
@WithMemoryPressure(MemoryPressure.WARNING)
class WithMemoryPressureOnClassTests {

	@Autowired
	private MemoryGuard guard;

	private MemoryPressure beforeEach;

	@BeforeEach
	void levelBeforeEach() {
		this.beforeEach = this.guard.pressure();
	}

	@Test
	void levelOfTheClassAppliesToEachMethodFromBeforeEachOn() {
		assertThat(this.beforeEach).isEqualTo(MemoryPressure.WARNING);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.WARNING);
	}

	@Test
	@WithMemoryPressure(MemoryPressure.CRITICAL)
	void levelOfAMethodWinsOverTheClass() {
		assertThat(this.beforeEach).isEqualTo(MemoryPressure.CRITICAL);
		assertThat(this.guard.pressure()).isEqualTo(MemoryPressure.CRITICAL);
	}

}
