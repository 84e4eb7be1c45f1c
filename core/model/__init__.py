"""The collection model: Postman collections, environments, globals and data files."""

from wirecall.core.model.collection import Collection, Folder, Item, Node, load_collection
from wirecall.core.model.files import (
    VariablesFile,
    load_data_file,
    load_environment,
    load_globals,
    new_variables_file,
)

__all__ = [
    "Collection",
    "Folder",
    "Item",
    "Node",
    "VariablesFile",
    "load_collection",
    "load_data_file",
    "load_environment",
    "load_globals",
    "new_variables_file",
]
