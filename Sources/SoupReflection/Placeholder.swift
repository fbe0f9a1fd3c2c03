// Placeholder; replaced by the reflection implementation.
