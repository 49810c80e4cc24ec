package dev.memoryguard.test;

/**
 * Allocates byte arrays the JIT cannot optimize away.
 */
final class Allocate {

	static final int MB = 1024 * 1024;

	static volatile Object sink;

	private Allocate() {
	}

	/**
	 * Allocates {@code megabytes} arrays of 1 MB each, keeping none.
	 */
	static void megabytes(int megabytes) {
		for (int i = 0; i < megabytes; i++) {
			sink = new byte[MB];
		}
		sink = null;
	}

}
