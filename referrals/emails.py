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
