"""Ladder's assistant: retrieval, level fit and answers over an indexed career framework.

``__all__`` is the public API: the composition root (``build_ladder``, ``Ladder``,
``Settings``), the result types its entry points return, and the error tree (every error is
a ``LadderError``; the message names the file or setting and the fix). The app, the CLI and
users import these from here; tests/test_public_api.py pins the list.
"""

from index import (
    Bullet,
    Chunk,
    Commit,
    Embedder,
    FrameworkChanges,
    IndexBusyError,
    IndexingError,
    IndexNotBuiltError,
    IndexRecord,
    IndexReport,
    LadderError,
    ModelError,
    Pair,
    QueryError,
    Reworded,
    SectionChanges,
    StoreAccessError,
    StoreError,
    StoreHealth,
    web_link,
)

from .answers import Answer, Citation
from .compare import AttributeRow, Comparison, DimensionDiff
from .config import Settings
from .results import (
    Band,
    Filters,
    FitReport,
    Gap,
    IgnoredLine,
    Inherited,
    LevelScore,
    RoleFit,
    SearchResponse,
    SearchResult,
    StatementMatch,
    TrackCall,
)
from .service import Ladder, Status, build_ladder

__all__ = [
    "Answer",
    "AttributeRow",
    "Band",
    "Bullet",
    "Chunk",
    "Citation",
    "Commit",
    "Comparison",
    "DimensionDiff",
    "Embedder",
    "Filters",
    "FitReport",
    "FrameworkChanges",
    "Gap",
    "IgnoredLine",
    "IndexBusyError",
    "IndexNotBuiltError",
    "IndexRecord",
    "IndexReport",
    "IndexingError",
    "Inherited",
    "Ladder",
    "LadderError",
    "LevelScore",
    "ModelError",
    "Pair",
    "QueryError",
    "Reworded",
    "RoleFit",
    "SearchResponse",
    "SearchResult",
    "SectionChanges",
    "Settings",
    "StatementMatch",
    "Status",
    "StoreAccessError",
    "StoreError",
    "StoreHealth",
    "TrackCall",
    "build_ladder",
    "web_link",
]
