"""gunicorn settings for exchange-tracker-web.service (README, "Production").

Read by `gunicorn -c /srv/exchange-tracker/deploy/gunicorn.conf.py tracker.wsgi`. The app's own
settings come from the environment file; these are the web server's.
"""

# The TLS-terminating proxy on the same host talks to this address; nothing else may reach it
# (SECURE_PROXY_SSL_HEADER trusts the proxy's X-Forwarded-Proto).
bind = "127.0.0.1:8000"
# bench/load ran 50 simulated users against 4 workers on 2 cores (docs/decisions/0018); about
# 2 x cores is the usual start. Each worker is a process of its own.
workers = 4
# README: no request may take longer than 60 s (large exports go to the task worker instead).
timeout = 60
# A restart (systemctl reload/restart) lets requests in flight finish first.
graceful_timeout = 30
# Behind nginx on localhost only: whose X-Forwarded-* headers gunicorn believes.
forwarded_allow_ips = "127.0.0.1"
# A worker is replaced after this many requests (with jitter, so not all at once): bounds any
# slow leak without a visible pause.
max_requests = 2000
max_requests_jitter = 200
# Access log to stdout (the journal). The path only, never the query string: a search box query
# may be an SSN (README, "Search"), so %(U)s and not %(r)s.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms [request %({x-request-id}o)s]'
errorlog = "-"
# gc.freeze() after start-up is done by tracker/wsgi.py in each worker (no preload_app here, so
# a restart reloads the code), so no post_fork hook is needed.
# gunicorn 24+ opens a control socket under $HOME by default; the unit's home is read-only
# (ProtectSystem=strict) and systemctl reload/restart do the same job. Older versions ignore it.
control_socket_disable = True
