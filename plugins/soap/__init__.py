"""SOAP over HTTP, driven by a WSDL (zeep); zeep is imported only when SOAP is used."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.demo import DemoServer
from wirecall.core.hookspecs import hookimpl
from wirecall.core.protocol import LazyProtocol


@hookimpl
def wirecall_protocols() -> Iterable[LazyProtocol]:
    return [LazyProtocol("soap", "wirecall.plugins.soap.handler:SoapHandler")]


@hookimpl
def wirecall_commands() -> Iterable[Any]:
    from wirecall.plugins.soap.command import soap

    return [soap]


@hookimpl
def wirecall_demo_servers() -> Iterable[DemoServer]:
    return [DemoServer("soap", "wirecall.plugins.soap.demo_server", "SOAP 1.1 and 1.2 service with a WSDL (spyne)")]
