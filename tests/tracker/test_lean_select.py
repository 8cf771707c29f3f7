"""The list filters' quick <select> (tracker.widgets.LeanSelect) writes the markup of
Django's own Select."""

import re

import pytest
from django import forms

from tracker.widgets import LeanSelect

CHOICES = [("", "Any"), ("a&b", "Tom & Jerry"), ("2", '"Quoted"'), ("3", "Three")]


def squeeze(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", "a&b", "3", "missing"])
def test_it_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_county", "class": "wide"}
    django = forms.Select(choices=CHOICES).render("county", value, attrs)
    quick = LeanSelect(choices=CHOICES).render("county", value, attrs)
    assert squeeze(quick) == squeeze(django)


def test_option_groups_too():
    choices = [("Metro", [("1", "Hennepin"), ("2", "Ramsey")]), ("3", "Aitkin")]
    django = forms.Select(choices=choices).render("county", "2")
    assert squeeze(LeanSelect(choices=choices).render("county", "2")) == squeeze(django)


def test_an_empty_value_and_a_repeated_one_are_marked_as_django_marks_them():
    choices = [(None, "Any"), ("3", "Three"), ("3", "Three again"), ("<b>", "<b>bold</b>")]
    for value in [None, "", "3", "<b>"]:
        django = forms.Select(choices=choices).render("kind", value, {"required": True})
        quick = LeanSelect(choices=choices).render("kind", value, {"required": True})
        assert squeeze(quick) == squeeze(django), value
