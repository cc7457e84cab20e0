"""fundscope: flows package."""
