"""Simulated contact-center staff for bench/load/run.py (not CI).

Each locust user signs in as a load user of one role (bench/load/setup_users.py) and repeats
its job: CSRs log MCT Span cases, QC Leads vet them true, State Monitors (password + TOTP code)
mark true cases processed, PAL Representatives send referrals, assisters accept leads and
record the contact and the resolution. The app runs as deployed (DEBUG=0, HTTPS-only): the
requests carry the proxy's X-Forwarded-Proto and the browser's Origin, and the cookie jar sends
the Secure cookies over the plain local connection as the TLS proxy would.

Every action the app confirmed is appended to LOAD_ACTIONS (JSON lines) so the checker can find
each one in the database afterwards; every 5xx is appended to LOAD_ERRORS with its time.
Run by run.py with LOAD_SETUP (setup_users.py's JSON), LOAD_PASSWORD, LOAD_ACTIONS, LOAD_ERRORS.
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
import uuid
from datetime import datetime
from http.cookiejar import DefaultCookiePolicy
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

SETUP = json.loads(open(os.environ["LOAD_SETUP"]).read())
PASSWORD = os.environ["LOAD_PASSWORD"]
ACTIONS = os.environ["LOAD_ACTIONS"]
ERRORS = os.environ["LOAD_ERRORS"]
ZONE = ZoneInfo(os.environ.get("TIME_ZONE", "America/Chicago"))
NEXT_USER = {role: itertools.count() for role in SETUP["users"]}

# The app runs HTTPS-only (DEBUG=0): its session and CSRF cookies are Secure. The run has no TLS
# proxy, so the simulated browsers send Secure cookies over the plain local connection, as the
# browser would over HTTPS to the proxy. (requests builds a fresh cookie jar for every request,
# so the policy must be the class's, not one jar's.)
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True

CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
LEAD_LINK = re.compile(r'href="/portal/leads/(\d+)/"')
MCO_OPTION = re.compile(r'<option value="(\d+)"')
CHECKED_ORG = re.compile(r'name="organization" value="(\d+)"[^>]*checked')
ANY_ORG = re.compile(r'name="organization" value="(\d+)"')
FIRST = ["Maria", "Ahmed", "Ana", "Leo", "Hodan", "Tou", "Grace", "Luis", "Fatuma", "Ken"]
LAST = ["Lopez", "Warsame", "Ortiz", "Vang", "Nguyen", "Johnson", "Ali", "Hernandez", "Yang"]


def record(into: str, **fields) -> None:
    with open(into, "a") as out:
        out.write(json.dumps({"at": time.time(), **fields}) + "\n")


@events.request.add_listener
def on_request(request_type, name, response_time, response_length, response=None, **kw):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        record(ERRORS, name=name, status=response.status_code, path=response.request.path_url)


def totp(key_hex: str, when: float) -> str:
    """RFC 6238, as an authenticator app computes it (30 s steps, 6 digits, SHA-1)."""
    counter = struct.pack(">Q", int(when // 30))
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def today() -> str:
    return datetime.now(ZONE).date().isoformat()


def ssn() -> str:
    area = random.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}-{random.randint(1, 99):02d}-{random.randint(1, 9999):04d}"


def phone() -> str:
    # Valid NANP numbers (exchange 200-999, not N11), random enough that the 30-day duplicate
    # warning is rare; when it comes, the representative gives a reason like a person would.
    exchange = random.choice([n for n in range(200, 1000) if n % 100 != 11])
    return f"612-{exchange}-{random.randint(0, 9999):04d}"


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    role = ""

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.client.headers["Origin"] = "https://" + self.host.split("://", 1)[1].rstrip("/")
        names = SETUP["users"][self.role]
        self.username = names[next(NEXT_USER[self.role]) % len(names)]
        self.login()

    def post(self, url, data, name, **kwargs):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        return self.client.post(url, data, headers=headers, name=name, **kwargs)

    def login(self):
        self.client.get("/login/", name="login: form")
        with self.post(
            "/login/",
            {"username": self.username, "password": PASSWORD},
            "login",
            catch_response=True,
        ) as response:
            if "/verify/" in response.url and self.username in SETUP["totp"]:
                response.success()
                self.verify()
            elif response.status_code != 200 or "/login/" in response.url:
                response.failure(f"login refused for {self.username}")

    def verify(self):
        # The same code is never accepted twice: a second sign-in in one 30-second step waits for
        # the next code, as a person would.
        code = totp(SETUP["totp"][self.username], time.time())
        with self.post(
            "/account/security/verify/", {"code": code}, "login: TOTP code", catch_response=True
        ) as response:
            if "/verify/" in response.url:
                response.failure("TOTP code refused")

    def signed_in(self, response) -> bool:
        """A response that landed on the login page (session lost) signs in again."""
        if "/login/" in response.url or "/verify/" in response.url:
            self.login()
            return False
        return True

    def step(self, url, data, name, *, done, kind, **about):
        """POST one step; the app's confirmation in the page it redirects to proves it."""
        with self.post(url, data, name, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
            elif done in response.text:
                record(ACTIONS, kind=kind, user=self.username, **about)
            elif "no longer" in response.text or "not possible" in response.text:
                # Another user of the same role took it first: the app refused it cleanly.
                record(ACTIONS, kind="conflict", user=self.username, step=name, **about)
            else:
                response.failure("no confirmation in the page")


class Csr(Staff):
    weight = 15
    role = "csr"

    @task
    def log_case(self):
        form = self.client.get("/cases/new/mct_span/", name="intake: form")
        if not self.signed_in(form) or form.status_code != 200:
            return
        mcos = MCO_OPTION.findall(form.text)
        data = {
            "target_mco": random.choice(mcos) if mcos else "",
            "consumer_phone": phone(),
            "issues_resolved": "no",
            "supervisor_requested": "no",
            "notes": "Load test",
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "0",
            "participants-MIN_NUM_FORMS": "1",
            "participants-MAX_NUM_FORMS": "1000",
            "participants-0-name": f"{random.choice(FIRST)} {random.choice(LAST)}",
            "participants-0-ma_number": f"1{random.randint(0, 9_999_999_999):010d}",
            "participants-0-ssn": ssn(),
        }
        with self.post(
            "/cases/new/mct_span/", data, "intake: log case", catch_response=True
        ) as response:
            found = re.search(r"/cases/(\d+)/$", response.url)
            if found and response.status_code == 200:
                record(ACTIONS, kind="case_logged", user=self.username, case=int(found[1]))
            else:
                response.failure(f"not logged (HTTP {response.status_code})")

    @task(3)
    def my_cases(self):
        self.signed_in(self.client.get("/cases/mine/", name="csr: my cases"))


class QcLead(Staff):
    weight = 8
    role = "qc"

    @task
    def vet(self):
        queue = self.client.get("/cases/qc/", name="qc: queue")
        if not self.signed_in(queue):
            return
        cases = CASE_LINK.findall(queue.text)
        if not cases:
            return
        case = int(random.choice(cases))
        self.client.get(f"/cases/{case}/", name="qc: case page")
        self.step(
            f"/cases/{case}/vet_true/",
            {"note": "Load test"},
            "qc: vet true",
            done="— done.",
            kind="transition",
            case=case,
            transition="vet_true",
        )


class StateMonitor(Staff):
    weight = 7
    role = "monitor"

    @task
    def process(self):
        listing = self.client.get("/cases/monitor/", name="monitor: true cases")
        if not self.signed_in(listing):
            return
        cases = CASE_LINK.findall(listing.text)
        if not cases:
            return
        case = int(random.choice(cases))
        self.client.get(f"/cases/{case}/", name="monitor: case page (full SSN)")
        self.step(
            f"/cases/{case}/mark_processed/",
            {"mmis_date": today(), "mmis_reference": f"MMIS-{uuid.uuid4().hex[:10]}"},
            "monitor: mark processed",
            done="— done.",
            kind="transition",
            case=case,
            transition="mark_processed",
        )


class PalRepresentative(Staff):
    weight = 12
    role = "rep"

    @task
    def refer(self):
        form = self.client.get("/referrals/new/", name="rep: referral form")
        if not self.signed_in(form):
            return
        kind = random.choice(["broker", "navigator"])
        if not SETUP["counties"][kind]:
            return
        answers = {
            "consumer_name": f"{random.choice(FIRST)} {random.choice(LAST)}",
            "phone": phone(),
            "email": f"{uuid.uuid4().hex[:12]}@example.org",
            "county": random.choice(SETUP["counties"][kind]),
            "language": "English",
            "has_active_account": "yes",
            "has_active_application": "yes" if kind == "broker" else "no",
            "determinations": ["qhp"] if kind == "broker" else ["none"],
            "reason_for_help": "Load test: wants help choosing a plan",
            "guidance_given": "Told them an assister will call within two business days",
            "consent": "yes",
        }
        routed = self.post("/referrals/new/", {**answers, "step": "route"}, "rep: route")
        organization = CHECKED_ORG.search(routed.text) or ANY_ORG.search(routed.text)
        if organization is None:
            return
        data = {**answers, "step": "send", "organization": organization[1]}
        if "duplicate_reason" in routed.text:
            data["duplicate_reason"] = "Load test: a different household member"
        with self.post("/referrals/new/", data, "rep: send referral", catch_response=True) as sent:
            found = re.search(r"/referrals/(\d+)/$", sent.url)
            if found and sent.status_code == 200:
                record(ACTIONS, kind="referral_sent", user=self.username, referral=int(found[1]))
            else:
                sent.failure(f"not sent (HTTP {sent.status_code})")


class Assister(Staff):
    weight = 8
    role = "assister"

    @task
    def work_a_lead(self):
        leads = self.client.get("/portal/", name="portal: my leads")
        if not self.signed_in(leads):
            return
        found = LEAD_LINK.findall(leads.text)
        if not found:
            return
        lead = int(random.choice(found[:25]))
        page = self.client.get(f"/portal/leads/{lead}/", name="portal: lead").text
        url = f"/portal/leads/{lead}/"
        if 'data-step="accept"' in page:
            self.step(
                url + "accept/", {}, "portal: accept", done="accepted: contact", kind="lead_step",
                referral=lead, transition="accept",
            )  # fmt: skip
        elif 'data-step="resolution"' in page:
            data = {"resolution-resolution": "eligible_ma", "resolution-comments": "Load test"}
            self.step(
                url + "resolution/", data, "portal: resolution", done="resolution recorded",
                kind="lead_step", referral=lead, transition="report_outcome",
            )  # fmt: skip
        elif 'data-step="contact"' in page:
            self.step(
                url + "contact/", {"contact-contact_date": today()}, "portal: contact",
                done="contact recorded", kind="lead_step", referral=lead,
                transition="record_contact",
            )  # fmt: skip
