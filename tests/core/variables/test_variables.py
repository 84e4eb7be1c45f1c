"""Variable scopes, precedence and substitution as Postman does them."""

import re

import pytest
from wirecall.core.errors import VariableError
from wirecall.core.variables import Variables, VariableScope


def chain() -> Variables:
    return Variables(
        globals=VariableScope("globals", {"who": "globals", "g": "G"}),
        collection=VariableScope("collection", {"who": "collection", "c": "C"}),
        environment=VariableScope("environment", {"who": "environment", "e": "E"}),
        data=VariableScope("data", {"who": "data"}),
        local=VariableScope("local"),
    )


def test_precedence_local_data_environment_collection_globals() -> None:
    v = chain()
    assert v.get("who") == "data"
    v.local.set("who", "local")
    assert v.resolve("{{who}}-{{e}}{{c}}{{g}}") == "local-ECG"
    v.local.unset("who")
    v.data.clear()
    assert v.get("who") == "environment"
    assert v.to_object()["who"] == "environment"


def test_nested_names_resolve_and_unknown_names_stay_with_a_warning() -> None:
    v = Variables(environment=VariableScope("environment", {"b": "x", "a_x": "{{deep}}", "deep": "ok"}))
    assert v.resolve("{{a_{{b}}}} {{missing}} {{ spaced }}") == "ok {{missing}} {{ spaced }}"
    assert v.warnings == [" spaced ", "missing"]


def test_self_reference_stops_at_the_pass_limit() -> None:
    v = Variables(environment=VariableScope("environment", {"loop": "x{{loop}}"}))
    assert v.resolve("{{loop}}") == "x" * 19 + "{{loop}}"


def test_values_turn_into_text_as_postman_does() -> None:
    v = Variables(local=VariableScope("local", {"n": 3, "f": 2.0, "t": True, "none": None, "obj": {"a": 1}}))
    assert v.resolve("{{n}} {{f}} {{t}} {{none}} {{obj}}") == "3 2 true null [object Object]"


def test_dynamic_variables_are_fresh_per_occurrence_and_lose_to_defined_names() -> None:
    v = Variables()
    a, b = v.resolve("{{$guid}} {{$guid}}").split()
    assert re.fullmatch(r"[0-9a-f-]{36}", a) and a != b
    assert 0 <= int(v.resolve("{{$randomInt}}")) <= 1000
    assert v.resolve("{{$timestamp}}").isdigit()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", v.resolve("{{$isoTimestamp}}"))
    assert "@" in v.resolve("{{$randomEmail}}")
    v.globals.set("$guid", "fixed")
    assert v.resolve("{{$guid}}") == "fixed"


def test_disabled_entries_are_invisible_and_last_enabled_duplicate_wins() -> None:
    scope = VariableScope.from_postman("environment", [
        {"key": "a", "value": "first"},
        {"key": "a", "value": "second"},
        {"key": "a", "value": "off", "enabled": False},
    ])
    assert scope.get("a") == "second"
    scope.set("a", "updated")
    assert scope.to_postman()[1] == {"key": "a", "value": "updated"}


def test_vault_references_resolve_and_report_the_secret() -> None:
    class Vault:
        def get(self, name: str) -> str | None:
            return {"api": "k3y"}.get(name)

    seen: list[str] = []
    v = Variables(vault=Vault(), on_secret=seen.append)
    assert v.resolve("{{vault:api}} {{unknown}}") == "k3y {{unknown}}"
    assert seen == ["k3y"]
    with pytest.raises(VariableError, match="vault secret 'none' is not set"):
        v.resolve("{{vault:none}}")
    assert Variables().resolve("{{vault:none}}") == "{{vault:none}}"  # no vault: left as written


def test_resolve_tree_resolves_every_string() -> None:
    v = Variables(environment=VariableScope("environment", {"h": "host", "k": "key"}))
    tree = {"url": "http://{{h}}/", "header": [{"key": "{{k}}", "value": 1}], "n": None}
    assert v.resolve_tree(tree) == {"url": "http://host/", "header": [{"key": "key", "value": 1}], "n": None}
