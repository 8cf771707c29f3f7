"""Demo assister organizations (both kinds, several counties, a county with two brokers, a suspended
one) and a few referrals sent through the real services."""

from datetime import timedelta

from django.utils import timezone

from . import services
from .models import AssisterOrganization, County, Language, Referral, Thread

# Issue 14's profile: languages served and the maximum of open leads (None: no limit).
PROFILES = {
    "Lakes Area Navigator Collaborative": (["English", "Somali", "Hmong", "Spanish"], 40),
    "North Star Community Navigators": (["English"], 25),
    "Southern MN Health Access": (["English", "Spanish", "Karen"], None),
    "Twin Cities Broker Enrollment Center": (["English", "Spanish", "Vietnamese"], 60),
    "Metro Insurance Enrollment Center": (["English", "Hmong", "Oromo"], None),
    "Iron Range Insurance Center": (["English"], 15),
    "Prairie Broker Enrollment Center": (["English", "Spanish"], 30),
}

# name, kind, counties, suspended reason
ORGANIZATIONS = [
    ("Lakes Area Navigator Collaborative", "navigator", ["Hennepin", "Ramsey", "Anoka"], ""),
    ("North Star Community Navigators", "navigator", ["St. Louis", "Carlton", "Lake"], ""),
    ("Southern MN Health Access", "navigator", ["Olmsted", "Mower", "Rice"], ""),
    ("Twin Cities Broker Enrollment Center", "broker", ["Hennepin", "Ramsey", "Dakota"], ""),
    ("Metro Insurance Enrollment Center", "broker", ["Hennepin", "Washington"], ""),
    ("Iron Range Insurance Center", "broker", ["St. Louis", "Itasca"], ""),
    (
        "Prairie Broker Enrollment Center",
        "broker",
        ["Stearns", "Benton", "Olmsted"],
        "Cannot complete appointments within two weeks until January",
    ),
]

CONSUMERS = [
    ("Hennepin", "Ahmed Warsame", "Somali", True, ["qhp"]),
    ("Ramsey", "Mai Vang", "Hmong", True, ["ma"]),
    ("St. Louis", "Erik Lindqvist", "English", False, []),
    ("Hennepin", "Rosa Delgado", "Spanish", True, ["mncare", "qhp"]),
]

# Issue 14's assister loop, all of them Medical Assistance leads in Lakes' counties (so routed to
# Lakes, whose assister the demo signs in as), and what Lakes does with each today.
LIFECYCLE = [
    ("Hennepin", "Hodan Ali", "Somali", "accept"),
    ("Ramsey", "Tou Xiong", "Hmong", "accept"),
    ("Anoka", "Lucia Hernandez", "Spanish", "decline"),
    ("Hennepin", "Fartun Hassan", "Somali", "appointment"),
    ("Ramsey", "Pa Nhia Lee", "Hmong", "complete"),
    ("Hennepin", "Joseph Kamara", "English", "complete"),
    # Nobody in Hennepin lists Karen: a language gap on the scorecard and the coverage page.
    ("Hennepin", "Eh Soe", "Karen", ""),
]


def load(stdout, *, users):
    coordinator, rep = users["pal.coord"], users["pal.rep"]
    orgs = {}
    for name, kind, county_names, suspended in ORGANIZATIONS:
        slug = name.lower().split()[0]
        org = AssisterOrganization.objects.filter(name=name).first()
        if org is None:
            org = services.organization_create(
                organization=AssisterOrganization(
                    name=name, kind=kind, lead_email=f"leads@{slug}-assisters.example.org"
                ),
                counties=County.objects.filter(name__in=county_names),
                languages=Language.objects.filter(name__in=PROFILES[name][0]),
                by=coordinator,
            )
            org.max_open_leads = PROFILES[name][1]
            org.contact_name = f"{name.split()[0]} lead coordinator"
            services.organization_update(organization=org, by=coordinator, note="Demo profile")
            if suspended:
                services.organization_suspend(organization=org, by=coordinator, reason=suspended)
        orgs[name] = org
    orgs["Lakes Area Navigator Collaborative"].members.add(users["assister"])
    _self_service(orgs, users=users)
    if Referral.objects.exists():
        stdout.write(f"{Referral.objects.count()} referrals already there; none added.")
        return users
    from .routing import default_organization

    created = []
    consumers = [
        *CONSUMERS,
        *((county, name, language, True, ["ma"]) for county, name, language, _ in LIFECYCLE),
    ]
    for county_name, name, language, application, determinations in consumers:
        referral = Referral(
            consumer_name=name,
            phone="612-555-0100",
            county=County.objects.get(name=county_name),
            language=language,
            has_active_account=True,
            has_active_application=application,
            determination_ma="ma" in determinations,
            determination_mncare="mncare" in determinations,
            determination_qhp="qhp" in determinations,
            reason_for_help="Needs help comparing plans and finishing the application in person.",
            guidance_given="Explained the PAL program; an assister will call within two days.",
            consent=True,
            created_at=timezone.now() - timedelta(days=3),
        )
        decision = referral.derive_type()
        org = default_organization(
            assister_type=decision.assister_type, county=referral.county, language=language
        )
        created.append(services.referral_create(referral=referral, organization=org, by=rep))
    _send_and_report(created, users=users)
    _assister_loop(created[len(CONSUMERS) :], users=users)
    stdout.write(
        f"Demo PAL: {AssisterOrganization.objects.count()} organizations, "
        f"{Referral.objects.count()} referrals."
    )
    return users


def _self_service(orgs, *, users):
    """A question answered in the app, one waiting, and a contact change to approve (once)."""
    if Thread.objects.exists():
        return
    lakes = orgs["Lakes Area Navigator Collaborative"]
    assister, coordinator = users["assister"], users["pal.coord"]
    answered = services.thread_start(
        organization=lakes,
        by=assister,
        subject="Leads over the holidays",
        body="Will leads keep coming between Christmas and New Year? Our office is half staffed.",
    )
    services.thread_reply(
        thread=answered,
        by=coordinator,
        from_exchange=True,
        body="Yes. If you cannot call back within two business days, stop new leads for those "
        "days on your organization's page.",
    )
    services.thread_start(
        organization=lakes,
        by=assister,
        subject="Add Oromo to our languages",
        body="We hired an Oromo-speaking navigator: please add Oromo to our languages served.",
    )
    services.contact_change_request(
        organization=lakes,
        by=assister,
        contact_name="Dana Lindgren",
        lead_email="dana.lindgren@lakes-assisters.example.org",
        phone="612-555-0142",
        note="Our previous lead coordinator retired.",
    )


def _send_and_report(referrals, *, users):
    """Send the leads now (not after the demo's transaction), date the first two as sent
    20 days ago — in the demo calendar's first period — and record one outcome."""
    from tracker.business_days import add_business_days

    from . import delivery
    from .models import CONTACT_DUE_BUSINESS_DAYS, HOLIDAY_SUBDIV, LeadDelivery

    for pending in LeadDelivery.objects.filter(referral__in=referrals):
        delivery.deliver(pending.pk)
    earlier = timezone.now() - timedelta(days=20)
    for referral in referrals[:2]:
        Referral.objects.filter(pk=referral.pk).update(
            created_at=earlier,
            sent_at=earlier,
            contact_due_on=add_business_days(
                timezone.localdate(earlier), CONTACT_DUE_BUSINESS_DAYS, subdiv=HOLIDAY_SUBDIV
            ),
        )
    reached = Referral.objects.get(pk=referrals[1].pk)  # Mai Vang, Lakes' lead
    services.referral_report_outcome(
        referral=reached,
        by=users["assister"],
        contact_made=True,
        contact_date=timezone.localdate(earlier) + timedelta(days=1),
        resolution="eligible_ma",
        comments="Helped her finish the MA renewal at the library.",
    )


def _assister_loop(referrals, *, users):
    """Lakes answers its new leads through the portal's services, as its assister would today:
    two accepted, one declined (back in the coordinators' queue to reassign), one in progress
    with an appointment within two weeks of the referral, two completed; one left to answer."""
    from .states import DeclineReason, Resolution

    assister, today = users["assister"], timezone.localdate()
    for referral, (_, _, _, action) in zip(referrals, LIFECYCLE, strict=True):
        referral = Referral.objects.get(pk=referral.pk)  # as delivered
        if action == "decline":
            services.referral_decline(
                referral=referral,
                by=assister,
                reason=DeclineReason.CLOSED,
                note="Our Anoka office is closed until next month.",
            )
            continue
        if not action:
            continue
        services.referral_accept(referral=referral, by=assister)
        if action == "appointment":
            services.referral_record_contact(
                referral=referral,
                by=assister,
                contact_date=today,
                appointment_on=today + timedelta(days=6),
            )
        elif action == "complete":
            services.referral_record_contact(referral=referral, by=assister, contact_date=today)
            services.referral_record_resolution(
                referral=referral, by=assister, resolution=Resolution.ELIGIBLE_MA
            )
