"""Where a session that lacks a second factor is sent: shared by the middleware and the
decorator guarding pages with full SSNs."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp import user_has_device


def redirect_to_second_factor(request):
    """To the code page if the user has a confirmed device, else to enrolment; back afterwards.

    Only a GET can be replayed, so any other request comes back to the home page.
    """
    target = "mfa:verify" if user_has_device(request.user) else "mfa:enrol"
    back = request.get_full_path() if request.method in {"GET", "HEAD"} else reverse("home")
    return redirect_to_login(back, reverse(target))
