package dev.memoryguard;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Durations}.
 */
class DurationsTests {

	@Test
	void wholeSecondsAreWrittenInSeconds() {
		assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
		assertThat(Durations.format(Duration.ofMinutes(1))).isEqualTo("60s");
	}

	@Test
	void fractionsOfASecondAreWrittenInMilliseconds() {
		assertThat(Durations.format(Duration.ofMillis(100))).isEqualTo("100ms");
		assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
	}

}
