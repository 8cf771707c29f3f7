"""LOG_FORMAT=json: one JSON object a line (python-json-logger; docs/decisions/0017).

Only the fields below are written, whatever a library passes in `extra` (django.request and
django.server pass the request itself, whose repr carries the query string), and every string is
masked for SSNs once more, the traceback included (python-json-logger formats the exception
itself, not the text the RedactSsns filter already masked).
"""

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .redact import redact_ssns_in

# Every line: when, how bad, where from, what, and which request and user (by id).
FIELDS = ["levelname", "name", "message", "request_id", "user_id"]
RENAMED = {"levelname": "level", "name": "logger"}
# The access-log line adds these (tracker/access_log.py); a traceback adds exc_info.
EXTRAS = {"method", "path", "status", "duration_ms", "view", "exc_info", "stack_info"}
KEPT = {"time", *(RENAMED.get(name, name) for name in FIELDS), *EXTRAS}


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        super().__init__(FIELDS, rename_fields=RENAMED, timestamp="time")

    def process_log_record(self, log_data):
        # The time first, as a person reading the raw lines expects it.
        kept = {"time": log_data.get("time")}
        kept.update((key, value) for key, value in log_data.items() if key in KEPT)
        # The request id is our own random hex, never personal data: about one in twenty has 9
        # digits in a row, which masking would turn into ***-**-…, and that request's lines could
        # no longer be found by the id its X-Request-ID header and 500 page give.
        return {
            key: value if key == "request_id" else redact_ssns_in(value)
            for key, value in kept.items()
        }
