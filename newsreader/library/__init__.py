"""Storage of the library: TinyDB files written atomically, the Library facade, the search index."""

from newsreader.library.errors import LibraryBusy, LibraryCorrupt, LibraryError
from newsreader.library.library import Library, default_library_path

__all__ = ["Library", "LibraryBusy", "LibraryCorrupt", "LibraryError", "default_library_path"]
