"""Tests of what a visitor reaches: press pages, the screening form, embedding."""
