"""Compare an engine's silver and gold tables with DuckDB's: same tables, same rows by key, same
columns, every value equal or within the tolerance parity.yaml declares for its column."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from .engines.layers import Rows, Tables

RULES = Path(__file__).with_name("parity.yaml")
_EXAMPLES = 3


@dataclass(frozen=True)
class Tolerance:
    columns: tuple[str, ...]
    absolute: Decimal
    relative: Decimal
    why: str

    def covers(self, column: str) -> bool:
        return any(fnmatchcase(column, pattern) for pattern in self.columns)

    def allows(self, reference: Decimal, engine: Decimal) -> bool:
        scale = max(abs(reference), abs(engine))
        return abs(reference - engine) <= max(self.absolute, self.relative * scale)


@dataclass(frozen=True)
class Surrogate:
    """A key whose values differ per engine (a hash), compared as the natural key it names."""

    column: str
    table: str
    natural_key: tuple[str, ...]


@dataclass(frozen=True)
class ParityRules:
    keys: dict[str, tuple[str, ...]]
    surrogates: tuple[Surrogate, ...]
    tolerances: tuple[Tolerance, ...]

    def tolerance(self, column: str) -> Tolerance | None:
        return next((rule for rule in self.tolerances if rule.covers(column)), None)


def load_rules(path: Path = RULES) -> ParityRules:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ParityRules(
        keys={table: tuple(columns) for table, columns in document["keys"].items()},
        surrogates=tuple(
            Surrogate(column, spec["table"], tuple(spec["natural_key"]))
            for column, spec in document["surrogates"].items()
        ),
        tolerances=tuple(
            Tolerance(
                columns=tuple(rule["columns"]),
                absolute=Decimal(str(rule.get("absolute", 0))),
                relative=Decimal(str(rule.get("relative", 0))),
                why=rule["why"],
            )
            for rule in document["tolerances"]
        ),
    )


def differences(reference: Tables, engine: Tables, rules: ParityRules) -> list[str]:
    """Every way `engine` differs from `reference` (DuckDB) beyond the declared tolerances."""
    found = [f"{name}: missing" for name in sorted(reference.keys() - engine.keys())]
    found += [f"{name}: not built on DuckDB" for name in sorted(engine.keys() - reference.keys())]
    found += [
        f"{name}: no key declared in parity.yaml"
        for name in sorted(reference.keys() - rules.keys.keys())
    ]
    reference = _with_natural_surrogates(reference, rules.surrogates)
    engine = _with_natural_surrogates(engine, rules.surrogates)
    for name in sorted(reference.keys() & engine.keys() & rules.keys.keys()):
        found += _table_differences(name, reference[name], engine[name], rules)
    return found


def _table_differences(name: str, reference: Rows, engine: Rows, rules: ParityRules) -> list[str]:
    key = rules.keys[name]
    found = []
    for side, rows in (("DuckDB", reference), ("engine", engine)):
        repeated = [
            value for value, count in Counter(_key(row, key) for row in rows).items() if count > 1
        ]
        if repeated:
            found.append(f"{name}: key {key} repeats on {side}, e.g. {repeated[:_EXAMPLES]}")
    expected = {_key(row, key): row for row in reference}
    actual = {_key(row, key): row for row in engine}
    if missing := sorted(expected.keys() - actual.keys(), key=repr):
        found.append(f"{name}: {len(missing)} rows missing, e.g. {missing[:_EXAMPLES]}")
    if extra := sorted(actual.keys() - expected.keys(), key=repr):
        found.append(f"{name}: {len(extra)} rows not on DuckDB, e.g. {extra[:_EXAMPLES]}")
    columns = list(reference[0]) if reference else []
    engine_columns = set(engine[0]) if engine else set(columns)
    found += [f"{name}.{column}: missing" for column in columns if column not in engine_columns]
    found += [f"{name}.{column}: not on DuckDB" for column in sorted(engine_columns - set(columns))]
    matched = sorted(expected.keys() & actual.keys(), key=repr)
    for column in (column for column in columns if column in engine_columns):
        tolerance = rules.tolerance(f"{name}.{column}")
        unequal = [
            (row_key, expected[row_key][column], actual[row_key][column])
            for row_key in matched
            if not same_value(expected[row_key][column], actual[row_key][column], tolerance)
        ]
        if unequal:
            examples = "; ".join(f"{k}: {a!r} vs {b!r}" for k, a, b in unequal[:_EXAMPLES])
            found.append(
                f"{name}.{column}: {len(unequal)} of {len(matched)} rows differ ({examples})"
            )
    return found


def same_value(reference: object, engine: object, tolerance: Tolerance | None) -> bool:
    reference, engine = _plain(reference), _plain(engine)
    if reference is None or engine is None:
        return reference is None and engine is None
    if isinstance(reference, bool) or isinstance(engine, bool):
        return type(reference) is type(engine) and reference == engine
    if isinstance(reference, int | float | Decimal) and isinstance(engine, int | float | Decimal):
        exact_reference, exact_engine = Decimal(str(reference)), Decimal(str(engine))
        if exact_reference == exact_engine:
            return True
        return tolerance is not None and tolerance.allows(exact_reference, exact_engine)
    return reference == engine


def _plain(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _key(row: dict[str, object], columns: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(_plain_key(row[column]) for column in columns)


def _plain_key(value: object) -> object:
    # keys compare across engines whatever numeric type carries them (int, Decimal, float)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def _with_natural_surrogates(tables: Tables, surrogates: tuple[Surrogate, ...]) -> Tables:
    """Each surrogate column's values replaced by the natural key they name in `tables`."""
    for surrogate in surrogates:
        names = {
            row[surrogate.column]: _key(row, surrogate.natural_key)
            for row in tables.get(surrogate.table, [])
        }
        tables = {
            name: [
                {
                    column: (
                        names.get(value, ("unknown", value))
                        if column == surrogate.column and value is not None
                        else value
                    )
                    for column, value in row.items()
                }
                if rows and surrogate.column in rows[0]
                else row
                for row in rows
            ]
            for name, rows in tables.items()
        }
    return tables
