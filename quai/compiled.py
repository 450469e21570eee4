"""Aggregates whose SQL the ORM builds once per key and process: the staff home's "today" cards.

Building and compiling a card's queryset (filters, joins, filtered counts, subqueries) costs
1.5–3 ms of Python per card on this machine, more than the query itself once it reads an index
(staff home, scale 100: five cards, ≈ 12 ms of Python against ≈ 11 ms in the database). The SQL
of a card depends only on its key (the day, the week, the month): `aggregate_once(key, run)`
calls `run()` — one `QuerySet.aggregate()` or `.count()` — through the ORM the first time it sees
`key`, records the one statement it sends with its parameters and the order of its results, and
for the same key afterwards sends that statement again and reads its row the same way. The ORM
stays the only writing of each query; no result is kept, only SQL.

Only for reads whose SQL is a function of the key: nothing from the request, the user or the
clock may go into `run` besides what the key names.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import Any

from django.db import connection

_MAX_KEYS = 64  # a few cards × a day: a new day's keys replace the old ones
_statements: dict[Hashable, tuple[str, tuple, list[str] | None, list[type | None]]] = {}


def aggregate_once(key: Hashable, run: Callable[[], Any]) -> Any:
    """`run()` (a dict from `aggregate()`, or a number from `count()`), its SQL built once for `key`."""
    statement = _statements.get(key)
    if statement is None:
        return _first(key, run)
    sql, params, names, kinds = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    # The ORM's converters give ints for counts and sums of integers (PostgreSQL sums a bigint
    # into a numeric): the same types as the first call's.
    values = [value if value is None or kind is None or isinstance(value, kind) else kind(value) for value, kind in zip(row, kinds)]
    return values[0] if names is None else dict(zip(names, values))


def _first(key: Hashable, run: Callable[[], Any]) -> Any:
    sent: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        sent.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = run()
    names = list(result) if isinstance(result, dict) else None
    values = list(result.values()) if names is not None else [result]
    if len(sent) == 1:  # an empty IN () sends nothing: then nothing is kept, the ORM runs each time
        if len(_statements) >= _MAX_KEYS:
            _statements.clear()
        kinds = [type(value) if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool) else None for value in values]
        _statements[key] = (sent[0][0], sent[0][1], names, kinds)
    return result


def forget() -> None:
    """Drop every statement kept (tests that change the schema or the queries under a key)."""
    _statements.clear()
