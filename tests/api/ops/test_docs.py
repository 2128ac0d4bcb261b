"""/docs and /redoc load their scripts from this process: no CDN, so they work offline."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import Api

URL = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_reference_no_other_host_and_their_assets_answer(api: Api, page: str):
    r = api.client.get(page)
    assert r.status_code == 200
    assert "http://" not in r.text and "https://" not in r.text
    assets = URL.findall(r.text)
    assert len(assets) >= 2
    for asset in assets:
        assert asset.startswith("/"), asset
        got = api.client.get(asset)
        assert got.status_code == 200 and len(got.content) > 1000, asset
