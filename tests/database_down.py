"""A database that does not answer, for the tests of what users and clients are told then."""

from contextlib import contextmanager

from django.db import OperationalError, connection


@contextmanager
def database_down(exception=OperationalError):
    """Every query fails as it does while PostgreSQL restarts."""

    def refuse(execute, sql, params, many, context):
        raise exception("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield
