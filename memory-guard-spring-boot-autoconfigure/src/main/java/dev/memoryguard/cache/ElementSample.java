package dev.memoryguard.cache;

/**
 * The sizes of the elements walked so far of a large array or collection, and when they
 * are known well enough to extrapolate to the elements not walked.
 * <p>
 * The first element is left out of the mean: it also pays for what the elements share
 * (a common parent, an interned string), which the others find already counted. The walk
 * may stop once at least {@link #MIN_WALKED} elements were walked and the standard error
 * of the mean is at most {@link #PRECISION} of it: at once for elements of one shape
 * (records of similar strings), much later for elements that differ a lot. It stops at
 * {@link #MAX_WALKED} elements in any case.
 */
final class ElementSample {

	/**
	 * Elements walked before the mean may be trusted.
	 */
	static final int MIN_WALKED = 16;

	/**
	 * Elements walked at most.
	 */
	static final int MAX_WALKED = 1024;

	/**
	 * The largest standard error of the mean, relative to the mean, to extrapolate from.
	 */
	static final double PRECISION = 0.02;

	private int walked;

	private int counted;

	private double mean;

	private double squares;

	private boolean known;

	/**
	 * Records the size of one more element.
	 * @param bytes what walking the element added
	 * @return whether the sample is now good enough to extrapolate from
	 */
	boolean add(double bytes) {
		if (this.walked++ > 0) {
			// Welford's update: numerically stable mean and variance
			this.counted++;
			double delta = bytes - this.mean;
			this.mean += delta / this.counted;
			this.squares += delta * (bytes - this.mean);
		}
		if (this.walked >= MAX_WALKED) {
			this.known = true;
		}
		else if (this.walked >= MIN_WALKED) {
			// standard error <= PRECISION * mean, squared and without divisions
			double bound = PRECISION * this.mean;
			this.known = this.squares <= bound * bound * (this.counted - 1) * this.counted;
		}
		return this.known;
	}

	/**
	 * Returns whether the elements walked so far are enough to extrapolate from.
	 * @return whether the last {@link #add} said so
	 */
	boolean known() {
		return this.known;
	}

	/**
	 * Returns the elements walked.
	 * @return the count
	 */
	int walked() {
		return this.walked;
	}

	/**
	 * Returns the estimated bytes of the elements not walked.
	 * @param size the number of elements in all
	 * @return the extrapolated bytes, {@code 0} when every element was walked
	 */
	double rest(int size) {
		int remaining = size - this.walked;
		return (remaining <= 0 || this.counted == 0) ? 0 : this.mean * remaining;
	}

}
