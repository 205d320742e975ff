-- 006_reminders: appointment reminders (issue 13). An appointment remembers the conversation it
-- was booked in (reminders go there and nowhere else) and when it got its current time (a
-- reminder is owed only if it falls due after that); it can be confirmed, or marked a no-show by
-- staff. Each reminder sent is a row, written in the same transaction as its outbox message, so
-- one reminder per appointment, offset and start time is ever sent. A patient can turn reminders
-- off.

-- confirmed: the patient answered a reminder "yes, I'm coming"; no_show: staff say they did not.
ALTER TABLE appointments DROP CONSTRAINT appointments_status_check;
ALTER TABLE appointments ADD CONSTRAINT appointments_status_check
  CHECK (status IN ('booked', 'confirmed', 'cancelled', 'no_show'));

-- A confirmed appointment holds its time just as a booked one does.
ALTER TABLE appointments DROP CONSTRAINT appointments_no_overlap;
ALTER TABLE appointments ADD CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
  doctor_id WITH =,
  tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (status IN ('booked', 'confirmed'));

-- Null: booked some other way (or before reminders existed), so never reminded.
ALTER TABLE appointments ADD COLUMN booked_channel text;
ALTER TABLE appointments ADD COLUMN booked_conversation_id text;
ALTER TABLE appointments ADD CONSTRAINT appointments_booked_from_valid
  CHECK ((booked_channel IS NULL) = (booked_conversation_id IS NULL));
-- When the appointment got its current start time (booked or moved): a reminder that fell due
-- before that is not owed (nobody wants a reminder minutes after booking).
ALTER TABLE appointments ADD COLUMN time_set_at timestamptz;
UPDATE appointments SET time_set_at = updated_at;
ALTER TABLE appointments ALTER COLUMN time_set_at SET NOT NULL;
ALTER TABLE appointments ALTER COLUMN time_set_at SET DEFAULT now();
CREATE INDEX appointments_upcoming_idx ON appointments (starts_at) WHERE status IN ('booked', 'confirmed');

-- Set while the patient does not want reminders ("stop reminders").
ALTER TABLE patients ADD COLUMN reminders_off_at timestamptz;

-- One row per reminder sent. mode: `prompt` put the conversation in the reminded state (the
-- patient can answer 1/2/3); `info` went as information only (the patient was in the middle of
-- something, or staff had the conversation). outcome: what the patient did about it.
CREATE TABLE appointment_reminders (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id  uuid NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  offset_minutes  numeric NOT NULL CHECK (offset_minutes > 0),
  starts_at       timestamptz NOT NULL,
  patient_id      uuid NOT NULL REFERENCES patients (id),
  channel         text NOT NULL,
  conversation_id text NOT NULL,
  delivery_id     text NOT NULL UNIQUE,
  mode            text NOT NULL CHECK (mode IN ('prompt', 'info')),
  status          text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'undeliverable')),
  failure         text,
  outcome         text CHECK (outcome IN ('confirmed', 'changed', 'cancelled')),
  sent_at         timestamptz NOT NULL,
  answered_at     timestamptz,
  UNIQUE (appointment_id, offset_minutes, starts_at)
);
CREATE INDEX appointment_reminders_sent_at_idx ON appointment_reminders (sent_at);
CREATE INDEX appointment_reminders_patient_idx ON appointment_reminders (patient_id);

-- One appointment write of a turn (see commit_turn). Answers the reminder it answered, if any:
-- confirming, moving or cancelling an appointment answers the latest reminder sent for its
-- current time that nobody answered yet.
CREATE FUNCTION apply_appointment_write(w jsonb, conv_channel text, conv_id text, write_at timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  appointment uuid := (w->>'appointmentId')::uuid;
  new_outcome text;
  answered bigint;
  changed integer;
BEGIN
  IF w->>'op' = 'book' THEN
    PERFORM lock_doctor_days(w->>'doctorId', (w->>'startsAt')::timestamptz, (w->>'endsAt')::timestamptz);
    INSERT INTO appointments (id, patient_id, doctor_id, service_id, starts_at, ends_at, booked_channel, booked_conversation_id, time_set_at)
    VALUES ((w->>'id')::uuid, (w->>'patientId')::uuid, w->>'doctorId', w->>'serviceId',
            (w->>'startsAt')::timestamptz, (w->>'endsAt')::timestamptz, conv_channel, conv_id, write_at);
    RETURN NULL;
  END IF;

  new_outcome := CASE w->>'op' WHEN 'confirm' THEN 'confirmed' WHEN 'reschedule' THEN 'changed' WHEN 'cancel' THEN 'cancelled' END;
  IF new_outcome IS NULL THEN
    RAISE EXCEPTION 'unknown appointment write %', w->>'op';
  END IF;
  -- Before the write: the reminder belongs to the time the appointment has now.
  UPDATE appointment_reminders r
     SET outcome = new_outcome, answered_at = write_at
   WHERE r.id = (SELECT x.id FROM appointment_reminders x JOIN appointments a ON a.id = x.appointment_id
                  WHERE x.appointment_id = appointment AND x.starts_at = a.starts_at
                    AND x.status = 'sent' AND x.outcome IS NULL
                  ORDER BY x.sent_at DESC, x.id DESC LIMIT 1)
  RETURNING r.id INTO answered;

  CASE w->>'op'
    WHEN 'confirm' THEN
      UPDATE appointments SET status = 'confirmed', updated_at = now()
       WHERE id = appointment AND patient_id = (w->>'patientId')::uuid AND status IN ('booked', 'confirmed');
    WHEN 'reschedule' THEN
      PERFORM lock_doctor_days(w->>'doctorId', (w->>'startsAt')::timestamptz, (w->>'endsAt')::timestamptz);
      -- The new time is not confirmed yet: the reminders for it ask again.
      UPDATE appointments
         SET starts_at = (w->>'startsAt')::timestamptz, ends_at = (w->>'endsAt')::timestamptz,
             status = 'booked', time_set_at = write_at, updated_at = now()
       WHERE id = appointment AND patient_id = (w->>'patientId')::uuid AND status IN ('booked', 'confirmed');
    ELSE
      UPDATE appointments SET status = 'cancelled', updated_at = now()
       WHERE id = appointment AND patient_id = (w->>'patientId')::uuid AND status IN ('booked', 'confirmed');
  END CASE;
  GET DIAGNOSTICS changed = ROW_COUNT;
  IF changed = 0 THEN
    RAISE EXCEPTION 'the appointment is no longer booked' USING ERRCODE = 'CAB01';
  END IF;
  IF answered IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN jsonb_build_object('appointmentId', appointment, 'outcome', new_outcome);
END;
$$;

-- commit_turn of 003_exactly_once, with two changes: appointment writes go through
-- apply_appointment_write (booking records the conversation; confirm is new; the reminders they
-- answer are returned as "reminderAnswers"), and a turn may turn the patient's reminders on or
-- off ("reminders": {"patientId", "enabled"}). Still one call, one round trip.
CREATE OR REPLACE FUNCTION commit_turn(t jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  conv_channel text := t->>'channel';
  conv_id text := t->>'conversationId';
  expected bigint := (t->>'expectedRev')::bigint;
  answered_id text := t->>'messageId';
  turn_at timestamptz := (t->>'at')::timestamptz;
  new_rev bigint;
  found_answer jsonb;
  write jsonb;
  reminder_answer jsonb;
  reminder_answers jsonb := '[]'::jsonb;
  esc escalations%ROWTYPE;
  esc_json jsonb := NULL;
BEGIN
  IF answered_id IS NOT NULL THEN
    SELECT replies INTO found_answer FROM inbox
     WHERE channel = conv_channel AND conversation_id = conv_id AND message_id = answered_id;
    IF FOUND THEN
      RETURN jsonb_build_object('outcome', 'answered', 'replies', found_answer);
    END IF;
  END IF;

  -- The conversation's state moves from the revision the turn read to the next, or not at all.
  UPDATE conversation_states
     SET rev = rev + 1, record = t->'record', patient_id = coalesce((t->>'patientId')::uuid, patient_id),
         updated_at = turn_at, commit_by = (t->>'commitBy')::timestamptz
   WHERE channel = conv_channel AND conversation_id = conv_id AND rev = expected
  RETURNING rev INTO new_rev;
  IF new_rev IS NULL THEN
    -- Nothing stored yet (or only a cache older than this database knew of): start it.
    INSERT INTO conversation_states (channel, conversation_id, rev, record, patient_id, updated_at, commit_by)
    VALUES (conv_channel, conv_id, coalesce(expected, 0) + 1, t->'record', (t->>'patientId')::uuid,
            turn_at, (t->>'commitBy')::timestamptz)
    ON CONFLICT (channel, conversation_id) DO NOTHING
    RETURNING rev INTO new_rev;
  END IF;
  IF new_rev IS NULL THEN
    RETURN jsonb_build_object('outcome', 'stale', 'current',
      (SELECT jsonb_build_object('rev', s.rev, 'record', s.record) FROM conversation_states s
        WHERE s.channel = conv_channel AND s.conversation_id = conv_id));
  END IF;

  FOR write IN SELECT value FROM jsonb_array_elements(coalesce(t->'appointments', '[]'::jsonb)) LOOP
    reminder_answer := apply_appointment_write(write, conv_channel, conv_id, turn_at);
    IF reminder_answer IS NOT NULL THEN
      reminder_answers := reminder_answers || jsonb_build_array(reminder_answer);
    END IF;
  END LOOP;

  IF t->'escalation' IS NOT NULL AND jsonb_typeof(t->'escalation') = 'object' THEN
    write := t->'escalation';
    INSERT INTO escalations AS e (id, patient_id, channel, conversation_id, urgency, reason)
    VALUES ((write->>'id')::uuid, (write->>'patientId')::uuid, conv_channel, conv_id, write->>'urgency', write->>'reason')
    ON CONFLICT (channel, conversation_id) WHERE status <> 'resolved' DO UPDATE
       SET urgency = excluded.urgency, reason = excluded.reason
     WHERE array_position(array['low', 'medium', 'high', 'urgent'], excluded.urgency)
         > array_position(array['low', 'medium', 'high', 'urgent'], e.urgency)
    RETURNING * INTO esc;
    IF esc.id IS NULL THEN
      -- Not more urgent than the active one: that one stays as it is.
      SELECT * INTO esc FROM escalations WHERE channel = conv_channel AND conversation_id = conv_id AND status <> 'resolved';
    END IF;
    IF esc.id IS DISTINCT FROM (write->>'id')::uuid OR esc.urgency IS DISTINCT FROM write->>'expectedUrgency' THEN
      RAISE EXCEPTION 'the escalation changed since the turn read it' USING ERRCODE = 'CAB02';
    END IF;
    esc_json := to_jsonb(esc);
  END IF;

  IF answered_id IS NOT NULL THEN
    INSERT INTO inbox (channel, conversation_id, message_id, replies, created_at)
    VALUES (conv_channel, conv_id, answered_id, t->'replies', turn_at);
  END IF;

  INSERT INTO messages (patient_id, channel, conversation_id, direction, author, author_name, text, locale, message_id, created_at)
  SELECT l.patient_id, conv_channel, conv_id, l.direction, l.author, l.author_name, l.text, l.locale, l.message_id, l.at
    FROM jsonb_to_recordset(coalesce(t->'transcript', '[]'::jsonb)) AS l(
      patient_id uuid, direction text, author text, author_name text, text text, locale text, message_id text, at timestamptz)
  ON CONFLICT (channel, conversation_id, direction, message_id) WHERE message_id IS NOT NULL DO NOTHING;

  INSERT INTO audit_log (actor_type, actor_id, action, patient_id, details, at)
  SELECT a.actor_type, a.actor_id, a.action, a.patient_id, coalesce(a.details, '{}'::jsonb), turn_at
    FROM jsonb_to_recordset(coalesce(t->'audit', '[]'::jsonb)) AS a(actor_type text, actor_id text, action text, patient_id uuid, details jsonb);

  INSERT INTO outbox (delivery_id, channel, conversation_id, patient_id, message, created_at, next_attempt_at)
  SELECT o.delivery_id, o.channel, o.conversation_id, o.patient_id, o.message, turn_at, now()
    FROM jsonb_to_recordset(coalesce(t->'outbox', '[]'::jsonb)) AS o(delivery_id text, channel text, conversation_id text, patient_id uuid, message jsonb)
  ON CONFLICT (delivery_id) DO NOTHING;

  IF t->>'preferredLocale' IS NOT NULL THEN
    UPDATE patients SET preferred_locale = t->>'preferredLocale'
     WHERE id = (t->>'preferredLocalePatientId')::uuid AND erased_at IS NULL
       AND preferred_locale IS DISTINCT FROM t->>'preferredLocale';
  END IF;

  IF t->'reminders' IS NOT NULL AND jsonb_typeof(t->'reminders') = 'object' THEN
    UPDATE patients
       SET reminders_off_at = CASE WHEN (t->'reminders'->>'enabled')::boolean THEN NULL ELSE coalesce(reminders_off_at, turn_at) END
     WHERE id = (t->'reminders'->>'patientId')::uuid AND erased_at IS NULL;
  END IF;

  RETURN jsonb_build_object('outcome', 'committed', 'rev', new_rev, 'escalation', esc_json, 'reminderAnswers', reminder_answers);
END;
$$;
