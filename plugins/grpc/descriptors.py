"""One DescriptorSource interface over reflection, .proto files and protosets (grpcurl's idea).

A source owns a fresh DescriptorPool (never protobuf's default pool) and fills it on demand;
the handler keeps one source per run and target, so descriptors are fetched once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from google.protobuf import descriptor, descriptor_pb2, descriptor_pool
from wirecall.plugins.grpc import wellknown
from wirecall.plugins.grpc.errors import DescriptorError

Symbol = Any  # a ServiceDescriptor, MethodDescriptor, Descriptor or EnumDescriptor


def lookup(pool: descriptor_pool.DescriptorPool, name: str) -> Symbol | None:
    """A service, message, enum or method (``pkg.Service.Method``) of ``pool``, or None."""
    name = name.lstrip(".")
    for find in (pool.FindServiceByName, pool.FindMessageTypeByName, pool.FindEnumTypeByName):
        try:
            return find(name)
        except KeyError:
            pass
    parent, _, member = name.rpartition(".")
    if parent:
        try:
            return pool.FindServiceByName(parent).methods_by_name.get(member)
        except KeyError:
            pass
    return None


class DescriptorSource:
    """Where service definitions come from. Subclasses fill ``pool`` and list services."""

    origin = ""

    def __init__(self) -> None:
        self.pool = descriptor_pool.DescriptorPool()
        self._added: set[str] = set()

    async def list_services(self) -> list[str]:
        raise NotImplementedError

    async def find(self, name: str) -> Symbol | None:
        """Look ``name`` up, loading what is needed; None when the source does not know it."""
        return lookup(self.pool, name)

    async def load_types(self, names: Iterable[str]) -> None:
        """Make sure message types (e.g. named by ``Any`` values) are in the pool."""
        for name in names:
            await self.find(name)

    def add_bundled(self, name: str) -> None:
        """Add a bundled canonical file (and its dependencies) unless already there."""
        if name in self._added:
            return
        fdp = wellknown.files()[name]
        for dep in fdp.dependency:
            self.add_bundled(dep)
        self._add(fdp)

    def _add(self, fdp: descriptor_pb2.FileDescriptorProto) -> None:
        try:
            self.pool.Add(fdp)
        except (TypeError, ValueError, KeyError) as exc:
            raise DescriptorError(
                f"cannot use descriptor {fdp.name} from {self.origin}: {exc}"
            ) from exc
        self._added.add(fdp.name)

    async def find_method(self, path: str) -> descriptor.MethodDescriptor:
        """``pkg.Service/Method`` (or ``pkg.Service.Method``); unknown names list close matches."""
        service_name, sep, method_name = path.lstrip("/").partition("/")
        if not sep:
            service_name, _, method_name = service_name.rpartition(".")
        if not service_name or not method_name:
            raise DescriptorError(f"method {path!r} is not of the form package.Service/Method")
        service = await self.find(service_name)
        if not isinstance(service, descriptor.ServiceDescriptor):
            services = await self.list_services()
            raise DescriptorError(
                f"unknown service {service_name!r} in {self.origin}"
                + _suggest(service_name, services, "services")
            )
        method = service.methods_by_name.get(method_name)
        if method is None:
            raise DescriptorError(
                f"service {service_name} has no method {method_name!r}"
                + _suggest(method_name, list(service.methods_by_name), "methods")
            )
        return method


def _suggest(name: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if close:
        return f"; did you mean {' or '.join(close)}?"
    return f"; known {what}: {', '.join(sorted(known))}" if known else ""


class FileSource(DescriptorSource):
    """Descriptors from compiled .proto files or a protoset: everything is known up front."""

    def __init__(self, files: list[descriptor_pb2.FileDescriptorProto], origin: str) -> None:
        super().__init__()
        self.origin = origin
        by_name = {f.name: f for f in files}
        for fdp in files:
            self._add_with_deps(fdp, by_name, ())
        self._services = sorted(
            f"{f.package}.{s.name}" if f.package else s.name for f in files for s in f.service
        )

    def _add_with_deps(
        self,
        fdp: descriptor_pb2.FileDescriptorProto,
        by_name: dict[str, descriptor_pb2.FileDescriptorProto],
        chain: tuple[str, ...],
    ) -> None:
        """Add dependencies first: protosets from other tools are not always in order."""
        if fdp.name in self._added:
            return
        if fdp.name in chain:
            raise DescriptorError(
                f"import cycle in {self.origin}: {' -> '.join((*chain, fdp.name))}"
            )
        for dep in fdp.dependency:
            if dep in by_name:
                self._add_with_deps(by_name[dep], by_name, (*chain, fdp.name))
            elif dep in wellknown.files():
                self.add_bundled(dep)
            else:
                raise DescriptorError(
                    f"{fdp.name} imports {dep}, which {self.origin} does not hold"
                )
        self._add(fdp)

    async def list_services(self) -> list[str]:
        return list(self._services)
