from pathlib import Path

import pytest

from ctz.base import InputError
from ctz.catalog.text import read_plan_text

SIMPLIFIED = (
    "二、行动举措\n"
    "5. 推进融城干道建设，建成长沙湘江大道—湘潭滨江路，打通湘潭至长沙汽车南站的快速通道。\n"
    "9. 加快建设长沙港、株洲港、湘潭港，构建长株潭岳组合港。\n"
)
TRADITIONAL = (
    "二、行動舉措\n"
    "5. 推進融城幹道建設，建成長沙湘江大道—湘潭濱江路，打通湘潭至長沙汽車南站的快速通道。\n"
    "9. 加快建設長沙港、株洲港、湘潭港，構建長株潭岳組合港。\n"
)
"""Short synthetic passages in the plans' style, for runs without ../shared."""


def write(tmp_path: Path, text: str, encoding: str) -> Path:
    path = tmp_path / f"001_{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030"])
def test_a_simplified_passage_reads_back_in_each_encoding(tmp_path, encoding):
    assert read_plan_text(write(tmp_path, SIMPLIFIED, encoding)) == SIMPLIFIED


@pytest.mark.parametrize("encoding", ["big5", "cp950", "gb18030", "utf-16", "utf-8-sig"])
def test_a_traditional_passage_reads_back_in_each_encoding(tmp_path, encoding):
    assert read_plan_text(write(tmp_path, TRADITIONAL, encoding)) == TRADITIONAL


@pytest.mark.parametrize(
    ("number", "encoding"),
    [
        ("000", "gb18030"),
        ("000", "utf-16"),
        ("001", "big5"),
        ("001", "gb18030"),
        ("001", "utf-16-le"),
        ("001", "utf-8-sig"),
        ("002", "gb18030"),
        ("003", "gb18030"),
        ("004", "utf-16"),
    ],
)
def test_whole_plan_documents_read_back_in_each_encoding(tmp_path, plan_texts, number, encoding):
    text = plan_texts[number]
    assert read_plan_text(write(tmp_path, text, encoding)) == text


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n" + bytes(200) + b"IHDR",
        bytes(1000),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(0, 256, 3)) * 4,
    ],
    ids=["all-bytes", "png-header", "zeros", "zip-header"],
)
def test_a_binary_file_is_one_line_naming_it(tmp_path, content):
    path = tmp_path / "scan.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="not a plan text") as error:
        read_plan_text(path)
    assert str(error.value).startswith(str(path))
    assert "\n" not in str(error.value)


def test_stray_control_characters_are_dropped(tmp_path):
    path = tmp_path / "001_escapes.txt"
    path.write_bytes((SIMPLIFIED * 3).replace("长沙港", "长沙\x1b港", 1).encode("utf-8"))
    assert read_plan_text(path) == SIMPLIFIED * 3


def test_an_empty_file_is_an_error(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\n  \n")
    with pytest.raises(InputError, match="empty file"):
        read_plan_text(path)


def test_a_missing_file_or_a_folder_cannot_be_read(tmp_path):
    for path in (tmp_path / "missing.txt", tmp_path):
        with pytest.raises(InputError, match="cannot read") as error:
            read_plan_text(path)
        assert str(error.value).startswith(str(path))
