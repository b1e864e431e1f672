"""Fault tests: the app under gunicorn killed, overloaded, or without its database."""
