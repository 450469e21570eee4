"""Bulk loading for the demo seed: PostgreSQL COPY instead of INSERT … VALUES.

At `seed_demo --scale 100` (≈ 1 M bookings, 1.6 M registrations) `bulk_create` spends most of its
time in Python, building model instances and SQL parameter lists. `copy_rows` streams plain tuples
through `COPY … FROM STDIN`: every constraint, index and foreign key still checks every row (nothing
is disabled or dropped). Fields the caller does not name get their model default (`timezone.now`
once for the whole load, other callables once per row); a field with neither a default nor null
allowed must be named (ValueError before anything is written).
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Model
from django.utils import timezone

CHUNK_ROWS = 50_000  # rows per COPY statement: bounds the buffer (≈ 10 MB) without a round trip per row

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _array_item(value) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is Decimal or kind is float:
        return str(value)
    if kind is datetime.datetime or kind is datetime.date:
        return value.isoformat()
    if kind is DateTimeTZRange:
        lower = f'"{value.lower.isoformat()}"' if value.lower is not None else ""
        upper = f'"{value.upper.isoformat()}"' if value.upper is not None else ""
        return f"{'[' if value.lower_inc else '('}{lower},{upper}{']' if value.upper_inc else ')'}"
    if kind is list or kind is tuple:
        return ("{" + ",".join(_array_item(item) for item in value) + "}").translate(_ESCAPES)
    if kind is dict:
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """`count` primary keys from the table's own identity sequence (so rows that point at these can
    be written before these are loaded, and later inserts never collide with them)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _fillers(model: type[Model], named: Sequence[str]):
    """(column, value-or-callable) for every concrete column not named; ValueError when one has no value."""
    now = timezone.now()
    fillers, missing = [], []
    for field in model._meta.concrete_fields:
        if field.name in named or field.attname in named or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fillers.append((field.column, now, False))
        elif field.has_default():
            if field.default is timezone.now:
                fillers.append((field.column, now, False))
            elif callable(field.default):
                fillers.append((field.column, field.default, True))
            else:
                fillers.append((field.column, field.get_default(), False))
        elif field.null or field.get_default() is not None:  # Django's own default: "" for text, else NULL
            fillers.append((field.column, field.get_default(), False))
        else:
            missing.append(field.name)
    if missing:
        raise ValueError(f"copy_rows({model.__name__}): no value for {', '.join(missing)}")
    return fillers


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Load `rows` (tuples in the order of `columns`, field names or attnames) into the model's
    table with COPY, in the current transaction. Returns the number of rows written."""
    opts = model._meta
    named = [opts.get_field(name) for name in columns]  # get_field knows attnames ("member_id") too
    fillers = _fillers(model, list(columns))
    constant = "".join("\t" + _text(value) for _column, value, per_row in fillers if not per_row)
    per_row = [value for _column, value, per_row_flag in fillers if per_row_flag]
    quote = connection.ops.quote_name
    all_columns = [field.column for field in named] + [column for column, _v, flag in fillers if not flag] + [
        column for column, _v, flag in fillers if flag
    ]
    sql = f"COPY {quote(opts.db_table)} ({', '.join(quote(c) for c in all_columns)}) FROM STDIN"
    written = 0
    buffer, pending = io.StringIO(), 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor: COPY is not part of Django's cursor API

        def flush():
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            buffer.seek(0)
            buffer.truncate()

        for row in rows:
            line = "\t".join([_text(value) for value in row]) + constant
            if per_row:
                line += "".join("\t" + _text(make()) for make in per_row)
            buffer.write(line)
            buffer.write("\n")
            pending += 1
            written += 1
            if pending == CHUNK_ROWS:
                flush()
                pending = 0
        if pending:
            flush()
    return written


def run_parallel(tasks: Sequence[Callable[[], object]], *, workers: int = 2) -> None:
    """Run independent units of seeding, each in its own transaction on its own connection, `workers`
    at a time (the machine has two cores; PostgreSQL spends them on index maintenance). Each task
    must be complete on its own when it commits. Inside an atomic block (a test, a caller's
    transaction) the tasks run one after the other on this connection: other connections would not
    see the rows they depend on."""
    if connection.in_atomic_block or workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            with transaction.atomic():
                task()
        return

    def run(task):
        try:
            with transaction.atomic():
                task()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(run, task) for task in tasks]:
            future.result()  # the first failure is raised here, after the others finished
