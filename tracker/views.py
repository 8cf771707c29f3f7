from django.shortcuts import render

from .roles import role_names


def home(request):
    """The signed-in user's home: what each of their roles works on."""
    return render(request, "tracker/home.html", {"roles": sorted(role_names(request.user))})
