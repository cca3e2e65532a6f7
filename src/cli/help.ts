// Usage texts. Kept beside the commands they describe; README.md shows the same commands.

export const MAIN_HELP = `davgate — CalDAV/CardDAV gateway

Usage:
  davgate serve [--config FILE] [--port N] [--host H] [--data-dir DIR]
  davgate user add NAME [--display-name X] [--email E] [--generate]
  davgate user passwd NAME [--generate]
  davgate user remove NAME [--purge]
  davgate user list
  davgate check [--config FILE] [--print]
  davgate sql install-triggers|uninstall-triggers|trim-changes [--config FILE | --mapping FILE --database-url URL|--file DB]
  davgate --version | --help

Every command accepts --config FILE (default: $DAVGATE_CONFIG, else none) and --data-dir DIR.
Settings come from defaults, then the file, then DAVGATE_* variables, then flags.
See docs/configuration.md.`;

export const SERVE_HELP = `Usage: davgate serve [--config FILE] [--port N] [--host H] [--data-dir DIR]

Starts the gateway. With no configuration it stores data in ./data/davgate.sqlite and listens on
http://127.0.0.1:8008/dav/. On the first start with no users it creates one and prints its password.
Stops cleanly on SIGTERM or SIGINT.`;

export const USER_HELP = `Usage:
  davgate user add NAME [--display-name X] [--email E] [--generate]
  davgate user passwd NAME [--generate]
  davgate user remove NAME [--purge]
  davgate user list

The password is read from standard input when it is not a terminal (first line), else prompted
for without echo; --generate makes one up and prints it. A new user gets a calendar and an
address book. remove keeps the user's data unless --purge is given.`;

export const CHECK_HELP = `Usage: davgate check [--config FILE] [--port N] [--host H] [--data-dir DIR] [--print]

Validates the configuration and exits: 0 when it is valid, 2 with one line per problem otherwise.
--print writes the effective configuration (defaults filled in) as YAML.`;

export const SQL_HELP = `Usage:
  davgate sql install-triggers   [--config FILE | --mapping FILE (--database-url URL | --file DB)]
  davgate sql uninstall-triggers [--config FILE | --mapping FILE (--database-url URL | --file DB)]
  davgate sql trim-changes --keep N [--config FILE | --mapping FILE (--database-url URL | --file DB)]

For the SQL "columns" profile (a legacy schema served through a column mapping, docs/sql-columns.md).
install-triggers creates the table davgate_changes and triggers on the mapped table and its child
tables, so every insert, update and delete, the legacy application's included, is recorded and
sync-collection reads changes instead of scanning; uninstall-triggers removes both. Safe to repeat.
trim-changes keeps the newest N entries of davgate_changes; a client whose sync token is older
resyncs once (run it from cron to bound the table).

The database and mapping come from the configuration's storage section (profile: columns,
mapping: FILE), or from flags:
  --mapping FILE        the column mapping (YAML)
  --database-url URL    postgres://user@host:5432/db or mysql://user@host:3306/db (MariaDB too)
  --password-env NAME   read the database password from this environment variable
  --file DB             a SQLite database file

PostgreSQL and SQLite install in one transaction; on MariaDB/MySQL (where DDL commits at once) a
failed install is undone by removing what was created. Exits 1 with the reason on a database error.`;
