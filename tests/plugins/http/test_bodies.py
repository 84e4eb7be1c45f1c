"""Every Postman body mode, query and path variable arrives at the echo server as sent."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from wirecall.core.exchange import Settings


def post(url: str, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"method": "POST", "url": f"{url}/post", "body": body, **extra}


@pytest.mark.parametrize(
    ("language", "content_type"),
    [("json", "application/json"), ("xml", "application/xml"), ("text", "text/plain"),
     ("html", "text/html"), ("javascript", "application/javascript"), (None, "text/plain")],
)
async def test_raw_body_gets_postmans_content_type_per_language(
    echo: Any, http_server: str, language: str | None, content_type: str
) -> None:
    text = '{"name": "wire",  "n": [1, 2]}'
    body: dict[str, Any] = {"mode": "raw", "raw": text}
    if language:
        body["options"] = {"raw": {"language": language}}
    got = await echo(post(http_server, body))
    assert got["headers"]["content-type"] == content_type
    assert got["data"] == text  # byte for byte, spacing kept


async def test_items_content_type_header_wins(echo: Any, http_server: str) -> None:
    body = {"mode": "raw", "raw": "{}", "options": {"raw": {"language": "json"}}}
    header = [{"key": "content-type", "value": "application/vnd.api+json"}]
    got = await echo(post(http_server, body, header=header))
    assert got["headers"]["content-type"] == "application/vnd.api+json"  # one header, not two


async def test_urlencoded_fields_are_percent_encoded_and_disabled_ones_skipped(
    echo: Any, http_server: str
) -> None:
    fields = [
        {"key": "a b", "value": "c&d=e"},
        {"key": "skip", "value": "no", "disabled": True},
        {"key": "x", "value": "1"},
        {"key": "x", "value": "2"},
    ]
    got = await echo(post(http_server, {"mode": "urlencoded", "urlencoded": fields}))
    assert got["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert got["form"] == {"a b": "c&d=e", "x": ["1", "2"]}
    # the same body seen as text: spaces as %20, as Postman encodes them
    as_text = [{"key": "Content-Type", "value": "text/plain"}]
    raw = await echo(
        post(http_server, {"mode": "urlencoded", "urlencoded": fields}, header=as_text)
    )
    assert raw["data"] == "a%20b=c%26d%3De&x=1&x=2"


async def test_formdata_sends_text_fields_and_files_from_the_working_dir(
    echo: Any, http_server: str, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("hello file\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "blob.bin").write_bytes(b"\x00\x01\xfe\xff")
    fields = [
        {"key": "title", "value": "report", "type": "text"},
        {"key": "meta", "value": '{"v": 1}', "type": "text", "contentType": "application/json"},
        {"key": "off", "value": "x", "type": "text", "disabled": True},
        {"key": "doc", "type": "file", "src": "notes.txt"},
        {"key": "many", "type": "file", "src": ["data/blob.bin", "notes.txt"],
         "contentType": "application/x-custom"},
    ]
    got = await echo(
        post(http_server, {"mode": "formdata", "formdata": fields}),
        settings=Settings(working_dir=str(tmp_path)),
    )
    assert got["headers"]["content-type"].startswith("multipart/form-data; boundary=")
    assert got["form"] == {"title": "report", "meta": '{"v": 1}'}
    blob = base64.b64encode(b"\x00\x01\xfe\xff").decode()
    assert got["files"] == [
        {"name": "doc", "filename": "notes.txt", "content_type": "text/plain",
         "content": "hello file\n"},
        {"name": "many", "filename": "blob.bin", "content_type": "application/x-custom",
         "content": f"data:application/x-custom;base64,{blob}"},
        {"name": "many", "filename": "notes.txt", "content_type": "application/x-custom",
         "content": "hello file\n"},
    ]


async def test_file_body_sends_the_files_bytes(echo: Any, http_server: str, tmp_path: Path) -> None:
    payload = bytes(range(256))
    (tmp_path / "payload.bin").write_bytes(payload)
    got = await echo(
        post(http_server, {"mode": "file", "file": {"src": "payload.bin"}}),
        settings=Settings(working_dir=str(tmp_path)),
    )
    encoded = base64.b64encode(payload).decode()
    assert got["data"] == f"data:application/octet-stream;base64,{encoded}"
    assert got["headers"]["content-length"] == "256"


@pytest.mark.parametrize("variables", ['{"id": 7}', {"id": 7}])
async def test_graphql_body_is_json_query_and_variables(
    echo: Any, http_server: str, variables: Any
) -> None:
    query = "query ($id: Int) { user(id: $id) { name } }"
    body = {"mode": "graphql", "graphql": {"query": query, "variables": variables}}
    got = await echo(post(http_server, body))
    assert got["headers"]["content-type"] == "application/json"
    assert got["json"] == {"query": query, "variables": {"id": 7}}


async def test_no_body_modes_send_nothing(echo: Any, http_server: str) -> None:
    for body in (None, {"mode": "none"}, {"mode": "raw", "raw": "x", "disabled": True}):
        got = await echo({"method": "POST", "url": f"{http_server}/post", "body": body})
        assert got["data"] == "" and "content-type" not in got["headers"]


async def test_get_body_is_pruned_unless_disable_body_pruning(echo: Any, http_server: str) -> None:
    body = {"mode": "raw", "raw": "payload"}
    pruned = await echo({"method": "GET", "url": f"{http_server}/get", "body": body})
    assert pruned["data"] == ""
    kept = await echo(
        {"method": "GET", "url": f"{http_server}/get", "body": body,
         "protocolProfileBehavior": {"disableBodyPruning": True}},
    )
    assert kept["data"] == "payload"
    via_settings = await echo(
        {"method": "GET", "url": f"{http_server}/get", "body": body},
        settings=Settings(extra={"protocolProfileBehavior": {"disableBodyPruning": True}}),
    )
    assert via_settings["data"] == "payload"


async def test_url_object_with_query_path_variables_and_disabled_params(
    echo: Any, http_server: str
) -> None:
    parts = urlsplit(http_server)
    url = {
        "raw": "ignored when host is given",
        "protocol": "http",
        "host": parts.hostname.split("."),
        "port": str(parts.port),
        "path": ["anything", "users", ":id", {"type": "string", "value": "posts"}],
        "query": [
            {"key": "q", "value": "two words"},
            {"key": "off", "value": "1", "disabled": True},
            {"key": "flag", "value": None},
        ],
        "variable": [{"key": "id", "value": "42"}],
    }
    got = await echo({"method": "GET", "url": url})
    assert got["path"] == "/anything/users/42/posts"
    assert got["args"] == {"q": "two words", "flag": ""}
    assert got["url"].endswith("/anything/users/42/posts?q=two%20words&flag")


async def test_raw_url_keeps_query_as_written(echo: Any, http_server: str) -> None:
    got = await echo(f"{http_server}/get?a=1&a=2&b=x%2By&c")
    assert got["method"] == "GET"
    assert got["args"] == {"a": ["1", "2"], "b": "x+y", "c": ""}


async def test_headers_list_and_v20_string_form(echo: Any, http_server: str) -> None:
    listed = [
        {"key": "X-One", "value": "1"},
        {"key": "X-Off", "value": "no", "disabled": True},
        {"key": "X-Two", "value": "2"},
    ]
    got = await echo({"url": f"{http_server}/get", "header": listed})
    assert got["headers"]["x-one"] == "1" and got["headers"]["x-two"] == "2"
    assert "x-off" not in got["headers"]
    old = await echo({"url": f"{http_server}/get", "header": "X-One: 1\nX-Two: two: parts\n"})
    assert old["headers"]["x-one"] == "1" and old["headers"]["x-two"] == "two: parts"


async def test_methods_are_sent_upper_case(echo: Any, http_server: str) -> None:
    for method in ("put", "PATCH", "delete"):
        got = await echo({"method": method, "url": f"{http_server}/{method.lower()}"})
        assert got["method"] == method.upper()
