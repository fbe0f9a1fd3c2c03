// Placeholder; replaced by the language front end.
