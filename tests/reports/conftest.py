import pytest

from cases import services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded sheets are kept under MEDIA_ROOT: keep the tests' copies out of the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def true_case(log_case, qc_lead):
    """A case logged by the CSR and vetted true by QC: it waits in the State Monitor hand-off."""

    def _make(**fields):
        case = log_case(**fields)
        return services.case_vet_true(case=case, by=qc_lead)

    return _make
