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
