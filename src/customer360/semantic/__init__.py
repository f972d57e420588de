"""The semantic model (Cortex Analyst format): loading, validation and query compilation."""

from customer360.semantic.compiler import CompiledQuery, CompileError, Compiler, literal
from customer360.semantic.logical import expand_logical
from customer360.semantic.model import SemanticModel, SemanticModelError, load_model
from customer360.semantic.query import Filter, Order, SemanticQuery, TimeRange
from customer360.semantic.validate import find_problems, validate_against

__all__ = [
    "CompileError",
    "CompiledQuery",
    "Compiler",
    "Filter",
    "Order",
    "SemanticModel",
    "SemanticModelError",
    "SemanticQuery",
    "TimeRange",
    "expand_logical",
    "find_problems",
    "literal",
    "load_model",
    "validate_against",
]
