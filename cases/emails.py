"""Notifications about cases. Each is called after commit, so a rolled-back change never mails."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from tracker.emails import render_plain_text

from .validators import mask_ma_number

logger = logging.getLogger(__name__)


def send_outreach_required(case_pk: int) -> None:
    """Tell the CSR's supervisor a case of their team needs consumer outreach."""
    from .models import Case

    case = Case.objects.select_related("team__supervisor", "csr").get(pk=case_pk)
    supervisor = case.team.supervisor if case.team else None
    if supervisor is None or not supervisor.email:
        logger.warning("Case %s needs outreach but its team has no supervisor email", case.number)
        return
    # Email is not the place for identifiers: MA numbers masked, no SSN; the rest is on the
    # case page, behind login.
    participants = [
        {"name": p.name, "ma_number": mask_ma_number(p.ma_number)} for p in case.participants.all()
    ]
    context = {
        "case": case,
        "supervisor": supervisor,
        "participants": participants,
        "case_url": settings.SITE_URL.rstrip("/") + case.get_absolute_url(),
    }
    message = EmailMultiAlternatives(
        subject=f"Outreach required: {case.number} {case.subject}",
        body=render_plain_text("cases/emails/outreach_required.txt", context),
        to=[supervisor.email],
    )
    message.attach_alternative(
        render_to_string("cases/emails/outreach_required.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:  # the case is in the supervisor's list either way
        logger.exception("Could not email %s about %s", supervisor.email, case.number)
