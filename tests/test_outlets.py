"""The outlet registry: one outlet per organisation, user files extend it, bad files are named."""

from __future__ import annotations

import pytest

from newsweave.outlets import OutletRegistryError, load_registry, registry


@pytest.mark.parametrize(
    "source,url,key",
    [
        (None, "http://news.bbc.co.uk/2/hi/x.stm", "bbc"),
        (None, "https://www.bbc.com/news/x", "bbc"),
        ("bbc.co.uk", None, "bbc"),
        (None, "https://uk.reuters.com/article/x", "reuters"),
        (None, "https://in.reuters.com/article/x", "reuters"),
        (None, "http://www.guardian.co.uk/world/x", "guardian"),
        ("The Guardian", None, "guardian"),
        ("the guardian", None, "guardian"),
        (None, "http://abcnews.go.com/x", "abcnews"),  # longest suffix wins over go.com
        (None, "http://espn.go.com/x", "go.com"),  # not registered: registrable domain
        (None, "http://world.example.co.uk/x", "example.co.uk"),
        ("example.co.uk", None, "example.co.uk"),
        ("Harbor  Ledger", None, "harbor ledger"),
    ],
)
def test_outlet_keys(source, url, key):
    assert registry().outlet_key(source, url) == key


def test_user_file_extends_and_overrides(tmp_path, monkeypatch):
    f = tmp_path / "mine.toml"
    f.write_text(
        '[harborledger]\nname = "Harbor Ledger"\ndomains = ["harborledger.example"]\naliases = ["HL"]\n'
        '[bbc]\nname = "The Beeb"\ndomains = ["bbc.co.uk"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSWEAVE_OUTLETS", str(f))
    r = registry()
    assert r.files == (str(f),)
    assert r.outlet_key("HL", None) == "harborledger"
    assert r.outlet_key(None, "https://news.harborledger.example/a") == "harborledger"
    assert r.outlet_name(None, "http://www.bbc.co.uk/x") == "The Beeb"
    assert r.outlet_key(None, "http://www.bbc.com/x") == "bbc.com"  # the override names one domain only


def test_bad_registry_file_is_named(tmp_path):
    f = tmp_path / "broken.toml"
    f.write_text("[x]\nname = \n", encoding="utf-8")
    with pytest.raises(OutletRegistryError, match="broken.toml: not valid TOML"):
        load_registry([f])
    f.write_text('[x]\ndomains = ["a.example"]\n', encoding="utf-8")
    with pytest.raises(OutletRegistryError, match=r"broken.toml: \[x\] has no name"):
        load_registry([f])
    with pytest.raises(OutletRegistryError, match="missing.toml: cannot read"):
        load_registry([tmp_path / "missing.toml"])
