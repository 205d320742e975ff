-- 003_exactly_once: what makes every turn count once (ARCHITECTURE.md "Exactly once").

-- The inbox: a message id is done when its row exists. The row is written in the same
-- transaction as the turn's effects, with the replies the patient was given, so a
-- redelivery gets the same answer and changes nothing.
CREATE TABLE inbox (
  channel         text NOT NULL,
  conversation_id text NOT NULL,
  message_id      text NOT NULL,
  replies         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, conversation_id, message_id)
);
CREATE INDEX inbox_created_at_idx ON inbox (created_at);

-- The committed state of each conversation (the hot store holds a copy for speed). A turn
-- commits only when the revision it started from is still the stored one: a turn that ran on
-- a stale copy, or whose process froze past its lock, commits nothing.
CREATE TABLE conversation_states (
  channel         text NOT NULL,
  conversation_id text NOT NULL,
  rev             bigint NOT NULL CHECK (rev > 0),
  record          jsonb NOT NULL,
  patient_id      uuid REFERENCES patients (id),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, conversation_id)
);
CREATE INDEX conversation_states_patient_idx ON conversation_states (patient_id);
CREATE INDEX conversation_states_updated_at_idx ON conversation_states (updated_at);

-- A turn past its time limit has been answered with an apology: its effects must not commit
-- later (a server that froze, then resumed with the turn's COMMIT in its socket). Each turn
-- writes its deadline into its conversation's row, and a check deferred to COMMIT refuses the
-- whole transaction when the database commits it after that.
ALTER TABLE conversation_states ADD COLUMN commit_by timestamptz;

CREATE FUNCTION conversation_states_commit_in_time() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.commit_by IS NOT NULL AND clock_timestamp() > NEW.commit_by THEN
    RAISE EXCEPTION 'the turn missed its deadline (%): nothing of it is committed', NEW.commit_by
      USING ERRCODE = 'query_canceled';
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER conversation_states_commit_in_time
  AFTER INSERT OR UPDATE ON conversation_states
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION conversation_states_commit_in_time();

-- The outbox: messages that leave outside a patient's own HTTP turn (staff replies, follow-up
-- notices, replies pushed on WhatsApp and Teams), written with the change that caused them and
-- delivered by the channel's sender with retries. delivery_id makes a second write a no-op.
CREATE TABLE outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id     text NOT NULL UNIQUE,
  channel         text NOT NULL,
  conversation_id text NOT NULL,
  patient_id      uuid REFERENCES patients (id),
  message         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (channel, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_conversation_idx ON outbox (channel, conversation_id);
CREATE INDEX outbox_patient_idx ON outbox (patient_id);

-- At most one open or claimed escalation per conversation. Twins left by earlier versions are
-- merged first: the claimed one (else the oldest) stays, at the highest urgency of the twins.
WITH ranked AS (
  SELECT id,
         row_number() OVER (PARTITION BY channel, conversation_id ORDER BY (status = 'claimed') DESC, created_at, id) AS rn,
         max(array_position(array['low', 'medium', 'high', 'urgent'], urgency))
           OVER (PARTITION BY channel, conversation_id) AS top
    FROM escalations
   WHERE status <> 'resolved'
), kept AS (
  UPDATE escalations e
     SET urgency = (array['low', 'medium', 'high', 'urgent'])[r.top]
    FROM ranked r
   WHERE e.id = r.id AND r.rn = 1
)
UPDATE escalations e
   SET status = 'resolved', resolved_at = now()
  FROM ranked r
 WHERE e.id = r.id AND r.rn > 1;

CREATE UNIQUE INDEX escalations_one_active_per_conversation
  ON escalations (channel, conversation_id) WHERE status <> 'resolved';

-- Bookings of one doctor on one day take turns on this lock before they write: the exclusion
-- constraint keeps double bookings out, but two transactions inserting clashing rows at once
-- would each wait for the other until PostgreSQL breaks the deadlock a second later. Keyed by
-- day, so bookings of one doctor on different days never wait for each other. (An interval
-- shorter than a day that overlaps another shares a UTC day with it: the start's or the end's.)
CREATE FUNCTION lock_doctor_days(doctor text, starts_at timestamptz, ends_at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  first_day integer := floor(extract(epoch FROM starts_at) / 86400)::integer;
  last_day integer := floor(extract(epoch FROM ends_at) / 86400)::integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(doctor), first_day);
  IF last_day <> first_day THEN
    PERFORM pg_advisory_xact_lock(hashtext(doctor), last_day);
  END IF;
END;
$$;

-- Everything one turn writes, in one call (one round trip, one implicit transaction when called
-- on its own). Reads nothing the turn did not already read: it checks that what the turn saw is
-- still so, and writes. Answers one of
--   {"outcome":"answered","replies":[…]}          the message had an answer already; nothing written
--   {"outcome":"stale","current":{rev,record}|null} the conversation moved on; nothing written
--   {"outcome":"committed","rev":n,"escalation":{…}|null}
-- and raises (so that nothing is written) when an appointment the turn changes was taken or
-- changed meanwhile (23P01 from the exclusion constraint, or CAB01) or the escalation is not
-- the one the turn saw (CAB02).
CREATE FUNCTION commit_turn(t jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  conv_channel text := t->>'channel';
  conv_id text := t->>'conversationId';
  expected bigint := (t->>'expectedRev')::bigint;
  answered_id text := t->>'messageId';
  new_rev bigint;
  found_answer jsonb;
  write jsonb;
  changed integer;
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
         updated_at = (t->>'at')::timestamptz, commit_by = (t->>'commitBy')::timestamptz
   WHERE channel = conv_channel AND conversation_id = conv_id AND rev = expected
  RETURNING rev INTO new_rev;
  IF new_rev IS NULL THEN
    -- Nothing stored yet (or only a cache older than this database knew of): start it.
    INSERT INTO conversation_states (channel, conversation_id, rev, record, patient_id, updated_at, commit_by)
    VALUES (conv_channel, conv_id, coalesce(expected, 0) + 1, t->'record', (t->>'patientId')::uuid,
            (t->>'at')::timestamptz, (t->>'commitBy')::timestamptz)
    ON CONFLICT (channel, conversation_id) DO NOTHING
    RETURNING rev INTO new_rev;
  END IF;
  IF new_rev IS NULL THEN
    RETURN jsonb_build_object('outcome', 'stale', 'current',
      (SELECT jsonb_build_object('rev', s.rev, 'record', s.record) FROM conversation_states s
        WHERE s.channel = conv_channel AND s.conversation_id = conv_id));
  END IF;

  FOR write IN SELECT value FROM jsonb_array_elements(coalesce(t->'appointments', '[]'::jsonb)) LOOP
    CASE write->>'op'
      WHEN 'book' THEN
        PERFORM lock_doctor_days(write->>'doctorId', (write->>'startsAt')::timestamptz, (write->>'endsAt')::timestamptz);
        INSERT INTO appointments (id, patient_id, doctor_id, service_id, starts_at, ends_at)
        VALUES ((write->>'id')::uuid, (write->>'patientId')::uuid, write->>'doctorId', write->>'serviceId',
                (write->>'startsAt')::timestamptz, (write->>'endsAt')::timestamptz);
      WHEN 'reschedule' THEN
        PERFORM lock_doctor_days(write->>'doctorId', (write->>'startsAt')::timestamptz, (write->>'endsAt')::timestamptz);
        UPDATE appointments
           SET starts_at = (write->>'startsAt')::timestamptz, ends_at = (write->>'endsAt')::timestamptz, updated_at = now()
         WHERE id = (write->>'appointmentId')::uuid AND patient_id = (write->>'patientId')::uuid AND status = 'booked';
        GET DIAGNOSTICS changed = ROW_COUNT;
        IF changed = 0 THEN
          RAISE EXCEPTION 'the appointment is no longer booked' USING ERRCODE = 'CAB01';
        END IF;
      WHEN 'cancel' THEN
        UPDATE appointments SET status = 'cancelled', updated_at = now()
         WHERE id = (write->>'appointmentId')::uuid AND patient_id = (write->>'patientId')::uuid AND status = 'booked';
        GET DIAGNOSTICS changed = ROW_COUNT;
        IF changed = 0 THEN
          RAISE EXCEPTION 'the appointment is no longer booked' USING ERRCODE = 'CAB01';
        END IF;
      ELSE
        RAISE EXCEPTION 'unknown appointment write %', write->>'op';
    END CASE;
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
    VALUES (conv_channel, conv_id, answered_id, t->'replies', (t->>'at')::timestamptz);
  END IF;

  INSERT INTO messages (patient_id, channel, conversation_id, direction, author, author_name, text, locale, message_id, created_at)
  SELECT l.patient_id, conv_channel, conv_id, l.direction, l.author, l.author_name, l.text, l.locale, l.message_id, l.at
    FROM jsonb_to_recordset(coalesce(t->'transcript', '[]'::jsonb)) AS l(
      patient_id uuid, direction text, author text, author_name text, text text, locale text, message_id text, at timestamptz)
  ON CONFLICT (channel, conversation_id, direction, message_id) WHERE message_id IS NOT NULL DO NOTHING;

  INSERT INTO audit_log (actor_type, actor_id, action, patient_id, details, at)
  SELECT a.actor_type, a.actor_id, a.action, a.patient_id, coalesce(a.details, '{}'::jsonb), (t->>'at')::timestamptz
    FROM jsonb_to_recordset(coalesce(t->'audit', '[]'::jsonb)) AS a(actor_type text, actor_id text, action text, patient_id uuid, details jsonb);

  INSERT INTO outbox (delivery_id, channel, conversation_id, patient_id, message, created_at, next_attempt_at)
  SELECT o.delivery_id, o.channel, o.conversation_id, o.patient_id, o.message, (t->>'at')::timestamptz, now()
    FROM jsonb_to_recordset(coalesce(t->'outbox', '[]'::jsonb)) AS o(delivery_id text, channel text, conversation_id text, patient_id uuid, message jsonb)
  ON CONFLICT (delivery_id) DO NOTHING;

  IF t->>'preferredLocale' IS NOT NULL THEN
    UPDATE patients SET preferred_locale = t->>'preferredLocale'
     WHERE id = (t->>'preferredLocalePatientId')::uuid AND erased_at IS NULL
       AND preferred_locale IS DISTINCT FROM t->>'preferredLocale';
  END IF;

  RETURN jsonb_build_object('outcome', 'committed', 'rev', new_rev, 'escalation', esc_json);
END;
$$;
