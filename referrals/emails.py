"""The lead email (seed, "Referral emails"): every field the assister needs to help the consumer,
or, with LEAD_EMAIL_DETAIL=minimal, no contact details and a link to the lead behind login."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tracker.business_days import add_business_days
from tracker.emails import render_plain_text

from .models import CONTACT_DUE_BUSINESS_DAYS, HOLIDAY_SUBDIV

# Seed, "Who to contact": where assisters send contact changes and questions.
PROGRAM_CONTACT = "assisterleads@mnsure.org"


def lead_email(*, referral, to_email: str) -> EmailMultiAlternatives:
    context = {
        "referral": referral,
        "organization": referral.organization,
        "questions": lead_questions(referral),
        "contact_due_on": add_business_days(
            timezone.localdate(), CONTACT_DUE_BUSINESS_DAYS, subdiv=HOLIDAY_SUBDIV
        ),
        "program_contact": PROGRAM_CONTACT,
        "site_url": settings.SITE_URL,
        "portal_url": settings.SITE_URL.rstrip("/") + reverse("portal:lead", args=[referral.pk]),
        # Self-service (issue 14): contact changes, pauses and questions go through the portal.
        "organization_url": settings.SITE_URL.rstrip("/")
        + reverse("portal:organization", args=[referral.organization_id]),
    }
    # "lead" (the seed's content) or "lead_minimal"; settings refuse any other value.
    template = "lead" if settings.LEAD_EMAIL_DETAIL == "full" else "lead_minimal"
    subject = render_plain_text("referrals/emails/lead_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_plain_text(f"referrals/emails/{template}.txt", context),
        to=[to_email],
        reply_to=[PROGRAM_CONTACT],
        headers={"X-PAL-Lead": referral.number},
    )
    message.attach_alternative(
        render_to_string(f"referrals/emails/{template}.html", context), "text/html"
    )
    return message


def lead_questions(referral) -> list[tuple[str, str]]:
    """The six questions in the seed's words, with the rep's answers."""
    yes_no = {True: "Yes", False: "No"}
    return [
        ("Does the consumer have an active account?", yes_no[referral.has_active_account]),
        ("Does the consumer have an active application?", yes_no[referral.has_active_application]),
        ("What is the household's current determination(s)?", referral.determinations_display),
        ("Why is the consumer seeking help from an assister?", referral.reason_for_help),
        ("What guidance was the consumer provided?", referral.guidance_given),
        (
            "Did the consumer consent to have their information sent to an assister?",
            yes_no[referral.consent],
        ),
    ]


# ---- notices to the coordinators (issue 14: self-service in the portal) --------------------
def coordinator_addresses() -> list[str]:
    """The PAL Coordinators' own addresses; the program mailbox if none has one."""
    from tracker.models import User
    from tracker.roles import PAL_COORDINATOR

    addresses = sorted(
        set(
            User.objects.filter(groups__name=PAL_COORDINATOR, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    return addresses or [PROGRAM_CONTACT]


def _notice(name: str, context: dict) -> EmailMultiAlternatives:
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    subject = render_plain_text(f"referrals/emails/{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_plain_text(f"referrals/emails/{name}.txt", context),
        to=coordinator_addresses(),
    )
    message.attach_alternative(
        render_to_string(f"referrals/emails/{name}.html", context), "text/html"
    )
    return message


def taking_leads_email(change) -> EmailMultiAlternatives:
    """An organization paused or resumed new leads (routing already obeys)."""
    organization = change.organization
    return _notice(
        "taking_leads",
        {
            "change": change,
            "organization": organization,
            "paused": change.new_value != "Yes",
            "path": organization.get_absolute_url(),
        },
    )


def contact_change_email(change) -> EmailMultiAlternatives:
    """An organization asked to change its designated contact: a coordinator approves it."""
    return _notice(
        "contact_change",
        {
            "change": change,
            "organization": change.organization,
            "path": change.organization.get_absolute_url(),
        },
    )


def thread_answer_email(message) -> EmailMultiAlternatives:
    """MNsure answered an organization's message: a link to the thread behind login, not the
    text (it may name a consumer)."""
    thread = message.thread
    context = {
        "thread": thread,
        "organization": thread.organization,
        "thread_url": settings.SITE_URL.rstrip("/") + reverse("portal:thread", args=[thread.pk]),
    }
    email = EmailMultiAlternatives(
        subject=" ".join(f"MNsure answered: {thread.subject}".split())[:200],
        body=render_plain_text("referrals/emails/thread_answer.txt", context),
        to=[thread.organization.lead_email],
        headers={"X-PAL-Thread": str(thread.pk)},
    )
    email.attach_alternative(
        render_to_string("referrals/emails/thread_answer.html", context), "text/html"
    )
    return email
