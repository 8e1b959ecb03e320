"""What the context store accepts: names, scopes and JSON values, and its limits."""

from __future__ import annotations

import re

from ..errors import BatonError

SCOPES = ("conversation", "user", "global")
RESERVED = frozenset({"baton", "system", "internal", "global", "user", "conversation", "all"})
DEFAULT_MAX_VALUE_BYTES = 64 * 1024
DEFAULT_MAX_KEYS = 1000
DEFAULT_POOL_SIZE = 10  # connections per instance to PostgreSQL
_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")


class StoreError(BatonError, ValueError):
    """A context store call with a bad name, value or scope, or over a limit."""


def check_name(name: object, what: str) -> str:
    """``name`` if it is a valid namespace or key name, else a ``StoreError`` saying why."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise StoreError(f"{what} {name!r} is not allowed: use 1-64 letters, digits or "
                         "underscores (e.g. 'trip_city').")
    return name


def check_namespace(name: object, ttl: object) -> float | None:
    """The TTL to keep for namespace ``name`` (None: forever), or a ``StoreError`` saying
    what is wrong with the name or the TTL."""
    check_name(name, "namespace")
    assert isinstance(name, str)
    if name.lower() in RESERVED or name.lower().startswith("baton_"):
        raise StoreError(f"namespace {name!r} is reserved; pick another name, e.g. "
                         f"'{name}_data'.")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, (int, float))
                            or ttl < 0):
        raise StoreError(f"namespace {name!r}: ttl={ttl!r}; give seconds >= 0 "
                         "(0 or None keeps entries forever).")
    return float(ttl) if ttl else None


MAX_DEPTH = 64  # lists and dicts inside each other; JSON parsers stop somewhere too
# Python turns integers of up to 4,300 digits into text (sys.int_info.default_max_str_digits)
MAX_INT_BITS = 14_000


def check_value(value: object, path: str = "value", depth: int = 0) -> None:
    """Raise ``StoreError`` naming the first part of ``value`` that JSON cannot hold exactly
    (or that no UTF-8 file can: a lone surrogate)."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise StoreError(f"{path} holds a lone surrogate at character {error.start}, "
                             "which is not text; replace or drop it.") from None
        return
    if isinstance(value, int):
        if value.bit_length() > MAX_INT_BITS:
            raise StoreError(f"{path} is an integer of over 4,000 digits; store it as a "
                             "string.")
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise StoreError(f"{path} is {value!r}; JSON has no NaN or infinity.")
        return
    if isinstance(value, (list, tuple, dict)) and depth >= MAX_DEPTH:
        raise StoreError(f"{path} nests lists or dicts more than {MAX_DEPTH} deep; flatten "
                         "it.")
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_value(item, f"{path}[{index}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise StoreError(f"{path} has a {type(key).__name__} key {key!r}; "
                                 "JSON object keys are strings.")
            check_value(key, f"{path} key {key[:20]!r}", depth + 1)
            check_value(item, f"{path}[{key!r}]", depth + 1)
        return
    raise StoreError(f"{path} is a {type(value).__name__}, which the context store cannot keep: "
                     "store str, int, float, bool, None, lists or dicts of them.")
