"""Rules of a Déclic activity that span two tables, kept by PostgreSQL itself.

- The participant's copy of the activity type follows the activity through a composite foreign key
  (ON UPDATE CASCADE): with the partial unique index `declic_individual_one_participant`, an
  individual activity can never hold two participants, and turning a workshop of several people
  into an individual support is refused.
- Every activity has at least one participant, checked at commit (a deferred constraint trigger), so
  a service can write the activity then its participants in one transaction.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE events_mediationparticipant
    ADD CONSTRAINT declic_participant_activity_type_fk
    FOREIGN KEY (activity_id, activity_type) REFERENCES events_mediationactivity (id, type)
    ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE;

CREATE FUNCTION declic_activity_has_a_participant() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    checked_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'events_mediationactivity' THEN
        checked_id := NEW.id;
    ELSE
        checked_id := OLD.activity_id;
    END IF;
    IF EXISTS (SELECT 1 FROM events_mediationactivity WHERE id = checked_id)
       AND NOT EXISTS (SELECT 1 FROM events_mediationparticipant WHERE activity_id = checked_id) THEN
        RAISE EXCEPTION 'Déclic activity % has no participant', checked_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'declic_activity_has_a_participant';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER declic_activity_has_a_participant
    AFTER INSERT ON events_mediationactivity
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION declic_activity_has_a_participant();

CREATE CONSTRAINT TRIGGER declic_participant_leaves_activity
    AFTER DELETE OR UPDATE OF activity_id ON events_mediationparticipant
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION declic_activity_has_a_participant();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS declic_participant_leaves_activity ON events_mediationparticipant;
DROP TRIGGER IF EXISTS declic_activity_has_a_participant ON events_mediationactivity;
DROP FUNCTION IF EXISTS declic_activity_has_a_participant();
ALTER TABLE events_mediationparticipant DROP CONSTRAINT IF EXISTS declic_participant_activity_type_fk;
"""


class Migration(migrations.Migration):
    dependencies = [("events", "0003_declic_activities")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
