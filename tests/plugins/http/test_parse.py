"""Bad request shapes fail with the JSON path and what was expected (nothing is sent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wirecall.core.errors import CollectionError
from wirecall.core.exchange import Exchange, Settings
from wirecall.plugins.http.handler import HttpHandler

from tests.plugins.http.conftest import AT


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        ({"method": "GET"}, "$.item[0].request.url", "expected the URL"),
        ({"url": {"path": ["x"]}}, "$.item[0].request.url", "neither 'raw' nor 'host'"),
        ({"url": "http://h", "method": 7}, "$.item[0].request.method", "HTTP method"),
        ({"url": "http://h", "body": {"mode": "soap"}}, "$.item[0].request.body.mode",
         "unknown body mode 'soap'; expected one of: none, raw, urlencoded, formdata, file, "
         "graphql"),
        ({"url": "http://h", "header": [{"key": 1}]}, "$.item[0].request.header[0]",
         "string 'key'"),
        ({"url": "h", "body": {"mode": "formdata", "formdata": [{"key": "f", "type": "file"}]}},
         "$.item[0].request.body.formdata[0].src", "file field without 'src'"),
        ({"url": "h", "body": {"mode": "file", "file": {}}}, "$.item[0].request.body.file",
         "without 'src'"),
        ({"url": "http://h", "body": {"mode": "graphql", "graphql": {"variables": "{"}}},
         "$.item[0].request.body.graphql.variables", "variables are not JSON"),
        ([1], "$.item[0].request", "expected a request object or a URL string"),
    ],
)
def test_bad_shapes_name_the_json_path(raw: Any, path: str, message: str) -> None:
    with pytest.raises(CollectionError) as info:
        HttpHandler().parse(raw, AT)
    assert info.value.location is not None and info.value.location.json_path == path
    assert message in info.value.reason
    assert str(info.value).startswith(f"collection.json at {path}: ")


async def test_missing_file_names_the_file_and_path(tmp_path: Path) -> None:
    field = {"key": "f", "type": "file", "src": "nope.txt"}
    raw = {"url": "http://127.0.0.1:9/post", "method": "POST",
           "body": {"mode": "formdata", "formdata": [field]}}
    async with HttpHandler() as handler:
        request = handler.parse(raw, AT)
        with pytest.raises(CollectionError) as info:
            await handler.send(request, Exchange(settings=Settings(working_dir=str(tmp_path))))
    missing = tmp_path / "nope.txt"
    assert f"cannot read file '{missing}': No such file or directory" in str(info.value)
    assert info.value.location == AT.child("body").child("formdata").child(0).child("src")


def test_url_forms() -> None:
    parse = HttpHandler().parse
    assert parse("example.com/a?b=1#frag", AT).full_url == "http://example.com/a?b=1"
    url = {"raw": "https://h/u/:id?x=1", "variable": [{"key": "id", "value": "7"}]}
    request = parse({"url": url}, AT)
    assert request.full_url == "https://h/u/7?x=1"
    request = parse({"url": {"host": ["api", "test"], "path": "/v1/a"}}, AT)
    assert request.full_url == "http://api.test/v1/a"
    assert parse({"url": "unix:/tmp/s.sock:/p"}, AT).full_url == "unix:/tmp/s.sock:/p"
