"""A logging filter that masks anything SSN-shaped in a log line, its traceback included: a
message or an exception may quote a value a user typed (MARS-E: no SSN in the logs)."""

import logging

from .redact import redact_ssns

_formatter = logging.Formatter()


class RedactSsns(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_ssns(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_ssns(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_ssns(record.stack_info)
        return True
