// Placeholder; replaced by the test-support implementation.
