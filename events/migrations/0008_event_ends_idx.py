from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0007_event_window_price_dates_in_range"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["ends_at"], name="event_ends_idx"),
        ),
    ]
