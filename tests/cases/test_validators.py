import pytest
from django.core.exceptions import ValidationError

from cases.validators import (
    format_ssn,
    mask_ma_number,
    mask_ssn,
    validate_ma_number,
    validate_ssn,
)


@pytest.mark.parametrize(
    "value, masked",
    [
        ("12345678901", "*******8901"),
        ("1234-5678-901", "*******8901"),
        ("123", "***********"),
        ("", "***********"),
    ],
)
def test_it_masks_ma_numbers_to_the_last_four_digits(value, masked):
    assert mask_ma_number(value) == masked


@pytest.mark.parametrize(
    "value, masked",
    [("123456789", "***-**-6789"), ("123-45-6789", "***-**-6789"), ("12", "***-**-****")],
)
def test_it_masks_ssns_to_the_last_four_digits(value, masked):
    assert mask_ssn(value) == masked


@pytest.mark.parametrize(
    "value, shown",
    [
        ("123456789", "123-45-6789"),
        ("123-45-6789", "123-45-6789"),
        ("123 45 6789", "123-45-6789"),
        ("12345678", "12345678"),  # not nine digits: shown as it is
        ("", ""),
    ],
)
def test_it_shows_ssns_in_three_groups(value, shown):
    assert format_ssn(value) == shown


@pytest.mark.parametrize(
    "validate, value",
    [
        (validate_ssn, "１２３４５６７８９"),  # fullwidth digits, as an IME types them
        (validate_ssn, "١٢٣٤٥٦٧٨٩"),  # Arabic-Indic digits
        (validate_ma_number, "１２３４５６７８９０１"),
    ],
)
def test_only_ascii_digits_make_an_ssn_or_ma_number(validate, value):
    with pytest.raises(ValidationError):
        validate(value)
