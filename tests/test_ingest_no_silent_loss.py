"""No silent loss at ingest (issue 14): CSV doubled quotes, inputs that yield nothing, one-line reasons,
mojibake, time zones, outlet names; and the command line around them (stores, limits, help, exit
statuses). Every input is a small file the test writes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from newsweave.cli import cli
from newsweave.errors import StoreError, UsageError
from newsweave.ingest import IngestOptions, read_inputs
from newsweave.ingest.build import Fields, build_article
from newsweave.ingest.outletname import clean_outlet_name
from newsweave.model import Article, Rejected

BODY = (
    "The harbour council met on Tuesday and voted to rebuild the old pier, officials said on Wednesday. "
    "Work will start in May and cost about four million euros, according to the mayor's office."
)


def _read(*paths: Path | str) -> list[Article | Rejected]:
    return list(read_inputs([str(p) for p in paths], IngestOptions()))


def test_csv_with_doubled_quotes_keeps_every_row(tmp_path: Path) -> None:
    f = tmp_path / "export.csv"
    f.write_text(
        "title,text,url\n"
        'Pier plan,"The council said ""yes"" to the pier, and ""no"" to the road, on Tuesday evening.",'
        "https://a.example/1\n"
        'Road plan,"Work starts in May, the mayor said, and the road will close for a month.",https://a.example/2\n'
        'Bridge,"A ""new"" bridge, finally, for the town, and a new road beside it next year.",https://a.example/3\n',
        encoding="utf-8",
    )
    out = _read(f)
    assert all(isinstance(a, Article) for a in out), out
    assert [a.title for a in out] == ["Pier plan", "Road plan", "Bridge"]  # type: ignore[union-attr]
    assert out[0].text.startswith('The council said "yes" to the pier')  # type: ignore[union-attr]


def test_inputs_that_yield_nothing_are_rejections(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    warc = tmp_path / "nothing.warc"
    warc.write_bytes(
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Length: 4\r\n"
        b"Content-Type: application/warc-fields\r\n\r\nab\r\n\r\n\r\n"
    )
    arc = tmp_path / "nothing.arc"  # an ARC file holding only its file description record
    desc = b"1 0 Harbour\nURL IP-address Archive-date Content-type Archive-length\n"
    arc.write_bytes(
        b"filedesc://nothing.arc 0.0.0.0 20240101000000 text/plain %d\n" % len(desc) + desc + b"\n"
    )
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n", encoding="utf-8")
    out = _read(empty, warc, arc, blank)
    assert all(isinstance(r, Rejected) for r in out), out
    reasons = {r.path: r.reason for r in out if isinstance(r, Rejected)}
    assert "empty folder" in reasons[str(empty)]
    assert "no readable HTML record" in reasons[str(warc)]
    assert "no readable HTML record" in reasons[str(arc)]
    assert reasons[str(blank)]  # a file with nothing in it is named too


def test_broken_warc_reason_is_one_clean_line_in_full(tmp_path: Path) -> None:
    warc = tmp_path / "broken.warc"
    warc.write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: notanumber\r\n" + b"x" * 300 + b"\r\n\r\n"
    )
    out = _read(warc)
    assert out and all(isinstance(r, Rejected) for r in out)
    for r in out:
        assert "\\n" not in r.reason and "\n" not in r.reason and "\r" not in r.reason  # type: ignore[union-attr]
        assert not r.reason.endswith("...")  # type: ignore[union-attr]


def test_mojibake_is_repaired_and_recorded(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    record = {
        "title": "Syria\u00e2\u20ac\u2122s harbour",
        "text": BODY.replace("mayor's", "mayor\u00e2\u20ac\u2122s"),
    }
    f.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (a,) = _read(f)
    assert isinstance(a, Article)
    assert a.title == "Syria\u2019s harbour" and "mayor\u2019s office" in a.text
    assert a.origin.format.endswith("mojibake repaired")
    clean = build_article(Fields(text=BODY, title="Syria\u2019s harbour"), "b.txt", "", "text")
    assert isinstance(clean, Article) and clean.origin.format == "text"


def test_time_zones_are_kept_or_left_naive() -> None:
    def published(raw: str) -> datetime | None:
        a = build_article(Fields(text=BODY, published=raw), "x.json", "", "json")
        assert isinstance(a, Article)
        return a.published_at

    naive = published("2024-05-03T10:00:00")
    assert naive == datetime(2024, 5, 3, 10, 0) and naive.tzinfo is None  # not stamped UTC
    kept = published("2024-05-03T10:00:00+01:00")
    assert kept is not None and kept.isoformat() == "2024-05-03T10:00:00+01:00"
    day = published("2024-05-03")
    assert day is not None and day.tzinfo is None and day.date().isoformat() == "2024-05-03"
    a = Article(id="x", text=BODY, published_at=naive)
    assert a.published_utc == datetime(2024, 5, 3, 10, 0, tzinfo=UTC)


def test_outlet_names_come_from_the_registry_then_clean_metadata_then_the_domain() -> None:
    def source(name: str | None, url: str | None) -> str | None:
        a = build_article(Fields(text=BODY, source=name, url=url), "p.html", "", "html")
        assert isinstance(a, Article)
        return a.source

    assert source("Reuters_Co_Uk", "https://uk.reuters.com/article/x") == "Reuters"
    assert (
        source("Breaking Australian and World News Headlines - 9News", "https://www.9news.com.au/a")
        == "9News"
    )
    assert source("TAZ Verlags- und Vertriebs GmbH", "https://taz.de/x") == "TAZ"
    assert source("Pier_Gazette_Example", "https://pier.gazette.example/x") == "pier.gazette.example"
    assert source(None, "https://www.harbourtimes.example/x") == "harbourtimes.example"
    assert clean_outlet_name("(c) 2025 Harbour Press Ltd. All rights reserved") is None


def _run(args: list[str], env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(cli(), args, env=env)


def test_read_only_commands_never_create_a_store(tmp_path: Path) -> None:
    db = tmp_path / "typo" / "x.duckdb"
    for cmd in (
        ["stories"],
        ["articles"],
        ["rejected"],
        ["articles", "--json"],
        ["story", "abc"],
        ["report", "abc"],
    ):
        r = _run([*cmd, "--db", str(db)])
        # StoreError: main() prints "error: ..." and exits 1
        assert isinstance(r.exception, StoreError), (cmd, r.output)  # type: ignore[attr-defined]
        assert str(db) in str(r.exception) and "no store" in str(r.exception)  # type: ignore[attr-defined]
    assert not db.parent.exists()


def test_default_store_is_named_on_stderr(tmp_path: Path) -> None:
    env: dict[str, str | None] = {"NEWSWEAVE_DB": None, "XDG_DATA_HOME": str(tmp_path / "data")}
    r = CliRunner().invoke(cli(), ["articles"], env=env)
    assert "store:" in r.stderr and "the default" in r.stderr and str(tmp_path / "data") in r.stderr, r.output
    assert isinstance(r.exception, StoreError) and not (tmp_path / "data").exists()  # nothing created


def test_empty_input_set_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "s.duckdb"
    r = _run(["add", str(empty), str(tmp_path / "none-*.txt"), "--db", str(db)])
    # UsageError: main() prints "error: ..." and exits 2
    assert isinstance(r.exception, UsageError), r.output  # type: ignore[attr-defined]
    assert "nothing to read" in str(r.exception) and not db.exists()  # type: ignore[attr-defined]


def test_articles_json_is_not_cut_and_a_table_says_when_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(105):
        (folder / f"a{i:03d}.txt").write_text(f"Title: Pier report {i}\n\nReport number {i}. {BODY}\n")
    db = str(tmp_path / "s.duckdb")
    assert _run(["add", str(folder), "--db", db, "--no-analyse", "--no-cluster"]).exit_code == 0  # type: ignore[attr-defined]
    r = CliRunner().invoke(cli(), ["articles", "--json", "--db", db])
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 105
    r = CliRunner().invoke(cli(), ["articles", "--db", db, "--limit", "10"])
    assert r.exit_code == 0 and "more are stored" in r.stderr
    # outside a terminal a listing is tab-separated values: a header, then one line per row
    lines = r.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "source", "published", "title", "words"]
    assert len(lines) == 11 and all(len(line.split("\t")) == 5 for line in lines)


def test_help_shows_flags_as_flags() -> None:
    for cmd in (["add", "--help"], ["articles", "--help"], ["outlets", "--help"]):
        r = _run(cmd)
        assert r.exit_code == 0  # type: ignore[attr-defined]
        out = r.output  # type: ignore[attr-defined]
        assert "<bool>" not in out and "<list[str]>" not in out, out


def test_outlets_command_lists_the_registry_and_user_files(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[pierpost]\nname = "The Pier Post"\ndomains = ["pierpost.example"]\n', encoding="utf-8")
    r = _run(["outlets", "--json"], env={"NEWSWEAVE_OUTLETS": str(user)})
    assert r.exit_code == 0  # type: ignore[attr-defined]
    data = json.loads(r.output)  # type: ignore[attr-defined]
    assert str(user) in data["files"]
    keys = {o["key"]: o for o in data["outlets"]}
    assert keys["pierpost"]["name"] == "The Pier Post" and keys["reuters"]["kind"] == "agency"


def test_progress_reports_each_stage(tmp_path: Path) -> None:
    from newsweave.pipeline import AddOptions, add_inputs
    from newsweave.store import Store

    f = tmp_path / "a.txt"
    f.write_text(f"Title: Pier\n\n{BODY}\n", encoding="utf-8")
    seen: list[tuple[str, int, int | None]] = []
    with Store.open(tmp_path / "s.duckdb") as store:
        add_inputs(store, [str(f)], AddOptions(analyse=False), on_progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert {"read", "dedup", "stories"} <= set(stages)
    assert stages.index("read") < stages.index("dedup") < stages.index("stories")
    assert ("read", 1, 1) in seen and ("stories", 1, 1) in seen


def test_exit_statuses_from_the_installed_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    empty = tmp_path / "empty"
    empty.mkdir()
    typo = tmp_path / "typo" / "x.duckdb"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "newsweave", *args], capture_output=True, text=True, timeout=120
        )

    r = run("add", str(empty), "--db", str(tmp_path / "s.duckdb"))
    assert r.returncode == 2 and "nothing to read" in r.stderr and not (tmp_path / "s.duckdb").exists()
    r = run("stories", "--db", str(typo))
    assert r.returncode == 1 and str(typo) in r.stderr and not typo.parent.exists()


def test_store_keeps_zones_naive_times_and_updates_apart(tmp_path: Path) -> None:
    from newsweave.store import Store

    arts = []
    for i, raw in enumerate(("2024-05-03T10:00:00", "2024-05-03T10:00:00+01:00")):
        a = build_article(
            Fields(text=f"{i} {BODY}", published=raw, updated="2024-05-04T08:00:00Z"), "x", "", "json"
        )
        assert isinstance(a, Article)
        arts.append(a)
    with Store.open(tmp_path / "s.duckdb") as store:
        store.add_articles(arts)
        back = {a.published_raw: a for a in store.iter_articles()}
    naive = back["2024-05-03T10:00:00"]
    assert naive.published_at == datetime(2024, 5, 3, 10, 0) and naive.published_at.tzinfo is None
    zoned = back["2024-05-03T10:00:00+01:00"]
    assert zoned.published_at is not None and zoned.published_at.isoformat() == "2024-05-03T10:00:00+01:00"
    assert zoned.updated_raw == "2024-05-04T08:00:00Z"


def test_record_bylines_are_people_and_updates_are_kept_apart(tmp_path: Path) -> None:
    f = tmp_path / "export.jsonl"
    rows = [
        {"text": BODY, "authors": ["Brazil, Rachel", "Hale, Tom"], "modified": "2025-02-02T10:00:00Z"},
        {"text": "Second. " + BODY, "author": "Sophie Foster, Sophie-Foster", "source": "Harbour Gazette"},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    a, b = _read(f)
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.byline == "Rachel Brazil; Tom Hale" and a.updated_raw == "2025-02-02T10:00:00Z"
    assert a.published_raw is None  # an update time is never taken as the publication time
    assert b.byline == "Sophie Foster"
