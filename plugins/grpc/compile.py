"""Compile .proto files in-process with grpc_tools' embedded protoc.

protoc writes its diagnostics to the C-level stderr (fd 2), where ``redirect_stderr`` sees
nothing; fd 2 is pointed at a temporary file for the duration of the call instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Sequence
from importlib.resources import files as package_files
from pathlib import Path

from google.protobuf import descriptor_pb2
from grpc_tools import protoc
from wirecall.plugins.grpc.errors import DescriptorError

_FD2_LOCK = threading.Lock()


def bundled_include_dir() -> str:
    """grpc_tools' copy of google/protobuf/*.proto, so well-known imports need no flag."""
    return str(package_files("grpc_tools") / "_proto")


def _run_protoc(args: list[str]) -> tuple[int, str]:
    with _FD2_LOCK, tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            rc = protoc.main(args)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        return rc, captured.read().decode("utf-8", "replace").strip()


def _locate(proto: str, import_paths: list[Path], base: Path) -> tuple[str, Path | None]:
    """The name protoc knows ``proto`` by, and an extra import path it needs (if any)."""
    given = Path(proto)
    path = given if given.is_absolute() else base / given
    if path.is_file():
        path = path.resolve()
        for root in import_paths:
            if path.is_relative_to(root):
                return path.relative_to(root).as_posix(), None
        return path.name, path.parent
    for root in import_paths:  # a name relative to an import path, as protoc takes it
        if (root / given).is_file():
            return given.as_posix(), None
    searched = ", ".join(str(p) for p in import_paths) or str(base)
    raise DescriptorError(f"proto file not found: {proto} (looked in {searched})")


def compile_protos(
    protos: Sequence[str], import_paths: Sequence[str] = (), base_dir: str = "."
) -> list[descriptor_pb2.FileDescriptorProto]:
    """FileDescriptorProtos of ``protos`` and everything they import, dependencies first."""
    base = Path(base_dir).resolve()
    roots = [(base / p).resolve() for p in import_paths] or [base]
    names = []
    for proto in protos:
        name, extra_root = _locate(proto, roots, base)
        if extra_root is not None and extra_root not in roots:
            roots.append(extra_root)
        names.append(name)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.protoset"
        args = [
            "protoc",
            *(f"-I{r}" for r in roots),
            f"-I{bundled_include_dir()}",
            f"--descriptor_set_out={out}",
            "--include_imports",
            "--include_source_info",
            *names,
        ]
        rc, errors = _run_protoc(args)
        if rc != 0:
            raise DescriptorError(f"protoc could not compile {', '.join(names)}:\n{errors}")
        return list(descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file)


def load_protoset(path: str, base_dir: str = ".") -> list[descriptor_pb2.FileDescriptorProto]:
    """Files of a FileDescriptorSet (``protoc --descriptor_set_out``, ``grpcurl -protoset-out``)."""
    full = Path(base_dir) / path
    try:
        data = full.read_bytes()
    except OSError as exc:
        raise DescriptorError(f"cannot read protoset {path}: {exc.strerror}") from exc
    try:
        fds = descriptor_pb2.FileDescriptorSet.FromString(data)
    except Exception as exc:  # protobuf raises DecodeError (upb) or others by backend
        raise DescriptorError(f"{path} is not a protoset (FileDescriptorSet): {exc}") from exc
    if not fds.file:
        raise DescriptorError(f"{path} is not a protoset: it holds no files")
    return list(fds.file)
