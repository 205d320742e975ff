-- 005_teams: what the Microsoft Teams channel keeps to reach people outside a turn.

-- One row per Teams conversation the bot is in: where to send (a Bot Framework
-- ConversationReference as JSON). In personal chats user_aad_id is the patient's Entra object
-- id (their identity on the teams channel); erasure deletes by it.
CREATE TABLE teams_conversations (
  conversation_id text PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('personal', 'groupChat', 'channel')),
  user_aad_id     text,
  team_id         text,
  reference       jsonb NOT NULL,
  greeted_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_conversations_user_idx ON teams_conversations (user_aad_id) WHERE user_aad_id IS NOT NULL;
CREATE INDEX teams_conversations_team_idx ON teams_conversations (team_id) WHERE team_id IS NOT NULL;

-- Messages pushed to a conversation, by their stable delivery id, so one is sent once however
-- often delivery is attempted (a redelivered activity, a retry after a crash). sent_count lets a
-- retry resume after the replies that already went out.
CREATE TABLE teams_deliveries (
  delivery_id     text PRIMARY KEY,
  conversation_id text NOT NULL,
  status          text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  sent_count      integer NOT NULL DEFAULT 0 CHECK (sent_count >= 0),
  attempts        integer NOT NULL DEFAULT 1 CHECK (attempts >= 0),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_deliveries_conversation_idx ON teams_deliveries (conversation_id);
CREATE INDEX teams_deliveries_updated_idx ON teams_deliveries (updated_at);

-- The clinic's Teams channel for staff alerts: at most one row.
CREATE TABLE teams_alert_channel (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  reference    jsonb NOT NULL,
  team_id      text,
  team_name    text,
  channel_name text,
  set_by       text NOT NULL,
  set_at       timestamptz NOT NULL DEFAULT now()
);

-- One alert card per escalation: where it was posted and what it shows now (so it is updated
-- only when that changes, by one process). activity_id is null while it is being posted.
CREATE TABLE teams_alert_cards (
  escalation_id uuid PRIMARY KEY REFERENCES escalations (id) ON DELETE CASCADE,
  reference     jsonb NOT NULL,
  activity_id   text,
  shown_state   text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
