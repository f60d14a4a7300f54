-- Notes, the idempotency keys that make POST safe to retry (in any region, after a failover),
-- and the audit events that nobody may change.

CREATE TABLE notes (
    id          uuid        PRIMARY KEY,
    owner       text        NOT NULL,
    title       text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    body        text        NOT NULL CHECK (char_length(body) <= 10000),
    region      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX notes_by_owner_page ON notes (owner, created_at, id);

CREATE TABLE idempotency_keys (
    subject       text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    status        integer     NOT NULL,
    response      text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, key)
);

CREATE TABLE audit_events (
    id          uuid        PRIMARY KEY,
    time        timestamptz NOT NULL,
    region      text        NOT NULL,
    request_id  text        NOT NULL,
    subject     text        NOT NULL,
    action      text        NOT NULL,
    entity      text        NOT NULL,
    entity_id   text        NOT NULL
);
CREATE INDEX audit_events_page ON audit_events (time, id);

CREATE FUNCTION audit_events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_immutable();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_immutable();
