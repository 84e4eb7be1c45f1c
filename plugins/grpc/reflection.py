"""Descriptors from server reflection: v1 first, v1alpha when the server lacks v1.

Servers built on @grpc/reflection (grpc-js) serve imperfect files: empty ``dependency`` lists,
renamed files and relative type names. Before a file goes into the pool it is repaired:
type names are resolved the way protoc resolves them, well-known types come from protobuf's
bundled canonical files, and the imports each file really needs are inferred from its types.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import grpc
from google.protobuf import descriptor_pb2
from grpc_reflection.v1alpha import reflection_pb2
from wirecall.plugins.grpc import names, wellknown
from wirecall.plugins.grpc.descriptors import DescriptorSource, Symbol, lookup
from wirecall.plugins.grpc.errors import DescriptorError, call_failed

SERVICES = ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")
FDP = descriptor_pb2.FileDescriptorProto
Field = descriptor_pb2.FieldDescriptorProto


# grpc core sometimes reports a refused method as INTERNAL ("Internal error from Core") when
# the request write crosses the server's immediate status; asking again, a little later each
# time (an immediate retry can meet the same timing on a busy machine), gets the real code.
RACE_RETRIES = 5
RACE_BACKOFF_S = 0.01


class ReflectionClient:
    """Asks one question per stream; v1 and v1alpha messages are identical on the wire."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        metadata: Sequence[tuple[str, str | bytes]],
        timeout: float | None,
    ) -> None:
        self._channel = channel
        self._metadata = tuple(metadata)
        self._timeout = timeout
        self._services = list(SERVICES)

    async def _ask(
        self, request: reflection_pb2.ServerReflectionRequest
    ) -> reflection_pb2.ServerReflectionResponse:
        races = RACE_RETRIES
        while True:
            stub = self._channel.stream_stream(
                f"/{self._services[0]}/ServerReflectionInfo",
                request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
                response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
            )
            call = stub(metadata=self._metadata, timeout=self._timeout)
            answer = await _exchange(call, request)
            code = await call.code()
            if code is grpc.StatusCode.INTERNAL and answer is None and races:
                races -= 1  # our write raced the server's early UNIMPLEMENTED: ask again
                await asyncio.sleep(RACE_BACKOFF_S * (RACE_RETRIES - races))
                continue
            if code is grpc.StatusCode.UNIMPLEMENTED and len(self._services) > 1:
                self._services.pop(0)
                races = RACE_RETRIES  # the next service gets its own retries
                continue
            if code is grpc.StatusCode.UNIMPLEMENTED:
                raise DescriptorError(
                    "the server does not support reflection",
                    hint="pass the service definitions with --proto FILE or --protoset FILE "
                    "(in a collection: request.descriptors.protoFiles or .protoset)",
                )
            if code is not grpc.StatusCode.OK:
                raise call_failed("server reflection", code, await call.details() or "")
            if answer is None:
                raise DescriptorError("server reflection ended without an answer")
            return answer

    async def list_services(self) -> list[str]:
        answer = await self._ask(reflection_pb2.ServerReflectionRequest(list_services=""))
        return sorted(s.name for s in answer.list_services_response.service)

    async def files_for_symbol(self, symbol: str) -> list[FDP]:
        """The file defining ``symbol`` first, then whatever else the server sends; [] if unknown."""
        answer = await self._ask(
            reflection_pb2.ServerReflectionRequest(file_containing_symbol=symbol)
        )
        return _files(answer)

    async def files_by_name(self, name: str) -> list[FDP]:
        answer = await self._ask(reflection_pb2.ServerReflectionRequest(file_by_filename=name))
        return _files(answer)


async def _exchange(
    call: grpc.aio.StreamStreamCall, request: reflection_pb2.ServerReflectionRequest
) -> reflection_pb2.ServerReflectionResponse | None:
    """Send one request and read one answer; a server that refuses the method ends the call
    before the write, so write errors are left to the status read afterwards."""
    try:
        await call.write(request)
        await call.done_writing()
        answer = await call.read()
        while answer is not grpc.aio.EOF and await call.read() is not grpc.aio.EOF:
            pass  # drain, so the call ends with its status
    except (grpc.aio.AioRpcError, asyncio.InvalidStateError):
        return None
    return None if answer is grpc.aio.EOF else answer


def _files(answer: reflection_pb2.ServerReflectionResponse) -> list[FDP]:
    if answer.HasField("error_response"):
        return []
    return [FDP.FromString(b) for b in answer.file_descriptor_response.file_descriptor_proto]


class ReflectionSource(DescriptorSource):
    def __init__(self, client: ReflectionClient, target: str) -> None:
        super().__init__()
        self.origin = f"the reflection service of {target}"
        self._client = client
        self._served: dict[str, FDP] = {}  # as the server named them
        self._owner: dict[str, str] = {}  # full type name -> served file name
        self._kind: dict[str, str] = {}
        self._loading: set[str] = set()

    async def list_services(self) -> list[str]:
        return await self._client.list_services()

    async def find(self, name: str) -> Symbol | None:
        found = lookup(self.pool, name)
        if found is not None:
            return found
        for symbol in (
            name.lstrip("."),
            name.lstrip(".").rpartition(".")[0],
        ):  # or a method's service
            if symbol and await self._load_symbol(symbol):
                return lookup(self.pool, name)
        return None

    async def _load_symbol(self, symbol: str) -> bool:
        if symbol in wellknown.symbols():
            self.add_bundled(wellknown.symbols()[symbol])
            return True
        if symbol not in self._owner and not self._remember(
            await self._client.files_for_symbol(symbol)
        ):
            return False
        if symbol not in self._owner:
            return False
        await self._add_served(self._owner[symbol])
        return True

    def _remember(self, files: list[FDP]) -> bool:
        for fdp in files:
            if fdp.name in self._served:
                continue
            self._served[fdp.name] = fdp
            for full, kind in names.defined_kinds(fdp).items():
                self._owner.setdefault(full, fdp.name)
                self._kind.setdefault(full, kind)
        return bool(files)

    def _canonical(self, served_name: str) -> str | None:
        """The bundled file to use instead of a served file that holds well-known types."""
        for full in names.defined_names(self._served[served_name]):
            if full in wellknown.symbols():
                return wellknown.symbols()[full]
        return None

    async def _add_dependency(self, name: str) -> str | None:
        """Add a file named in an import; its name as added, or None if nobody has it."""
        if name in wellknown.files():
            self.add_bundled(name)
            return name
        if name not in self._served and not self._remember(await self._client.files_by_name(name)):
            return None
        if name not in self._served:
            return None
        return await self._add_served(name)

    async def _add_served(self, name: str) -> str:
        canonical = self._canonical(name)
        if canonical is not None:
            self.add_bundled(canonical)
            return canonical
        if name in self._added or name in self._loading:
            return name
        self._loading.add(name)
        fdp = FDP()
        fdp.CopyFrom(self._served[name])
        await self._repair(fdp)
        self._loading.discard(name)
        self._add(fdp)
        return name

    async def _repair(self, fdp: FDP) -> None:
        """Absolute type names, and imports for every type the file uses."""
        local = names.defined_kinds(fdp)
        needed: list[str] = []
        for scope, obj, attr in names.references(fdp):
            full = await self._resolve(scope, getattr(obj, attr), local)
            if full is None:
                raise DescriptorError(
                    f"{self.origin}: {fdp.name} uses type {getattr(obj, attr)!r}, "
                    "which the server does not know"
                )
            setattr(obj, attr, "." + full)
            if isinstance(obj, Field) and attr == "type_name" and not obj.HasField("type"):
                kind = local.get(full) or self._kind.get(full) or names.KIND_MESSAGE
                obj.type = Field.TYPE_ENUM if kind == names.KIND_ENUM else Field.TYPE_MESSAGE
            if full not in local:
                needed.append(wellknown.symbols().get(full) or self._owner[full])
        imports: list[str] = []
        for dep in (*fdp.dependency, *needed):
            added = await self._add_dependency(dep)
            if added is not None and added not in imports and added != fdp.name:
                imports.append(added)
        if imports != list(fdp.dependency):
            del fdp.dependency[:]
            fdp.dependency.extend(imports)
            del fdp.public_dependency[:]
            del fdp.weak_dependency[:]

    async def _resolve(self, scope: str, name: str, local: dict[str, str]) -> str | None:
        options = names.candidates(scope, name)
        for full in options:
            if full in local or full in self._owner or full in wellknown.symbols():
                return full
        for full in options:
            if self._remember(await self._client.files_for_symbol(full)) and full in self._owner:
                return full
        return None
