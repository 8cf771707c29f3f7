import pytest

from cases.validators import mask_ma_number, mask_ssn


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
