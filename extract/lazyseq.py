"""A sequence whose items are made only when asked for, so pages are read one at a time."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class LazySequence(Sequence[T]):
    """Subclasses give ``__len__`` and ``item``; indexing, slicing and iteration come from
    here, so a slice makes only the items it names."""

    @abstractmethod
    def item(self, index: int) -> T:
        """The item at ``index``, made (or fetched) now."""

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self.item(i) for i in range(*index.indices(len(self)))]
        return self.item(index)
