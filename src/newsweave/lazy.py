"""Package names imported on first use (PEP 562), so that importing one light module of a package does not
import the heavy ones its ``__init__`` re-exports (spaCy, scikit-learn, SciPy's clustering): a stored
story's ``report`` starts in a fraction of the time.

A package lists its public names under ``TYPE_CHECKING`` (for type checkers and readers) and sets
``__getattr__ = lazy_exports(__name__, {name: module})``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``where[name]`` (a full module name) when
    ``name`` is first read, and keeps the value on the package."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
