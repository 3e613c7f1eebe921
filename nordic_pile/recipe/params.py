"""Check a step's recipe parameters against its `__init__` signature: unknown names, missing ones, wrong types."""

from __future__ import annotations

import collections.abc
import difflib
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union

from nordic_pile.errors import ConfigError


def signature_params(cls) -> dict[str, inspect.Parameter]:
    """The keyword parameters of `cls.__init__` (without self, *args, **kwargs)."""
    params = inspect.signature(cls.__init__).parameters
    return {n: p for n, p in params.items() if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def type_hints(cls) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls.__init__)
    except Exception:  # noqa: BLE001 - unresolvable forward references: check names only
        return {}


def describe(tp) -> str:
    """A type as a user reads it: `int`, `a list of str`, `one of 'a', 'b'`, `str or null`."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is type(None):
        return "null"
    if origin in (Union, types.UnionType):
        return " or ".join(describe(a) for a in args)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin in (list, tuple, collections.abc.Sequence, set, frozenset):
        return f"a list of {describe(args[0])}" if args else "a list"
    if origin in (dict, collections.abc.Mapping):
        return f"a mapping of {describe(args[0])} to {describe(args[1])}" if args else "a mapping"
    return getattr(tp, "__name__", str(tp))


def matches(value, tp) -> bool:
    """Whether a YAML value fits annotation `tp`; typing constructs we do not know are accepted."""
    if tp is Any or tp is inspect.Parameter.empty:
        return True
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        return any(matches(value, a) for a in args)
    if tp is type(None):
        return value is None
    if origin is Literal:
        return value in args
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    if origin in (list, tuple, collections.abc.Sequence, set, frozenset) or tp in (list, tuple):
        if not isinstance(value, (list, tuple)):
            return False
        item = args[0] if args else Any
        return all(matches(v, item) for v in value)
    if origin in (dict, collections.abc.Mapping) or tp is dict:
        if not isinstance(value, dict):
            return False
        k, v = args if args else (Any, Any)
        return all(matches(a, k) and matches(b, v) for a, b in value.items())
    if isinstance(tp, type):
        return isinstance(value, tp)
    return True


def check_params(
    cls,
    params: dict,
    where: str,
    supplied: tuple[str, ...] = (),
    extra: tuple[str, ...] = (),
    key_where: Callable[[str], str] | None = None,
) -> None:
    """Raise one ConfigError line for the first problem: `where.key: problem; fix` (`key_where(key)` gives the
    `file:line: path.key` of a parameter when the caller knows its line)."""
    known = signature_params(cls)
    hints = type_hints(cls)
    at = key_where or (lambda key: f"{where}.{key}")
    for key, value in params.items():
        if key in supplied:
            raise ConfigError(f"{at(key)}: set by nordic-pile itself (from --input/--output); remove it")
        if key not in known:
            close = difflib.get_close_matches(str(key), [*known, *extra], n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            names = ", ".join([*extra, *(n for n in known if n not in supplied)])
            raise ConfigError(f"{at(key)}: unknown parameter; {hint}parameters: {names or '(none)'}")
        tp = hints.get(key, known[key].annotation)
        if not matches(value, tp):
            raise ConfigError(f"{at(key)}: expected {describe(tp)}, got {value!r} ({type(value).__name__})")
    for name, p in known.items():
        if p.default is inspect.Parameter.empty and name not in params and name not in supplied:
            raise ConfigError(f"{where}: missing required parameter {name!r} ({describe(hints.get(name, Any))})")
