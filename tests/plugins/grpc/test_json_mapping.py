"""Messages are converted exactly as protobuf's JSON mapping (json_format) converts them, also
where wirecall converts flat messages of plain scalars directly: same message on the wire, same
JSON in reports and on the terminal (key order included), same words for what does not fit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.protobuf import descriptor, json_format, message_factory
from wirecall.core.errors import CollectionError, Location
from wirecall.plugins.grpc import codec
from wirecall.plugins.grpc.compile import compile_protos
from wirecall.plugins.grpc.descriptors import DescriptorSource, FileSource

from .conftest import item, send

SCALARS = """
syntax = "proto3";
package t.v1;
message Scalars {
  string s = 1;
  bool b = 2;
  int32 i = 3;
  sint32 si = 4;
  sfixed32 sf = 5;
  uint32 u = 6;
  fixed32 f = 7;
  int64 l = 8;
  double d = 9;
  bytes raw = 10;
  optional string maybe = 11;
  oneof pick {
    string one = 12;
    int32 two = 13;
  }
  repeated string many = 14;
  string snake_case = 15;
}
"""

FITS = [
    {"s": "ada", "b": True, "i": -(2**31), "si": 2**31 - 1, "sf": 7, "u": 2**32 - 1, "f": 0},
    {"f": 3, "sf": -5, "si": -1, "b": False, "s": ""},
    {"s": "héllo ✓"},
    {"s": None, "i": None},
    {"snake_case": "x"},
    {"snakeCase": "y"},
    {"snake_case": "x", "snakeCase": "y"},
    {"i": "7"},
    {"i": 7.0},
    {"l": 5},
    {"l": "12345678901234"},
    {"d": 1},
    {"raw": "AAE="},
    {"maybe": ""},
    {"one": "a"},
    {"two": 0},
    {"many": ["a", "b"]},
    {},
]
REFUSED = [
    {"i": 2**31},
    {"si": -(2**31) - 1},
    {"u": -1},
    {"f": 2**32},
    {"one": "a", "two": 2},
    {"s": "\ud800 unpaired"},
]


# only plain fields, declared out of number order; and the same with presence (proto2)
FLAT = """
syntax = "proto3";
package t.v1;
message Flat {
  bool on = 3;
  string text = 1;
  uint32 count = 4;
  int32 delta_ms = 2;
}
message Named {
  string Clear = 1;
  string from = 2;
}
"""
FLAT2 = """
syntax = "proto2";
package t.v2;
message Flat {
  optional bool on = 3;
  optional string text = 1;
  optional int32 delta_ms = 2;
}
"""
FLAT_VALUES = [
    {"text": "ada", "deltaMs": -3, "on": True, "count": 2**32 - 1},
    {"on": False, "text": "", "count": 0, "delta_ms": 0},
    {"text": 'tab\t "quoted" \\ ✓ \u007f'},
    {},
]


def source_of(folder: Any, name: str, text: str) -> DescriptorSource:
    (folder / name).write_text(text)
    return FileSource(compile_protos([name], [str(folder)]), name)


@pytest.fixture(scope="module")
def scalars(tmp_path_factory: pytest.TempPathFactory) -> tuple[DescriptorSource, Any]:
    folder = tmp_path_factory.mktemp("proto")
    (folder / "scalars.proto").write_text(SCALARS)
    source = FileSource(compile_protos(["scalars.proto"], [str(folder)]), "scalars.proto")
    return source, source.pool.FindMessageTypeByName("t.v1.Scalars")


def parse_as_json_format(desc: descriptor.Descriptor, value: Any) -> Any:
    return json_format.ParseDict(value, message_factory.GetMessageClass(desc)())


@pytest.mark.parametrize("value", FITS, ids=json.dumps)
async def test_parsed_and_rendered_as_json_format(
    scalars: tuple[DescriptorSource, Any], value: dict[str, Any]
) -> None:
    source, desc = scalars
    parsed = await codec.to_message(source, desc, value, Location())
    expected = parse_as_json_format(desc, value)
    assert parsed == expected
    assert await codec.to_message(source, desc, json.dumps(value), Location()) == expected
    rendered = await codec.to_dict(source, parsed)
    assert list(rendered.items()) == list(json_format.MessageToDict(expected).items())
    with_defaults = await codec.to_dict(source, parsed, emit_defaults=True)
    assert with_defaults == json_format.MessageToDict(
        expected, always_print_fields_with_no_presence=True
    )


@pytest.mark.parametrize("value", REFUSED, ids=json.dumps)
async def test_refused_in_json_formats_words_at_the_messages_place(
    scalars: tuple[DescriptorSource, Any], value: dict[str, Any]
) -> None:
    source, desc = scalars
    with pytest.raises(json_format.ParseError) as expected:
        parse_as_json_format(desc, value)
    with pytest.raises(CollectionError) as caught:
        await codec.to_message(source, desc, value, Location("item.json"), ("messages", 0, "data"))
    assert str(caught.value).startswith("item.json at $.messages[0].data: does not fit t.v1.")
    assert str(expected.value) in str(caught.value)


async def test_what_a_call_sends_and_receives_reads_as_before(plain: str) -> None:
    response = await send(item(plain, "greeter.v1.Greeter/SayHello", {"name": "Ada Lovelace"}))
    assert [(m.direction, m.data) for m in response.messages] == [
        ("sent", '{"name": "Ada Lovelace"}'),
        ("received", '{"message": "Hello, Ada Lovelace!"}'),
    ]
    assert response.body == b'{"message": "Hello, Ada Lovelace!"}'
    echo = await send(
        item(plain, "routeguide.v1.RouteGuide/Echo", {"message": "ça", "blob_size": 2})
    )
    assert echo.messages[0].data == '{"message": "\\u00e7a", "blobSize": 2}'
    assert json.loads(echo.body)["blob"] == "eHg="


@pytest.mark.parametrize("package", ["t.v1", "t.v2"])
@pytest.mark.parametrize("value", FLAT_VALUES, ids=json.dumps)
async def test_json_text_of_messages_is_json_dumps_of_json_format(
    tmp_path: Any, package: str, value: dict[str, Any]
) -> None:
    """What a Message record holds: field order, zero values, escapes as json.dumps writes."""
    source = source_of(tmp_path, "flat.proto", FLAT if package == "t.v1" else FLAT2)
    desc = source.pool.FindMessageTypeByName(f"{package}.Flat")
    if package == "t.v2":
        value = {k: v for k, v in value.items() if k != "count"}
    parsed = await codec.to_message(source, desc, value, Location())
    for emit_defaults in (False, True):
        expected = json_format.MessageToDict(
            parsed, always_print_fields_with_no_presence=emit_defaults
        )
        assert await codec.to_json(source, parsed, emit_defaults) == json.dumps(expected)


@pytest.mark.parametrize("value", FITS, ids=json.dumps)
async def test_json_text_of_other_messages(
    scalars: tuple[DescriptorSource, Any], value: dict[str, Any]
) -> None:
    source, desc = scalars
    parsed = await codec.to_message(source, desc, value, Location())
    expected = json.dumps(json_format.MessageToDict(parsed))
    assert await codec.to_json(source, parsed, False) == expected


async def test_json_text_of_fields_named_like_python_or_protobuf_names(tmp_path: Any) -> None:
    source = source_of(tmp_path, "flat.proto", FLAT)
    desc = source.pool.FindMessageTypeByName("t.v1.Named")
    parsed = await codec.to_message(source, desc, {"Clear": "a", "from": "b"}, Location())
    expected = json.dumps(json_format.MessageToDict(parsed))
    assert await codec.to_json(source, parsed, False) == expected == '{"Clear": "a", "from": "b"}'
