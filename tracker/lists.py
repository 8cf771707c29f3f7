"""What every list page does with a query string it cannot use."""


def filter_status(filterset) -> int:
    """400 when the list's filters do not validate (a number out of range, an unknown choice):
    the page still renders, with the filter form saying what is wrong, and the list is shown
    without the filters that failed. Never a 500 for a hand-edited URL."""
    return 400 if filterset.is_bound and not filterset.is_valid() else 200
