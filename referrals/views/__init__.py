from .messages import contact_change_decide, thread_close, thread_detail, thread_list
from .organizations import (
    organization_detail,
    organization_edit,
    organization_list,
    organization_new,
    organization_resend_failed,
    organization_resume,
    organization_suspend,
    request_handle,
    request_list,
    request_new,
    unmet_list,
)
from .referrals import referral_action, referral_detail, referral_list, referral_new

__all__ = [
    "contact_change_decide",
    "thread_close",
    "thread_detail",
    "thread_list",
    "organization_detail",
    "organization_edit",
    "organization_list",
    "organization_new",
    "organization_resend_failed",
    "organization_resume",
    "organization_suspend",
    "referral_action",
    "referral_detail",
    "referral_list",
    "referral_new",
    "request_handle",
    "request_list",
    "request_new",
    "unmet_list",
]
