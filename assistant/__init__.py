"""Ladder's assistant: retrieval, level fit and answers over an indexed career framework."""

from index import LadderError, QueryError

from .config import Settings
from .service import Ladder, Status, build_ladder

__all__ = ["Ladder", "LadderError", "QueryError", "Settings", "Status", "build_ladder"]
