"""Every descriptor source x every call kind against the real demo server (grpcurl's matrix)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from wirecall.core.demo import RunningServer
from wirecall.core.errors import CollectionError
from wirecall.plugins.grpc.compile import compile_protos
from wirecall.plugins.grpc.errors import DescriptorError

from .conftest import PROTO_DIR, SOURCES, item, send

BIG_BEN = {"latitude": 515007000, "longitude": -1246000}
TOWER_BRIDGE = {"latitude": 515055000, "longitude": -754000}
RG = "routeguide.v1.RouteGuide"

CALLS = {
    "unary": (f"{RG}/GetFeature", [BIG_BEN], ["Big Ben"]),
    "server-streaming": (
        f"{RG}/ListFeatures",
        [
            {
                "lo": {"latitude": 515000000, "longitude": -1300000},
                "hi": {"latitude": 515100000, "longitude": 0},
            }
        ],
        ["Big Ben", "Tower Bridge"],
    ),
    "client-streaming": (f"{RG}/RecordRoute", [BIG_BEN, TOWER_BRIDGE, {}], [None]),
    "bidi-streaming": (
        f"{RG}/RouteChat",
        [{"message": "one"}, {"message": "two"}],
        ["ack: one", "ack: two"],
    ),
}


def received(response: Any) -> list[dict[str, Any]]:
    return [json.loads(m.data) for m in response.messages if m.direction == "received"]


@pytest.mark.parametrize("kind", CALLS)
@pytest.mark.parametrize("source", SOURCES)
async def test_every_source_and_call_kind(
    plain: str, protoset: str, source: str, kind: str
) -> None:
    method, messages, expected = CALLS[kind]
    response = await send(item(plain, method, *messages, descriptors=SOURCES[source](protoset)))
    assert (response.code, response.status, response.ok) == (0, "OK", True)
    sent = [json.loads(m.data) for m in response.messages if m.direction == "sent"]
    assert len(sent) == len(messages)
    got = received(response)
    if kind == "client-streaming":
        assert got[0]["pointCount"] == 3 and got[0]["featureCount"] == 2
        assert json.loads(response.body) == got[0]
    elif kind == "bidi-streaming":
        assert [m["message"] for m in got] == expected
    else:
        assert [m["name"] for m in got] == expected


async def test_protobuf_json_mapping(plain: str) -> None:
    """int64 as a string, enums by name, bytes as base64, well-known types in their JSON form."""
    response = await send(
        item(plain, f"{RG}/GetFeature", {"latitude": 515073000, "longitude": "-1657000"})
    )
    (park,) = received(response)
    assert park["visitors"] == "12345678901234"
    assert park["category"] == "CATEGORY_PARK"
    assert park["photo"] == "SHlkZSBQYXJr"  # b"Hyde Park"
    assert park["updatedAt"] == "2023-11-14T22:13:20Z"
    assert park["attributes"] == {"open": True, "rating": 4.5}
    assert park["elevation"] == 11


async def test_emit_defaults_prints_zero_values(plain: str) -> None:
    response = await send(item(plain, f"{RG}/GetFeature", {"latitude": 1}, emitDefaults=True))
    (feature,) = received(response)
    assert feature["name"] == "" and feature["category"] == "CATEGORY_UNSPECIFIED"


async def test_any_is_resolved_through_reflection(plain: str) -> None:
    payload = {"@type": "type.googleapis.com/geo.v1.Rectangle", "lo": BIG_BEN}
    response = await send(item(plain, f"{RG}/Echo", {"message": "hi", "payload": payload}))
    assert received(response)[0]["payload"] == payload


async def test_reflection_v1alpha_only_server(server_factory: Any) -> None:
    url = server_factory("--reflection", "v1alpha").address
    response = await send(item(url, f"{RG}/GetFeature", BIG_BEN))
    assert received(response)[0]["name"] == "Big Ben"


async def test_server_without_reflection_says_how_to_pass_protos(server_factory: Any) -> None:
    url = server_factory("--reflection", "none").address
    with pytest.raises(DescriptorError) as caught:
        await send(item(url, f"{RG}/GetFeature", BIG_BEN))
    assert "does not support reflection" in str(caught.value)
    assert "--proto" in str(caught.value)


@pytest.mark.parametrize("kind", CALLS)
async def test_imperfect_reflection_like_grpc_js(server_factory: Any, kind: str) -> None:
    """Renamed files, no imports, relative type names, no well-known files: still works."""
    url = server_factory("--broken-reflection").address
    method, messages, _ = CALLS[kind]
    response = await send(item(url, method, *messages))
    assert response.ok and received(response)


async def test_imperfect_reflection_serves_what_grpcurl_cannot_use(server_factory: Any) -> None:
    """The fixture really is broken: what it serves cannot go into a pool as is."""
    import grpc
    from google.protobuf import descriptor_pool
    from wirecall.plugins.grpc.reflection import ReflectionClient

    url = server_factory("--broken-reflection").address
    async with grpc.aio.insecure_channel(url.removeprefix("grpc://")) as channel:
        (served,) = await ReflectionClient(channel, (), 5).files_for_symbol(RG)
    assert served.name != "routeguide.proto" and not list(served.dependency)
    assert served.service[0].method[0].output_type == "Feature"
    with pytest.raises(TypeError, match="couldn't resolve name"):
        descriptor_pool.DescriptorPool().Add(served)
    response = await send(
        item(url, f"{RG}/GetFeature", {"latitude": 515073000, "longitude": -1657000})
    )
    assert received(response)[0]["updatedAt"] == "2023-11-14T22:13:20Z"  # Timestamp, bundled
    echo = await send(
        item(
            url,
            f"{RG}/Echo",
            {"payload": {"@type": "type.googleapis.com/geo.v1.Point", "latitude": 3}},
        )
    )
    assert received(echo)[0]["payload"]["latitude"] == 3


async def test_unknown_method_lists_close_matches(plain: str) -> None:
    with pytest.raises(DescriptorError, match="did you mean GetFeature"):
        await send(item(plain, f"{RG}/GetFeatur", BIG_BEN))
    with pytest.raises(DescriptorError, match="did you mean routeguide.v1.RouteGuide"):
        await send(item(plain, "routeguide.v1.RouteGuid/GetFeature", BIG_BEN))


@pytest.mark.parametrize(
    ("method", "messages", "path", "expected"),
    [
        ("GetFeature", [{"latitude": "north"}], "[0].data.latitude", "expected int32"),
        ("GetFeature", [{"lattitude": 1}], "[0].data.lattitude", "did you mean latitude"),
        (
            "RouteChat",
            [{"message": "ok"}, {"location": {"latitude": True}}],
            "[1].data.location.latitude",
            "expected int32",
        ),
        ("RouteChat", [{"sentAt": 5}], "[0].data.sentAt", "google.protobuf.Timestamp"),
    ],
)
async def test_json_that_does_not_fit_names_the_field(
    plain: str, method: str, messages: Any, path: str, expected: str
) -> None:
    received_anything: list[Any] = []

    async def on_message(message: Any) -> bool:
        received_anything.append(message)
        return True

    with pytest.raises(CollectionError) as caught:
        await send(item(plain, f"{RG}/{method}", *messages), on_message=on_message)
    assert f"item.json at $.request.messages{path}" in str(caught.value)
    assert expected in str(caught.value)
    assert received_anything == []  # nothing was sent


async def test_message_given_as_json_text(plain: str) -> None:
    response = await send(item(plain, f"{RG}/GetFeature", json.dumps(BIG_BEN)))
    assert received(response)[0]["name"] == "Big Ben"
    with pytest.raises(CollectionError, match="not valid JSON"):
        await send(item(plain, f"{RG}/GetFeature", "{latitude: 1"))


def test_protoc_errors_are_captured(tmp_path: Any) -> None:
    (tmp_path / "bad.proto").write_text('syntax = "proto3";\nmessage A { strin x = 1; }\n')
    with pytest.raises(DescriptorError) as caught:
        compile_protos(["bad.proto"], [str(tmp_path)])
    assert 'bad.proto:2:13: "strin" is not defined.' in str(caught.value)


def test_well_known_imports_need_no_flag() -> None:
    files = compile_protos(["routeguide.proto"], [str(PROTO_DIR)])
    names = [f.name for f in files]
    assert "google/protobuf/timestamp.proto" in names
    assert names.index("geo/geo.proto") < names.index("routeguide.proto")  # multi-file, deps first


def test_server_started(server_factory: Any) -> None:
    server: RunningServer = server_factory()
    assert server.address.startswith("grpc://127.0.0.1:")


async def test_unary_takes_one_message(plain: str) -> None:
    with pytest.raises(CollectionError, match="GetFeature takes one request message, not 2"):
        await send(item(plain, f"{RG}/GetFeature", BIG_BEN, BIG_BEN))


async def test_messages_that_are_not_a_list_are_bad_input(plain: str) -> None:
    raw = item(plain, f"{RG}/GetFeature")
    raw["messages"] = 5
    with pytest.raises(CollectionError, match="expected a list of messages"):
        await send(raw)
