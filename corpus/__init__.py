"""fundscope: corpus package."""
