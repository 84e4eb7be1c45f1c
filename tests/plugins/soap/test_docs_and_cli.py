"""docs/protocols/soap.md's collection item and `wirecall soap` commands, run for real."""

import json
from pathlib import Path

from tests.clirun import run_cli
from tests.docs_examples import documented_item, write_collection


def test_documented_item_runs(soap_server: str, tmp_path: Path) -> None:
    collection = write_collection(tmp_path, documented_item("protocols/soap.md"))
    report = tmp_path / "r.json"
    result = run_cli("run", str(collection), "--env-var", f"soapBase={soap_server}", "-r", "json", "--reporter-json-export", str(report))
    run = json.loads(report.read_text())["run"]
    assert run["failures"] == [] and run["stats"]["assertions"]["total"] == 1, result.out
    assert result.code == 0


def test_describe_lists_operations_with_types(soap_server: str) -> None:
    result = run_cli("soap", "describe", f"{soap_server}/soap12?wsdl")
    assert result.code == 0
    assert "DemoService / Application (Soap12) at " in result.out
    assert "  Add(a: xsd:integer, b: xsd:integer) -> AddResult: xsd:integer" in result.out
    assert "  Greet(person: ns0:Person) -> GreetResult: xsd:string" in result.out


def test_example_prints_an_input_skeleton(soap_server: str) -> None:
    result = run_cli("soap", "example", f"{soap_server}/soap12?wsdl", "Greet")
    assert result.code == 0 and json.loads(result.out) == {"person": {"name": "string", "age": 0}}


def test_call_prints_the_result_and_a_fault_exits_1(soap_server: str) -> None:
    ok = run_cli("soap", "call", f"{soap_server}/soap12?wsdl", "Add", "-d", '{"a": 2, "b": 40}')
    assert (ok.code, json.loads(ok.out)) == (0, 42)
    fault = run_cli("soap", "call", f"{soap_server}/soap11?wsdl", "Divide", "-d", '{"a": 1, "b": 0}')
    assert fault.code == 1 and json.loads(fault.out)["message"] == "cannot divide by zero"
    assert "error: SOAP Fault soap11env:Client.DivideByZero: cannot divide by zero" in fault.err
    raw = run_cli("soap", "call", f"{soap_server}/soap11?wsdl", "Add", "-d", '{"a": 1, "b": 1}', "--raw")
    assert "<tns:AddResult>2</tns:AddResult>" in raw.out


def test_wsse_and_headers_from_the_command_line(soap_server: str) -> None:
    who = run_cli("soap", "call", f"{soap_server}/soap12?wsdl", "Whoami", "--wsse-user", "ada", "--wsse-password", "lovelace", "--wsse-digest")
    assert json.loads(who.out) == "ada"
    header = run_cli("soap", "call", f"{soap_server}/soap11?wsdl", "EchoHeader", "-d", '{"name": "X-Trace"}', "-H", "X-Trace: t-9")
    assert json.loads(header.out) == "t-9"


def test_bad_input_exits_2_naming_what_is_wrong(soap_server: str, tmp_path: Path) -> None:
    wrong_type = run_cli("soap", "call", f"{soap_server}/soap11?wsdl", "Add", "-d", '{"a": "x", "b": 1}')
    assert wrong_type.code == 2 and "argument a: expected a value of type xsd:integer, got 'x'" in wrong_type.err
    unknown = run_cli("soap", "call", f"{soap_server}/soap11?wsdl", "Nope")
    assert unknown.code == 2 and "unknown SOAP operation 'Nope'" in unknown.err
    bad_json = run_cli("soap", "call", f"{soap_server}/soap11?wsdl", "Add", "-d", "{")
    assert bad_json.code == 2 and "-d: not valid JSON" in bad_json.err
    (tmp_path / "bad.wsdl").write_text("<definitions")
    broken = run_cli("soap", "describe", str(tmp_path / "bad.wsdl"))
    assert broken.code == 2 and f"cannot load WSDL {tmp_path / 'bad.wsdl'}" in broken.err
