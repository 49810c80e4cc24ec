package dev.memoryguard.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link ElementSample}.
 */
class ElementSampleTests {

	@Test
	void elementsOfOneSizeAreKnownAfterTheMinimum() {
		ElementSample sample = new ElementSample();
		int walked = walkUntilKnown(sample, (i) -> 120.0);
		assertThat(walked).isEqualTo(ElementSample.MIN_WALKED);
		assertThat(sample.rest(1000)).isEqualTo(120.0 * (1000 - ElementSample.MIN_WALKED));
	}

	@Test
	void whatTheFirstElementSharesWithTheOthersIsNotExtrapolated() {
		ElementSample sample = new ElementSample();
		// the first element also pays for a parent all the elements share
		walkUntilKnown(sample, (i) -> (i == 0) ? 5_000.0 : 100.0);
		assertThat(sample.rest(100)).isEqualTo(100.0 * (100 - ElementSample.MIN_WALKED));
	}

	@Test
	void elementsThatDifferAreWalkedLongerAndStillEstimatedClosely() {
		ElementSample sample = new ElementSample();
		// sizes from 16 to about 4,000 bytes: a list of strings of any length
		int walked = walkUntilKnown(sample, (i) -> 16.0 + (i * 7919 % 1000) * 4);
		assertThat(walked).isGreaterThan(10 * ElementSample.MIN_WALKED).isLessThan(ElementSample.MAX_WALKED);
		double meanOfAll = 16.0 + 999 * 4 / 2.0;
		assertThat(sample.rest(100_000) / (100_000 - walked)).isCloseTo(meanOfAll, within(meanOfAll * 0.05));
	}

	@Test
	void noMoreThanTheMaximumIsWalked() {
		ElementSample sample = new ElementSample();
		int walked = walkUntilKnown(sample, (i) -> (i % 2 == 0) ? 0.0 : 10_000.0 * (i % 7));
		assertThat(walked).isEqualTo(ElementSample.MAX_WALKED);
	}

	@Test
	void nothingIsExtrapolatedWhenEveryElementWasWalked() {
		ElementSample sample = new ElementSample();
		for (int i = 0; i < 20; i++) {
			sample.add(50);
		}
		assertThat(sample.rest(20)).isZero();
		assertThat(new ElementSample().rest(5)).isZero();
	}

	private static int walkUntilKnown(ElementSample sample, java.util.function.IntToDoubleFunction sizes) {
		for (int i = 0; i < 1_000_000; i++) {
			if (sample.add(sizes.applyAsDouble(i))) {
				return sample.walked();
			}
		}
		throw new AssertionError("never known");
	}

}
