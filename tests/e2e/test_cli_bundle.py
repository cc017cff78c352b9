"""``studio bundle export`` on one PC and ``studio bundle import`` on another, as real subprocesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_cli import demo_id, studio

pytestmark = pytest.mark.slow


def test_a_bulletin_file_carries_a_bulletin_to_another_data_folder(tmp_path: Path) -> None:
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    bulletin = demo_id(office)
    exported = studio(office, "bundle", "export", bulletin, "-o", str(tmp_path / "usb" / "ban-tin"))
    assert exported.returncode == 0, exported.stderr
    path = Path(exported.stdout.strip())
    assert path == tmp_path / "usb" / "ban-tin.bantin" and path.is_file()
    assert "Exported “Bản tin mẫu – Đài truyền thanh xã” with 0 recordings" in exported.stderr

    assert studio(laptop, "demo").returncode == 0  # the laptop has a station (and its own sample) already
    imported = studio(laptop, "bundle", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    number, uid, title = imported.stdout.strip().split("\t")
    assert title == "Bản tin mẫu – Đài truyền thanh xã" and number == "2"
    assert f"as bulletin No. {number}" in imported.stderr
    listed = studio(laptop, "list").stdout
    assert f"{number}\t{uid}\tdraft" in listed

    again = studio(laptop, "bundle", "import", str(path))
    assert again.returncode == 0 and again.stdout.split("\t")[0] == number
    assert "This file was imported before" in again.stderr

    broken = tmp_path / "broken.bantin"
    broken.write_bytes(path.read_bytes()[:500])
    refused = studio(laptop, "bundle", "import", str(broken), lang="vi")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "broken.bantin" in refused.stderr
