"""Every write on cooperados. Panel, API, tasks and commands call these."""

from cooperados.services.a400_import import ImportReport, LineResult, a400_import
from cooperados.services.accounts import (
    cooperado_block,
    cooperado_reset_password_confirm,
    cooperado_send_reset_link,
    cooperado_set_password,
    cooperado_unblock,
    cooperado_update_emails,
    reset_target,
)
from cooperados.services.bulk import (
    bulk_job_get,
    bulk_job_run,
    bulk_jobs_sweep,
    bulk_reset_preview,
    bulk_reset_request,
)
from cooperados.services.signin import (
    Session,
    SignInRefused,
    TooManyAttempts,
    cooperado_change_own_password,
    cooperado_from_token,
    cooperado_request_reset,
    cooperado_sign_in,
)

__all__ = [
    "ImportReport",
    "LineResult",
    "Session",
    "SignInRefused",
    "TooManyAttempts",
    "a400_import",
    "bulk_job_get",
    "bulk_job_run",
    "bulk_jobs_sweep",
    "bulk_reset_preview",
    "bulk_reset_request",
    "cooperado_block",
    "cooperado_change_own_password",
    "cooperado_from_token",
    "cooperado_request_reset",
    "cooperado_reset_password_confirm",
    "cooperado_send_reset_link",
    "cooperado_set_password",
    "cooperado_sign_in",
    "cooperado_unblock",
    "cooperado_update_emails",
    "reset_target",
]
