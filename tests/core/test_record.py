"""Record classes behave as the dataclasses they replace, before and after their __init__
is compiled (a class made more than COMPILE_AFTER times)."""

import copy
import pickle
from dataclasses import FrozenInstanceError

import pytest
from wirecall.core.record import COMPILE_AFTER, Record, field, replace


class Point(Record):
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()


class Options(Record, frozen=False):
    name: str
    folders: list[str] = field(default_factory=list)
    secret: str = field(default="s3cret", repr=False)


class Point3(Point):
    z: int = 0


# every check runs on instances made by the generic __init__ and by the compiled one
MADE = range(COMPILE_AFTER * 2 + 2)


@pytest.mark.parametrize("_", MADE)
def test_fields_by_position_keyword_and_default(_: int) -> None:
    assert (Point(1).x, Point(1).y, Point(1, 2).y, Point(y=3, x=1).y) == (1, 0, 2, 3)
    assert Point3(1, 2, (), 4).z == 4  # the base's fields first


@pytest.mark.parametrize("_", MADE)
def test_a_default_factory_makes_a_new_value_per_instance(_: int) -> None:
    a, b = Options("a"), Options("b")
    a.folders.append("x")
    assert (a.folders, b.folders) == (["x"], [])


@pytest.mark.parametrize("_", MADE)
def test_missing_unknown_and_doubled_arguments_are_type_errors(_: int) -> None:
    with pytest.raises(TypeError, match="'x'"):
        Point()
    with pytest.raises(TypeError):
        Point(1, w=2)
    with pytest.raises(TypeError):
        Point(1, x=2)


def test_frozen_records_refuse_changes_mutable_ones_take_them() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del point.x  # type: ignore[misc]
    options = Options("a")
    options.name = "b"
    assert options.name == "b"


def test_equality_hash_and_repr_as_a_dataclass() -> None:
    assert Point(1, 2) == Point(1, 2) != Point(1, 3)
    assert Point(1) != Point3(1)  # another class, even with the same values
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    with pytest.raises(TypeError):
        hash(Options("a"))  # mutable: unhashable, as a dataclass with eq
    assert repr(Point(1, tags=("a",))) == "Point(x=1, y=0, tags=('a',))"
    assert repr(Options("a")) == "Options(name='a', folders=[])"  # repr=False hides secret


def test_replace_copy_and_pickle() -> None:
    point = Point(1, 2, ("t",))
    assert replace(point, y=5) == Point(1, 5, ("t",))
    with pytest.raises(TypeError, match="w"):
        replace(point, w=1)
    assert copy.copy(point) == point == pickle.loads(pickle.dumps(point))
    options = copy.deepcopy(Options("a", ["f"]))
    assert (options.name, options.folders) == ("a", ["f"])
