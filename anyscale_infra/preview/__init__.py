"""Offline preview: run a Pulumi program on the SDK's mock engine and record its plan.

No Pulumi CLI, no credentials, no network. See :func:`run_program` and :func:`run_function`.
"""

from anyscale_infra.preview.engine import (
    PreviewResult,
    ProgramError,
    RecordedResource,
    run_function,
    run_program,
)
from anyscale_infra.preview.mocks import PREVIEW_ACCOUNT_ID
from anyscale_infra.preview.project import ProjectError

__all__ = [
    "PREVIEW_ACCOUNT_ID",
    "PreviewResult",
    "ProgramError",
    "ProjectError",
    "RecordedResource",
    "run_function",
    "run_program",
]
