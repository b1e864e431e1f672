"""Gunicorn settings for production: ``gunicorn intake.wsgi:app`` from the
repository root picks this file up by itself. Every value can be overridden on
the command line or with GUNICORN_CMD_ARGS."""

import multiprocessing
import os

bind = os.environ.get("INTAKE_BIND", "127.0.0.1:8000")
# Sync workers: requests are short and the database does the waiting.
workers = int(os.environ.get("INTAKE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Import the app once in the master and fork the workers from it: a recycled
# worker (max_requests) starts at once instead of importing everything again,
# and workers share the memory of code they never write to. No connection is
# open before the fork (AUTO_MIGRATE is off in production). New code needs a
# restart, not a HUP.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Behind a reverse proxy on the same host: trust its X-Forwarded-* headers only
# from there (the app's PROXY_FIX setting applies ProxyFix).
forwarded_allow_ips = os.environ.get("INTAKE_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No gunicorn access log: the app logs each request itself by its URL rule,
# method, status and duration (intake/logs.py), never the path, query or address.
accesslog = None
errorlog = "-"
