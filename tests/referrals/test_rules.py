import itertools

import pytest

from referrals.rules import AssisterType, Determination, assister_type_for

N, B = AssisterType.NAVIGATOR, AssisterType.BROKER
MA, MNCARE, QHP = Determination.MA, Determination.MINNESOTACARE, Determination.QHP

# (has application, determinations) -> type. Every combination of the three determinations,
# with and without an application, written out so the table is the specification.
TABLE = [
    (False, set(), N),
    (False, {MA}, N),
    (False, {MNCARE}, N),
    (False, {QHP}, N),
    (False, {MA, MNCARE}, N),
    (False, {MA, QHP}, N),
    (False, {MNCARE, QHP}, N),
    (False, {MA, MNCARE, QHP}, N),
    (True, set(), N),
    (True, {MA}, N),
    (True, {MNCARE}, N),
    (True, {QHP}, B),
    (True, {MA, MNCARE}, N),
    (True, {MA, QHP}, N),
    (True, {MNCARE, QHP}, N),
    (True, {MA, MNCARE, QHP}, N),
]


def test_it_covers_every_combination():
    combos = {
        (app, frozenset(chosen))
        for app in (False, True)
        for size in range(4)
        for chosen in itertools.combinations([MA, MNCARE, QHP], size)
    }
    assert {(app, frozenset(chosen)) for app, chosen, _ in TABLE} == combos


@pytest.mark.parametrize("has_application, determinations, expected", TABLE)
def test_it_derives_the_assister_type(has_application, determinations, expected):
    decision = assister_type_for(has_application=has_application, determinations=determinations)
    assert decision.assister_type == expected
    assert decision.reason


@pytest.mark.parametrize("has_application", [False, True])
def test_it_treats_none_like_no_determination(has_application):
    with_none = assister_type_for(
        has_application=has_application, determinations=[Determination.NONE]
    )
    empty = assister_type_for(has_application=has_application, determinations=[])
    assert with_none == empty


@pytest.mark.parametrize(
    "has_application, determinations, words",
    [
        (False, [], "No application"),
        (True, [MA], "Public program determination (Medical Assistance)"),
        (True, [MNCARE], "Public program determination (MinnesotaCare)"),
        (True, [QHP], "QHP determination – refer to a preferred broker"),
        (True, [MA, QHP], "also has a QHP determination"),
    ],
)
def test_it_explains_the_type_in_the_seeds_words(has_application, determinations, words):
    decision = assister_type_for(has_application=has_application, determinations=determinations)
    assert words in decision.reason
