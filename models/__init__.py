"""fundscope: models package."""
