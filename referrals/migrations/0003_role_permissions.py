from django.db import migrations

from tracker.roles import (
    ADMIN,
    ASSISTER,
    PAL_COORDINATOR,
    PAL_REPRESENTATIVE,
    grant_permissions,
)

MODELS = ["county", "assisterorganization", "organizationchange", "organizationrequest",
          "unmetrequest", "referral", "leaddelivery", "deliveryattempt"]
WORKFLOW = ["view_all_referrals", "manage_leads", "report_outcome"]

ROLE_PERMISSIONS = {
    PAL_REPRESENTATIVE: ["add_referral", "view_referral", "view_county",
                         "view_assisterorganization", "add_unmetrequest"],
    PAL_COORDINATOR: ["view_referral", "view_all_referrals", "manage_leads", "report_outcome",
                      "view_county", "view_leaddelivery", "view_deliveryattempt",
                      "add_assisterorganization", "change_assisterorganization",
                      "view_assisterorganization", "view_organizationchange",
                      "add_organizationrequest", "change_organizationrequest",
                      "view_organizationrequest", "view_unmetrequest"],
    ASSISTER: ["view_referral", "report_outcome"],
    ADMIN: [f"{verb}_{model}" for model in MODELS for verb in ["add", "change", "view", "delete"]]
    + WORKFLOW,
}


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_counties"), ("tracker", "0002_roles")]

    operations = [
        migrations.RunPython(grant_permissions("referrals", ROLE_PERMISSIONS),
                             migrations.RunPython.noop),
    ]
