"""tracker.insert_values writes rows without a model instance, so it must refuse a field that
sets its own value on save (it would be stored without it). An encrypted field is fine: it
encrypts in get_prep_value, which insert_values calls."""

import pytest

from cases.models import Case, Participant
from reports.models import AppliedRow, Upload
from tracker.insert_values import insert_values


@pytest.mark.parametrize(
    "model, field",
    [
        (Case, "updated_at"),  # auto_now
        (Upload, "uploaded_at"),  # auto_now_add
        (Participant, "ssn_index"),  # the blind index, from the SSN on save
        (Participant, "name_search"),  # folded from the name on save
    ],
)
def test_it_refuses_a_field_that_sets_its_value_on_save(db, model, field):
    with pytest.raises(TypeError, match=field):
        insert_values(model, (field,), [("x",)])


def test_it_refuses_rows_that_leave_a_field_out(db):
    """A field left out would be stored NULL, not with its default."""
    with pytest.raises(TypeError, match="mmis_date, mmis_reference, reason"):
        insert_values(AppliedRow, ("upload", "case", "row", "action"), [(1, 1, 2, "processed")])
    assert not AppliedRow.objects.exists()
