"""Whether the CSM got a mail about a removal (issue 15: one mail per person and organisation per
10 minutes). Every removal recorded before this migration was mailed (the limit did not exist,
and every customer has a CSM address), so existing records say yes; new records say it only
when their mail was queued."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0002_removal_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="userremoval",
            name="csm_notified",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Whether the Customer Success Manager got a mail about this removal. "
                    "Removals of the same person from the same organisation within 10 minutes "
                    "of a mailed one are not mailed again."
                ),
                verbose_name="CSM mailed",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="userremoval",
            name="csm_notified",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Whether the Customer Success Manager got a mail about this removal. "
                    "Removals of the same person from the same organisation within 10 minutes "
                    "of a mailed one are not mailed again."
                ),
                verbose_name="CSM mailed",
            ),
        ),
    ]
