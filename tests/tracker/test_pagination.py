"""The pagination every list shares (tracker.pagination; issue 12)."""

import pytest

from tracker.pagination import MAX_PER_PAGE, ListPaginator, about


@pytest.mark.parametrize(
    "n, said",
    [
        (10_001, "about 10,000"),
        (12_345, "about 12,000"),
        (199_862, "about 200,000"),
        (1_000_000, "about 1 million"),
        (1_234_567, "about 1.2 million"),
    ],
)
def test_it_rounds_estimates_to_two_figures(n, said):
    assert about(n) == said


def test_it_caps_the_page_size_and_counts_plain_lists():
    paginator = ListPaginator(list(range(250)), 10_000)
    assert paginator.per_page == MAX_PER_PAGE
    assert paginator.count_label == "250"
    assert not paginator.count_is_estimate


def test_it_stops_at_the_deepest_page(monkeypatch):
    from tracker import pagination

    monkeypatch.setattr(pagination, "MAX_ROWS", 30)
    paginator = ListPaginator(list(range(100)), 10)
    assert paginator.num_pages == 3
    with pytest.raises(pagination.TooDeep):
        paginator.page(4)
    assert "past the deepest page this list offers (3" in paginator.depth_message
