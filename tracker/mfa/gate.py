"""Where a session that lacks a second factor is sent: shared by the middleware and the
decorator guarding pages with full SSNs."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .devices import can_enter_a_code


def redirect_to_second_factor(request):
    """To the code page if the user has a code to enter, else to enrolment; back afterwards.

    Only a GET can be replayed, so any other request comes back to the home page.
    """
    target = "mfa:verify" if can_enter_a_code(request.user) else "mfa:enrol"
    back = request.get_full_path() if request.method in {"GET", "HEAD"} else reverse("home")
    return redirect_to_login(back, reverse(target))
