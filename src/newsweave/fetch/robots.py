"""robots.txt, read as RFC 9309 says: a file that is missing (4xx) allows everything, one that cannot be
reached (5xx, network error, over the size limit) forbids everything until it can be read."""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RobotsRules:
    """The rules of one origin for one user agent token."""

    parser: urllib.robotparser.RobotFileParser | None  # None: the whole site is allowed or forbidden
    allow_all: bool
    fetched_at: float
    reason: str = ""  # why everything is forbidden, when it is

    def allows(self, url: str, token: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(token, url)

    def crawl_delay(self, token: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        return float(delay) if delay is not None else None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def rules_from_text(text: str) -> RobotsRules:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    return RobotsRules(parser=parser, allow_all=True, fetched_at=time.monotonic())


def allow_everything() -> RobotsRules:
    return RobotsRules(parser=None, allow_all=True, fetched_at=time.monotonic())


def forbid_everything(reason: str) -> RobotsRules:
    return RobotsRules(parser=None, allow_all=False, fetched_at=time.monotonic(), reason=reason)
