import pytest

from ctz.files import default_cache_dir, replacing


def test_replacing_puts_the_new_file_in_place(tmp_path):
    target = tmp_path / "deep" / "map.html"
    with replacing(target) as temp:
        assert temp.parent == target.parent and temp.suffix == ".html"
        temp.write_text("new", encoding="utf-8")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in target.parent.iterdir()] == ["map.html"]


def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path):
    target = tmp_path / "cache.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target) as temp:
        temp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CTZ_CACHE", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("CTZ_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "ctz"


def test_a_longest_legal_name_is_written(tmp_path):
    name = "长" * 80 + "y" * 10 + ".html"  # 80 three-byte characters + 15 bytes
    assert len(name.encode()) == 255
    target = tmp_path / name
    with replacing(target) as temp:
        temp.write_text("ok", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "ok"


def test_errors_name_the_users_path_not_the_temporary_file(tmp_path):
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    target.mkdir()  # a folder where the file should go
    with pytest.raises(OSError) as caught, replacing(target) as temp:
        temp.write_text("text", encoding="utf-8")
    assert caught.value.filename == str(target)
    assert ".ctz-" not in str(caught.value)
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.md"]
