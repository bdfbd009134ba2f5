"""A small in-process cache for computed pages: no pickling, so a hit costs a dictionary look-up.

Keys include the data version and the analysts' records version, so an
import or a new target makes new keys; old entries simply age out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable


class Memo:
    def __init__(self, size: int = 1000):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key, make: Callable):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


results = Memo()
fragments = Memo()
