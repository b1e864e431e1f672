"""Browser tests: headless Chromium through Playwright, axe-core."""
