"""Loading and saving Postman collections: lossless round trips and precise input errors."""

import json
from pathlib import Path

import pytest
from wirecall.core.errors import CollectionError, UsageError
from wirecall.core.model import load_collection

FIXTURES = Path(__file__).parents[2] / "fixtures"
REALWORLD = FIXTURES / "realworld.postman_collection.json"
V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
V20 = "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"


def write(tmp_path: Path, data: object, name: str = "c.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_real_world_collection_round_trips_as_equal_json() -> None:
    original = json.loads(REALWORLD.read_text())
    collection = load_collection(REALWORLD)
    assert json.loads(json.dumps(collection.to_json())) == original


def test_items_run_depth_first_and_keep_their_protocol() -> None:
    collection = load_collection(REALWORLD)
    names = [(i.name, i.protocol) for i in collection.items_in_order([])]
    assert names == [
        ("Login", "http"),
        ("Get order", "http"),
        ("Upload", "http"),
        ("Form", "http"),
        ("Binary", "http"),
        ("GraphQL", "http"),
        ("Stream", "websocket"),
    ]


def test_folder_selection_and_unknown_folder() -> None:
    collection = load_collection(REALWORLD)
    assert [i.name for i in collection.items_in_order(["Auth"])] == ["Login"]
    assert [i.name for i in collection.items_in_order(["Binary", "Auth"])] == ["Binary", "Login"]
    with pytest.raises(UsageError, match="'Nope'"):
        collection.items_in_order(["Nope"])


def test_a_run_needs_scripts_only_where_its_items_or_their_folders_have_some(
    tmp_path: Path,
) -> None:
    test = {"listen": "test", "script": {"exec": ["pm.test('x', () => {})"]}}
    request = {"method": "GET", "url": "http://x"}
    raw = {
        "info": {"name": "c", "schema": V21},
        "item": [
            {"name": "plain", "item": [{"name": "a", "request": request}]},
            {"name": "scripted", "event": [test], "item": [{"name": "b", "request": request}]},
        ],
    }
    collection = load_collection(write(tmp_path, raw))
    assert collection.has_scripts() and collection.has_scripts(["scripted"])
    assert not collection.has_scripts(["plain"]) and not collection.has_scripts(["nope"])
    raw["event"] = [test]  # a collection-level script runs for every item
    assert load_collection(write(tmp_path, raw)).has_scripts(["plain"])


def test_events_of_unknown_or_malformed_kinds_are_no_scripts(tmp_path: Path) -> None:
    """Postman leaves other listeners' events alone; a listener that is not a name (a list
    here) is neither a script nor an error, as before scripts were found per event."""
    script = {"exec": ["pm.test('x', () => {})"]}
    request = {"method": "GET", "url": "http://x"}
    events = [{"listen": ["test"], "script": script}, {"listen": "onload", "script": script},
              "not an event", {"listen": "test", "script": script}]  # fmt: skip
    raw = {"info": {"name": "c", "schema": V21},
           "item": [{"name": "a", "request": request, "event": events}]}  # fmt: skip
    item = next(load_collection(write(tmp_path, raw)).walk())
    assert [s.id for s in item.scripts("test")] == [f"{item.id}:3"]
    assert item.scripts("prerequest") == [] and item.scripts("message") == []


def test_scripts_run_collection_then_folders_then_item() -> None:
    collection = load_collection(REALWORLD)
    login = collection.find_item("Login")
    assert login is not None
    assert [s.where for s in login.scripts("test")] == ["collection", "item 'Login'"]
    assert "pm.environment.set" in login.scripts("test")[1].source
    # blank scripts (the Orders folder's) are not scripts at all
    order = collection.find_item("Get order")
    assert order is not None and [s.where for s in order.scripts("prerequest")] == ["collection"]


def test_auth_chain_and_protocol_profile_behavior_follow_the_tree() -> None:
    collection = load_collection(REALWORLD)
    login, order = collection.find_item("Login"), collection.find_item("Get order")
    assert login is not None and order is not None
    assert [b and b["type"] for b in login.auth_chain()] == [None, "noauth", "apikey"]
    assert [b and b["type"] for b in order.auth_chain()] == [None, "bearer", "apikey"]
    assert login.protocol_profile_behavior() == {"followRedirects": False}
    assert order.protocol_profile_behavior() == {"disableBodyPruning": True}
    assert order.location() == ["Orders", "Get order"]


def test_find_item_prefers_id_over_name(tmp_path: Path) -> None:
    raw = {"info": {"name": "n", "schema": V21}, "item": [
        {"name": "b", "id": "x1", "request": "http://one"},
        {"name": "x1", "id": "y2", "request": "http://two"},
    ]}
    collection = load_collection(write(tmp_path, raw))
    assert collection.find_item("x1").request["url"] == "http://one"  # type: ignore[union-attr]
    assert collection.find_item("b").request == {"url": "http://one", "method": "GET"}  # type: ignore[union-attr]


def test_v20_collection_loads(tmp_path: Path) -> None:
    raw = {"info": {"name": "old", "schema": V20}, "item": [{"name": "a", "request": {"url": "http://x", "auth": {"type": "basic", "basic": {"username": "u"}}}}]}
    collection = load_collection(write(tmp_path, raw))
    assert collection.schema_version == "2.0"
    assert collection.to_json() == raw


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", r"c\.json:1:2: not valid JSON"),
        ("[]", r"c\.json: expected a Postman collection object"),
        ({"item": []}, r"c\.json at \$\.info: expected an \"info\" object"),
        ({"info": {"name": "n", "schema": "https://x/v9.0.0/collection.json"}, "item": []},
         r"\$\.info\.schema: unsupported collection schema .*v2\.0\.0 or v2\.1\.0"),
        ({"info": {"name": "n", "schema": V21}, "item": [{"name": "a"}]},
         r"at \$\.item\[0\]: expected \"request\" \(an item\) or \"item\" \(a folder\)"),
        ({"info": {"name": "n", "schema": V21}, "item": [{"name": "f", "item": [{"request": 5}]}]},
         r"at \$\.item\[0\]\.item\[0\]\.request: expected the request to be an object"),
        ({"info": {"name": "n", "schema": V21}, "item": {}}, r"at \$\.item: expected \"item\" to be a list"),
    ],
)
def test_malformed_collections_name_file_path_and_expectation(tmp_path: Path, content: object, expected: str) -> None:
    with pytest.raises(CollectionError, match=expected):
        load_collection(write(tmp_path, content))


def test_missing_collection_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(CollectionError, match=r"nope\.json: collection file not found"):
        load_collection(tmp_path / "nope.json")
