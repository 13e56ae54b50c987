"""Feedback to centres: grouped problems and the feedback workbook written to their outbox."""

from tasks.feedback.grouping import ProblemGroup, group_problems, top_groups
from tasks.feedback.naming import feedback_file_name, safe_stem
from tasks.feedback.workbook import write_feedback

__all__ = ["ProblemGroup", "feedback_file_name", "group_problems", "safe_stem", "top_groups", "write_feedback"]
