from collections.abc import Iterator

import pytest

from wirecall.core.demo import DemoServer, start


@pytest.fixture(scope="session")
def soap_server() -> Iterator[str]:
    """Base URL of the spyne demo service; WSDLs at /soap11?wsdl and /soap12?wsdl."""
    with start(DemoServer("soap", "wirecall.plugins.soap.demo_server")) as server:
        yield server.address


@pytest.fixture(scope="session")
def soap_uds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same service on a Unix socket: ``http://unix:PATH:`` plus the request path."""
    path = tmp_path_factory.mktemp("soap") / "soap.sock"
    with start(DemoServer("soap", "wirecall.plugins.soap.demo_server"), ["--uds", str(path)]) as server:
        yield server.address
