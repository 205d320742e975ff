-- 001_initial: the system of record (ARCHITECTURE.md "Data").
-- Runs inside one transaction, with objects created in the first schema of search_path.

-- Extensions are database-wide; keep them in public so every schema finds them.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- A patient row is never deleted: erasure (src/db/privacy.ts) blanks it and sets erased_at,
-- so the audit trail keeps a valid reference.
CREATE TABLE patients (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  preferred_locale text,
  display_name     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  erased_at        timestamptz
);

-- Channel identities; several may point at one patient (a WhatsApp LID and a phone JID).
CREATE TABLE patient_identities (
  channel     text NOT NULL,
  external_id text NOT NULL,
  patient_id  uuid NOT NULL REFERENCES patients (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, external_id)
);
CREATE INDEX patient_identities_patient_idx ON patient_identities (patient_id);

-- Intervals are half-open [starts_at, ends_at): 10:00–11:00 and 11:00–12:00 do not overlap.
CREATE TABLE appointments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id  uuid NOT NULL REFERENCES patients (id),
  doctor_id   text NOT NULL,
  service_id  text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  status      text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT appointments_interval_valid CHECK (ends_at > starts_at),
  -- The database makes a double booking impossible, also under concurrent requests.
  CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
    doctor_id WITH =,
    tstzrange(starts_at, ends_at, '[)') WITH &&
  ) WHERE (status = 'booked')
);
CREATE INDEX appointments_patient_idx ON appointments (patient_id, starts_at);

-- Emails are stored normalized (trimmed, lower case); look them up the same way.
CREATE TABLE staff_users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE CHECK (email = lower(btrim(email))),
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL DEFAULT 'staff' CHECK (role IN ('staff', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);

CREATE TABLE escalations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id      uuid NOT NULL REFERENCES patients (id),
  channel         text NOT NULL,
  conversation_id text NOT NULL,
  urgency         text NOT NULL CHECK (urgency IN ('urgent', 'high', 'medium', 'low')),
  reason          text NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'resolved')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  claimed_by      uuid REFERENCES staff_users (id),
  claimed_at      timestamptz,
  resolved_at     timestamptz
);
CREATE INDEX escalations_conversation_idx ON escalations (channel, conversation_id, created_at);
CREATE INDEX escalations_queue_idx ON escalations (status, created_at) WHERE status <> 'resolved';
CREATE INDEX escalations_patient_idx ON escalations (patient_id);

-- The transcript. The identity id keeps insertion order among rows with one created_at.
CREATE TABLE messages (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id      uuid NOT NULL REFERENCES patients (id),
  channel         text NOT NULL,
  conversation_id text NOT NULL,
  direction       text NOT NULL CHECK (direction IN ('in', 'out')),
  author          text NOT NULL CHECK (author IN ('patient', 'bot', 'staff')),
  text            text NOT NULL,
  locale          text,
  message_id      text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation_idx ON messages (channel, conversation_id, created_at);
CREATE INDEX messages_patient_idx ON messages (patient_id);
CREATE INDEX messages_created_at_idx ON messages (created_at);
-- A channel message stored twice (a retried turn) is stored once.
CREATE UNIQUE INDEX messages_channel_message_key
  ON messages (channel, conversation_id, direction, message_id)
  WHERE message_id IS NOT NULL;

-- Append-only: no message text here, so rows outlive erasure and transcript retention.
CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL CHECK (actor_type IN ('bot', 'staff', 'system')),
  actor_id   text NOT NULL,
  action     text NOT NULL,
  patient_id uuid REFERENCES patients (id),
  details    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_patient_idx ON audit_log (patient_id, id);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Statement-level, so even an UPDATE/DELETE that matches no row is refused.
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
