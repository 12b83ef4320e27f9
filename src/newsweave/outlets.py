"""The outlet registry: which organisation published an article, from its URL or its source name.

Independence is counted per outlet, so ``news.bbc.co.uk``, ``bbc.co.uk`` and ``bbc.com`` must be one outlet,
and so must ``uk.reuters.com`` and ``reuters.com``. Two layers decide:

1. the registry, a TOML file shipped in the package (``newsweave/data/outlets.toml``: name, domains,
   aliases, owner, kind) that users extend or override with their own files (``NEWSWEAVE_OUTLETS``, a
   ``:``-separated list of paths, else ``outlets.toml`` in the user configuration directory). A host matches
   the entry naming its longest suffix (``abcnews.go.com`` before ``go.com``); a source name matches a name
   or alias, case and ``www.`` ignored;
2. outside the registry, the registrable domain by the public suffix list that ships inside ``tldextract``
   (never fetched: ``suffix_list_urls=()``), so ``world.example.co.uk`` and ``example.co.uk`` fold.

A name that is neither a known alias nor a domain is its own outlet (case and spacing folded).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from newsweave.errors import NewsweaveError

log = logging.getLogger(__name__)

ENV_VAR = "NEWSWEAVE_OUTLETS"


class OutletRegistryError(NewsweaveError):
    """A registry file that cannot be read, with its path and the reason."""


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    owner: str | None = None
    kind: str = "outlet"  # or "agency"


@dataclass(frozen=True)
class OutletRegistry:
    outlets: Mapping[str, Outlet]
    files: tuple[str, ...] = ()

    @functools.cached_property
    def _by_domain(self) -> dict[str, str]:
        return {d: o.key for o in self.outlets.values() for d in o.domains}

    @functools.cached_property
    def _by_name(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for o in self.outlets.values():
            for n in (o.name, *o.aliases):
                out.setdefault(_name_key(n), o.key)
        return out

    def by_host(self, host: str) -> Outlet | None:
        """The entry naming the longest suffix of ``host`` (``news.bbc.co.uk`` -> bbc.co.uk's outlet)."""
        parts = host.lower().strip(".").split(".")
        if parts and parts[0] in ("www", "www1", "www2", "m", "amp", "mobile"):
            parts = parts[1:]
        for i in range(len(parts) - 1):
            key = self._by_domain.get(".".join(parts[i:]))
            if key:
                return self.outlets[key]
        return None

    def by_name(self, name: str) -> Outlet | None:
        key = self._by_name.get(_name_key(name))
        return self.outlets[key] if key else None

    def resolve(self, source: str | None, url: str | None) -> Outlet | None:
        """The registry entry for an article's URL, else for its source name (which may be a domain)."""
        host = host_of(url)
        if host:
            o = self.by_host(host)
            if o:
                return o
        if source:
            o = self.by_name(source)
            if o:
                return o
            if _looks_like_domain(source):
                return self.by_host(source)
        return None

    def outlet_key(self, source: str | None, url: str | None) -> str:
        """One key per organisation: the registry key, else the registrable domain of the URL (or of a
        source name that is a domain), else the folded source name; "" when there is nothing."""
        o = self.resolve(source, url)
        if o:
            return o.key
        host = host_of(url) or (source.strip().lower() if source and _looks_like_domain(source) else None)
        if host:
            return registrable_domain(host)
        return _name_key(source or "")

    def outlet_name(self, source: str | None, url: str | None) -> str | None:
        o = self.resolve(source, url)
        return o.name if o else None


def _name_key(name: str) -> str:
    n = name.strip().lower()
    n = re.sub(r"^(?:https?://)?(?:www\.)?", "", n)
    return re.sub(r"\s+", " ", n)


_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?$", re.IGNORECASE)


def _looks_like_domain(s: str) -> bool:
    return bool(_DOMAIN.match(s.strip()))


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return host if host and "." in host else None


@functools.cache
def _extractor():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """``world.example.co.uk`` -> ``example.co.uk`` (public suffix list bundled with tldextract); an IP
    address or a bare name is returned as it is."""
    h = host.lower().strip(".")
    try:
        r = _extractor()(h)
    except Exception as e:  # a broken host name must not stop a report
        log.debug("no registrable domain for %r: %s", host, e)
        return h
    if r.domain and r.suffix:
        return f"{r.domain}.{r.suffix}"
    return h


def _entries(data: Mapping[str, object], path: str) -> Iterable[Outlet]:
    for key, v in data.items():
        if not isinstance(v, dict):
            raise OutletRegistryError(f"{path}: [{key}] is not a table")
        name = v.get("name")
        if not isinstance(name, str) or not name.strip():
            raise OutletRegistryError(f"{path}: [{key}] has no name")
        lists = {}
        for field in ("domains", "aliases"):
            vals = v.get(field, [])
            if not isinstance(vals, list) or not all(isinstance(x, str) for x in vals):
                raise OutletRegistryError(f"{path}: [{key}] {field} must be a list of strings")
            lists[field] = tuple(x.strip().lower() if field == "domains" else x.strip() for x in vals)
        owner = v.get("owner")
        kind = v.get("kind", "outlet")
        yield Outlet(str(key).lower(), name.strip(), lists["domains"], lists["aliases"],
                     owner if isinstance(owner, str) else None, str(kind))  # fmt: skip


def load_registry(extra: Iterable[str | Path] = ()) -> OutletRegistry:
    """The packaged registry with ``extra`` files on top (later files override earlier keys)."""
    text = resources.files("newsweave").joinpath("data/outlets.toml").read_text(encoding="utf-8")
    outlets = {o.key: o for o in _entries(tomllib.loads(text), "outlets.toml (packaged)")}
    files = []
    for p in extra:
        path = Path(p)
        try:
            with path.open("rb") as f:
                data = tomllib.load(f)
        except OSError as e:
            raise OutletRegistryError(f"{path}: cannot read outlet registry: {e.strerror or e}") from e
        except tomllib.TOMLDecodeError as e:
            raise OutletRegistryError(f"{path}: not valid TOML: {e}") from e
        for o in _entries(data, str(path)):
            outlets[o.key] = o
        files.append(str(path))
    return OutletRegistry(outlets, tuple(files))


def user_registry_files() -> list[Path]:
    env = os.environ.get(ENV_VAR)
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    from platformdirs import user_config_dir

    p = Path(user_config_dir("newsweave")) / "outlets.toml"
    return [p] if p.is_file() else []


@functools.cache
def _default(env: str | None) -> OutletRegistry:
    return load_registry(user_registry_files())


def registry() -> OutletRegistry:
    """The registry in force (packaged + user files), loaded once per value of ``NEWSWEAVE_OUTLETS``."""
    return _default(os.environ.get(ENV_VAR))
