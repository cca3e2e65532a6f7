// Usage texts. Kept beside the commands they describe; README.md shows the same commands.

export const MAIN_HELP = `davgate — CalDAV/CardDAV gateway

Usage:
  davgate serve [--config FILE] [--port N] [--host H] [--data-dir DIR]
  davgate user add NAME [--display-name X] [--email E] [--generate]
  davgate user passwd NAME [--generate]
  davgate user remove NAME [--purge]
  davgate user list
  davgate check [--config FILE] [--print]
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
