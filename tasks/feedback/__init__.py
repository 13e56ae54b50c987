"""Feedback to centres: grouped problems, the feedback workbook, and the annotated copy of their workbook."""

from tasks.feedback.annotate import annotate_workbook, annotated_count, has_cell_problems
from tasks.feedback.grouping import ProblemGroup, group_problems, top_groups
from tasks.feedback.naming import annotated_file_name, feedback_file_name, safe_stem
from tasks.feedback.workbook import write_feedback

__all__ = [
    "ProblemGroup",
    "annotate_workbook",
    "annotated_count",
    "annotated_file_name",
    "feedback_file_name",
    "group_problems",
    "has_cell_problems",
    "safe_stem",
    "top_groups",
    "write_feedback",
]
