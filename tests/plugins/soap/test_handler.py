"""SOAP calls through the handler against a real spyne service."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from wirecall.core.errors import CollectionError, Location
from wirecall.core.exchange import Exchange
from wirecall.core.records import Response
from wirecall.plugins.soap.handler import SoapHandler
from wirecall.plugins.soap.wsdl import WsdlError


def call(request: dict[str, Any], *, basic: tuple[str, str] | None = None) -> Response:
    async def run() -> Response:
        async with SoapHandler() as handler:
            parsed = handler.parse(request, Location("c.json", "$.item[0].request"))
            if basic:
                import base64

                token = base64.b64encode(":".join(basic).encode()).decode()
                handler.auth_target(parsed).set_header("Authorization", f"Basic {token}")
            return await handler.send(parsed, Exchange())

    return asyncio.run(run())


@pytest.mark.parametrize("binding", ["soap11", "soap12"])
def test_add_over_both_bindings(soap_server: str, binding: str) -> None:
    response = call({"wsdl": f"{soap_server}/{binding}?wsdl", "operation": "Add", "args": {"a": 2, "b": 40}})
    assert (response.code, response.ok, response.extra["result"]) == (200, True, 42)
    expected_type = "text/xml" if binding == "soap11" else "application/soap+xml"
    assert response.header("content-type").startswith(expected_type)
    assert b"<tns:AddResult>42</tns:AddResult>" in response.body  # the raw envelope is kept


def test_complex_type_and_list_results(soap_server: str) -> None:
    wsdl = f"{soap_server}/soap11?wsdl"
    greet = call({"wsdl": wsdl, "operation": "Greet", "args": {"person": {"name": "Ada", "age": 36}}})
    assert greet.extra["result"] == "Hello, Ada (36)"
    split = call({"wsdl": wsdl, "operation": "Split", "args": {"text": "a b c"}})
    assert split.extra["result"] == ["a", "b", "c"]


@pytest.mark.parametrize(("binding", "code"), [("soap11", "soap11env:Client.DivideByZero"), ("soap12", "soap12env:Sender")])
def test_fault_is_a_failed_response_with_code_string_and_detail(soap_server: str, binding: str, code: str) -> None:
    response = call({"wsdl": f"{soap_server}/{binding}?wsdl", "operation": "Divide", "args": {"a": 7, "b": 0}})
    assert response.ok is False and response.code == 500
    fault = response.extra["fault"]
    assert fault["code"] == code and fault["message"] == "cannot divide by zero"
    assert "<dividend>7</dividend>" in fault["detail"]


@pytest.mark.parametrize("digest", [False, True])
def test_ws_security_username_token(soap_server: str, digest: bool) -> None:
    wsse = {"username": "ada", "password": "lovelace", "digest": digest}
    response = call({"wsdl": f"{soap_server}/soap12?wsdl", "operation": "Whoami", "wsse": wsse})
    assert response.extra["result"] == "ada"
    wrong = call({"wsdl": f"{soap_server}/soap12?wsdl", "operation": "Whoami", "wsse": {**wsse, "password": "x"}})
    assert wrong.extra["fault"]["message"] == "wrong password"


def test_headers_and_auth_reach_the_server(soap_server: str) -> None:
    request = {"wsdl": f"{soap_server}/soap11?wsdl", "operation": "EchoHeader", "args": {"name": "X-Trace"},
               "header": [{"key": "X-Trace", "value": "t-1"}, {"key": "X-Off", "value": "no", "disabled": True}]}
    assert call(request).extra["result"] == "t-1"
    auth = {**request, "args": {"name": "Authorization"}}
    assert call(auth, basic=("ada", "pw")).extra["result"] == "Basic YWRhOnB3"


def test_endpoint_override_and_port_selection(soap_server: str) -> None:
    response = call({"wsdl": f"{soap_server}/soap11?wsdl", "operation": "Add", "args": {"a": 1, "b": 1},
                     "endpoint": f"{soap_server}/soap11"})
    assert response.extra["result"] == 2 and response.url == f"{soap_server}/soap11"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"operation": "Nope"}, "unknown SOAP operation 'Nope'; the WSDL has: Add, Divide, EchoHeader, Greet, Split, Whoami"),
        ({"operation": "Add", "args": {"a": "x", "b": 1}}, "argument a: expected a value of type xsd:integer, got 'x'"),
        ({"operation": "Greet", "args": {"person": {"name": "A", "age": "old"}}}, "argument person.age: expected a value of type xsd:integer"),
        ({"operation": "Add", "args": {"c": 1}}, "Add has no argument 'c'; expected: a: xsd:integer, b: xsd:integer"),
    ],
)
def test_bad_operations_and_arguments_name_what_was_expected(soap_server: str, request_: dict[str, Any], message: str) -> None:
    with pytest.raises(CollectionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call({"wsdl": f"{soap_server}/soap11?wsdl", **request_})


def test_request_shape_errors_name_the_json_path() -> None:
    with pytest.raises(CollectionError, match=r"c\.json at \$\.item\[0\]\.request\.operation: expected the name"):
        call({"wsdl": "x.wsdl"})


def test_wsdl_that_fails_names_the_file_and_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wsdl"
    broken.write_text("<definitions><oops")
    with pytest.raises(WsdlError, match=f"cannot load WSDL {broken}: "):
        call({"wsdl": str(broken), "operation": "Add"})
    with pytest.raises(WsdlError, match="cannot load WSDL http://127.0.0.1:9/x\\?wsdl: .*refused"):
        call({"wsdl": "http://127.0.0.1:9/x?wsdl", "operation": "Add"})


def test_call_over_a_unix_socket(soap_uds_server: str) -> None:
    from wirecall.core.plugins import PluginHost

    async def run() -> Response:
        async with SoapHandler() as handler:
            parsed = handler.parse({"wsdl": f"{soap_uds_server}/soap11?wsdl", "operation": "Add", "args": {"a": 1, "b": 2}}, Location())
            return await handler.send(parsed, Exchange(endpoint_for=PluginHost().endpoint))

    assert asyncio.run(run()).extra["result"] == 3
