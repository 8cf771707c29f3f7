from django.db import migrations

from tracker.roles import ADMIN, CSR, QC_LEAD, STATE_MONITOR, SUPERVISOR, grant_permissions

REFERENCE = [f"{verb}_{model}" for model in ["mco", "providertermination"]
             for verb in ["add", "change", "view", "delete"]]
WORKFLOW = ["vet_case", "process_case", "record_outreach", "view_full_identifiers",
            "export_qc_report", "exchange_handoff"]

ROLE_PERMISSIONS = {
    CSR: ["add_case", "view_case", "add_participant", "view_participant", "view_mco",
          "view_providertermination"],
    SUPERVISOR: ["view_case", "view_participant", "view_outreachattempt", "record_outreach"],
    QC_LEAD: ["view_case", "view_participant", "view_outreachattempt", "vet_case",
              "export_qc_report"],
    STATE_MONITOR: ["view_case", "view_participant", "process_case", "view_full_identifiers",
                    "exchange_handoff"],
    ADMIN: REFERENCE + WORKFLOW + ["add_case", "view_case", "change_case", "view_participant",
                                   "change_participant", "view_outreachattempt"],
}


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial"), ("tracker", "0002_roles")]

    operations = [
        migrations.RunPython(grant_permissions("cases", ROLE_PERMISSIONS), migrations.RunPython.noop),
    ]
