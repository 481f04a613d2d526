-- roles.sql - the roles of a forage case database on PostgreSQL
-- (docs/lab.md, "Case database on PostgreSQL").
--
-- Run it once per lab database, as the owner of forage's tables (the
-- role that made the schema), after the schema exists; running it again
-- changes nothing:
--
--   psql -X -v ON_ERROR_STOP=1 -d forage -f roles.sql
--
-- It makes two group roles (NOLOGIN):
--   forage_append  what forage needs to record: SELECT and INSERT on every
--                  forage table, USAGE on their id sequences (nextval; an
--                  INSERT needs none, setval is refused), and UPDATE
--                  on acquisitions only, on the columns forage sets when
--                  an acquisition ends (the trigger
--                  acquisitions_only_running_update refuses any change to
--                  one that has ended).  No UPDATE elsewhere, no DELETE or
--                  TRUNCATE anywhere, no CREATE on the schema: PostgreSQL
--                  itself refuses a member's change of a recorded row,
--                  before any trigger is asked.
--   forage_read    SELECT only (reports, audits, the status of a plan).
-- Both may connect and make temporary tables (forage checks the schema
-- against a copy it makes in its session's temporary schema).
--
-- Examiners log in as roles of their own made members of one group, here
-- with psql variables (each optional) or later by hand:
--
--   psql ... -v append_login=examiner1 -v read_login=auditor1 -f roles.sql
--   CREATE ROLE examiner1 LOGIN PASSWORD '...' IN ROLE forage_append;
--   GRANT forage_append TO examiner1;
--
-- The login roles must not own forage's tables (an owner may alter or drop
-- them, and disable their triggers).  forage's tables are those of the
-- first schema of the search_path (public unless set otherwise).

\set ON_ERROR_STOP on

DO $roles$
DECLARE
	sch text := current_schema();
	tbl text;
	tables text[] := ARRAY['cases', 'evidence', 'acquisitions', 'outputs',
		'media_hashes', 'hash_windows', 'bad_ranges', 'verifications',
		'verification_hashes', 'verification_diffs', 'custody',
		'events', 'amendments', 'seals', 'imports', 'imported_events',
		'imported_rows', 'forage_schema'];
BEGIN
	IF sch IS NULL OR to_regclass(format('%I.forage_schema', sch)) IS NULL
	THEN
		RAISE EXCEPTION 'roles.sql: no forage schema in schema %: make it first (forage, as the owner), then run roles.sql',
			coalesce(sch, '(none)');
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'forage_append')
	THEN
		CREATE ROLE forage_append NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'forage_read')
	THEN
		CREATE ROLE forage_read NOLOGIN;
	END IF;

	EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO forage_append, forage_read',
		current_database());
	EXECUTE format('GRANT USAGE ON SCHEMA %I TO forage_append, forage_read', sch);
	-- Nobody but the owner creates in forage's schema (PostgreSQL 15's
	-- default for public; a database from an older one still grants it).
	EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', sch);
	EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM forage_append, forage_read', sch);

	FOREACH tbl IN ARRAY tables LOOP
		EXECUTE format('REVOKE ALL ON TABLE %I.%I FROM PUBLIC, forage_append, forage_read',
			sch, tbl);
		EXECUTE format('GRANT SELECT, INSERT ON TABLE %I.%I TO forage_append',
			sch, tbl);
		EXECUTE format('GRANT SELECT ON TABLE %I.%I TO forage_read', sch, tbl);
		-- The sequence of the table's identity column id, if any.
		IF EXISTS (SELECT FROM pg_attribute
			   WHERE attrelid = format('%I.%I', sch, tbl)::regclass
			     AND attname = 'id' AND attidentity <> '')
		THEN
			EXECUTE format('GRANT USAGE ON SEQUENCE %s TO forage_append',
				pg_get_serial_sequence(format('%I.%I', sch, tbl), 'id'));
		END IF;
	END LOOP;

	-- What forage sets when an acquisition ends (and a case import on
	-- the acquisitions it adds): nothing else of a row is ever changed.
	EXECUTE format('GRANT UPDATE (status, exit_code, message, finished_utc, '
		'duration_seconds, write_block, bytes, sectors_filled, record_final) '
		'ON TABLE %I.acquisitions TO forage_append', sch);
END
$roles$;

-- Members, when named: psql -v append_login=NAME -v read_login=NAME.
\if :{?append_login}
GRANT forage_append TO :"append_login";
\endif
\if :{?read_login}
GRANT forage_read TO :"read_login";
\endif
