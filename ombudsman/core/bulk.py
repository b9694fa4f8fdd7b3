"""Fast inserts of many rows for the sweeps (audit events, letter requests) and the load data.

Written by hand because Django's bulk_create builds a model and binds every value as a query
parameter, which dominates the cost at tens of thousands of rows; PostgreSQL's COPY streams
plain values instead. Other databases (the SQLite trial) and small batches use bulk_create."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.sql import InsertQuery, UpdateQuery
from psycopg.types.json import Jsonb

COPY_THRESHOLD = 200  # below this, bulk_create is as fast and returns the new rows' ids


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Take `count` ids from the table's sequence (PostgreSQL), for rows inserted later with them."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def orm_insert_sql(objects: Sequence[models.Model], *, with_ids: bool = False) -> tuple[str, list[Any]]:
    """The ORM's own INSERT of unsaved `objects` of one model (their field values may be
    expressions), as SQL and parameters, for a statement that writes more than one table."""
    model = type(objects[0])
    fields = [
        field
        for field in model._meta.concrete_fields
        if (with_ids or not field.primary_key) and not getattr(field, "generated", False)
    ]
    query = InsertQuery(model)
    query.insert_values(fields, objects)
    ((sql, params),) = query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    return sql, list(params)


def orm_update_sql(model: type[models.Model], pk: Any, values: dict[str, Any]) -> tuple[str, list[Any]]:
    """The ORM's own UPDATE of one row's `values` ({field name: value}), as SQL and parameters."""
    query = UpdateQuery(model)
    query.add_update_values(values)
    query.add_filter("pk", pk)
    sql, params = query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    return sql, list(params)


def execute_with(ctes: Sequence[tuple[str, str, Sequence[Any]]], statement: str, params: Sequence[Any]) -> tuple:
    """Run `statement` after the named statements `ctes` (name, SQL, parameters), all in one
    (PostgreSQL's WITH, each run once), and return its first row. For a use case that writes
    several tables while it holds a lock: each round trip saved shortens the lock. Written by
    hand because the ORM writes one table per statement."""
    prefix = ", ".join(f"{name} AS MATERIALIZED ({sql})" for name, sql, _params in ctes)
    every_param = [param for _name, _sql, cte_params in ctes for param in cte_params] + list(params)
    with connections[DEFAULT_DB_ALIAS].prepared_cursor() as cursor:
        cursor.execute(f"WITH {prefix} {statement}", every_param)
        return cursor.fetchone()


def insert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    unique_field: str | None = None,
    with_ids: bool = False,
) -> list[int] | None:
    """Insert rows given as {attname: value} for every column but the id.

    With `unique_field`, rows that would collide are skipped and the ids of the inserted rows
    are returned; without it, the ids are returned for small batches and None after a COPY.
    With `with_ids`, each row also carries its id (from `reserve_ids`)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if with_ids:
        if connection.vendor != "postgresql" or unique_field is not None:
            raise ValueError("rows with their ids are copied into PostgreSQL only")
    elif connection.vendor != "postgresql" or len(rows) < COPY_THRESHOLD:
        objects = [model(**row) for row in rows]
        if unique_field is None:
            return [obj.pk for obj in model.objects.bulk_create(objects)]
        if connection.vendor == "postgresql":
            # One statement: rows that collide keep their values and still return their ids.
            created = model.objects.bulk_create(
                objects, update_conflicts=True, unique_fields=[unique_field], update_fields=[unique_field]
            )
            return [obj.pk for obj in created]
        model.objects.bulk_create(objects, ignore_conflicts=True)
        keys = [row[model._meta.get_field(unique_field).attname] for row in rows]
        return list(model.objects.filter(**{f"{unique_field}__in": keys}).values_list("pk", flat=True))

    # Generated columns are the database's to write.
    fields = [
        field
        for field in model._meta.concrete_fields
        if (with_ids or not field.primary_key) and not getattr(field, "generated", False)
    ]
    # psycopg adapts plain values itself; only JSON needs its wrapper (with the field's encoder).
    converters = [
        partial(Jsonb, dumps=partial(json.dumps, cls=field.encoder)) if isinstance(field, models.JSONField) else None
        for field in fields
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        target = table
        if unique_field is not None:
            target = quote(f"staging_{uuid.uuid4().hex}")
            # Names come from the model and uuid4, never from input.
            staging = f"CREATE TEMPORARY TABLE {target} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
            cursor.execute(staging)
        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        convert(row[field.attname]) if convert else row[field.attname]
                        for field, convert in zip(fields, converters, strict=True)
                    ]
                )
        if unique_field is None:
            return None
        conflict = quote(model._meta.get_field(unique_field).column)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} "  # noqa: S608
            f"ON CONFLICT ({conflict}) DO NOTHING RETURNING id"
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {target}")
        return ids
