"""fundscope: extractors package."""
